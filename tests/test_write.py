"""Stage 5: Parquet tables, the manifest, and atomic publication."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import extract
from extract.models import ROW_MODELS
from extract.schema import arrow_schema
from extract.write import DatasetWriter

PAGE = "Jul 29\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster.\n"
OTHER = "Jul 30\n\nGadgetron: Slow Gadgets\n\nWe build gadgets 20% slower.\n"


def write_page(tmp_path: Path, text: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_table_has_a_part_with_the_full_schema_even_when_empty(tmp_path: Path) -> None:
    out = tmp_path / "o"
    extract.run([str(write_page(tmp_path, PAGE))], out)
    for model in ROW_MODELS:
        part = out / model.table / "part-00000.parquet"
        assert part.is_file(), model.table
        assert pq.read_schema(part).remove_metadata() == arrow_schema(model).remove_metadata()
    assert pq.read_table(out / "rejects").num_rows == 0


def test_manifest_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "o"
    page = write_page(tmp_path, PAGE)
    extract.run([str(page)], out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pipeline"] == "daily_papers"
    (entry,) = manifest["inputs"]
    assert entry["path"] == str(page) and entry["records"] == 1 and entry["bytes"] == len(PAGE)
    assert len(entry["sha256"]) == 64
    counts = manifest["counts"]
    assert (
        counts["papers"] + counts["rejected_records"] + counts["merged_records"]
        == counts["records_in"]
    )


def test_the_same_paper_twice_is_one_row_and_counted_as_merged(tmp_path: Path) -> None:
    a = write_page(tmp_path, PAGE, "a.txt")
    b = write_page(tmp_path, PAGE, "b.txt")
    summary = extract.run([str(a), str(b)], tmp_path / "o")
    assert (summary.counts.papers, summary.counts.merged_records, summary.counts.records_in) == (
        1,
        1,
        2,
    )


def test_replacing_a_dataset_leaves_the_new_one_and_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "o"
    extract.run([str(write_page(tmp_path, PAGE))], out)
    extract.run([str(write_page(tmp_path, OTHER, "other.txt"))], out, overwrite=True)
    titles = pq.read_table(out / "papers").column("title").to_pylist()
    assert titles == ["Gadgetron: Slow Gadgets"]
    assert sorted(os.listdir(tmp_path)) == ["o", "other.txt", "page.txt"]


def test_a_failed_run_leaves_the_previous_dataset_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "o"
    extract.run([str(write_page(tmp_path, PAGE))], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def explode(self: DatasetWriter, manifest: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(DatasetWriter, "publish", explode)
    with pytest.raises(RuntimeError):
        extract.run([str(write_page(tmp_path, OTHER, "other.txt"))], out, overwrite=True)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(tmp_path: Path) -> None:
    stale = tmp_path / ".extract-staging-o-999999999"
    (stale / "papers").mkdir(parents=True)
    extract.run([str(write_page(tmp_path, PAGE))], tmp_path / "o")
    assert not stale.exists()


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    page = write_page(tmp_path, PAGE + "\n" + OTHER)
    extract.run([str(page)], tmp_path / "a")
    extract.run([str(page)], tmp_path / "b")
    for model in ROW_MODELS:
        part = Path(model.table) / "part-00000.parquet"
        assert (tmp_path / "a" / part).read_bytes() == (tmp_path / "b" / part).read_bytes()
