"""arxiv-daily Markdown tables: ``|Publish Date|Title|Authors|PDF|Code|``, one paper a row.

Generated READMEs of daily arXiv trackers: a table per topic under a ``##`` heading,
with the date and title in bold, the first author "et.al.", the arXiv id linked in the
PDF column and a GitHub link (or ``null``) in the Code column, which becomes a ``code``
link. Columns are found by their header names, so the order does not matter. Read line
by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..read import Line, Source, source_lines
from ..records import RawRecord, RecordProblem, clean_text, printable
from .base import Format, ReadOptions
from .fields import arxiv_id_from, arxiv_id_in_url, field_link, parse_date, split_authors
from .markdown import is_separator, links, plain, table_cells, urls

_HEADER = re.compile(
    rb"^\|\s*(?:\*\*)?(?:Publish\s*Date|Date)(?:\*\*)?\s*\|\s*(?:\*\*)?Title(?:\*\*)?\s*\|",
    re.MULTILINE | re.IGNORECASE,
)
_ROW = re.compile(rb"^\|\s*\*\*\d{4}-\d\d-\d\d\*\*\s*\|\s*\*\*", re.MULTILINE)
_ROLES = {
    "date": ("publish date", "date", "published"),
    "title": ("title",),
    "authors": ("authors", "author"),
    "pdf": ("pdf", "paper", "arxiv", "link"),
    "code": ("code", "github", "repo"),
}


def sniff(head: bytes, name: str) -> float:
    if _HEADER.search(head):
        return 0.95
    return 0.85 if len(_ROW.findall(head)) >= 2 else 0.0


def _roles(header: list[str]) -> dict[str, int]:
    names = [plain(cell).lower() for cell in header]
    roles: dict[str, int] = {}
    for role, candidates in _ROLES.items():
        for index, name in enumerate(names):
            if name in candidates and index not in roles.values():
                roles[role] = index
                break
    return roles


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    position = 0
    roles: dict[str, int] | None = None
    previous: Line | None = None
    for line in source_lines(source):
        cells = None if line.oversized else table_cells(line.text)
        if cells is None and not line.oversized:
            roles = None
            previous = line
            continue
        if roles is None:
            # a table starts: its header is the row before the separator
            if not line.oversized and is_separator(line.text) and previous is not None:
                header = table_cells(previous.text) or []
                found = _roles(header)
                roles = found if "title" in found else None
            previous = line
            continue
        previous = line
        position += 1
        yield _row(source.name, position, line, cells or [], roles, options)


def _row(
    source: str,
    position: int,
    line: Line,
    cells: list[str],
    roles: dict[str, int],
    options: ReadOptions,
) -> RawRecord | RecordProblem:
    def problem(reason: str, detail: str, offset: int | None = None) -> RecordProblem:
        return RecordProblem(
            source, position, reason, detail, stage="read", line=line.number,
            byte_offset=offset if offset is not None else line.byte_start,
            raw=printable(line.text) if line.text else None,
        )  # fmt: skip

    if line.oversized:
        return problem("record_too_large", "a line longer than the record size cap")
    if line.damaged_at is not None:
        return problem(
            "invalid_utf8",
            f"bytes that are not valid UTF-8 at byte offset {line.damaged_at}",
            line.damaged_at,
        )

    def cell(role: str) -> str:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    title = clean_text(plain(cell("title")))
    if not title:
        return problem("missing_title", "a table row with an empty Title cell")
    date_text = plain(cell("date")) or None
    pdf = cell("pdf")
    arxiv_id = None
    for url in urls(pdf):
        arxiv_id = arxiv_id_in_url(url)
        if arxiv_id:
            break
    if arxiv_id is None:
        arxiv_id = next((arxiv_id_from(link.text) for link in links(pdf)), None) or arxiv_id_from(
            plain(pdf)
        )
    code_links = []
    for url in urls(cell("code")):
        link = field_link(url, "code", "code")
        if link is not None:
            code_links.append(link)
    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=None,
        start=line.char_start,
        end=line.char_end,
        line=line.number,
        listing_date_text=date_text,
        listing_date=parse_date(date_text, options.year),
        arxiv_id=arxiv_id,
        authors=[clean_text(a) for a in split_authors(plain(cell("authors"))) if clean_text(a)],
        links=code_links,
        format=FORMAT.name,
    )


FORMAT = Format(
    name="arxiv_daily_markdown",
    description="arxiv-daily Markdown tables (|Publish Date|Title|Authors|PDF|Code|)",
    sniff=sniff,
    read=read,
)
