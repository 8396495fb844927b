"""Awesome lists in Markdown: curated papers with their Paper / Code / Homepage links.

Two layouts, often in one file:

- a bold title line followed by labelled link bullets (Papers-with-Code lists)::

      **Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering**

      - Homepage: https://city-super.github.io/scaffold-gs/
      - Paper: https://arxiv.org/abs/2312.00109
      - Code: https://github.com/city-super/Scaffold-GS

- a paper title linked to arXiv, in a table row or a bullet, with other links beside
  it: ``| 2017-06 | Transformers | [Attention Is All You Need](https://arxiv.org/...) |``.

Only entries that are papers become records: a bold title with a Paper, Code or
Homepage bullet, or a link to an arXiv paper. Links to tools, courses or other lists
are the list's own content, not papers, and are not records. Code and Homepage links
become ``code`` and ``project`` links. Read line by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..read import Line, Source, source_lines
from ..records import FieldLink, RawRecord, RecordProblem, clean_text, printable
from .base import Format, ReadOptions
from .fields import arxiv_id_in_url, field_link, link_kind
from .markdown import LINK, links, plain, urls

_BOLD_TITLE = re.compile(r"^\s*\*\*(?P<title>[^*].*?)\*\*\s*$")
# "- Code: https://...", also with the typos real lists have ("- Paper- :", "- Homeoage:")
_LABELLED = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<label>[^\s:：*\[<#|/][^:：\[\]/]{0,30}?)\s*[:：]\s*(?P<value>.*)$"
)
_LABELLED_NO_COLON = re.compile(
    r"^\s*[-*+]\s+(?P<label>[A-Za-z][\w -]{0,30}?)\s+(?P<value>https?://\S+.*)$"
)
_PAPER_LABELS = ("paper", "arxiv", "pdf")
_NO_VALUE = re.compile(r"^\s*(?:none|null|n/a|-|tbd|coming soon)?\s*$", re.IGNORECASE)
_GENERIC_TEXT = re.compile(r"^(?:paper|arxiv|pdf|abs|link|here|\[?\d+\]?)$", re.IGNORECASE)
_ARXIV_LINK = re.compile(r"\]\(https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)


_BLOCK_START = re.compile(
    r"^\*\*[^*\n]+\*\*[ \t]*\r?\n(?:[ \t]*\r?\n)?[-*+][ \t]+(?:Paper|Code|Homepage|Project)\s*:",
    re.MULTILINE | re.IGNORECASE,
)


def sniff(head: bytes, name: str) -> float:
    text = head.decode("utf-8", "replace")
    blocks = len(_BLOCK_START.findall(text))
    if blocks >= 1:
        return 0.9
    arxiv_links = len(_ARXIV_LINK.findall(text))
    markdown = bool(re.search(r"^#{1,6}\s|^\s*[-*]\s+\[", text, re.MULTILINE))
    if arxiv_links >= 1 and markdown:
        return 0.7
    return 0.0


@dataclass
class _Block:
    title_line: Line
    lines: list[Line] = field(default_factory=list)
    labelled: list[tuple[str, str]] = field(default_factory=list)


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    position = 0
    block: _Block | None = None
    in_code = False
    for line in source_lines(source):
        text = line.text
        if not line.oversized and text.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        if block is not None:
            labelled = None if line.oversized else _labelled(text)
            if labelled is not None:
                block.lines.append(line)
                block.labelled.append(labelled)
                continue
            if not line.oversized and not text.strip():
                continue  # blank lines between a title and its bullets, or between bullets
            if block.labelled:
                position += 1
                yield _block_record(source.name, position, block)
            block = None
        if line.oversized or line.damaged_at is not None:
            if line.oversized or _ARXIV_LINK.search(text):
                position += 1
                yield _problem(source.name, position, line)
            continue
        bold = _BOLD_TITLE.match(text)
        if bold and not LINK.search(bold["title"]):
            block = _Block(title_line=line, lines=[line])
            continue
        orphan = _labelled(text)
        if (
            orphan is not None
            and orphan[0].lower().startswith(_PAPER_LABELS)
            and any(arxiv_id_in_url(url) for url in urls(orphan[1]))
        ):
            position += 1
            yield RecordProblem(
                source.name, position, "missing_title",
                "a Paper link with no bold title line before it", stage="read",
                line=line.number, byte_offset=line.byte_start, raw=printable(text),
            )  # fmt: skip
            continue
        for record in _linked_papers(source.name, line):
            position += 1
            yield _with_position(record, position)
    if block is not None and block.labelled:
        position += 1
        yield _block_record(source.name, position, block)


def _labelled(text: str) -> tuple[str, str] | None:
    """(label, value) of a link line of a titled block: a URL, or "None" for no link."""
    for pattern in (_LABELLED, _LABELLED_NO_COLON):
        match = pattern.match(text)
        if match is None or "http" in match["label"].lower():
            continue
        value = match["value"]
        if _NO_VALUE.match(value) or any(True for _ in urls(value)):
            return match["label"].strip(), value
    return None


def _problem(source: str, position: int, line: Line) -> RecordProblem:
    reason = "record_too_large" if line.oversized else "invalid_utf8"
    offset = line.damaged_at if line.damaged_at is not None else line.byte_start
    return RecordProblem(
        source, position, reason,
        "a line longer than the record size cap" if line.oversized
        else f"bytes that are not valid UTF-8 at byte offset {offset}",
        stage="read", line=line.number, byte_offset=offset,
        raw=printable(line.text) if line.text else None,
    )  # fmt: skip


def _with_position(record: RawRecord, position: int) -> RawRecord:
    record.position = position
    return record


def _block_record(source: str, position: int, block: _Block) -> RawRecord | RecordProblem:
    first, last = block.title_line, block.lines[-1]
    bad = next((ln for ln in block.lines if ln.damaged_at is not None), None)
    if bad is not None:
        return _problem(source, position, bad)
    match = _BOLD_TITLE.match(first.text)
    assert match is not None
    title = clean_text(plain(match["title"]))
    arxiv_id = None
    record_links: list[FieldLink] = []
    for label, value in block.labelled:
        key = label.lower()
        for url in urls(value):
            if key.startswith(_PAPER_LABELS):
                arxiv_id = arxiv_id or arxiv_id_in_url(url)
                continue
            link = field_link(url, key.replace(" ", "_"), link_kind(key) or "other")
            if link is not None:
                record_links.append(link)
    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=None,
        start=first.char_start,
        end=last.char_end,
        line=first.number,
        arxiv_id=arxiv_id,
        links=record_links,
        format=FORMAT.name,
    )


def _linked_papers(source: str, line: Line) -> Iterator[RawRecord]:
    """Papers linked to arXiv on one line (a table row or a bullet)."""
    found = links(line.text)
    papers = [link for link in found if arxiv_id_in_url(link.url)]
    if not papers:
        return
    others = [link for link in found if not arxiv_id_in_url(link.url)]
    for paper in papers:
        title = clean_text(plain(paper.text))
        if not title or _GENERIC_TEXT.match(title):
            # "[[Paper](arxiv)]": the title is the rest of the line
            title = clean_text(plain(LINK.sub(" ", line.text).strip(" |-*[]")))
        if not title:
            continue
        record_links = []
        for other in others:
            kind = link_kind(other.text)
            if kind in ("code", "project", "demo", "data"):
                link = field_link(other.url, other.text.strip().lower() or "link", kind)
                if link is not None:
                    record_links.append(link)
        yield RawRecord(
            source=source,
            position=0,
            title=title,
            abstract=None,
            start=line.char_start,
            end=line.char_end,
            line=line.number,
            arxiv_id=arxiv_id_in_url(paper.url),
            links=record_links if len(papers) == 1 else [],
            format=FORMAT.name,
        )


FORMAT = Format(
    name="awesome_list_markdown",
    description="Awesome-list Markdown: bold titles with Paper/Code/Homepage bullets, arXiv links",
    sniff=sniff,
    read=read,
)
