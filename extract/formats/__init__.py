"""Listing formats: one module per format, each able to recognise and read its input.

A format is a :class:`Format`: a name, a one-line description, ``sniff`` (how sure it is,
from the first bytes and the file name, that an input is in this format) and ``read``
(the input's records, as :class:`~extract.records.RawRecord` or
:class:`~extract.records.RecordProblem`). Detection asks every format and takes the
most confident; ``--format`` skips detection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import ExtractError
from ..read import Source
from ..records import RawRecord, RecordProblem


@dataclass(frozen=True)
class ReadOptions:
    """Options that readers share."""

    year: int | None = None  #: completes dates written without a year


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    #: confidence in [0, 1] that an input with these first bytes and name is this format
    sniff: Callable[[bytes, str], float]
    read: Callable[[Source, ReadOptions], Iterator[RawRecord | RecordProblem]]


def _registry() -> dict[str, Format]:
    from . import daily_papers_text

    formats = [daily_papers_text.FORMAT]
    return {f.name: f for f in formats}


FORMATS: dict[str, Format] = _registry()

#: Below this confidence an input is "not recognised" and rejected as a file.
MIN_CONFIDENCE = 0.3


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ExtractError(
            f"unknown format '{name}'", hint="`extract formats` lists the formats"
        ) from None


def detect(head: bytes, file_name: str) -> tuple[Format | None, str]:
    """The format an input is in, or None with the reason none fits."""
    if not head:
        return None, "the file is empty"
    if b"\0" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "binary data (NUL bytes), not a listing"
    scored = sorted(((f.sniff(head, file_name), f.name) for f in FORMATS.values()), reverse=True)
    best_score, best_name = scored[0]
    if best_score < MIN_CONFIDENCE:
        return None, "no reader recognises this content"
    return FORMATS[best_name], ""
