"""Incremental runs: only what changed is extracted, and the tables are a full run's."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as pads
import pytest

import extract
from extract import pipeline
from extract.errors import ExtractError
from extract.resources import pipeline_path
from extract.shards import default_cache_dir

from .scale_cases import jsonl_papers, tables_bytes, write_inputs

SHARD = 7


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    return write_inputs(tmp_path, size=90)


@pytest.fixture
def processed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many inputs each run actually read (not found in the cache)."""
    counts: list[int] = []
    real = pipeline.process_shard

    def counting(task: Any) -> Any:
        counts[-1] += len(task.pieces)
        return real(task)

    monkeypatch.setattr(pipeline, "process_shard", counting)
    return counts


def incremental(inputs: Path, out: Path, counts: list[int], **options: Any) -> Any:
    counts.append(0)
    return extract.run(
        [str(inputs)], out, overwrite=True, incremental=True, shard_size=SHARD, **options
    )


def full(inputs: Path, out: Path) -> dict[str, bytes]:
    extract.run([str(inputs)], out, overwrite=True, shard_size=SHARD)
    return tables_bytes(out)


def test_a_second_run_reads_nothing_and_writes_the_same_tables(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    out = tmp_path / "out"
    first = incremental(inputs, out, processed)
    assert first.reused_shards == 0 and processed[-1] > 0
    assert tables_bytes(out) == full(inputs, tmp_path / "full")
    second = incremental(inputs, out, processed)
    assert processed[-1] == 0 and second.reused_shards == second.shards
    assert tables_bytes(out) == tables_bytes(tmp_path / "full")
    assert second.counts == first.counts
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["reused_shards"] == manifest["run"]["shards"]
    assert manifest["run"]["incremental"] is True


def test_the_runs_last_shards_cut_smaller_are_found_again(
    inputs: Path, tmp_path: Path, processed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import plan

    monkeypatch.setattr(plan, "TAIL_RECORDS", 1)  # the tail cut at this small a size too
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    second = incremental(inputs, out, processed)  # planned from the counts, unread
    assert processed[-1] == 0 and second.reused_shards == second.shards
    (inputs / "z-last.jsonl").write_bytes(jsonl_papers(3))  # a new input at the end
    third = incremental(inputs, out, processed)
    assert processed[-1] > 0 and third.reused_shards > 0
    assert tables_bytes(out) == full(inputs, tmp_path / "full")


def test_a_new_day_and_a_changed_file_are_all_that_is_read(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    total = processed[-1]
    (inputs / "days" / "2026-02-01-new.json").write_text(
        json.dumps({"paper_id": "2402.00001", "title": "A New Day", "abstract": "Up 5%."})
    )
    changed = inputs / "c_page.txt"
    changed.write_text(changed.read_text() + "Widget-999: Late\n\nLate by 3x.\n")
    summary = incremental(inputs, out, processed)
    assert 2 <= processed[-1] < total / 3  # the two groups holding them, not the rest
    assert summary.reused_shards > 0
    assert tables_bytes(out) == full(inputs, tmp_path / "full")


def test_the_cache_is_beside_the_dataset_never_inside(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    cache = default_cache_dir(out)
    assert cache == tmp_path / ".extract-cache-out" and cache.is_dir()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]
    # readers that take the whole folder or a glob see the dataset's tables only
    assert pads.dataset(out / "papers", format="parquet").count_rows() > 0
    ((found,),) = duckdb.sql(f"SELECT count(*) FROM '{out}/papers/*.parquet'").fetchall()
    assert found == pads.dataset(out / "papers", format="parquet").count_rows()
    # and a cache folder given explicitly is used instead
    other = tmp_path / "elsewhere"
    incremental(inputs, tmp_path / "out2", processed, cache_dir=other)
    assert any(other.iterdir()) and not default_cache_dir(tmp_path / "out2").exists()


def test_a_killed_runs_leftovers_do_not_count(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    cache = default_cache_dir(out)
    entries = sorted(p for p in cache.iterdir() if not p.name.startswith("."))
    # a killed worker's half-written folder, and a result folder that lost its record
    (cache / ".tmp-0123-99999-abcdef").mkdir()
    (entries[0] / "meta.json").unlink()
    (entries[1] / "papers-0.arrow").write_text("garbage\n")
    (entries[1] / "meta.json").unlink()
    incremental(inputs, out, processed)
    assert processed[-1] >= 2  # the two damaged results were computed again
    assert not (cache / ".tmp-0123-99999-abcdef").exists()
    assert tables_bytes(out) == full(inputs, tmp_path / "full")


def test_results_of_inputs_that_are_gone_are_removed(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    cache = default_cache_dir(out)
    before = {p.name for p in cache.iterdir() if not p.name.startswith(".")}
    shutil.rmtree(inputs / "days")
    incremental(inputs, out, processed)
    after = {p.name for p in cache.iterdir() if not p.name.startswith(".")}
    assert after < before and processed[-1] == 0


def test_another_pipeline_version_reuses_nothing(
    inputs: Path, tmp_path: Path, processed: list[int]
) -> None:
    mine = tmp_path / "pipeline"
    shutil.copytree(pipeline_path("daily_papers"), mine)
    out = tmp_path / "out"
    incremental(inputs, out, processed, pipeline=str(mine))
    with (mine / "rules" / "links.jsonl").open("a", encoding="utf-8") as rules:
        rules.write("\n")  # the same rules, another version of the folder
    summary = incremental(inputs, out, processed, pipeline=str(mine))
    assert summary.reused_shards == 0 and processed[-1] == processed[0]


def test_two_runs_cannot_share_a_cache_at_once(inputs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    lock = os.open(cache / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(ExtractError, match="another extract run is using this cache"):
            extract.run([str(inputs)], tmp_path / "out", incremental=True, cache_dir=cache)
    finally:
        os.close(lock)
    assert not (tmp_path / "out").exists()


def test_standard_input_is_cached_by_content(tmp_path: Path, processed: list[int]) -> None:
    import io

    data = jsonl_papers(5)
    out = tmp_path / "out"
    for _ in range(2):
        processed.append(0)
        extract.run(["-"], out, overwrite=True, incremental=True, stdin=io.BytesIO(data))
    assert processed == [1, 0]


@pytest.mark.slow
def test_an_incremental_run_killed_at_any_moment_leaves_a_usable_cache(tmp_path: Path) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    inputs = write_inputs(tmp_path, size=240)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "run", str(inputs), "-o", str(out)]
    command += ["--overwrite", "--incremental", "--shard-size", "7", "--workers", "2"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    longest = time.monotonic() - started
    chooser = random.Random(int.from_bytes(os.urandom(4), "big"))
    for attempt in range(3):
        # a new input each time, so that every run has work to be killed in
        (inputs / f"z-new-{attempt}.jsonl").write_bytes(jsonl_papers(40 + attempt))
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chooser.uniform(0.2, longest))
        process.send_signal(signal.SIGKILL)
        process.wait()
    subprocess.run(command, check=True, capture_output=True)
    assert tables_bytes(out) == full(inputs, tmp_path / "full")
    leftovers = [p for p in default_cache_dir(out).iterdir() if p.name.startswith(".tmp-")]
    assert not leftovers


@pytest.mark.parametrize("damage", ["", "12", '{"key": "other", "records": 1}', "{"])
def test_a_bad_record_count_in_the_cache_is_counted_again(
    inputs: Path, tmp_path: Path, processed: list[int], damage: str
) -> None:
    out = tmp_path / "out"
    incremental(inputs, out, processed)
    counts = sorted(default_cache_dir(out).glob("count-*"))
    assert len(counts) == len(list(inputs.rglob("*.*")))  # one per input read
    for path in counts:
        path.write_text(damage)
    summary = incremental(inputs, out, processed)
    assert summary.reused_shards == summary.shards and processed[-1] == 0
    assert tables_bytes(out) == full(inputs, tmp_path / "full")
