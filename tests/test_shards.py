"""Shards: cut points, reading a byte range, the plan, and the shard folders."""

from __future__ import annotations

import csv
import io
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.formats import FORMATS, ByteRange, ReadOptions
from extract.read import Source
from extract.records import RawRecord, RecordProblem
from extract.resources import pipeline_path
from extract.shards import MAX_PIECES, Planner, ShardResult, ShardTask, load_result

from .conftest import examples

JSONL = FORMATS["json_lines"]
CSV = FORMATS["csv_table"]


def whole(fmt: Any, data: bytes) -> list[RawRecord | RecordProblem]:
    return list(fmt.read(Source(name="in", data=data), ReadOptions()))


def by_ranges(fmt: Any, data: bytes, targets: list[int]) -> tuple[list[Any], list[ByteRange]]:
    """Records read part by part, with positions, lines and characters made whole-file,
    as the process that merges does it."""
    source = Source(name="in", data=data)
    cuts = fmt.cut(source, len(data), targets)
    bounds = [0, *cuts, len(data)]
    spans = [ByteRange(start, end) for start, end in pairwise(bounds)]
    found: list[Any] = []
    records = lines = chars = 0
    for span in spans:
        for item in fmt.read_range(source, ReadOptions(), span):
            found.append(_shifted(item, records, lines, chars))
        records, lines, chars = records + span.records, lines + span.lines, chars + span.chars
    return found, spans


def _shifted(item: Any, records: int, lines: int, chars: int) -> Any:
    from dataclasses import replace

    if isinstance(item, RawRecord):
        return replace(
            item,
            position=item.position + records,
            line=item.line + lines if item.line is not None else None,
            start=item.start + chars,
            end=item.end + chars,
        )
    return replace(
        item,
        position=item.position + records if item.position is not None else None,
        line=item.line + lines if item.line is not None else None,
    )


def _fits(spans: list[ByteRange]) -> bool:
    return all(before.stop == after.start for before, after in pairwise(spans))


# --- JSON Lines -----------------------------------------------------------------------

_LINE = st.one_of(
    st.builds(
        lambda t, a: json.dumps({"title": t, "abstract": a}, ensure_ascii=False),
        st.text(min_size=1, max_size=20),
        st.text(max_size=40),
    ),
    st.sampled_from(["", "   ", "{not json", "[1, 2]", '{"abstract": "no title"}']),
)
_END = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(_LINE, _END), max_size=25))
    data = "".join(text + end for text, end in lines).encode("utf-8")
    if draw(st.booleans()) and data:  # a damaged byte somewhere
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + b"\xff" + data[at:]
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data


@settings(max_examples=examples(400))
@given(data=jsonl_files(), targets=st.lists(st.integers(1, 2000), max_size=8))
def test_json_lines_read_in_parts_equals_read_whole(data: bytes, targets: list[int]) -> None:
    found, spans = by_ranges(JSONL, data, targets)
    assert _fits(spans)  # lines never run past a cut
    assert found == whole(JSONL, data)


def test_json_lines_cuts_are_line_starts() -> None:
    data = b'{"title": "a"}\n{"title": "b"}\r\n\n{"title": "c"}'
    source = Source(name="in", data=data)
    cuts = JSONL.cut(source, len(data), [1, 5, 16, 17, 100])
    assert cuts == [15, 31]
    assert all(data[c - 1 : c] == b"\n" for c in cuts)


# --- CSV ------------------------------------------------------------------------------


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    cell = st.text(alphabet=st.sampled_from('ab ,"\n;x'), max_size=12)
    rows = draw(st.lists(st.tuples(cell, cell), min_size=0, max_size=20))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(["title", "abstract"])
    for title, abstract in rows:
        writer.writerow([title or "t", abstract])
    return out.getvalue().encode("utf-8")


@settings(max_examples=examples(400))
@given(data=csv_files(), targets=st.lists(st.integers(1, 600), max_size=8))
def test_csv_read_in_parts_equals_read_whole(data: bytes, targets: list[int]) -> None:
    # well-formed CSV: the quote count puts every cut outside a quoted cell
    found, spans = by_ranges(CSV, data, targets)
    assert _fits(spans)
    assert found == whole(CSV, data)


@settings(max_examples=examples(300))
@given(
    text=st.text(alphabet=st.sampled_from('ab,"\n'), max_size=120),
    targets=st.lists(st.integers(1, 150), max_size=6),
)
def test_badly_quoted_csv_parts_that_do_not_fit_are_detected(text: str, targets: list[int]) -> None:
    data = ("title,abstract\n" + text).encode("utf-8")
    found, spans = by_ranges(CSV, data, targets)
    if _fits(spans):  # when the parts fit together, they are the whole file
        assert found == whole(CSV, data)


