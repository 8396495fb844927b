"""Stage 2: a Daily Papers page -> records, with chrome dropped and offsets kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.read import iter_lines
from extract.records import RawRecord, RecordProblem, clean_text
from extract.split import date_from_name, is_chrome, parse_date_line, split_page

from .conftest import examples

PAGE = (
    "Daily Papers\n\nby AK and the research community\n\nJul 29\n\n"
    "Widgetron: Fast Widgets\n\nWe build widgets quickly.\n\n"
    "Slow Widgets Considered Harmful\n\nWidgets should be fast.\n"
)


def split(text: str, **kwargs: object) -> list[RawRecord | RecordProblem]:
    data = text.encode("utf-8", "surrogateescape")
    return list(split_page(iter_lines(io.BytesIO(data)), "page.txt", **kwargs))  # type: ignore[arg-type]


def test_titles_abstracts_and_dates() -> None:
    records = split(PAGE, year=2026)
    assert [(r.position, r.title, r.abstract) for r in records if isinstance(r, RawRecord)] == [
        (1, "Widgetron: Fast Widgets", "We build widgets quickly."),
        (2, "Slow Widgets Considered Harmful", "Widgets should be fast."),
    ]
    first = records[0]
    assert isinstance(first, RawRecord)
    assert first.listing_date_text == "Jul 29"
    assert first.listing_date == dt.date(2026, 7, 29)


def test_record_offsets_point_at_the_source() -> None:
    for record in split(PAGE):
        assert isinstance(record, RawRecord)
        span = PAGE[record.start : record.end]
        assert span.startswith(record.title)
        assert record.abstract is not None and span.endswith(record.abstract)


def test_crlf_page_gives_the_same_records() -> None:
    lf = [(r.title, r.abstract) for r in split(PAGE) if isinstance(r, RawRecord)]
    crlf = [
        (r.title, r.abstract) for r in split(PAGE.replace("\n", "\r\n")) if isinstance(r, RawRecord)
    ]
    assert lf == crlf


def test_a_title_without_abstract_is_still_a_paper() -> None:
    page = "Jul 29\n\nLonely Title\n\nWidgetron: Fast Widgets\n\nWe build widgets quickly.\n"
    records = split(page)
    assert [(r.title, r.abstract) for r in records if isinstance(r, RawRecord)] == [
        ("Lonely Title", None),
        ("Widgetron: Fast Widgets", "We build widgets quickly."),
    ]


def test_text_without_a_title_is_reported_not_lost() -> None:
    page = (
        "Jul 29\n\n" + "This paragraph has no title line before it and it ends with a period. " * 3
    )
    (problem,) = split(page)
    assert isinstance(problem, RecordProblem)
    assert problem.reason == "orphan_text" and problem.line == 3


def test_a_damaged_record_is_rejected_with_its_byte_offset_and_the_rest_kept() -> None:
    page = PAGE.replace("We build widgets", "We build wid\udcffgets")
    records = split(page)
    problem = records[0]
    assert isinstance(problem, RecordProblem)
    assert problem.reason == "invalid_utf8"
    assert problem.byte_offset == page.encode("utf-8", "surrogateescape").index(b"\xff")
    assert isinstance(records[1], RawRecord) and records[1].position == 2


def test_invisible_characters_are_removed_from_titles_and_abstracts() -> None:
    page = "Wid\u200bgetron: Fast\u202e Widgets\n\nWe build\u200d widgets.\n"
    (record,) = split(page)
    assert isinstance(record, RawRecord)
    assert record.title == "Widgetron: Fast Widgets"
    assert record.abstract == "We build widgets."


@pytest.mark.parametrize(
    ("line", "year", "expected"),
    [
        ("Jul 29", 2026, ("Jul 29", dt.date(2026, 7, 29))),
        ("Jul 29", None, ("Jul 29", None)),
        ("September 3, 2025", None, ("September 3, 2025", dt.date(2025, 9, 3))),
        ("Feb 30", 2026, ("Feb 30", None)),  # not a real day: kept as text, no date
        ("Julius 29", 2026, None),  # not a month
        ("Jul 29 papers", 2026, None),  # not a whole date line
    ],
)
def test_parse_date_line(
    line: str, year: int | None, expected: tuple[str, dt.date | None] | None
) -> None:
    assert parse_date_line(line, year) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026-03-12.txt", dt.date(2026, 3, 12)),
        ("daily-2026-03-12-cs.txt", dt.date(2026, 3, 12)),
        ("2026-13-12.txt", None),
        ("listing.txt", None),
    ],
)
def test_date_from_name(name: str, expected: dt.date | None) -> None:
    assert date_from_name(name) == expected


def test_the_file_date_dates_a_page_without_date_lines() -> None:
    page = "Widgetron: Fast Widgets\n\nWe build widgets quickly.\n"
    (record,) = split(page, file_date=dt.date(2026, 3, 12))
    assert isinstance(record, RawRecord) and record.listing_date == dt.date(2026, 3, 12)


WHOLE_PAGE = (
    "Hugging Face\nModels\nDatasets\nSpaces\nDocs\nPricing\nLog In\nSign Up\n\n"
    "Daily Papers\n\nby AK and the research community\n\nJul 29\n\n"
    "42\nWidgetron: Fast Widgets\nSubmitted by\nakhaliq\n· 24 authors\n\n"
    "We build widgets 2.5x faster.\n\n"
    "Upvote\n17\n\nSlow Widgets Considered Harmful\n\nSubmitted by Jane Doe\n"
    "· 3 authors\n2 comments\n\nWidgets should be fast.\n\n"
    "System theme\nCompany\nTOS\nPrivacy\n"
)


def test_a_page_copied_whole_counts_before_titles() -> None:
    records = split(WHOLE_PAGE, year=2026)
    assert [(r.title, r.abstract, r.upvotes) for r in records if isinstance(r, RawRecord)] == [
        ("Widgetron: Fast Widgets", "We build widgets 2.5x faster.", 42),
        ("Slow Widgets Considered Harmful", "Widgets should be fast.", 17),
    ]
    assert all(isinstance(r, RawRecord) for r in records)  # no chrome became a paper


def test_a_page_copied_whole_counts_after_abstracts() -> None:
    page = (
        "Jul 29\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster.\n\n42 upvotes\n\n"
        "Gadgetron: Slow Gadgets\n\nWe build gadgets.\n\n▲ 7\n"
    )
    records = split(page)
    assert [(r.title, r.upvotes) for r in records if isinstance(r, RawRecord)] == [
        ("Widgetron: Fast Widgets", 42),
        ("Gadgetron: Slow Gadgets", 7),
    ]


def test_a_number_inside_an_abstract_is_text() -> None:
    page = "Widgetron: Fast Widgets\n\nWe build widgets faster, by\n42\npercent.\n"
    (record,) = split(page)
    assert isinstance(record, RawRecord)
    assert record.abstract == "We build widgets faster, by\n42\npercent." and record.upvotes is None


# The page's chrome is tried as one pattern, and text is searched for invisible
# characters before it is translated: both must say what the plain definitions say.
_PIECES = [
    "Daily Papers", "new", "· 24 authors", "+ 3", "Published on Jul 29", "papers",
    "Next week", "Upvote", "\u200b", "\u00ad", "\u202a", "\ufeff", "\x07", "Ã©",
    " ", "Widgets", ".", "\n",
]  # fmt: skip


@settings(max_examples=examples(300))
@given(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join))
def test_chrome_and_clean_text_agree_with_their_plain_definitions(text: str) -> None:
    from extract.records import _CONTROL, _INVISIBLE, fix_mojibake
    from extract.split import CHROME

    assert is_chrome(text) == any(p.fullmatch(text.strip()) for p in CHROME)
    plain = _CONTROL.sub(" ", fix_mojibake(text).translate(_INVISIBLE)).strip()
    assert clean_text(text) == plain
