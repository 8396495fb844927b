"""CSV or TSV with a header row: one paper per row, a title column and usually an abstract.

The delimiter (comma, tab or semicolon) is read from the header line. Columns are found
under their usual names (``title``, ``abstract``, ``authors``, ``arxiv_id``, ``date``,
``upvotes``, ``github_repo``...) or given with ``--column FIELD=NAME``. Read as a stream;
a quoted cell may span lines, and a row's offsets cover all of its lines.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from ..read import MAX_LINE_BYTES, Line, Source, source_lines
from ..records import InputRejectedError, RawRecord, RecordProblem, printable
from .base import Format, ReadOptions
from .fields import FIELD_NAMES, date_from_path, record_from_mapping

_DELIMITERS = (",", "\t", ";")
_KNOWN = {name for names in FIELD_NAMES.values() for name in names}
#: csv refuses fields larger than its limit; keep it at the record size cap
csv.field_size_limit(MAX_LINE_BYTES)


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])


def sniff(head: bytes, name: str) -> float:
    text = head.decode("utf-8", "replace")
    first = text.split("\n", 1)[0].strip("\r")
    if text.lstrip()[:1] in ("{", "[", "<", "#", "|") or not first:
        return 0.0
    delimiter = _delimiter(first)
    if first.count(delimiter) == 0:
        return 0.0
    header = [cell.strip().strip('"').lower() for cell in first.split(delimiter)]
    by_name = 0.2 if name.lower().endswith((".csv", ".tsv")) else 0.0
    if "title" in header or "paper_title" in header:
        return 0.85 + by_name / 2
    if sum(cell in _KNOWN for cell in header) >= 2:
        return 0.6 + by_name
    return 0.2 + by_name


class _Tracked:
    """Feeds lines to ``csv.reader`` and remembers which lines each row used."""

    def __init__(self, lines: Iterator[Line]):
        self._lines = lines
        self._next: Line | None = None
        self.used: list[Line] = []

    def __iter__(self) -> _Tracked:
        return self

    def peek(self) -> Line | None:
        """The next line, without using it (None at the end)."""
        if self._next is None:
            self._next = next(self._lines, None)
        return self._next

    def __next__(self) -> str:
        line = self.peek()
        if line is None:
            raise StopIteration
        self._next = None
        self.used.append(line)
        return line.text + "\n"

    def skip(self) -> Line | None:
        """Use the next line without keeping it (past the end of an oversized row)."""
        line = self.peek()
        self._next = None
        return line


def _header(lines: _Tracked) -> Line | None:
    for line in lines:
        if line.strip():
            return lines.used[-1]
    return None


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    lines = _Tracked(source_lines(source))
    header_line = _header(lines)
    if header_line is None:
        return
    delimiter = _delimiter(header_line.text)
    header = next(csv.reader([header_line.text], delimiter=delimiter))
    header = [cell.strip() for cell in header]
    missing = [
        f"{field}={column}" for field, column in options.columns.items() if column not in header
    ]
    if missing:
        raise InputRejectedError(
            "missing_column", f"no column for {', '.join(missing)} (columns: {', '.join(header)})"
        )
    file_date = date_from_path(source.name)
    defaults: dict[str, Any] = {}
    if file_date is not None:
        defaults.update(date=file_date, date_text=file_date.isoformat())
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    position = 0
    while True:
        lines.used.clear()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            position += 1
            first = lines.used[0] if lines.used else header_line
            closed, last = _skip_row(lines, first)
            if not closed:
                yield _unclosed(source.name, position, first, last)
                return
            yield RecordProblem(
                source.name, position, "record_too_large",
                f"a row of more than {MAX_LINE_BYTES >> 20} MiB over "
                f"{last.number - first.number + 1} lines ({exc}); it is skipped, the rows "
                "after it are read",
                stage="read", line=first.number, byte_offset=first.byte_start,
            )  # fmt: skip
            continue
        used = list(lines.used)
        if not used:
            continue
        first, last = used[0], used[-1]
        oversized = any(line.oversized for line in used)
        if not oversized and not any(cell.strip() for cell in cells):
            continue
        position += 1
        if len(used) > 1 and _broken_quote(used, cells, header):
            yield _unclosed(source.name, position, first, last)
            return
        damaged = next((line for line in used if line.damaged_at is not None), None)
        if damaged is not None or oversized:
            reason = "record_too_large" if oversized else "invalid_utf8"
            offset = damaged.damaged_at if damaged is not None else first.byte_start
            yield RecordProblem(
                source.name, position, reason,
                "a line longer than the record size cap" if oversized
                else f"bytes that are not valid UTF-8 at byte offset {offset}",
                stage="read", line=first.number, byte_offset=offset,
                raw=printable("\n".join(line.text for line in used)),
            )  # fmt: skip
            continue
        row: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            row[name] = _cell(cell)
        yield record_from_mapping(
            row,
            source=source.name,
            position=position,
            start=first.char_start,
            end=last.char_end,
            format_name=FORMAT.name,
            line=first.number,
            byte_offset=first.byte_start,
            columns=options.columns,
            defaults=defaults,
            year=options.year,
        )


def _skip_row(lines: _Tracked, first: Line) -> tuple[bool, Line]:
    """After a row too large for ``csv``: use the lines up to the end of that row, where
    the quotes it opened are closed again, without keeping them. Whether they were
    closed before the end of the file, and the row's last line."""
    quotes = sum(line.text.count('"') for line in lines.used)
    last = lines.used[-1] if lines.used else first
    while quotes % 2:
        line = lines.skip()
        if line is None:
            return False, last
        quotes += line.text.count('"')
        last = line
    return True, last


def _broken_quote(used: list[Line], cells: list[str], header: list[str]) -> bool:
    """Whether a row over several lines is a quote that was never closed, which swallowed
    the lines after it: its quotes do not pair up, or it has fewer cells than the header
    (the cells after the quote were read into it)."""
    quotes = sum(line.text.count('"') for line in used)
    return quotes % 2 == 1 or len(cells) < len(header)


def _unclosed(name: str, position: int, first: Line, last: Line) -> RecordProblem:
    return RecordProblem(
        name, position, "invalid_csv",
        "a quoted cell opened on this line is not closed where its row ends (it runs "
        f"over {last.number - first.number + 1} lines); the file is read no further, so "
        "that no row is read from inside a cell: fix the quoting from this line on and "
        "run again",
        stage="read", line=first.number, byte_offset=first.byte_start,
        raw=printable("\n".join(line.text for line in [first, last])),
    )  # fmt: skip


_JSON_LIST = re.compile(r"^\s*\[.*\]\s*$", re.S)


def _cell(cell: str) -> Any:
    """A cell's value: a JSON list written in a cell (authors) becomes a list."""
    if _JSON_LIST.match(cell):
        try:
            value = json.loads(cell)
        except ValueError:
            return cell
        if isinstance(value, list):
            return value
    return cell


FORMAT = Format(
    name="csv_table",
    description="CSV or TSV with a header row and a title column (--column to map names)",
    sniff=sniff,
    read=read,
)
