"""The compiled build (``pip install .``: mypyc, see ``hatch_build.py``) writes the same
tables as the pure Python source the rest of the suite runs.

The test builds the wheel as a user's install does (the build downloads its own
requirements from the package index, as any ``pip install .`` does), unpacks it, and runs
the same listings through both: the bundled sample, and, when the shared corpus is here,
every gold listing and the hf-daily abstracts. Every Parquet file must be byte-identical.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extract.resources import SAMPLE_LISTING

from .conftest import ROOT, SHARED

pytestmark = pytest.mark.slow


def _inputs() -> list[list[str]]:
    """The listings each run reads: one run per entry."""
    runs = [[str(SAMPLE_LISTING)]]
    gold = sorted(str(p) for name in ("seed", "dev", "dev2") for p in (SHARED / name).glob("*.txt"))
    if gold:
        runs.append(gold)
    papers = SHARED / "hf-daily" / "papers.jsonl"
    if papers.is_file():
        runs.append([str(papers)])
    return runs


def _extract(python_path: str | None, here: Path, *args: str) -> str:
    """``python -m extract ARGS`` run from ``here`` with the package found on
    ``python_path`` (the unpacked wheel), or the checkout's own when None; its output.
    (Run from a folder of the test's: "python -m" puts the working folder first on the
    path, and the checkout's own package would shadow the unpacked wheel.)"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if python_path:
        env["PYTHONPATH"] = python_path
    done = subprocess.run(
        [sys.executable, "-m", "extract", *args],
        env=env, cwd=here, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def test_the_compiled_build_writes_byte_identical_tables(tmp_path: Path) -> None:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler on this machine: pip install . stays pure Python here")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
        check=True,
    )
    (wheel,) = wheels.glob("extract-*.whl")
    assert "py3-none-any" not in wheel.name, "the wheel was built pure Python"
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    assert "(pure Python)" in _extract(None, tmp_path, "--version")
    assert "(compiled)" in _extract(str(site), tmp_path, "--version")
    for number, inputs in enumerate(_inputs()):
        pure, compiled = tmp_path / f"pure{number}", tmp_path / f"compiled{number}"
        _extract(None, tmp_path, "run", *inputs, "-o", str(pure), "-q")
        _extract(str(site), tmp_path, "run", *inputs, "-o", str(compiled), "-q")
        tables = sorted(p.relative_to(pure) for p in pure.rglob("*.parquet"))
        assert tables, inputs
        assert tables == sorted(p.relative_to(compiled) for p in compiled.rglob("*.parquet"))
        different = [
            str(t) for t in tables if not filecmp.cmp(pure / t, compiled / t, shallow=False)
        ]
        assert different == [], (inputs[:3], different)
