"""An arXiv ``.abs`` record: one paper's metadata and abstract, as arXiv stores it.

The same layout as an entry of the mailing (see :mod:`.arxiv_mailing`), with a
``From:`` line and the submission history (``Date:``, ``Date (revised v2):``). The
listing date is the first submission's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..read import Source, source_lines
from ..records import RawRecord, RecordProblem
from .arxiv_mailing import entries, entry_record
from .base import Format, ReadOptions
from .fields import parse_date

_START = re.compile(rb"\A\s*(?:-{10,}\r?\n)?\\\\\r?\n\s*arXiv:\S+")


def sniff(head: bytes, name: str) -> float:
    if not _START.match(head):
        return 0.1 if name.endswith(".abs") else 0.0
    arxiv_lines = len(re.findall(rb"^arXiv:", head, re.MULTILINE))
    if arxiv_lines == 1 and (b"\nFrom:" in head or name.endswith(".abs")):
        return 0.97
    return 0.4


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    position = 0
    for _, entry in entries(source_lines(source)):
        if entry is None:
            continue
        position += 1
        date_text = entry.headers.get("Date", "").split("(")[0].strip() or None
        yield entry_record(
            entry,
            source=source.name,
            position=position,
            format_name=FORMAT.name,
            listing_date_text=date_text,
            listing_date=parse_date(date_text),
        )


FORMAT = Format(
    name="arxiv_abs",
    description="arXiv .abs metadata record (one paper: header lines, then the abstract)",
    sniff=sniff,
    read=read,
)
