"""Shards: the plan cuts every input's records into shards, and the shard folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from extract import plan as plan_module
from extract.formats import FORMATS, ReadOptions
from extract.options import RunOptions
from extract.plan import Planner
from extract.read import Source, discover
from extract.records import FileRejected, RawRecord
from extract.resources import pipeline_path
from extract.shards import MAX_PIECES, ShardResult, ShardTask, load_result

from .conftest import examples


def plan(
    tmp_path: Path, files: dict[str, bytes], shard_size: int, **options: Any
) -> tuple[Planner, list[Any]]:
    folder = tmp_path / "in"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    results = tmp_path / "results"
    results.mkdir(exist_ok=True)
    planner = Planner(
        discover([str(folder)]),
        RunOptions(shard_size=shard_size, **options),
        forced=None,
        pipeline=pipeline_path("daily_papers"),
        pipeline_version="test",
        results=results,
    )
    return planner, list(planner.shards())


def jsonl(count: int, prefix: str = "Paper") -> bytes:
    return "".join(
        json.dumps({"title": f"{prefix} {i}", "abstract": f"Text {i}."}) + "\n"
        for i in range(count)
    ).encode()


def page(count: int) -> bytes:
    body = "".join(f"Title {i}\n\nText {i}.\n\n" for i in range(count))
    return f"Daily Papers\n\nJul 29\n\n{body}".encode()


def document(count: int) -> bytes:
    papers = [{"paper_id": f"2401.{i:05d}", "title": f"Doc {i}"} for i in range(count)]
    return json.dumps({"date": "2026-01-02", "papers": papers}, indent=1).encode()


def test_one_large_input_of_any_format_is_cut_into_shards_of_records(tmp_path: Path) -> None:
    for name, data in [("big.jsonl", jsonl(95)), ("page.txt", page(95)), ("d.json", document(95))]:
        folder = tmp_path / name
        _, tasks = plan(folder, {name: data}, shard_size=10)
        assert [t.records for t in tasks] == [10] * 9 + [5], name
        assert [(p.start, p.stop) for t in tasks for p in t.pieces] == [
            (i, min(i + 10, 95)) for i in range(0, 95, 10)
        ]
        positions = [item.position for t in tasks for items in t.items for item in items]
        assert positions == list(range(1, 96)), name  # as one reading of the file numbers them


def test_the_runs_last_records_are_cut_into_smaller_shards(tmp_path: Path) -> None:
    # the last complete shard and the records after it, in quarters of a shard: the
    # workers finish within a small shard of each other
    cases = [
        (2500, [1000] + [250] * 6),  # 1,000 + 500 records at the end
        (3000, [1000, 1000] + [250] * 4),  # the last complete shard alone
        (1500, [250] * 6),  # two shards: both are the tail
        (1000, [1000]),  # a run of one shard is left whole (it stays in one process)
        (120, [120]),
    ]
    for count, expected in cases:
        _, tasks = plan(tmp_path / str(count), {"big.jsonl": jsonl(count)}, shard_size=1000)
        assert [t.records for t in tasks] == expected, count
        assert [(p.start, p.stop) for t in tasks for p in t.pieces] == [
            (sum(expected[:i]), sum(expected[: i + 1])) for i in range(len(expected))
        ]
        positions = [item.position for t in tasks for items in t.items for item in items]
        assert positions == list(range(1, count + 1))


def test_the_tail_of_small_inputs_keeps_one_piece_per_input_and_shard(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(plan_module, "TAIL_RECORDS", 1)
    files = {f"day-{i:03d}.jsonl": jsonl(3, f"Day {i}") for i in range(40)}
    _, whole = plan(tmp_path / "whole", files, shard_size=1 << 30)
    _, tasks = plan(tmp_path / "cut", files, shard_size=20)
    assert max(t.records for t in tasks[-4:]) <= 5  # a quarter of 20
    for task in tasks:
        assert len({p.input for p in task.pieces}) == len(task.pieces) <= MAX_PIECES

    def read(tasks: list[Any]) -> list[tuple[str, int]]:
        return [(i.title, i.position) for t in tasks for items in t.items for i in items]

    assert read(tasks) == read(whole) and len(read(tasks)) == 120


def test_small_inputs_share_shards_in_input_order(tmp_path: Path) -> None:
    files = {"big.jsonl": jsonl(200)}
    files |= {f"day-{i:03d}.jsonl": jsonl(2, f"Day {i}") for i in range(100)}
    planner, tasks = plan(tmp_path, files, shard_size=40)
    assert all(isinstance(t, ShardTask) for t in tasks)
    big = [t for t in tasks if t.pieces[0].input == 0]
    assert [t.records for t in big] == [40] * 5  # the large file ends its last shard
    grouped = [t for t in tasks if t not in big]
    assert sum(len(t.pieces) for t in grouped) == 100
    assert len(grouped) < 50 and max(len(t.pieces) for t in grouped) <= MAX_PIECES
    order = [(p.input, p.start) for t in tasks for p in t.pieces]
    assert order == sorted(order) and len({i for i, _ in order}) == 101
    assert planner.total == 400 and len(planner.entries) == 101


def test_adding_an_input_changes_only_the_shard_it_joins(tmp_path: Path) -> None:
    files = {f"day-{i:03d}.jsonl": jsonl(3, f"Day {i}") for i in range(0, 120, 2)}
    _, before = plan(tmp_path, files, shard_size=20)
    files["day-051.jsonl"] = jsonl(3, "Day 51")
    _, after = plan(tmp_path, files, shard_size=20)
    keys_before = {t.key for t in before}
    keys_after = {t.key for t in after}
    assert len(keys_after - keys_before) == 1  # the shard holding the new day
    assert len(keys_before - keys_after) == 1


def test_an_input_that_cannot_be_read_is_one_item(tmp_path: Path) -> None:
    _, tasks = plan(tmp_path, {"a.jsonl": jsonl(3), "b.bin": b"\x00\x01\x02" * 50}, 10)
    items = [item for t in tasks for items in t.items for item in items]
    assert isinstance(items[-1], FileRejected) and items[-1].reason == "unrecognised"
    assert all(isinstance(item, RawRecord) for item in items[:-1])


FILES = st.dictionaries(
    st.sampled_from(["a.jsonl", "b.txt", "c.json", "d.csv", "e.jsonl"]),
    st.integers(1, 30),
    min_size=1,
)


@settings(max_examples=examples(100, dev=10))
@given(sizes=FILES, shard_size=st.integers(1, 25), tail=st.sampled_from([1, 200]))
def test_the_shards_hold_every_record_of_a_whole_reading(
    tmp_path_factory: Any, sizes: dict[str, int], shard_size: int, tail: int
) -> None:
    def content(name: str, count: int) -> bytes:
        if name.endswith(".txt"):
            return page(count)
        if name.endswith(".json"):
            return document(count)
        if name.endswith(".csv"):
            return b"title,abstract\n" + b"".join(b'T%d,"A\nB %d"\n' % (i, i) for i in range(count))
        return jsonl(count, name)

    tmp_path = tmp_path_factory.mktemp("plan")
    files = {name: content(name, count) for name, count in sizes.items()}
    with mock.patch.object(plan_module, "TAIL_RECORDS", tail):  # 1: the tail is cut small
        planner, tasks = plan(tmp_path, files, shard_size)
    assert all(t.records <= shard_size for t in tasks)
    items = [item for t in tasks for items in t.items for item in items]
    expected: list[Any] = []
    for name in sorted(files):
        path = tmp_path / "in" / name
        fmt = FORMATS[planner.entries[sorted(files).index(name)].format or ""]
        expected.extend(fmt.read(Source(name=str(path), path=path), ReadOptions()))
    assert items == expected


def test_a_shard_folder_stores_its_result_and_a_retry_finds_it(tmp_path: Path) -> None:
    from extract.work import process_shard

    _, tasks = plan(tmp_path, {"a.jsonl": jsonl(5)}, shard_size=100)
    (task,) = tasks
    assert isinstance(task, ShardTask)
    first = process_shard(task)
    assert first.pieces[0].records == 5 and first.rows["papers"] == 5
    assert [key for _, key in first.keys] and len(first.keys) == 5
    stored = load_result(task.folder)
    assert stored == first
    again = process_shard(task)  # a retried task: the same result, not redone
    assert again == first
    assert not [p for p in task.folder.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_result_round_trips_through_its_json() -> None:
    result = ShardResult(
        key="k",
        rows={"papers": 2},
        segments=[{"valid": 2, "rows": {}}],
        keys=[("2401.00001", 5), (None, -7)],
    )
    result.pieces = []
    assert ShardResult.from_json(result.to_json()) == result
