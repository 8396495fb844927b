"""Merging: one row per paper, every appearance kept, the documented fields win."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import extract
from extract.merge import merge_group

from .conftest import SHARED, need_shared

ABSTRACT = "We build widgets 2.5x faster than before. Code: https://github.com/acme/widgetron."
TEXT_PAGE = "Jul 29\n\nWidgetron: Fast Widgets\n\n"  # a title with no abstract
JSON_PAPER = {
    "paper_id": "2401.00001",
    "title": "Widgetron: fast widgets",  # another spelling of the same title
    "abstract": ABSTRACT,
    "authors": ["Ada Lovelace", "Alan Turing"],
    "date": "2024-01-02",
    "upvotes": 7,
}
TABLE = (
    "|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n"
    "|**2024-01-01**|**Widgetron: Fast Widgets**|Ada Lovelace et.al.|"
    "[2401.00001](http://arxiv.org/abs/2401.00001)|**[link](https://github.com/acme/widgetron)**|\n"
)


def tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        name: pq.read_table(out / name).to_pylist()
        for name in ("papers", "links", "claims", "appearances", "rejects")
    }


def write_inputs(tmp_path: Path) -> list[str]:
    (tmp_path / "a_page.txt").write_text(TEXT_PAGE, encoding="utf-8")
    (tmp_path / "b_paper.json").write_text(json.dumps(JSON_PAPER), encoding="utf-8")
    (tmp_path / "c_table.md").write_text(TABLE, encoding="utf-8")
    return [str(tmp_path / n) for n in ("a_page.txt", "b_paper.json", "c_table.md")]


def test_one_paper_in_three_formats_is_one_row(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path)
    summary = extract.run(inputs, tmp_path / "out", year=2024)
    c = summary.counts
    assert (c.records_in, c.papers, c.merged_records, c.appearances) == (3, 1, 2, 3)
    got = tables(tmp_path / "out")
    (paper,) = got["papers"]
    # the first appearance (sorted input order) gives source, position, title and date
    assert paper["source"] == inputs[0] and paper["title"] == "Widgetron: Fast Widgets"
    assert paper["listing_date_text"] == "Jul 29"
    assert paper["listing_date"] == dt.date(2024, 7, 29)
    # empty fields are filled from later appearances, in order
    assert paper["abstract"] == ABSTRACT and paper["arxiv_id"] == "2401.00001"
    assert paper["authors"] == ["Ada Lovelace", "Alan Turing"] and paper["upvotes"] == 7
    assert paper["record_id"] == "arxiv:2401.00001" and paper["appearances"] == 3
    # claims and abstract links come with the abstract, so offsets index it
    for row in got["claims"] + [r for r in got["links"] if r["start"] is not None]:
        assert row["record_id"] == paper["record_id"]
        assert paper["abstract"][row["start"] : row["end"]] in (
            row["value_text"] if "value_text" in row else row["url"]
        )
    assert {r["claim_id"] for r in got["claims"]} == {"arxiv:2401.00001#1"}
    # a structured link from another appearance is kept once
    urls = [r["url"] for r in got["links"]]
    assert urls.count("https://github.com/acme/widgetron") == 1
    # every appearance, in input order
    assert [(a["source"], a["primary"], a["format"]) for a in got["appearances"]] == [
        (inputs[0], True, "daily_papers_text"),
        (inputs[1], False, "hf_daily_json"),
        (inputs[2], False, "arxiv_daily_markdown"),
    ]
    assert {a["record_id"] for a in got["appearances"]} == {"arxiv:2401.00001"}
    by_path = {e.path: (e.papers, e.merged, e.rejected) for e in summary.inputs}
    assert by_path == {inputs[0]: (1, 0, 0), inputs[1]: (0, 1, 0), inputs[2]: (0, 1, 0)}


def test_output_does_not_depend_on_the_order_inputs_are_given(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path)
    extract.run(inputs, tmp_path / "forward")
    extract.run(list(reversed(inputs)), tmp_path / "backward")
    for table in ("papers", "links", "claims", "benchmarks", "appearances", "rejects"):
        part = Path(table) / "part-00000.parquet"
        assert (tmp_path / "forward" / part).read_bytes() == (
            tmp_path / "backward" / part
        ).read_bytes(), table


def paper(**fields: Any) -> dict[str, Any]:
    base = {
        "record_id": "title:0000000000000000",
        "source": "in.txt",
        "position": 1,
        "title": "A Title",
        "short_name": None,
        "short_name_rule": None,
        "abstract": None,
        "listing_date_text": None,
        "listing_date": None,
        "arxiv_id": None,
        "authors": [],
        "upvotes": None,
        "start": 0,
        "end": 7,
        "format": "daily_papers_text",
        "appearances": 1,
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("appearances", "expected"),
    [
        # the first non-empty value of each field wins
        (
            [paper(upvotes=None), paper(upvotes=3, position=2), paper(upvotes=9, position=3)],
            {"upvotes": 3, "position": 1},
        ),
        # a listing date travels with its text
        (
            [paper(), paper(listing_date_text="Jul 29", listing_date=dt.date(2024, 7, 29))],
            {"listing_date_text": "Jul 29", "listing_date": dt.date(2024, 7, 29)},
        ),
        # the short name comes with the abstract it was found in
        (
            [
                paper(short_name="Title", short_name_rule="r.title"),
                paper(abstract="We propose Foo.", short_name="Foo", short_name_rule="r.coin"),
            ],
            {"abstract": "We propose Foo.", "short_name": "Foo", "short_name_rule": "r.coin"},
        ),
        # ... unless that appearance found none
        (
            [paper(short_name="Title", short_name_rule="r.title"), paper(abstract="Text.")],
            {"short_name": "Title", "short_name_rule": "r.title"},
        ),
    ],
)
def test_merge_rules(appearances: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    merged = merge_group([{"paper": p, "children": {}} for p in appearances])
    for key, value in expected.items():
        assert merged.paper[key] == value, key
    assert merged.paper["appearances"] == len(appearances)
    assert [a["primary"] for a in merged.appearances] == [True] + [False] * (len(appearances) - 1)


def test_same_title_different_arxiv_ids_are_two_papers(tmp_path: Path) -> None:
    rows = [
        {"arxiv_id": "2401.00001", "title": "Introduction"},
        {"arxiv_id": "2401.00002", "title": "Introduction"},
        {"title": "introduction"},  # no id: joins the first paper with that title
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    summary = extract.run([str(path)], tmp_path / "out")
    assert (summary.counts.papers, summary.counts.merged_records) == (2, 1)
    appearances = pq.read_table(tmp_path / "out" / "appearances").to_pylist()
    assert [a["record_id"] for a in appearances] == [
        "arxiv:2401.00001",
        "arxiv:2401.00001",
        "arxiv:2401.00002",
    ]


def test_a_title_seen_first_without_an_id_takes_the_id_later(tmp_path: Path) -> None:
    rows = [{"title": "Widgetron"}, {"arxiv_id": "2401.00001", "title": "WIDGETRON"}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    extract.run([str(path)], tmp_path / "out")
    (row,) = pq.read_table(tmp_path / "out" / "papers").to_pylist()
    assert (row["record_id"], row["arxiv_id"], row["title"]) == (
        "arxiv:2401.00001",
        "2401.00001",
        "Widgetron",
    )


def test_a_real_crawl_merges_to_its_distinct_papers(tmp_path: Path) -> None:
    # one day of a crawler that saved both a day file and a file per paper
    crawl = SHARED / "hf-daily" / "Misaki-Wang__hf_bot" / "data"
    day = crawl / "dates" / "2026-02-16.json"
    papers = crawl / "papers" / "2026-02-16"
    need_shared(day, papers)
    data = json.loads(day.read_text(encoding="utf-8"))
    ids = [p["paper_id"] for p in data["papers"]]
    for path in sorted(papers.glob("*.json")):
        ids.append(json.loads(path.read_text(encoding="utf-8"))["paper_id"])
    summary = extract.run([str(day), str(papers)], tmp_path / "out")
    c = summary.counts
    assert c.records_in == len(ids) > len(set(ids)) > 0
    assert c.papers == len(set(ids))
    assert c.merged_records == len(ids) - len(set(ids))
    assert c.appearances == c.records_in and c.rejected_records == c.rejected_files == 0
    first_source = {row["record_id"]: row["source"] for row in tables(tmp_path / "out")["papers"]}
    assert set(first_source.values()) == {str(day)}  # the day file sorts first: it wins
