"""A saved Hugging Face paper page (``huggingface.co/papers/<id>``) or Daily Papers page, as HTML.

The page embeds its data as JSON in ``data-props`` attributes: a paper page holds
``{"paper": {...}}`` (title, authors, abstract as ``summary``, ``githubRepo``,
``projectPage``, ``upvotes``...), a Daily Papers page ``{"dailyPapers": [...]}``. That
JSON is read first, with the fields of :mod:`.hf_daily_json`. A page saved without it
falls back to what a reader sees: the ``<h1>`` title, the paragraphs under the
"Abstract" heading, and the links of the "Project page" and GitHub buttons.

Parsed with the standard library's ``html.parser``; no script runs, nothing is
fetched. A record's offsets span the element its data came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from ..read import Source, read_document
from ..records import (
    FieldLink,
    InputRejectedError,
    RawRecord,
    RecordProblem,
    clean_text,
    collapse_spaces,
    has_surrogates,
    printable,
    unwrap,
)
from .base import Format, ReadOptions
from .fields import arxiv_id_from, arxiv_id_in_url, field_link, record_from_mapping

_HTML = re.compile(rb"<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_HF = re.compile(rb"huggingface\.co/papers|data-props=|hf\.co/papers", re.IGNORECASE)


def sniff(head: bytes, name: str) -> float:
    if not _HTML.search(head[:4096]):
        return 0.0
    return 0.95 if _HF.search(head) else 0.0


class _Page(HTMLParser):
    """Collects the parts of a paper page: embedded JSON, title, abstract, buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.props: list[dict[str, Any]] = []
        self.h1: list[str] = []
        self.og_title: str | None = None
        self.og_url: str | None = None
        self.abstract: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self._in_h1 = False
        self._h2: list[str] | None = None
        self._in_abstract = False
        self._paragraph: list[str] | None = None
        self._paragraph_classes = ""
        self._anchor: list[str] | None = None
        self._anchor_href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "data-props" in values:
            try:
                props = json.loads(values["data-props"])
            except (ValueError, RecursionError):
                props = None
            if isinstance(props, dict):
                self.props.append(props)
        if tag == "meta":
            prop = values.get("property", "")
            if prop == "og:title":
                self.og_title = values.get("content")
            elif prop == "og:url":
                self.og_url = values.get("content")
        elif tag == "h1":
            self._in_h1 = True
        elif tag in ("h2", "h3"):
            self._in_abstract = False
            self._h2 = [] if tag == "h2" else None
        elif tag == "p" and self._in_abstract:
            self._paragraph, self._paragraph_classes = [], values.get("class", "")
        elif tag == "a":
            if "btn" in values.get("class", "").split():
                self._in_abstract = False  # the arXiv / PDF / GitHub buttons end it
            self._anchor, self._anchor_href = [], values.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False
        elif tag == "h2" and self._h2 is not None:
            self._in_abstract = collapse_spaces("".join(self._h2)).lower() == "abstract"
            self._h2 = None
        elif tag == "p" and self._paragraph is not None:
            text = collapse_spaces("".join(self._paragraph))
            # the AI-written summary sits in a coloured box above the abstract
            if text and "blue" not in self._paragraph_classes:
                self.abstract.append(text)
            self._paragraph = None
        elif tag == "a" and self._anchor is not None:
            self.anchors.append((self._anchor_href, collapse_spaces("".join(self._anchor))))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        for sink in (self.h1 if self._in_h1 else None, self._h2, self._paragraph, self._anchor):
            if sink is not None:
                sink.append(data)


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    document = read_document(source)
    text = document.text
    page = _Page()
    try:
        page.feed(text)
        page.close()
    except (AssertionError, ValueError) as exc:  # pragma: no cover - html.parser is lenient
        raise InputRejectedError("invalid_html", f"the page cannot be parsed: {exc}") from None
    span = (0, len(text))
    papers = [props["paper"] for props in page.props if isinstance(props.get("paper"), dict)]
    daily = next(
        (
            props["dailyPapers"]
            for props in page.props
            if isinstance(props.get("dailyPapers"), list)
        ),
        None,
    )
    position = 0
    if papers:
        paper = dict(papers[0])
        position += 1
        yield record_from_mapping(
            paper, source=source.name, position=position, start=span[0], end=span[1],
            format_name=FORMAT.name, line=1, byte_offset=document.byte_base,
            columns=options.columns, year=options.year,
        )  # fmt: skip
        return
    if daily is not None:
        for item in daily:
            position += 1
            if not isinstance(item, dict):
                yield RecordProblem(
                    source.name, position, "not_a_paper",
                    f"a {type(item).__name__} in the page's list of papers", stage="read",
                )  # fmt: skip
                continue
            nested = item.get("paper")
            value = (
                {**{k: v for k, v in item.items() if k != "paper"}, **nested}
                if isinstance(nested, dict)
                else item
            )
            yield record_from_mapping(
                value, source=source.name, position=position, start=span[0], end=span[1],
                format_name=FORMAT.name, line=1, byte_offset=document.byte_base,
                columns=options.columns, year=options.year,
            )  # fmt: skip
        return
    yield from _from_markup(source, page, span)


def _from_markup(
    source: Source, page: _Page, span: tuple[int, int]
) -> Iterator[RawRecord | RecordProblem]:
    title = clean_text(collapse_spaces("".join(page.h1))) or clean_text(
        collapse_spaces(re.sub(r"^Paper page - ", "", page.og_title or ""))
    )
    if not title:
        raise InputRejectedError("no_papers", "a Hugging Face page with no paper title or data")
    links: list[FieldLink] = []
    arxiv_id = arxiv_id_in_url(page.og_url or "")
    for href, label in page.anchors:
        lowered = label.lower()
        if "arxiv.org" in href and arxiv_id is None:
            arxiv_id = arxiv_id_in_url(href)
        elif lowered == "project page":
            link = field_link(href, "project_page", "project")
            if link:
                links.append(link)
        elif re.match(r"https?://github\.com/[^/]+/[^/]+/?$", href) and "github" in lowered + href:
            link = field_link(href, "github_repo", "code")
            if link and all(existing.url != link.url for existing in links):
                links.append(link)
    abstract = clean_text(unwrap("\n\n".join(page.abstract))) or None
    damaged = next((t for t in (title, abstract or "") if has_surrogates(t)), None)
    if damaged is not None:
        yield RecordProblem(
            source.name, 1, "invalid_utf8",
            "bytes that are not valid UTF-8 in the page's title or abstract",
            stage="read", line=1, raw=printable(damaged),
        )  # fmt: skip
        return
    yield RawRecord(
        source=source.name,
        position=1,
        title=title,
        abstract=abstract,
        start=span[0],
        end=span[1],
        line=1,
        arxiv_id=arxiv_id or arxiv_id_from(page.og_url),
        links=links,
        format=FORMAT.name,
    )


FORMAT = Format(
    name="hf_paper_page",
    description="A saved Hugging Face paper page or Daily Papers page (HTML)",
    sniff=sniff,
    read=read,
)
