"""The arXiv metadata snapshot: detected by its keys, read field by field, end to end.

``tests/data/arxiv-metadata-snapshot.json`` is written for these tests in the dump's
layout (invented papers, one broken line), named like the dump (``.json``, though it
holds JSON Lines).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import extract
from extract.formats import FORMATS, ReadOptions, detect
from extract.formats.arxiv_snapshot import authors_parsed, categories, first_version_date
from extract.read import Source, head
from extract.records import RawRecord, RecordProblem

SNAPSHOT = Path(__file__).resolve().parent / "data" / "arxiv-metadata-snapshot.json"


def items() -> list[RawRecord | RecordProblem]:
    source = Source(name=str(SNAPSHOT), path=SNAPSHOT)
    return list(FORMATS["arxiv_snapshot"].read(source, ReadOptions()))


def test_detected_by_its_keys_not_as_plain_json_lines() -> None:
    fmt, _ = detect(head(Source(name="x", path=SNAPSHOT)), SNAPSHOT.name)
    assert fmt is not None and fmt.name == "arxiv_snapshot"
    # JSON Lines without the snapshot's keys stays JSON Lines
    plain = b'{"title": "A", "abstract": "B"}\n{"title": "C", "abstract": "D"}\n'
    fmt, _ = detect(plain, "papers.json")
    assert fmt is not None and fmt.name == "json_lines"


def test_every_field_is_read() -> None:
    first, second, broken, third = items()
    assert isinstance(first, RawRecord)
    assert first.arxiv_id == "2601.00101" and first.record_id == "arxiv:2601.00101"
    assert first.title == "Widgetron: Counting Widgets with Fewer Gears"
    assert first.abstract == (
        "We count widgets. Widgetron reaches 91.5% accuracy on WidgetBench, up from 88.0%. "
        "It runs 2.5x faster than the previous counter."
    )
    assert first.authors == ["Ada Quill", "Bram O. Tesselaar", "Chen Wu Jr"]
    assert first.listing_date == dt.date(2026, 1, 5)  # v1, not v2 nor update_date
    assert first.listing_date_text == "Mon, 5 Jan 2026 18:00:01 GMT"
    assert first.categories == ["cs.CL", "cs.LG"]
    assert [(link.url, link.field) for link in first.links] == [
        ("https://github.com/example-lab/widgetron", "comments")
    ]
    assert first.format == "arxiv_snapshot" and (first.position, first.line) == (1, 1)
    assert isinstance(second, RawRecord)
    assert second.arxiv_id == "hep-th/9901001" and second.title == "An Old Paper on Strings"
    assert second.authors == ["D. Example", "Collaboration"]  # the empty given name left out
    assert second.abstract == "An abstract from the last century."
    # a broken line is rejected alone, with its line; the next paper is still read
    assert isinstance(broken, RecordProblem)
    assert (broken.reason, broken.line, broken.position) == ("invalid_json", 3, 3)
    assert isinstance(third, RawRecord) and third.position == 4
    # no authors_parsed: the authors string is split instead
    assert third.authors == ["Eve Null", "Fay Void"] and third.categories == ["stat.ML"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([["Quill", "Ada", ""]], ["Ada Quill"]),  # given family
        ([["Wu", "Chen", "Jr"]], ["Chen Wu Jr"]),  # suffix last
        ([["Collaboration", "", ""]], ["Collaboration"]),  # empty parts dropped
        ([["  Van  der Berg ", "Anna\n  Maria", ""]], ["Anna Maria Van der Berg"]),
        ([["", "", ""], "not a list", [1, 2, 3]], []),  # nothing usable: no name
        (None, []),
    ],
)
def test_authors_parsed(value: object, expected: list[str]) -> None:
    assert authors_parsed(value) == expected


def test_first_version_and_categories() -> None:
    versions = [
        {"version": "v2", "created": "Tue, 6 Jan 2026 10:00:00 GMT"},
        {"version": "v1", "created": "Mon, 5 Jan 2026 10:00:00 GMT"},
    ]
    assert first_version_date(versions) == "Mon, 5 Jan 2026 10:00:00 GMT"
    assert first_version_date([]) is None and first_version_date("v1") is None
    assert categories("cs.CL  cs.LG cs.CL") == ["cs.CL", "cs.LG"]
    assert categories(None) == []


def test_a_run_writes_categories_and_every_record_is_accounted(tmp_path: Path) -> None:
    summary = extract.run([str(SNAPSHOT)], tmp_path / "out")
    assert summary.inputs[0].format == "arxiv_snapshot"
    assert (summary.counts.records_in, summary.counts.papers) == (4, 3)
    assert summary.counts.rejected_records == 1
    papers = pq.read_table(tmp_path / "out" / "papers").to_pylist()
    by_id = {p["record_id"]: p for p in papers}
    assert by_id["arxiv:2601.00101"]["categories"] == ["cs.CL", "cs.LG"]
    assert by_id["arxiv:2601.00101"]["listing_date"] == dt.date(2026, 1, 5)
    claims = pq.read_table(tmp_path / "out" / "claims").to_pylist()
    assert {c["value_text"] for c in claims} >= {"91.5%", "2.5x"}
    links = pq.read_table(tmp_path / "out" / "links").to_pylist()
    assert [(link["url"], link["kind"]) for link in links] == [
        ("https://github.com/example-lab/widgetron", "code")
    ]
