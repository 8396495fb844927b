"""Highlights: the spans of an abstract that rows point at, cut into flat segments.

Spans may overlap (a benchmark named inside a claim's evidence, a metric that is also a
benchmark mention) or nest. Rather than nesting elements, the abstract is cut at every
span boundary; each piece becomes one element listing every span that covers it. The
markup stays flat and valid whatever the overlaps, and the text of a span is the text of
the pieces that list it, in order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Highlight kinds in drawing order (later ones are drawn on top), with their CSS class.
KINDS: dict[str, str] = {
    "url": "hu",
    "subject": "hs",
    "baseline": "hl",
    "benchmark": "hb",
    "metric": "hm",
    "value": "hv",
    "flag": "hf",
    "miss": "hgm",
    "false_positive": "hgf",
}
_ORDER = {kind: i for i, kind in enumerate(KINDS)}

# Characters a strict HTML parser reports as errors (controls other than tab and newline,
# lone surrogates, noncharacters). Each is replaced by U+FFFD one for one, so every
# offset into the text still points at the same place. The noncharacters beyond the
# basic plane have their own pattern: in one class with the rest they make every search
# many times slower, and texts rarely hold any character up there.
_NOT_IN_HTML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_NOT_IN_HTML_ASTRAL = re.compile(
    "["
    + "".join(chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))
    + "]"
)


def html_text(text: str) -> str:
    """``text`` with characters HTML cannot carry replaced one for one by U+FFFD."""
    text = _NOT_IN_HTML.sub("\ufffd", text)
    if not text.isascii() and max(text) > "\uffff":
        text = _NOT_IN_HTML_ASTRAL.sub("\ufffd", text)
    return text


_IDENTIFIER = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Span:
    """A highlighted range of an abstract, produced by one row.

    ``token`` names the row for the page's script (``c3`` is claim 3, ``b7`` benchmark 7);
    ``anchor``, when set, is the element id placed where the span starts, so a link can
    land on it.
    """

    start: int
    end: int
    kind: str
    token: str
    anchor: str | None = None


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[Span, ...]


def check_span(start: object, end: object, length: int) -> str | None:
    """Why ``start``/``end`` cannot be highlighted in a text of ``length``; None when they can."""
    if start is None and end is None:
        return "no offsets"
    if not isinstance(start, int) or not isinstance(end, int):
        return f"offsets {start!r}-{end!r} are not a pair of numbers"
    if not 0 <= start < end <= length:
        return f"offsets {start}-{end} lie outside the abstract (length {length})"
    return None


def segments(length: int, spans: Sequence[Span]) -> list[Segment]:
    """Cut ``range(length)`` at every span boundary; each piece lists the spans covering it."""
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    ordered = sorted(spans, key=_span_key)
    return [
        Segment(a, b, tuple(s for s in ordered if s.start <= a and b <= s.end))
        for a, b in itertools.pairwise(cuts)
        if a < b
    ]


def _span_key(span: Span) -> tuple[int, int, int, str]:
    return (_ORDER.get(span.kind, len(_ORDER)), span.start, span.end, span.token)


def render(text: str, spans: Iterable[Span]) -> Markup:
    """The abstract as HTML: plain text, and a ``<mark>`` per highlighted piece.

    Every span must lie inside the text (see :func:`check_span`). Each mark carries the
    classes of its kinds and, in ``data-r``, the tokens of the rows it belongs to; empty
    anchors mark where linked spans start.
    """
    text = html_text(text)
    spans = list(spans)
    for span in spans:
        if not _IDENTIFIER.fullmatch(span.token) or not _IDENTIFIER.fullmatch(span.anchor or "a"):
            raise ValueError(f"not an identifier: {span.token!r} / {span.anchor!r}")
    anchors: dict[int, list[str]] = {}
    for span in sorted(spans, key=_span_key):
        if span.anchor:
            anchors.setdefault(span.start, []).append(span.anchor)
    parts: list[str] = []
    for piece in segments(len(text), spans):
        # Class names, tokens and anchors are the report's own identifiers (letters,
        # digits, hyphens); only the text comes from the data, and it is escaped.
        for anchor in anchors.pop(piece.start, ()):
            parts.append(f'<span class="anchor" id="{anchor}"></span>')
        chunk = escape(text[piece.start : piece.end])
        if not piece.spans:
            parts.append(chunk)
            continue
        classes = " ".join(dict.fromkeys(KINDS.get(s.kind, "h") for s in piece.spans))
        tokens = " ".join(dict.fromkeys(s.token for s in piece.spans))
        parts.append(f'<mark class="{classes}" data-r="{tokens}">{chunk}</mark>')
    return Markup("".join(parts))
