"""The whole flow: the tables never depend on how the work was cut or where it ran."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import pipeline
from extract.formats import FORMATS, Format

from .scale_cases import rows, tables_bytes, write_inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("scale"))


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs converted with every file read whole (a shard size larger than all)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    summary = extract.run([str(inputs)], out, shard_bytes=1 << 30)
    assert summary.shards < 10  # the files were not cut
    return out


def test_the_inputs_exercise_every_case(reference: Path) -> None:
    manifest = json.loads((reference / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["merged_records"] > 20 and counts["rejected_records"] == 2
    assert counts["claims"] > 100 and counts["links"] > 100
    reasons = {row["reason"] for row in rows(reference)["rejects"]}
    assert reasons == {"invalid_json", "invalid_utf8"}


@pytest.mark.parametrize("shard_bytes", [700, 3000])
def test_the_tables_do_not_depend_on_the_shard_size(
    inputs: Path, reference: Path, tmp_path: Path, shard_bytes: int
) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", shard_bytes=shard_bytes)
    assert summary.shards > 15  # the dump and the table were cut into many parts
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    expected = json.loads((reference / "manifest.json").read_text())
    assert manifest["inputs"] == expected["inputs"] and manifest["counts"] == expected["counts"]


def test_rows_copied_as_they_are_equal_rows_merged_one_by_one(
    inputs: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fast path copies a segment whose papers were seen once; the merge function is
    # the definition of what every row must be
    monkeypatch.setattr(
        pipeline,
        "_write_papers",
        lambda tables, groups, merger, writer: pipeline._write_merged(
            tables, groups, merger, writer
        ),
    )
    extract.run([str(inputs)], tmp_path / "out", shard_bytes=700)
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


def test_a_csv_record_running_past_a_cut_rereads_the_file_whole(tmp_path: Path) -> None:
    # 'a"b,"c' has an even number of quotes but leaves the cell open: the quote count
    # allows a cut after that line, where the CSV reader is still inside the record
    path = tmp_path / "bad.csv"
    lines = ["title,abstract"]
    for i in range(40):
        lines.append(f"Paper {i},Plain text {i}.")
        if i % 10 == 5:
            lines += [f'Paper {i}b,a"b,"c', f'Paper {i}c,plain" text']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = extract.run([str(path)], tmp_path / "whole", shard_bytes=1 << 30)
    reread = 0
    for size in range(40, 400, 9):
        out = tmp_path / f"parts-{size}"
        parts = extract.run([str(path)], out, shard_bytes=size)
        assert tables_bytes(out) == tables_bytes(tmp_path / "whole"), size
        assert parts.counts == whole.counts
        reread += parts.shards == 1
    assert reread > 0  # some cuts did land inside a record, and were caught


def test_a_reader_failing_in_one_part_rereads_the_file_whole(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fmt = FORMATS["json_lines"]
    assert fmt.read_range is not None
    real = fmt.read_range

    def failing(source: Any, options: Any, span: Any) -> Any:
        if span.start > 0 and span.start < 4000:
            raise ZeroDivisionError("a bug in the middle of the file")
        return real(source, options, span)

    monkeypatch.setitem(FORMATS, "json_lines", Format(**{**vars(fmt), "read_range": failing}))
    path = inputs / "a_dump.jsonl"
    parts = extract.run([str(path)], tmp_path / "parts", shard_bytes=1500)
    monkeypatch.setitem(FORMATS, "json_lines", fmt)
    whole = extract.run([str(path)], tmp_path / "whole", shard_bytes=1 << 30)
    assert tables_bytes(tmp_path / "parts") == tables_bytes(tmp_path / "whole")
    assert parts.counts == whole.counts and parts.inputs[0].outcome == "read"


def test_timings_and_how_the_run_went_are_in_the_manifest(inputs: Path, tmp_path: Path) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", shard_bytes=3000)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert set(manifest["timings"]) == {"read", "extract", "validate", "merge", "write"}
    assert manifest["run"] == {
        "engine": "local",
        "processes": 1,
        "shards": summary.shards,
        "reused_shards": 0,
        "incremental": False,
    }
    # the scratch folders are gone: the dataset holds its tables and manifest only
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*manifest["tables"], "manifest.json"]
    )
