"""The benchmark command runs end to end on a tiny workload (it is not a timed test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extract.bench import varied
from extract.version import build

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
    # which build ran: the checkout's editable install is pure Python
    assert lines.pop(1).startswith(f"extract: the {build()} build ")
    names = [re.split(r"\s{2,}", line)[0] for line in lines[2:6]]
    assert names == [
        "tokenizer baseline",
        "tokenizer, 200k cache",
        "extract run --workers 1",
        "extract run --workers 2",
    ]
    for line in lines[2:6]:
        seconds, cpu, per_second, mb, rss, pss, ratio = (
            float(v.replace(",", "")) for v in line.split()[-7:]
        )
        assert seconds > 0 and cpu > 0 and per_second > 0 and mb >= 0 and ratio > 0
        assert rss >= pss > 50  # megabytes: a process that imported spaCy
    assert re.match(
        r"--workers 1, best of 1 runs each: \d+\.\d\d s against the tokenizer baseline's "
        r"\d+\.\d\d s: \d+\.\d\dx the time",
        lines[6],
    )
    assert re.match(r"--workers 1 vs the tokenizer with extract's cache size: \d+\.\d\dx", lines[7])
    assert re.match(
        r"--workers 2 vs --workers 1: \d+\.\d\dx faster \(CPU seconds: \d+\.\d\dx", lines[8]
    )
    assert lines[9].startswith("stage shares of the run time (--workers 1, last run): ")
    # the workload is JSON Lines of distinct papers, converted in full
    manifest = json.loads((tmp_path / "work" / "out-2" / "manifest.json").read_text())
    assert manifest["counts"]["papers"] == 30


@pytest.mark.parametrize("layout", ["json_lines", "page", "arxiv_snapshot"])
def test_every_layout_is_read_back_as_the_papers_written(tmp_path: Path, layout: str) -> None:
    from extract.bench import LAYOUTS, write_workload
    from extract.formats import FORMATS, ReadOptions, detect
    from extract.read import Source, head
    from extract.records import RawRecord

    papers = [(f"Paper {i}", abstract(i)) for i in range(12)]
    path = tmp_path / LAYOUTS[layout]
    assert write_workload(iter(papers), path, layout) == path.stat().st_size
    source = Source(name=str(path), path=path)
    fmt, _ = detect(head(source), path.name)
    expected = {"json_lines": "json_lines", "page": "daily_papers_text"}.get(layout, layout)
    assert fmt is not None and fmt.name == expected
    records = [r for r in FORMATS[fmt.name].read(source, ReadOptions()) if isinstance(r, RawRecord)]
    assert [(r.title, r.abstract) for r in records] == papers
    if layout == "arxiv_snapshot":  # distinct ids, so no two papers merge
        assert len({r.arxiv_id for r in records}) == 12


def test_the_report_says_whether_every_record_is_accounted() -> None:
    from extract.bench import Benchmark, Result, Sample, memory_growth, report

    def bench(records: int, rss: int, papers: int) -> Benchmark:
        result = Result("extract run --workers 2", [Sample(10.0, rss << 20, rss << 19)])
        counts = {"records_in": records, "papers": papers, "merged_records": 0}
        counts["rejected_records"] = records - papers
        manifest = {"counts": counts, "timings": {"extract": 8.0, "write": 1.0}}
        manifest["elapsed_seconds"] = 10.0
        return Benchmark(records, 1000, [result], {2: manifest}, "0.1", "0.2", False, "page")

    small, large = bench(100, 400, 99), bench(1000, 420, 990)
    text = report(large)
    assert "1,000 records, 0.0 MB, page" in text
    assert "--workers 2: 1,000 records in, 990 papers, 0 merged, 10 rejected: every record" in text
    missing = bench(1000, 420, 990)
    counts = missing.manifests[2]["counts"]
    assert isinstance(counts, dict)
    counts["rejected_records"] = 0
    assert "RECORDS MISSING" in report(missing)
    (line,) = memory_growth([small, large])
    assert "420 MB at 1,000 records, 400 MB at 100 (+5.0%)" in line
