"""The whole flow: the tables never depend on how the work was cut or where it ran."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import extract
from extract import plan
from extract.assemble import Assembly
from extract.formats import FORMATS, Format

from .scale_cases import rows, tables_bytes, write_inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("scale"))


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs converted with every file read whole (a shard size larger than all)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    summary = extract.run([str(inputs)], out, shard_size=1 << 30)
    assert summary.shards == 1  # nothing was cut
    return out


def test_the_inputs_exercise_every_case(reference: Path) -> None:
    manifest = json.loads((reference / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["merged_records"] > 20 and counts["rejected_records"] == 2
    assert counts["claims"] > 100 and counts["links"] > 100
    reasons = {row["reason"] for row in rows(reference)["rejects"]}
    assert reasons == {"invalid_json", "invalid_utf8"}


@pytest.mark.parametrize("shard_size", [1, 5, 17])
def test_the_tables_do_not_depend_on_the_shard_size(
    inputs: Path, reference: Path, tmp_path: Path, shard_size: int
) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", shard_size=shard_size)
    assert summary.shards > 12  # every input of more records than that was cut
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    expected = json.loads((reference / "manifest.json").read_text())
    assert manifest["inputs"] == expected["inputs"] and manifest["counts"] == expected["counts"]


def test_the_tables_do_not_depend_on_the_runs_last_shards_being_cut_smaller(
    inputs: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan, "TAIL_RECORDS", 1)  # the tail cut at this small a size too
    summary = extract.run([str(inputs)], tmp_path / "out", shard_size=40)
    assert summary.shards > 6
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


def test_rows_copied_as_they_are_equal_rows_merged_one_by_one(
    inputs: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fast path copies a segment whose papers were seen once; the merge function is
    # the definition of what every row must be
    monkeypatch.setattr(Assembly, "_write_papers", Assembly._write_merged)
    extract.run([str(inputs)], tmp_path / "out", shard_size=5)
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


def _left_at_the_end(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int]]:
    """Spy on the end of assembly: (still writing early?, segments left to write)."""
    seen: list[tuple[bool, int]] = []
    real = Assembly.write

    def write(self: Assembly) -> None:
        seen.append((self.early, len(list(self._segments(self._next)))))
        real(self)

    monkeypatch.setattr(Assembly, "write", write)
    return seen


def _papers(titles: list[str]) -> str:
    return "".join(
        json.dumps({"title": t, "abstract": f"We present {t}, 2x faster than prior work."}) + "\n"
        for t in titles
    )


def test_segments_are_written_while_later_shards_are_worked_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_papers([f"Gizmo-{i}: Small Gizmos" for i in range(12)]))
    whole = extract.run([str(path)], tmp_path / "whole", shard_size=1 << 30)
    seen = _left_at_the_end(monkeypatch)
    parts = extract.run([str(path)], tmp_path / "parts", shard_size=2)
    assert (whole.shards, parts.shards) == (1, 6)
    # every paper was seen once: every segment was written as its shard came in
    assert seen == [(True, 0)]
    assert tables_bytes(tmp_path / "parts") == tables_bytes(tmp_path / "whole")


def test_a_paper_seen_again_after_it_was_written_early_is_still_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = [f"Gizmo-{i}: Small Gizmos" for i in range(9)]
    path = tmp_path / "in.jsonl"
    path.write_text(_papers([*titles, titles[1]]))  # the second paper again, at the end
    whole = extract.run([str(path)], tmp_path / "whole", shard_size=1 << 30)
    seen = _left_at_the_end(monkeypatch)
    parts = extract.run([str(path)], tmp_path / "parts", shard_size=2)
    assert parts.counts.merged_records == whole.counts.merged_records == 1
    # what was written early was dropped: everything is written at the end
    assert seen == [(False, parts.shards)]
    assert tables_bytes(tmp_path / "parts") == tables_bytes(tmp_path / "whole")
    assert rows(tmp_path / "parts")["papers"][1]["appearances"] == 2


def test_one_page_is_shared_out_by_records_with_the_offsets_of_one_reading(
    inputs: Path, tmp_path: Path
) -> None:
    path = inputs / "c_page.txt"
    whole = extract.run([str(path)], tmp_path / "whole", shard_size=1 << 30)
    parts = extract.run([str(path)], tmp_path / "parts", shard_size=2)
    assert (whole.shards, parts.shards) == (1, 8)
    assert tables_bytes(tmp_path / "parts") == tables_bytes(tmp_path / "whole")
    papers = rows(tmp_path / "parts")["papers"]
    text = path.read_text(encoding="utf-8")
    assert [p["position"] for p in papers] == list(range(1, 16))
    for paper in papers:  # offsets index the page, wherever its records were extracted
        assert paper["title"] in text[paper["start"] : paper["end"]]


def test_a_reader_failing_part_way_costs_the_rest_of_its_file_at_any_shard_size(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fmt = FORMATS["json_lines"]
    real = fmt.read

    def failing(source: Any, options: Any) -> Any:
        for item in real(source, options):
            if item.position == 60:
                raise ZeroDivisionError("a bug in the middle of the file")
            yield item

    monkeypatch.setitem(FORMATS, "json_lines", Format(**{**vars(fmt), "read": failing}))
    path = inputs / "a_dump.jsonl"
    tables = []
    for size in (1 << 30, 7, 1):
        summary = extract.run([str(path)], tmp_path / f"out-{size}", shard_size=size)
        assert summary.counts.records_in == 59 and summary.inputs[0].outcome == "rejected"
        assert summary.inputs[0].reason == "reader_error"
        tables.append(tables_bytes(tmp_path / f"out-{size}"))
    assert tables[0] == tables[1] == tables[2]


def test_timings_and_how_the_run_went_are_in_the_manifest(inputs: Path, tmp_path: Path) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", shard_size=17)
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


def test_settings_are_one_model_with_its_defaults_written_once(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from pydantic import ValidationError

    from extract.cli import main
    from extract.options import RunOptions

    # the command's defaults are the model's
    params = {p.name: p for p in main.commands["run"].params}  # type: ignore[attr-defined]
    for name in ("pipeline", "max_reject_rate", "engine", "shard_size"):
        assert params[name].default == RunOptions.model_fields[name].default, name
    assert "default: 1000" in CliRunner().invoke(main, ["run", "--help"]).output
    # keywords and a model are the same settings; a misspelt one is refused by name
    summary = extract.run([], tmp_path / "a", RunOptions(shard_size=3), year=2026)
    assert summary.shards == 4  # the ten sample papers, three a shard
    with pytest.raises(ValidationError, match="shard_bytes"):
        extract.run([], tmp_path / "b", shard_bytes=3)
