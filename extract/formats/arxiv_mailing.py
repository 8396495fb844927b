"""The arXiv "new submissions" mailing, as text.

A mail header (``Date:``, ``Subject:``), then entries, each between ``\\\\`` lines::

    \\\\
    arXiv:2303.08867
    Date: Wed, 15 Mar 2023 18:34:08 GMT   (243kb,D)

    Title: A Bayesian derivation of the square root law of market impact
    Authors: Louis Saddier and Matteo Marsili
    Categories: q-fin.TR cond-mat.stat-mech
    Comments: 16 pages, 5 figures
    \\\\
      We show that the main empirical findings ...
    \\\\ ( https://arxiv.org/abs/2303.08867 ,  243kb)

Cross-listings are entries too; replacements ("replaced with revised version") have no
abstract. The listing date is the mailing's ``Date:`` header. URLs in ``Comments``
become links of the paper. The ``.abs`` records of :mod:`.arxiv_abs` are one such entry
each, and use the same entry parser (:func:`entries`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..read import Line, Source, source_lines
from ..records import (
    RawRecord,
    RecordProblem,
    clean_text,
    collapse_spaces,
    printable,
    unwrap,
)
from .base import Format, ReadOptions
from .fields import arxiv_id_from, parse_date, split_authors, urls_in_text

_ID_LINE = re.compile(r"arXiv:(?P<id>\S+)(?:\s+\((?P<note>[^)]*)\))?\s*$")
_HEADER = re.compile(r"(?P<key>[A-Za-z][A-Za-z -]*(?:\([^)]*\))?):\s?(?P<value>.*)$")
_END = re.compile(r"^\\\\\s*\(\s*(?P<url>\S+)\s*,[^)]*\)\s*$")
_SEPARATOR = re.compile(r"^(?:-{10,}|(?:%+-+)+%*-*|(?:%%-+)+)\s*$")
_REPLACED = re.compile(r"^replaced with revised version\s+(?P<date>.+?)\s*(?:\(\d+kb.*\))?$")


@dataclass
class Entry:
    """One entry as read, before it becomes a record."""

    lines: list[Line] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    abstract: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    note: str | None = None  #: "(*cross-listing*)"
    replaced: str | None = None  #: the date of a replacement, when the entry is one
    complete: bool = False


def sniff(head: bytes, name: str) -> float:
    text = head.decode("utf-8", "replace")
    if not re.search(r"^\\\\\r?\n\s*arXiv:\S+", text, re.MULTILINE):
        return 0.0
    if re.search(r"^(?:Subject:|\s*received from\s)", text, re.MULTILINE) or (
        len(re.findall(r"^arXiv:", text, re.MULTILINE)) > 1
    ):
        return 0.95
    return 0.5


def entries(lines: Iterable[Line]) -> Iterator[tuple[list[Line], Entry | None]]:
    """The entries of arXiv listing text, with the lines before each (its preamble).

    Each item is (lines outside entries since the previous one, the entry); the last
    item holds the trailing lines and None.
    """
    outside: list[Line] = []
    entry: Entry | None = None
    state = "outside"  # outside -> id -> headers -> abstract -> outside
    for line in lines:
        text = line.text
        if state == "outside":
            if text.strip() == "\\\\":
                entry = Entry(lines=[line])
                state = "id"
            else:
                outside.append(line)
            continue
        assert entry is not None
        entry.lines.append(line)
        if line.oversized or line.damaged_at is not None:
            if state == "id":
                state = "headers"
            continue
        if state == "id":
            match = _ID_LINE.match(text.strip())
            if match is None:
                # a "\\" line that does not start an entry: keep it outside
                outside.extend(entry.lines)
                entry, state = None, "outside"
                continue
            entry.arxiv_id = arxiv_id_from(match["id"]) or match["id"]
            entry.note = match["note"]
            state = "headers"
        elif state == "headers":
            end = _END.match(text)
            if end:  # a replacement: no abstract
                entry.complete = True
                yield outside, entry
                outside, entry, state = [], None, "outside"
            elif text.strip() == "\\\\":
                state = "abstract"
            else:
                _header_line(entry, text)
        elif state == "abstract":
            if text.startswith("\\\\"):
                entry.complete = True
                yield outside, entry
                outside, entry, state = [], None, "outside"
            else:
                entry.abstract.append(text)
    if entry is not None:
        yield outside, entry  # incomplete: the text ended inside it
        outside = []
    yield outside, None


def _header_line(entry: Entry, text: str) -> None:
    replaced = _REPLACED.match(text.strip())
    if replaced:
        entry.replaced = replaced["date"]
        return
    if text[:1].isspace() and entry.headers:
        # a continuation line of the previous header (wrapped titles, author lists)
        last = next(reversed(entry.headers))
        entry.headers[last] += " " + text.strip()
        return
    match = _HEADER.match(text)
    if match:
        entry.headers.setdefault(match["key"].strip(), match["value"].strip())


def entry_record(
    entry: Entry,
    *,
    source: str,
    position: int,
    format_name: str,
    listing_date_text: str | None,
    listing_date: dt.date | None,
) -> RawRecord | RecordProblem:
    """A record from an entry, or the reason it cannot be one."""
    first = entry.lines[0]
    last = entry.lines[-1]
    damaged = next((ln for ln in entry.lines if ln.damaged_at is not None), None)
    oversized = next((ln for ln in entry.lines if ln.oversized), None)

    def problem(reason: str, detail: str, byte_offset: int | None = None) -> RecordProblem:
        return RecordProblem(
            source, position, reason, detail, stage="read", line=first.number,
            byte_offset=byte_offset if byte_offset is not None else first.byte_start,
            raw=printable("\n".join(ln.text for ln in entry.lines)),
        )  # fmt: skip

    if oversized is not None:
        return problem("record_too_large", "a line longer than the record size cap")
    if damaged is not None:
        return problem(
            "invalid_utf8",
            f"bytes that are not valid UTF-8 at byte offset {damaged.damaged_at}",
            damaged.damaged_at,
        )
    if not entry.complete:
        return problem("truncated_entry", "the text ends inside this entry")
    title = clean_text(collapse_spaces(entry.headers.get("Title", "")))
    if not title:
        return problem("missing_title", "an entry with no Title line")
    abstract = clean_text(unwrap("\n".join(entry.abstract))) if entry.abstract else None
    comments = clean_text(collapse_spaces(entry.headers.get("Comments", "")))
    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=abstract or None,
        start=first.char_start,
        end=last.char_end,
        line=first.number,
        listing_date_text=listing_date_text,
        listing_date=listing_date,
        arxiv_id=arxiv_id_from(entry.arxiv_id),
        authors=[clean_text(a) for a in split_authors(entry.headers.get("Authors", ""))],
        links=urls_in_text(comments, "comments") if comments else [],
        format=format_name,
    )


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    date_text: str | None = None
    date: dt.date | None = None
    position = 0
    for preamble, entry in entries(source_lines(source)):
        if date_text is None:
            for line in preamble:
                if line.text.startswith("Date:"):
                    date_text = line.text[len("Date:") :].strip()
                    date = parse_date(date_text)
                    break
        if entry is None:
            continue
        position += 1
        yield entry_record(
            entry,
            source=source.name,
            position=position,
            format_name=FORMAT.name,
            listing_date_text=date_text,
            listing_date=date,
        )


FORMAT = Format(
    name="arxiv_mailing",
    description="arXiv 'new submissions' mailing text (entries between \\\\ lines)",
    sniff=sniff,
    read=read,
)
