"""Small Markdown helpers the Markdown readers share: links, emphasis, table rows.

Only what listings use, with character-class regexes that run in linear time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

LINK = re.compile(r"\[(?P<text>[^\]\n]{0,2000})\]\((?P<url>[^()\s]{1,2000})(?:\s+\"[^\"\n]*\")?\)")
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`|\[\]()]+", re.IGNORECASE)
# paired emphasis only, so a title's own "*" ("V*: ...") stays; bounded, so linear
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,1000}?)(?<=\S)\1")
# single "_" is left alone: titles hold LaTeX subscripts ("EuFe$_2$(As$_{1-x}$...")
_EMPHASIS = re.compile(r"(?<![\w*])([*`])(?=[^\s*`])(.{1,1000}?)(?<=[^\s*`])\1(?![\w*])")
_LEFTOVER_STRONG = re.compile(r"\*\*")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def links(text: str) -> list[Link]:
    """The ``[text](url)`` links of a line, in order."""
    return [Link(m["text"], m["url"]) for m in LINK.finditer(text)]


def plain(text: str) -> str:
    """Markdown text without emphasis, links (their text kept) or inline HTML tags."""
    text = LINK.sub(lambda m: m["text"], text)
    text = _HTML_TAG.sub("", text)
    text = _STRONG.sub(lambda m: m[2], text)
    text = _EMPHASIS.sub(lambda m: m[2], text)
    text = _LEFTOVER_STRONG.sub("", text)
    return " ".join(html.unescape(text).split())


def table_cells(line: str) -> list[str] | None:
    """The cells of a Markdown table row, or None when the line is not one."""
    stripped = line.strip()
    if not stripped.startswith("|"):
        return None
    inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner)]


_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def is_separator(line: str) -> bool:
    """True for a table's header separator row (``|---|:---:|``)."""
    return bool(_SEPARATOR.match(line))


def urls(text: str) -> Iterator[str]:
    """Bare URLs and link targets in a piece of Markdown."""
    seen: list[str] = []
    for link in LINK.finditer(text):
        seen.append(link["url"])
    for match in BARE_URL.finditer(LINK.sub(" ", text)):
        seen.append(match.group().rstrip(".,;:!?'\")"))
    yield from seen
