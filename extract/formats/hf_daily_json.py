"""Hugging Face Daily Papers JSON, in the layouts crawlers save it.

- one object per paper (``{"paper_id", "title", "abstract", ...}``);
- a list of papers, or of API items with the paper nested under ``paper``;
- a day's file: ``{"date", "papers": [...]}``, or ``{"date", "base_info": {id: {...}},
  "arxiv_details": {id: {"abstract", "comments"}}, "hf_votes": {id: n}}``.

A JSON document is parsed whole (up to the document cap); each paper's offsets are the
span of its object in the file. A document that breaks part-way (truncated) keeps the
papers before the break and rejects the rest as one record; a file that holds JSON Lines
is read as JSON Lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..read import Document, Source, read_document
from ..records import InputRejectedError, RawRecord, RecordProblem, printable
from . import json_lines
from .base import Format, ReadOptions
from .fields import FIELD_NAMES, date_from_path, parse_date, record_from_mapping
from .json_spans import JSONBreakError, LineCounter, iter_array, iter_object, skip_ws

#: Object members that hold a list of papers.
PAPER_LISTS = ("papers", "dailyPapers", "daily_papers", "data", "items", "results")
_MARKERS = re.compile(
    rb'"(?:paper_id|arxiv_id|upvotes|githubRepo|github_repo|base_info|arxiv_details|'
    rb'submittedOnDailyAt|paper|papers|dailyPapers|title|abstract|summary)"\s*:'
)


def sniff(head: bytes, name: str) -> float:
    text = head.lstrip()
    if text[:1] not in (b"{", b"["):
        return 0.0
    if b'"body"' in text[:2000] and b"<feed" in text:
        return 0.2  # a recorded arXiv API response: arxiv_atom reads it
    return 0.9 if _MARKERS.search(text) else 0.5


@dataclass
class _Context:
    source: Source
    document: Document
    options: ReadOptions
    lines: LineCounter
    defaults: dict[str, Any] = field(default_factory=dict)
    position: int = 0

    def record(self, obj: Mapping[str, Any], start: int, end: int) -> RawRecord | RecordProblem:
        self.position += 1
        return record_from_mapping(
            obj,
            source=self.source.name,
            position=self.position,
            start=start,
            end=end,
            format_name=FORMAT.name,
            line=self.lines.line(start),
            byte_offset=self.document.byte_offset(start),
            columns=self.options.columns,
            defaults=self.defaults,
            year=self.options.year,
        )

    def problem(self, reason: str, detail: str, at: int, raw: str = "") -> RecordProblem:
        self.position += 1
        return RecordProblem(
            self.source.name,
            self.position,
            reason,
            detail,
            stage="read",
            line=self.lines.line(at),
            byte_offset=self.document.byte_offset(at),
            raw=printable(raw) if raw else None,
        )


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    document = read_document(source)
    text = document.text
    start = skip_ws(text, 0)
    if text[start : start + 1] not in ("{", "["):
        raise InputRejectedError("not_json", "the content does not start with '{' or '['")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text[skip_ws(text, exc.pos) :][:1] in ("{", "["):
            # One JSON value per line: JSON Lines under a .json name.
            yield from json_lines.read(source, options)
            return
    except RecursionError:
        raise InputRejectedError("invalid_json", "the JSON is nested too deeply") from None
    context = _Context(source, document, options, LineCounter(text))
    file_date = date_from_path(source.name)
    if file_date is not None:
        context.defaults.update(date=file_date, date_text=file_date.isoformat())
    produced = 0
    try:
        walk = _array(context, start) if text[start : start + 1] == "[" else _object(context, start)
        for item in walk:
            produced += 1
            yield item
    except JSONBreakError as exc:
        where = f"line {context.lines.line(exc.position)}"
        detail = f"the JSON breaks at {where} ({exc.message})"
        if produced == 0:
            raise InputRejectedError("invalid_json", detail) from None
        tail = text[exc.position : exc.position + 200]
        yield context.problem(
            "truncated_json", detail + "; the papers before it are kept", exc.position, tail
        )


def _array(context: _Context, start: int) -> Iterator[RawRecord | RecordProblem]:
    for value, item_start, item_end in iter_array(context.document.text, start):
        yield _item(context, value, item_start, item_end)


def _item(context: _Context, value: Any, start: int, end: int) -> RawRecord | RecordProblem:
    if not isinstance(value, dict):
        return context.problem(
            "not_a_paper", f"a JSON {type(value).__name__} where a paper object was expected",
            start, json.dumps(value, ensure_ascii=False)[:500],
        )  # fmt: skip
    paper = value.get("paper")
    if isinstance(paper, dict):
        # An API item: the paper's own fields win over the item's.
        value = {**{k: v for k, v in value.items() if k != "paper"}, **paper}
    return context.record(value, start, end)


def _object(context: _Context, start: int) -> Iterator[RawRecord | RecordProblem]:
    text = context.document.text
    members: dict[str, tuple[Any, int, int]] = {}
    broken: JSONBreakError | None = None
    try:
        for key, value, value_start, value_end in iter_object(text, start):
            members[key] = (value, value_start, value_end)
    except JSONBreakError as exc:
        broken = exc
    day = members.get("date")
    if day is not None and isinstance(day[0], str) and parse_date(day[0]):
        context.defaults.update(date=parse_date(day[0]), date_text=day[0])

    list_key = next(
        (k for k in PAPER_LISTS if k in members and isinstance(members[k][0], list)), None
    )
    if broken is not None and broken.key in PAPER_LISTS and broken.value_start is not None:
        if text[broken.value_start : broken.value_start + 1] == "[":
            yield from _array(context, broken.value_start)  # raises the break again
        raise broken
    if list_key is not None:
        yield from _array(context, members[list_key][1])
    elif "base_info" in members or (broken is not None and broken.key == "base_info"):
        yield from _base_info(context, members, broken)
    elif _is_paper(members):
        if broken is not None:
            raise broken
        value = {key: item[0] for key, item in members.items()}
        end = skip_ws(text, max((item[2] for item in members.values()), default=start)) + 1
        yield _item(context, value, start, min(end, len(text)))
    elif broken is not None:
        raise broken
    else:
        keys = ", ".join(sorted(members)[:10])
        raise InputRejectedError(
            "no_papers",
            f"a JSON object with no papers in a layout extract knows (keys: {keys})",
        )
    if broken is not None:
        raise broken


def _is_paper(members: Mapping[str, Any]) -> bool:
    names = {key.lower() for key in members}
    return "paper" in names or any(name in names for name in FIELD_NAMES["title"])


def _base_info(
    context: _Context, members: dict[str, tuple[Any, int, int]], broken: JSONBreakError | None
) -> Iterator[RawRecord | RecordProblem]:
    """The per-day layout keyed by arXiv id: titles in ``base_info``, abstracts and
    comments in ``arxiv_details``, votes in ``base_info`` or ``hf_votes``."""
    text = context.document.text
    details = members.get("arxiv_details", ({}, 0, 0))[0]
    votes = members.get("hf_votes", ({}, 0, 0))[0]
    details = details if isinstance(details, dict) else {}
    votes = votes if isinstance(votes, dict) else {}
    if "base_info" in members:
        start = members["base_info"][1]
    else:
        assert broken is not None and broken.value_start is not None
        start = broken.value_start
    if text[start : start + 1] != "{":
        raise InputRejectedError("no_papers", "'base_info' is not an object of papers")
    for paper_id, value, value_start, value_end in iter_object(text, start):
        if not isinstance(value, dict):
            yield _item(context, value, value_start, value_end)
            continue
        found = details.get(paper_id)
        extra: dict[str, Any] = found if isinstance(found, dict) else {}
        merged: dict[str, Any] = {"arxiv_id": paper_id, **value}
        if not merged.get("abstract") and extra.get("abstract"):
            merged["abstract"] = extra["abstract"]
        if extra.get("comments"):
            merged["comments"] = extra["comments"]
        if merged.get("votes") is None and paper_id in votes:
            merged["votes"] = votes[paper_id]
        yield context.record(merged, value_start, value_end)


FORMAT = Format(
    name="hf_daily_json",
    description="Hugging Face Daily Papers JSON: a paper, a list, API items or a day's file",
    sniff=sniff,
    read=read,
)
