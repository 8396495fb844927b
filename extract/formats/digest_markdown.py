"""Markdown paper digests: a heading per paper, labelled bullets, the abstract in
``<details>``::

    # Selected papers - 2026-06-14
    ### 1. **[Dense Supervision, Sparse Updates: ...](https://arxiv.org/abs/2606.13657v1)**
    - **Score**: 82/100 | **Date**: 2026-06-11
    - **Authors**: Guo Yu, Wenlin Liu, Yulan Hu et al.
    <details>
    <summary>Original abstract</summary>

    On-policy distillation ...
    </details>

A paper starts at a ``###`` heading whose text is a title (linked or not) and ends at
the next heading. Bullet labels are recognised in English and Chinese (作者 authors,
日期 date). The listing date is the digest's: a date in its first heading or its file
name. Read line by line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..read import Line, Source, source_lines
from ..records import FieldLink, RawRecord, RecordProblem, clean_text, printable, unwrap
from .base import Format, ReadOptions
from .fields import (
    arxiv_id_in_url,
    date_from_path,
    field_link,
    link_kind,
    parse_date,
    split_authors,
)
from .markdown import links, plain, urls

_PAPER_HEADING = re.compile(r"^#{3,4}\s+(?:\d+[.)]\s*)?(?P<title>\S.*?)\s*#*\s*$")
_ANY_HEADING = re.compile(r"^#{1,6}\s")
_BULLET = re.compile(r"^\s*[-*+]\s+\*\*(?P<label>[^*]{1,40}?)\*\*\s*[:：]\s*(?P<value>.*)$")
_AUTHOR_LABELS = ("authors", "author", "作者")
_CODE_LABELS = ("code", "github", "代码", "项目", "project", "homepage", "主页")


@dataclass
class _Paper:
    heading: Line
    lines: list[Line] = field(default_factory=list)
    bullets: dict[str, str] = field(default_factory=dict)
    abstract: list[str] = field(default_factory=list)
    in_details: bool = False


def sniff(head: bytes, name: str) -> float:
    text = head.decode("utf-8", "replace")
    headings = len(re.findall(r"^###\s+\d+[.)]\s*\*\*\[", text, re.MULTILINE))
    details = text.count("<details>")
    if headings >= 1 and details >= 1:
        return 0.93
    return 0.4 if headings >= 2 else 0.0


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    listing: dt.date | None = date_from_path(source.name)
    listing_text = listing.isoformat() if listing else None
    seen_first_heading = False
    position = 0
    paper: _Paper | None = None
    for line in source_lines(source):
        text = line.text
        heading = None if line.oversized else _PAPER_HEADING.match(text)
        if not line.oversized and _ANY_HEADING.match(text):
            if not seen_first_heading:
                seen_first_heading = True
                found = parse_date(text)
                if found is not None:
                    listing, listing_text = found, found.isoformat()
            if paper is not None:
                position += 1
                yield _record(source.name, position, paper, listing, listing_text)
                paper = None
            if heading is not None:
                paper = _Paper(heading=line, lines=[line])
            continue
        if paper is None:
            continue
        paper.lines.append(line)
        if line.oversized or line.damaged_at is not None:
            continue
        stripped = text.strip()
        if stripped.startswith("<details"):
            paper.in_details = True
            continue
        if stripped.startswith("</details"):
            paper.in_details = False
            continue
        if paper.in_details:
            if not stripped.startswith("<summary"):
                paper.abstract.append(text)
            continue
        bullet = _BULLET.match(text)
        if bullet:
            # "- **Score**: 82/100 | **Date**: 2026-06-11" holds two labelled values
            for part in re.split(r"\s\|\s(?=\*\*)", f"**{bullet['label']}**: {bullet['value']}"):
                match = re.match(r"\*\*(?P<label>[^*]+)\*\*\s*[:：]\s*(?P<value>.*)", part)
                if match:
                    paper.bullets[match["label"].strip().lower()] = match["value"].strip()
    if paper is not None:
        position += 1
        yield _record(source.name, position, paper, listing, listing_text)


def _record(
    source: str,
    position: int,
    paper: _Paper,
    listing: dt.date | None,
    listing_text: str | None,
) -> RawRecord | RecordProblem:
    first, last = paper.lines[0], paper.lines[-1]
    while len(paper.lines) > 1 and not last.text.strip():
        paper.lines.pop()
        last = paper.lines[-1]
    bad = next((ln for ln in paper.lines if ln.oversized or ln.damaged_at is not None), None)
    if bad is not None:
        reason = "record_too_large" if bad.oversized else "invalid_utf8"
        offset = bad.damaged_at if bad.damaged_at is not None else bad.byte_start
        return RecordProblem(
            source, position, reason,
            "a line longer than the record size cap" if bad.oversized
            else f"bytes that are not valid UTF-8 at byte offset {offset}",
            stage="read", line=first.number, byte_offset=offset,
            raw=printable("\n".join(ln.text for ln in paper.lines)),
        )  # fmt: skip
    match = _PAPER_HEADING.match(first.text)
    assert match is not None
    heading_links = links(match["title"])
    title = clean_text(plain(match["title"]))
    if not title:
        return RecordProblem(
            source, position, "missing_title", "a paper heading with no title",
            stage="read", line=first.number, byte_offset=first.byte_start,
        )  # fmt: skip
    arxiv_id = None
    for link in heading_links:
        arxiv_id = arxiv_id_in_url(link.url)
        if arxiv_id:
            break
    authors: list[str] = []
    record_links: list[FieldLink] = []
    for label, value in paper.bullets.items():
        if label in _AUTHOR_LABELS:
            authors = [clean_text(a) for a in split_authors(plain(value)) if clean_text(a)]
        elif arxiv_id is None and "arxiv" in label:
            arxiv_id = next((arxiv_id_in_url(u) for u in urls(value) if arxiv_id_in_url(u)), None)
        elif any(key in label for key in _CODE_LABELS):
            for url in urls(value):
                found = field_link(url, label, link_kind(label) or "other")
                if found is not None:
                    record_links.append(found)
    abstract = clean_text(unwrap("\n".join(paper.abstract))) if paper.abstract else None
    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=abstract or None,
        start=first.char_start,
        end=last.char_end,
        line=first.number,
        listing_date_text=listing_text,
        listing_date=listing,
        arxiv_id=arxiv_id,
        authors=authors,
        links=record_links,
        format=FORMAT.name,
    )


FORMAT = Format(
    name="digest_markdown",
    description="Markdown digests: a ### heading per paper, bullets, abstract in <details>",
    sniff=sniff,
    read=read,
)
