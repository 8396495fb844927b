"""The progress bar and the summary table."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import extract
from extract.progress import Progress
from extract.shards import PieceResult, ShardResult
from extract.summary import summary_table


def shard(records: int, rejected: int) -> ShardResult:
    return ShardResult(key="k", pieces=[PieceResult(records=records, rejected=rejected)])


def test_the_bar_shows_records_rate_and_rejects_then_the_total() -> None:
    stream = io.StringIO()
    with Progress(enabled=True, stream=stream, interval=0) as bar:
        bar.advance(shard(120, 3))
        bar.total(None)  # inputs still being read: no total yet
        assert "%" not in stream.getvalue()
        bar.total(200)
        bar.advance(shard(80, 0))
    shown = stream.getvalue()
    assert "100%" in shown and "200/200" in shown and "3 rejects" in shown
    assert "records/s" in shown


def test_a_disabled_bar_writes_nothing() -> None:
    stream = io.StringIO()
    with Progress(enabled=False, stream=stream) as bar:
        bar.advance(shard(10, 1))
    assert stream.getvalue() == "" and (bar.records, bar.rejects) == (10, 1)


def test_the_summary_table(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(
        b"Jul 29\n\nWidgetron\n\nWe build widgets 2.5x faster.\n\nBroken \xff\n\nText.\n"
    )
    summary = extract.run([str(page)], tmp_path / "out")
    lines = summary_table(summary).splitlines()
    assert lines[0].startswith(f"wrote {tmp_path / 'out'} (daily_papers) in ")
    assert lines[0].endswith("2 records, " + lines[0].split(", ")[1] + ", local engine, 1 process")
    assert lines[2].split() == ["records", "table", "rows", "stage", "s"]
    assert lines[3].split()[:5] == ["records", "in", "2", "papers", "1"]
    assert lines[6].split()[:3] == ["rejected", "1", "links"]
    assert sum(float(line.split()[-2]) for line in lines[3:8]) == pytest.approx(
        sum(summary.timings.values()), abs=0.03
    )
    assert lines[-2:] == [
        "  1 shard; stage seconds are added up over the processes",
        "  rejected: invalid_utf8 x1",
    ]


@pytest.mark.slow
def test_the_bar_goes_to_a_terminal_only(tmp_path: Path) -> None:
    # in a pseudo-terminal the bar is drawn on standard error; in a pipe it is not
    pty = pytest.importorskip("pty")
    page = tmp_path / "page.txt"
    page.write_text("Jul 29\n\nWidgetron\n\nWe build widgets 2.5x faster.\n")
    script = (
        "import sys, extract.cli; sys.argv = ['extract', 'run', sys.argv[1], '-o', sys.argv[2]]; "
        "extract.cli.main()"
    )
    output = bytearray()

    def read(fd: int) -> bytes:
        data = __import__("os").read(fd, 1024)
        output.extend(data)
        return data

    status = pty.spawn([sys.executable, "-c", script, str(page), str(tmp_path / "a")], read)
    assert status == 0
    assert b"\r" in output and b"records/s" in output  # the bar, redrawn in place
    piped = subprocess.run(
        [sys.executable, "-c", script, str(page), str(tmp_path / "b")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert piped.stderr == "" and piped.stdout.startswith("wrote ")
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["counts"]["papers"] == 1
