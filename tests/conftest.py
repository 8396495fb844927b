"""Shared fixtures: the built default pipeline, paths to the shared corpus, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.nlp import Pipeline, load_pipeline
from extract.resources import pipeline_path

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
#: Real listings and gold annotations live beside the project, never inside it.
SHARED = ROOT.parent / "shared" / "corpus"
SEED = SHARED / "seed" / "000_3e5886404991033b.txt"
SEED_GOLD = SHARED / "seed" / "000_3e5886404991033b.gold.jsonl"


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
