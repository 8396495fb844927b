"""The benchmark command runs end to end on a tiny workload (it is not a timed test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extract.bench import varied

from .scale_cases import abstract


def test_variants_never_repeat_a_text() -> None:
    papers = [(f"Paper {i}", abstract(i)) for i in range(5)]
    pairs = list(varied(papers, 60))
    assert len(pairs) == 60 and len(set(pairs)) == 60
    assert len({a for _, a in pairs}) == 60
    assert pairs[:5] == papers  # the originals first


@pytest.mark.slow
def test_the_benchmark_runs_on_a_tiny_workload(tmp_path: Path) -> None:
    source = tmp_path / "papers.jsonl"
    source.write_text(
        "".join(
            json.dumps({"title": f"Paper {i}", "abstract": abstract(i)}) + "\n" for i in range(8)
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "extract.bench", "--records", "30", "--repeat", "1",
         "--workers", "1,2", "--source", str(source), "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("workload: 30 records, ") and "load average before" in lines[0]
    names = [re.split(r"\s{2,}", line)[0] for line in lines[2:6]]
    assert names == [
        "tokenizer baseline",
        "tokenizer, 200k cache",
        "extract run --workers 1",
        "extract run --workers 2",
    ]
    for line in lines[2:6]:
        seconds, per_second, mb, rss, pss, ratio = (
            float(v.replace(",", "")) for v in line.split()[-6:]
        )
        assert seconds > 0 and per_second > 0 and mb >= 0 and ratio > 0
        assert rss >= pss > 50  # megabytes: a process that imported spaCy
    assert re.match(r"--workers 1 vs the tokenizer with extract's cache size: \d+\.\d\dx", lines[6])
    assert re.match(r"--workers 2 vs --workers 1: \d+\.\d\dx faster", lines[7])
    assert lines[8].startswith("stage shares of the run time (--workers 1, last run): ")
    # the workload is JSON Lines of distinct papers, converted in full
    manifest = json.loads((tmp_path / "work" / "out-2" / "manifest.json").read_text())
    assert manifest["counts"]["papers"] == 30
