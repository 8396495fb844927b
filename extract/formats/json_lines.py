"""JSON Lines: one paper object per line, in any of the field layouts extract knows.

Read as a stream, line by line, so a file of any size is never held in memory. Field
names are looked up under their usual names (``title``, ``abstract``/``summary``,
``arxiv_id``/``paper_id``, ``authors``, ``date``, ``upvotes``, ``github_repo``,
``project_page``...) or the columns given with ``--column``. A line that is not valid
JSON, not an object or has no title is rejected alone, with its line and byte offset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..read import Line, Source, source_lines
from ..records import RawRecord, RecordProblem, printable
from .base import Format, ReadOptions
from .fields import date_from_path, record_from_mapping

_OBJECT_LINE = re.compile(rb"^[ \t]*\{.*\}[ \t]*\r?$", re.MULTILINE)


def sniff(head: bytes, name: str) -> float:
    lines = [line for line in head.splitlines()[:50] if line.strip()]
    if len(lines) < 2 or not lines[0].lstrip().startswith(b"{"):
        return 0.6 if lines and name.endswith((".jsonl", ".ndjson")) else 0.0
    complete = [line for line in lines[:-1] if _OBJECT_LINE.match(line)]
    if len(complete) < max(1, len(lines[:-1]) // 2):
        return 0.1
    try:
        first = json.loads(complete[0])
    except ValueError:
        return 0.1
    return 0.95 if isinstance(first, dict) else 0.1


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    file_date = date_from_path(source.name)
    defaults: dict[str, Any] = {}
    if file_date is not None:
        defaults.update(date=file_date, date_text=file_date.isoformat())
    for position, line, value in objects(source):
        if isinstance(value, RecordProblem):
            yield value
            continue
        paper = value.get("paper")
        if isinstance(paper, dict):
            value = {**{k: v for k, v in value.items() if k != "paper"}, **paper}
        yield record_from_mapping(
            value,
            source=source.name,
            position=position,
            start=line.char_start,
            end=line.char_end,
            format_name=FORMAT.name,
            line=line.number,
            byte_offset=line.byte_start,
            columns=options.columns,
            defaults=defaults,
            year=options.year,
        )


def objects(source: Source) -> Iterator[tuple[int, Line, dict[str, Any] | RecordProblem]]:
    """(position, line, the line's JSON object) for every line that is not blank, or the
    reason the line is not an object; also used by formats that are JSON Lines with
    their own fields."""
    position = 0
    for line in source_lines(source):
        if not line.oversized and not line.text.strip():
            continue
        position += 1
        yield position, line, _object(source.name, position, line)


def _object(source: str, position: int, line: Line) -> dict[str, Any] | RecordProblem:
    problem = partial(_problem, source, position, line)
    if line.oversized:
        return problem("record_too_large", "a line longer than the record size cap")
    if line.damaged_at is not None:
        return problem(
            "invalid_utf8", f"bytes that are not valid UTF-8 at byte offset {line.damaged_at}"
        )
    try:
        value = json.loads(line.text)
    except json.JSONDecodeError as exc:
        return problem("invalid_json", f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return problem("invalid_json", "JSON nested too deeply")
    if not isinstance(value, dict):
        return problem("not_a_paper", f"a JSON {type(value).__name__}, not an object")
    return value


def _problem(source: str, position: int, line: Line, reason: str, detail: str) -> RecordProblem:
    return RecordProblem(
        source, position, reason, detail, stage="read", line=line.number,
        byte_offset=line.damaged_at if reason == "invalid_utf8" else line.byte_start,
        raw=printable(line.text) if line.text else None,
    )  # fmt: skip


FORMAT = Format(
    name="json_lines",
    description="JSON Lines, one paper object per line (HF crawls, exports; --column to map)",
    sniff=sniff,
    read=read,
)
