"""Shared fixtures: the built default pipeline, paths to the shared corpus, a CLI runner,
and the Hypothesis profiles of the two test lanes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from extract.nlp import Pipeline, load_pipeline
from extract.resources import pipeline_path

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
#: Real listings and gold annotations live beside the project, never inside it.
SHARED = ROOT.parent / "shared" / "corpus"
SEED = SHARED / "seed" / "000_3e5886404991033b.txt"
SEED_GOLD = SHARED / "seed" / "000_3e5886404991033b.gold.jsonl"


#: Examples per property test in the fast lane (``pytest -m "not slow"``): enough to
#: catch a reader that breaks on common input in seconds. The full suite (``pytest``,
#: what CI runs) uses the counts each test asks for through :func:`examples`.
DEV_EXAMPLES = 15
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("full", deadline=None, suppress_health_check=_QUIET)
# derandomized: the fast lane draws the same examples every time, so it passes or fails
# the same way on every run
settings.register_profile(
    "dev",
    max_examples=DEV_EXAMPLES,
    deadline=None,
    suppress_health_check=_QUIET,
    derandomize=True,
    database=None,
)
_full = True


def pytest_configure(config: pytest.Config) -> None:
    """The fast lane (slow tests deselected) runs the small profile; any other run, the
    full one."""
    global _full
    _full = "not slow" not in (config.getoption("markexpr", "") or "")
    settings.load_profile("full" if _full else "dev")


def examples(full: int, dev: int = DEV_EXAMPLES) -> int:
    """How many examples a property test runs: ``full`` in the full suite, at most
    ``dev`` in the fast lane."""
    return full if _full else min(full, dev)


def need_shared(*paths: Path) -> None:
    """Skip the calling test, saying why, when the shared corpus is not here."""
    for path in paths or (SHARED,):
        if not path.exists():
            pytest.skip(f"the shared corpus is not available ({path} is missing)")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return load_pipeline(pipeline_path("daily_papers"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
