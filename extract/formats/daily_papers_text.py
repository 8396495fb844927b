"""The Daily Papers page copied as text: chrome, date lines, then title + abstract pairs.

Also a page copied whole from the browser, with the site's navigation and each paper
card's vote count, submitter and author count (see :mod:`extract.split`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from ..read import HEAD_BYTES, Source, head, source_lines, utf8_head
from ..records import InputRejectedError, RawRecord, RecordProblem
from ..split import date_from_name, split_page
from .base import Format, ReadOptions

_MARKERS = re.compile(
    rb"^(?:Daily Papers|by\s*AK and the research community|Subscribe|"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2})\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_STRUCTURED = re.compile(rb"^\s*(?:[{\[<]|\|)")
# Markdown that other readers own: headings, tables, links, bold titles with bullets
_MARKDOWN = re.compile(rb"^(?:#{1,6} |\|.*\|\s*$|\*\*[^*\n]+\*\*\s*$)|\]\(https?://", re.MULTILINE)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|script)\b[^>]*>", re.IGNORECASE)


def sniff(head: bytes, name: str) -> float:
    text = head.lstrip(b"\xef\xbb\xbf")
    if _STRUCTURED.match(text):
        return 0.1  # JSON, XML/HTML or a markdown table: another reader's
    if len(_MARKDOWN.findall(text)) >= 2 or text.lstrip()[:2] == b"# ":
        return 0.15
    if _MARKERS.search(text):
        return 0.9
    # Paragraphs separated by blank lines, with a short line before a long one.
    paragraphs = [p for p in re.split(rb"\r?\n\s*\r?\n|\r\s*\r", text) if p.strip()]
    pairs = sum(
        1
        for a, b in pairwise(paragraphs)
        if len(a) < 300 and b"\n" not in a.strip() and len(b) > 2 * len(a)
    )
    return 0.6 if pairs else 0.2


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    first = utf8_head(head(source, HEAD_BYTES))
    if len(_HTML.findall(first[:4096])) >= 2:
        raise InputRejectedError(
            "html_not_text",
            "an HTML page where page text was expected; copy the page as text, or let "
            "extract detect the format (a saved Hugging Face page is read as HTML)",
        )
    yield from split_page(
        source_lines(source),
        source.name,
        year=options.year,
        file_date=date_from_name(source.file_name),
        format_name=FORMAT.name,
    )


FORMAT = Format(
    name="daily_papers_text",
    description="Hugging Face Daily Papers page copied as text (title line, blank line, abstract)",
    sniff=sniff,
    read=read,
)
