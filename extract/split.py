"""Stage 2, split: a Daily Papers page copied as text -> one record per paper.

The page is a run of paragraphs separated by blank lines: page chrome ("Daily Papers",
"Subscribe", ...), date lines ("Jul 29") and, for each paper, a title line followed by
its abstract paragraph. Chrome is dropped, a date line dates the records after it, and
everything else becomes a record or a :class:`~extract.records.RecordProblem`, so a
paragraph that fits nowhere is reported rather than lost.

A page copied whole from the browser also holds the site's navigation and, for each
paper card, a vote count, "Submitted by <name>" and an author count ("· 24 authors"),
each on a line of its own. Those lines are recognised on their own or around a title
line; the vote count becomes the paper's ``upvotes``. Whether a card's count comes
before its title or after it is decided once per page, by what comes first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .read import Line
from .records import RawRecord, RecordProblem, clean_text, collapse_spaces, printable

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
        # the site's navigation and footer, when the whole page was copied
        r"(models|datasets|spaces|posts|docs|enterprise|pricing|collections|community)",
        r"(log ?in|sign ?up|log in or sign up|view all|see all|show more|load more)",
        r"search models, datasets, users\.*",
        r"(system theme|company|tos|terms of service|privacy|about|jobs|careers)",
        r"(website|resources|learn|documentation|blog|forum|service status|status)",
        r"(upvote|upvoted|copied|copy link|share|follow|paper page)",
        r"#\d+ paper of the (day|week|month)",
        r"published on .{1,40}",
        r"[·•]?\s*\d{1,5}\s+(authors?|comments?|collections?|models?|datasets?|spaces?)",
        r"\+\s?\d{1,4}",
    )
)
#: The same lines in one pattern: a line is tried once, not once per pattern.
_ANY_CHROME = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME), re.IGNORECASE)
#: A paper card's vote count: "42", "Upvote 42", "42 upvotes", "▲ 42".
VOTES = re.compile(
    r"(?:[▲⬆↑]\s*)?(?:upvoted?\s*)?(?P<votes>\d{1,6})(?:\s*(?:upvotes?|votes?))?", re.IGNORECASE
)
#: "Submitted by akhaliq", "Submitted by", "Submitted by Zijian Wu on Oct 1".
SUBMITTED = re.compile(
    r"submitted\s+by(?:\s+(?P<name>.{1,80}?))?(?:\s+on\s+\w{3,9}\.? \d{1,2})?", re.IGNORECASE
)
_SUBMITTER_NAME = re.compile(r"[^\s:.!?]{1,40}(?: [^\s:.!?]{1,40}){0,4}")

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


@dataclass(frozen=True)
class CardLine:
    """A line of a paper card or of the page around the papers: not part of any record."""

    line: Line
    kind: str  #: "chrome", "votes", "submitter" or "authors"
    votes: int | None = None


def paragraphs(lines: Iterable[Line]) -> Iterator[Paragraph]:
    """Group lines into runs of non-blank lines."""
    current: list[Line] = []
    for line in lines:
        # a line of only control or invisible characters is blank too
        if line.oversized or (line.text.strip() and clean_text(line.text)):
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
    return _ANY_CHROME.fullmatch(stripped) is not None


def card_line(line: Line) -> CardLine | None:
    """What a line of a copied page is when it is not paper text, or None."""
    if line.oversized or line.damaged_at is not None:
        return None
    stripped = line.text.strip()
    if not stripped or len(stripped) > 120:
        return None
    votes = VOTES.fullmatch(stripped)
    if votes:
        return CardLine(line, "votes", int(votes["votes"]))
    if SUBMITTED.fullmatch(stripped):
        return CardLine(line, "submitter")
    if is_chrome(stripped):
        kind = "authors" if re.search(r"\bauthors?$", stripped, re.IGNORECASE) else "chrome"
        return CardLine(line, kind)
    return None


def split_cards(items: Iterable[Paragraph]) -> Iterator[Paragraph | CardLine]:
    """Paragraphs, with the card lines of a copied page taken out of them.

    A paragraph made only of card lines and at most one other line (a title between
    its vote count and "Submitted by ...") is split: the card lines come out as
    :class:`CardLine` and the other line stays a paragraph. "Submitted by" alone on
    its line is followed by the submitter's name, which is a card line too. In any
    other paragraph such lines are text, as an abstract may well hold a number alone.
    """
    expect_name = False
    for paragraph in items:
        marked: list[CardLine | Line] = []
        for line in paragraph.lines:
            if expect_name and _SUBMITTER_NAME.fullmatch(line.text.strip()):
                marked.append(CardLine(line, "submitter"))
                expect_name = False
                continue
            expect_name = False
            card = card_line(line)
            marked.append(card if card is not None else line)
            if card is not None and card.kind == "submitter":
                expect_name = SUBMITTED.fullmatch(line.text.strip())["name"] is None  # type: ignore[index]
        text_lines = [item for item in marked if isinstance(item, Line)]
        if len(text_lines) == len(marked) or (len(text_lines) > 1 and len(marked) > 1):
            expect_name = expect_name and len(text_lines) == 0
            yield paragraph
            continue
        for item in marked:
            yield _paragraph([item]) if isinstance(item, Line) else item


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
    pending_votes: int | None = None  # the vote count of the waiting title
    votes_lead: bool | None = None  # True: a card's count comes before its title
    next_votes: int | None = None  # a count seen before the title it belongs to
    held: RawRecord | RecordProblem | None = None  # the last record, open to a count after it
    seen_title = False

    def emit(title: Paragraph, abstract: Paragraph | None) -> RawRecord | RecordProblem:
        nonlocal position, pending_votes
        position += 1
        votes, pending_votes = pending_votes, None
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
                    raw=printable(part.text),
                )
        title_text = clean_text(collapse_spaces(title.text))
        if not title_text:  # pragma: no cover - blank lines never start a paragraph
            return RecordProblem(source, position, "missing_title", "an empty title line")
        return RawRecord(
            source=source,
            position=position,
            title=title_text,
            abstract=clean_text(abstract.text) if abstract else None,
            start=start,
            end=end,
            line=title.lines[0].number,
            listing_date_text=date_text,
            listing_date=date,
            upvotes=votes,
            format=format_name,
        )

    def release(record: RawRecord | RecordProblem) -> Iterator[RawRecord | RecordProblem]:
        """Hold each record until the next, so a vote count after it can still join it."""
        nonlocal held
        if held is not None:
            yield held
        held = record

    def start_title(paragraph: Paragraph) -> None:
        nonlocal pending, pending_votes, next_votes, seen_title
        pending, seen_title = paragraph, True
        if votes_lead:
            pending_votes, next_votes = next_votes, None

    for item, following in _lookahead(split_cards(paragraphs(lines))):
        if isinstance(item, CardLine):
            if item.kind != "votes":
                continue
            if votes_lead is None:
                votes_lead = not seen_title
            if votes_lead:
                next_votes = item.votes
            elif pending is not None:
                pending_votes = item.votes
            elif isinstance(held, RawRecord) and held.upvotes is None:
                held.upvotes = item.votes
            continue
        paragraph = item
        text = paragraph.text
        if not paragraph.oversized and paragraph.damaged_at is None:
            if len(paragraph.lines) == 1 and is_chrome(text):
                continue
            parsed = parse_date_line(text, year) if len(paragraph.lines) == 1 else None
            if parsed is not None:
                if pending is not None:
                    yield from release(emit(pending, None))
                    pending = None
                date_text, date = parsed
                continue
        if pending is None:
            if looks_like_title(paragraph):
                start_title(paragraph)
            elif paragraph.oversized or paragraph.damaged_at is not None:
                yield from release(emit(paragraph, None))
            else:
                position += 1
                yield from release(
                    RecordProblem(
                        source,
                        position,
                        "orphan_text",
                        "a paragraph with no title line before it",
                        stage="split",
                        line=paragraph.lines[0].number,
                        raw=printable(text),
                    )
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
            yield from release(emit(pending, None))
            start_title(paragraph)
            continue
        yield from release(emit(pending, paragraph))
        pending = None
    if pending is not None:
        yield from release(emit(pending, None))
    if held is not None:
        yield held


def _lookahead(
    items: Iterator[Paragraph | CardLine],
) -> Iterator[tuple[Paragraph | CardLine, Paragraph | None]]:
    """Each item with the paragraph after it (card lines in between are skipped)."""
    previous: Paragraph | None = None
    between: list[CardLine] = []
    for item in items:
        if isinstance(item, CardLine):
            if previous is None:
                yield item, None
            else:
                between.append(item)
            continue
        if previous is not None:
            yield previous, item
            for card in between:
                yield card, None
            between = []
        previous = item
    if previous is not None:
        yield previous, None
    for card in between:
        yield card, None
