"""arXiv API responses: an Atom feed of ``<entry>`` elements, one per paper.

Also reads a recorded API response (a JSON "cassette" with ``url``, ``status_code`` and
the feed in ``body``), as HTTP-recording test tools save them: people who build on the
arXiv API keep those, and the feed inside is the same. Offsets then index the body.

Each entry is parsed on its own, inside a wrapper that carries the feed's namespace
declarations, so a damaged or truncated entry is rejected alone and the others are
kept. XML safety: a document type declaration is refused (no entity can be defined, so
none can expand), expat never loads external entities, and nothing is fetched.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..read import Document, Source, read_document
from ..records import (
    InputRejectedError,
    RawRecord,
    RecordProblem,
    clean_text,
    collapse_spaces,
    printable,
    unwrap,
)
from .base import Format, ReadOptions
from .fields import arxiv_id_from, parse_date, urls_in_text
from .json_spans import LineCounter

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_ROOT = re.compile(r"<(?P<name>(?:[\w.-]+:)?feed)\b(?P<attrs>[^>]*)>")
_XMLNS = re.compile(r"""\bxmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')""")
_ENTRY_OPEN = re.compile(r"<(?P<prefix>[\w.-]+:)?entry\b[^>]*>")
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def sniff(head: bytes, name: str) -> float:
    text = head.lstrip()
    if text[:1] == b"{":
        return 0.95 if b'"body"' in text and (b"<feed" in text or b"\\u003cfeed" in text) else 0.0
    if text[:1] != b"<":
        return 0.0
    if b"<feed" in text and (ATOM.encode() in text or b"<entry" in text):
        return 0.95
    return 0.1


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    document = read_document(source)
    text = document.text
    if text.lstrip()[:1] == "{":
        text = _cassette_body(text)
        document = Document(text)
    yield from _feed(source.name, document)


def _cassette_body(text: str) -> str:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise InputRejectedError(
            "invalid_json", "a recorded response that is not valid JSON"
        ) from None
    body = value.get("body") if isinstance(value, dict) else None
    if isinstance(body, dict):  # some recorders nest it: {"body": {"string": ...}}
        body = body.get("string")
    if not isinstance(body, str) or "<feed" not in body:
        raise InputRejectedError("no_feed", "a recorded response without an Atom feed in 'body'")
    status = value.get("status_code", 200)
    if isinstance(status, int) and status >= 400:
        raise InputRejectedError("api_error", f"a recorded response with HTTP status {status}")
    return body


def _feed(source: str, document: Document) -> Iterator[RawRecord | RecordProblem]:
    text = document.text
    root = _ROOT.search(text)
    if root is None:
        raise InputRejectedError("no_feed", "XML without an Atom <feed> element")
    if _DOCTYPE.search(text, 0, root.start()):
        # Only a document type declaration can define entities; Atom never needs one.
        raise InputRejectedError(
            "xml_doctype", "an XML document type declaration (refused: it can define entities)"
        )
    namespaces = " ".join(m.group() for m in _XMLNS.finditer(root["attrs"]))
    root_name = root["name"]
    lines = LineCounter(text)
    position = 0
    index = root.end()
    while True:
        opening = _ENTRY_OPEN.search(text, index)
        if opening is None:
            return
        prefix = opening["prefix"] or ""
        closing_tag = f"</{prefix}entry>"
        close = text.find(closing_tag, opening.end())
        # an entry that never closes, or whose closing tag is after the next entry's start
        next_open = _ENTRY_OPEN.search(text, opening.end())
        position += 1
        start = opening.start()
        if close < 0 or (next_open is not None and next_open.start() < close):
            end = next_open.start() if next_open is not None else len(text)
            yield _problem(
                source, position, "truncated_entry", "an <entry> that is never closed",
                document, lines, start, text[start:end],
            )  # fmt: skip
            if next_open is None:
                return
            index = next_open.start()
            continue
        end = close + len(closing_tag)
        yield _entry(source, position, document, lines, start, end, namespaces, root_name)
        index = end


def _problem(
    source: str,
    position: int,
    reason: str,
    detail: str,
    document: Document,
    lines: LineCounter,
    at: int,
    raw: str,
) -> RecordProblem:
    return RecordProblem(
        source, position, reason, detail, stage="read", line=lines.line(at),
        byte_offset=document.byte_offset(at), raw=printable(raw),
    )  # fmt: skip


def _entry(
    source: str,
    position: int,
    document: Document,
    lines: LineCounter,
    start: int,
    end: int,
    namespaces: str,
    root_name: str,
) -> RawRecord | RecordProblem:
    text = document.text
    segment = text[start:end]
    damage = next((i for i, c in enumerate(segment) if "\udc80" <= c <= "\udcff"), None)
    if damage is not None:
        at = start + damage
        return _problem(
            source, position, "invalid_utf8",
            f"bytes that are not valid UTF-8 at byte offset {document.byte_offset(at)}",
            document, lines, at, segment,
        )  # fmt: skip
    wrapped = f"<{root_name} {namespaces}>{segment}</{root_name}>"
    try:
        parser = ET.XMLParser()
        parser.feed(wrapped)
        feed = parser.close()
    except (ET.ParseError, UnicodeError, ValueError) as exc:
        return _problem(
            source, position, "invalid_xml", f"the entry is not well-formed XML: {exc}",
            document, lines, start, segment,
        )  # fmt: skip
    entry = feed[0]
    ns = {"a": ATOM, "arxiv": ARXIV}

    def child_text(path: str) -> str:
        element = entry.find(path, ns)
        return "".join(element.itertext()) if element is not None else ""

    entry_id = child_text("a:id").strip()
    title = clean_text(collapse_spaces(child_text("a:title")))
    if "/api/errors" in entry_id or title == "Error":
        return _problem(
            source, position, "api_error",
            f"the API answered with an error: {collapse_spaces(child_text('a:summary'))}",
            document, lines, start, segment,
        )  # fmt: skip
    if not title:
        return _problem(
            source, position, "missing_title", "an entry with no title",
            document, lines, start, segment,
        )  # fmt: skip
    abstract = clean_text(unwrap(child_text("a:summary")))
    published = child_text("a:published").strip() or child_text("a:updated").strip()
    authors = [
        clean_text(collapse_spaces("".join(name.itertext())))
        for name in entry.findall("a:author/a:name", ns)
    ]
    comment = clean_text(collapse_spaces(child_text("arxiv:comment")))
    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=abstract or None,
        start=start,
        end=end,
        line=lines.line(start),
        listing_date_text=published or None,
        listing_date=parse_date(published),
        arxiv_id=arxiv_id_from(entry_id),
        authors=[a for a in authors if a],
        links=urls_in_text(comment, "comment") if comment else [],
        format=FORMAT.name,
    )


FORMAT = Format(
    name="arxiv_atom",
    description="arXiv API Atom XML (also a recorded response with the feed in 'body')",
    sniff=sniff,
    read=read,
)
