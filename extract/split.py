"""Stage 2, split: a Daily Papers page copied as text -> one record per paper.

The page is a run of paragraphs separated by blank lines: page chrome ("Daily Papers",
"Subscribe", ...), date lines ("Jul 29") and, for each paper, a title line followed by
its abstract paragraph. Chrome is dropped, a date line dates the records after it, and
everything else becomes a record or a :class:`~extract.records.RecordProblem`, so a
paragraph that fits nowhere is reported rather than lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .read import Line, has_surrogates
from .records import RawRecord, RecordProblem, clean_text

# Lines of the page around the listing that are not papers. Matched on the whole line,
# case-insensitively, after trimming.
CHROME = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"new",
        r"get trending papers in your email inbox!?",
        r"subscribe",
        r"daily papers",
        r"by\s*ak and the research community",
        r"(previous|next)( day| week| month)?",
        r"(daily|weekly|monthly)",
        r"search( papers)?(\.\.\.)?",
        r"submit( a paper)?",
        r"trending( papers)?",
        r"hugging ?face",
        r"papers",
    )
)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
DATE_LINE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?"
)
ISO_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)")

#: A title is one line; longer lines are text, whatever follows them.
MAX_TITLE_CHARS = 300
MAX_TITLE_WORDS = 40


@dataclass
class Paragraph:
    lines: list[Line]
    start: int  #: character offset of the first character
    end: int  #: character offset after the last character

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def damaged_at(self) -> int | None:
        return next((ln.damaged_at for ln in self.lines if ln.damaged_at is not None), None)

    @property
    def oversized(self) -> bool:
        return any(line.oversized for line in self.lines)


def paragraphs(lines: Iterable[Line]) -> Iterator[Paragraph]:
    """Group lines into runs of non-blank lines."""
    current: list[Line] = []
    for line in lines:
        if line.text.strip() or line.oversized:
            current.append(line)
            continue
        if current:
            yield _paragraph(current)
            current = []
    if current:
        yield _paragraph(current)


def _paragraph(lines: list[Line]) -> Paragraph:
    last = lines[-1]
    return Paragraph(lines, lines[0].char_start, last.char_start + len(last.text))


def is_chrome(text: str) -> bool:
    stripped = text.strip()
    return any(p.fullmatch(stripped) for p in CHROME)


def parse_date_line(text: str, year: int | None) -> tuple[str, dt.date | None] | None:
    """('Jul 29', date or None) when the line is a listing date, else None."""
    stripped = text.strip()
    match = DATE_LINE.fullmatch(stripped)
    if not match or match["month"].lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match["month"].lower()], int(match["day"])
    if match["year"]:
        year = int(match["year"])
    try:
        return stripped, dt.date(year, month, day) if year else None
    except ValueError:
        return None if not 1 <= day <= 31 else (stripped, None)


def date_from_name(name: str) -> dt.date | None:
    """The date in a file name such as ``2026-03-12.txt``, if there is one."""
    match = ISO_DATE.search(name)
    if not match:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def looks_like_title(paragraph: Paragraph) -> bool:
    text = paragraph.text.strip()
    if len(paragraph.lines) != 1 or paragraph.oversized:
        return False
    if len(text) > MAX_TITLE_CHARS or len(text.split()) > MAX_TITLE_WORDS:
        return False
    return not text.endswith(".") or text.endswith("...")


def split_page(
    lines: Iterable[Line],
    source: str,
    *,
    year: int | None = None,
    file_date: dt.date | None = None,
    format_name: str = "daily_papers_text",
) -> Iterator[RawRecord | RecordProblem]:
    """Records of a Daily Papers page, in page order, with 1-based positions.

    ``year`` completes date lines written without one ("Jul 29"); when it is not given,
    the year of ``file_date`` (a date in the file name) is used. A page with no date line
    takes ``file_date`` itself as the listing date.
    """
    if year is None and file_date is not None:
        year = file_date.year
    date_text: str | None = None
    date: dt.date | None = file_date
    position = 0
    pending: Paragraph | None = None  # a title waiting for its abstract
    stream = _lookahead(paragraphs(lines))

    def emit(title: Paragraph, abstract: Paragraph | None) -> RawRecord | RecordProblem:
        nonlocal position
        position += 1
        parts = [title] + ([abstract] if abstract else [])
        start, end = title.start, (abstract or title).end
        for part in parts:
            if part.oversized:
                return RecordProblem(
                    source,
                    position,
                    "record_too_large",
                    "a line of this record is longer than the record size cap",
                    stage="read",
                    line=title.lines[0].number,
                    byte_offset=part.lines[0].byte_start,
                )
            damaged = part.damaged_at
            if damaged is not None:
                return RecordProblem(
                    source,
                    position,
                    "invalid_utf8",
                    f"bytes that are not valid UTF-8 at byte offset {damaged}",
                    stage="read",
                    line=part.lines[0].number,
                    byte_offset=damaged,
                    raw=_printable(part.text),
                )
        return RawRecord(
            source=source,
            position=position,
            title=clean_text(title.text),
            abstract=clean_text(abstract.text) if abstract else None,
            start=start,
            end=end,
            line=title.lines[0].number,
            listing_date_text=date_text,
            listing_date=date,
            format=format_name,
        )

    for paragraph, following in stream:
        text = paragraph.text
        if not paragraph.oversized and paragraph.damaged_at is None:
            if len(paragraph.lines) == 1 and is_chrome(text):
                continue
            parsed = parse_date_line(text, year) if len(paragraph.lines) == 1 else None
            if parsed is not None:
                if pending is not None:
                    yield emit(pending, None)
                    pending = None
                date_text, date = parsed
                continue
        if pending is None:
            if looks_like_title(paragraph):
                pending = paragraph
            elif paragraph.oversized or paragraph.damaged_at is not None:
                yield emit(paragraph, None)
            else:
                position += 1
                yield RecordProblem(
                    source,
                    position,
                    "orphan_text",
                    "a paragraph with no title line before it",
                    stage="split",
                    line=paragraph.lines[0].number,
                    raw=_printable(text),
                )
            continue
        # A title is waiting. This paragraph is its abstract unless it is itself a
        # title followed by text, which means the waiting title had no abstract.
        if (
            looks_like_title(paragraph)
            and following is not None
            and not looks_like_title(following)
            and not is_chrome(following.text)
        ):
            yield emit(pending, None)
            pending = paragraph
            continue
        yield emit(pending, paragraph)
        pending = None
    if pending is not None:
        yield emit(pending, None)


def _lookahead(items: Iterator[Paragraph]) -> Iterator[tuple[Paragraph, Paragraph | None]]:
    previous: Paragraph | None = None
    for item in items:
        if previous is not None:
            yield previous, item
        previous = item
    if previous is not None:
        yield previous, None


def _printable(text: str, limit: int = 500) -> str:
    """Raw text for a reject row: undecodable bytes shown as \\xNN, length capped."""
    if has_surrogates(text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else text[:limit] + "…"