def test_a_cut_never_falls_inside_a_quoted_cell() -> None:
    data = b'title,abstract\nA,"line one\nline two"\nB,plain\n'
    source = Source(name="in", data=data)
    assert CSV.cut(source, len(data), [20, 30]) == [37]  # "B,plain"


# --- the plan -------------------------------------------------------------------------


def plan(tmp_path: Path, files: dict[str, bytes], shard_bytes: int) -> tuple[Planner, list[Any]]:
    folder = tmp_path / "in"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    from extract.read import discover

    results = tmp_path / "results"
    results.mkdir(exist_ok=True)
    planner = Planner(
        discover([str(folder)]),
        forced=None,
        options=ReadOptions(),
        pipeline=pipeline_path("daily_papers"),
        pipeline_version="test",
        results=results,
        scratch=tmp_path,
        shard_bytes=shard_bytes,
    )
    return planner, list(planner.items())


def jsonl(count: int, prefix: str = "Paper") -> bytes:
    return "".join(
        json.dumps({"title": f"{prefix} {i}", "abstract": f"Text {i}."}) + "\n"
        for i in range(count)
    ).encode()


def test_a_large_json_lines_file_is_cut_and_small_files_share_shards(tmp_path: Path) -> None:
    files = {"big.jsonl": jsonl(200)}
    files |= {f"day-{i:03d}.jsonl": jsonl(2, f"Day {i}") for i in range(100)}
    _, tasks = plan(tmp_path, files, shard_bytes=2000)
    parts = [t for t in tasks if any(p.parts > 1 for p in t.pieces)]
    big = files["big.jsonl"]
    cuts = JSONL.cut(Source(name="big", data=big), len(big), list(range(2000, len(big), 2000)))
    assert len(parts) == len(cuts) + 1 > 3
    assert all(len(t.pieces) == 1 for t in parts)
    assert [p.start for t in parts for p in t.pieces] == [0, *cuts]
    grouped = [t for t in tasks if t not in parts]
    assert sum(len(t.pieces) for t in grouped) == 100
    assert len(grouped) < 100 and max(len(t.pieces) for t in grouped) <= MAX_PIECES
    # in input order, every input once
    order = [(p.input, p.part) for t in tasks for p in t.pieces]
    assert order == sorted(order) and len({i for i, _ in order}) == 101


def test_adding_an_input_changes_only_the_group_it_joins(tmp_path: Path) -> None:
    files = {f"day-{i:03d}.jsonl": jsonl(3, f"Day {i}") for i in range(0, 120, 2)}
    _, before = plan(tmp_path, files, shard_bytes=600)
    files["day-051.jsonl"] = jsonl(3, "Day 51")
    _, after = plan(tmp_path, files, shard_bytes=600)
    keys_before = {t.key for t in before}
    keys_after = {t.key for t in after}
    assert len(keys_after - keys_before) == 1  # the group holding the new day
    assert len(keys_before - keys_after) == 1


def test_utf16_and_unsplittable_formats_are_read_whole(tmp_path: Path) -> None:
    files = {
        "wide.jsonl": jsonl(100).decode().encode("utf-16"),
        "page.txt": ("Daily Papers\n\nJul 29\n\n" + "Title\n\nText.\n\n" * 200).encode(),
    }
    _, tasks = plan(tmp_path, files, shard_bytes=500)
    assert all(p.parts == 1 and p.end is None for t in tasks for p in t.pieces)


def test_a_shard_folder_stores_its_result_and_a_retry_finds_it(tmp_path: Path) -> None:
    from extract.pipeline import process_shard

    _, tasks = plan(tmp_path, {"a.jsonl": jsonl(5)}, shard_bytes=1 << 20)
    (task,) = tasks
    assert isinstance(task, ShardTask)
    first = process_shard(task.portable())
    assert first.pieces[0].records == 5 and first.rows["papers"] == 5
    stored = load_result(task.folder)
    assert stored == first
    again = process_shard(task.portable())  # a retried task: the same result, not redone
    assert again == first
    assert not [p for p in task.folder.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_result_round_trips_through_its_json() -> None:
    result = ShardResult(key="k", rows={"papers": 2}, segments=[{"valid": 2, "rows": {}}])
    result.pieces = []
    assert ShardResult.from_json(result.to_json()) == result
