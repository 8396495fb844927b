"""Walking a JSON document member by member, with the character span of every value.

``json.loads`` gives values but not where they were; a reader needs both, so that a
record's offsets point at its object in the source and a damaged record can be told
apart from its neighbours. These helpers use the standard library's own scanner on one
value at a time, so a document that breaks part-way still yields the values before the
break.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
#: the standard library's string scanner (``json.decoder.scanstring``)
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JSONBreakError(ValueError):
    """The document is not valid JSON from ``position`` on.

    When the break is inside the value of an object member, ``key`` names the member
    and ``value_start`` is where its value begins, so a caller can walk into it and
    keep what comes before the break.
    """

    def __init__(
        self, message: str, position: int, key: str | None = None, value_start: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.position = position
        self.key = key
        self.value_start = value_start


class LineCounter:
    """Line numbers of increasing character offsets, counted incrementally."""

    def __init__(self, text: str):
        self._text = text
        self._index = 0
        self._line = 1

    def line(self, index: int) -> int:
        if index < self._index:
            self._index, self._line = 0, 1
        self._line += self._text.count("\n", self._index, index)
        self._index = index
        return self._line


def skip_ws(text: str, index: int) -> int:
    match = _WS.match(text, index)
    return match.end() if match else index


def value_at(text: str, index: int) -> tuple[Any, int, int]:
    """(value, start, end) of the JSON value at ``index`` (white space skipped)."""
    start = skip_ws(text, index)
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise JSONBreakError(exc.msg, exc.pos) from None
    except RecursionError:
        raise JSONBreakError("nested too deeply", start) from None
    return value, start, end


def iter_array(text: str, index: int) -> Iterator[tuple[Any, int, int]]:
    """(value, start, end) of each element of the array whose ``[`` is at ``index``."""
    if text[index : index + 1] != "[":
        raise JSONBreakError("expected '['", index)
    position = skip_ws(text, index + 1)
    if text[position : position + 1] == "]":
        return
    while True:
        value, start, end = value_at(text, position)
        yield value, start, end
        position = skip_ws(text, end)
        mark = text[position : position + 1]
        if mark == "]":
            return
        if mark != ",":
            raise JSONBreakError("expected ',' or ']' after an array element", position)
        position += 1


def iter_object(text: str, index: int) -> Iterator[tuple[str, Any, int, int]]:
    """(key, value, start, end) of each member of the object whose ``{`` is at ``index``."""
    if text[index : index + 1] != "{":
        raise JSONBreakError("expected '{'", index)
    position = skip_ws(text, index + 1)
    if text[position : position + 1] == "}":
        return
    while True:
        if text[position : position + 1] != '"':
            raise JSONBreakError("expected a member name", position)
        try:
            key, after = _scanstring(text, position + 1, True)
        except json.JSONDecodeError as exc:
            raise JSONBreakError(exc.msg, exc.pos) from None
        position = skip_ws(text, after)
        if text[position : position + 1] != ":":
            raise JSONBreakError("expected ':' after a member name", position)
        try:
            value, start, end = value_at(text, position + 1)
        except JSONBreakError as exc:
            exc.key, exc.value_start = key, skip_ws(text, position + 1)
            raise
        yield key, value, start, end
        position = skip_ws(text, end)
        mark = text[position : position + 1]
        if mark == "}":
            return
        if mark != ",":
            raise JSONBreakError("expected ',' or '}' after a member", position)
        position = skip_ws(text, position + 1)


def line_of(text: str, index: int) -> int:
    """1-based line number of character ``index``."""
    return text.count("\n", 0, index) + 1
