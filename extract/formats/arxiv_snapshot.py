"""The arXiv metadata snapshot: JSON Lines, one object per paper, as arXiv publishes it.

Each line holds ``id``, ``submitter``, ``authors`` (one string), ``title``,
``comments``, ``journal-ref``, ``doi``, ``categories``, ``license``, ``abstract``,
``versions`` (each with the date it was ``created``), ``update_date`` and
``authors_parsed`` (``[family, given, suffix]`` per author). The snapshot is the largest
listing there is (millions of papers), so it is read as a stream of lines like any JSON
Lines file, and sharded by records like every input.

What is taken: the arXiv id; the title and abstract with the snapshot's line breaks
and indents collapsed to single spaces; the authors from ``authors_parsed`` ("given
family suffix", empty parts left out), else from the ``authors`` string; the first
version's date as the listing date; the space-separated ``categories`` as a list;
links written in ``comments`` ("Code: https://...").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..read import Source
from ..records import RawRecord, RecordProblem, clean_author, collapse_spaces
from .base import Format, ReadOptions
from .fields import record_from_mapping
from .json_lines import objects

#: Keys only the snapshot's objects have; two of them on the first line decide.
_MARKERS = (b'"authors_parsed"', b'"submitter"', b'"versions"', b'"journal-ref"', b'"update_date"')


def sniff(head: bytes, name: str) -> float:
    first = head.lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return 0.0
    found = sum(marker in first for marker in _MARKERS)
    # above json_lines' 0.95: every snapshot line is also a JSON object line
    return 0.97 if found >= 2 and b'"title"' in first else 0.0


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    for position, line, value in objects(source):
        if isinstance(value, RecordProblem):
            yield value
            continue
        record = record_from_mapping(
            _fields(value, options.columns),
            source=source.name,
            position=position,
            start=line.char_start,
            end=line.char_end,
            format_name=FORMAT.name,
            line=line.number,
            byte_offset=line.byte_start,
            columns=options.columns,
            year=options.year,
        )
        if isinstance(record, RawRecord):
            record.categories = categories(value.get("categories"))
        yield record


#: The snapshot's fields that become a record's (the rest are not kept).
_KEPT = ("id", "title", "abstract", "authors", "comments")


def _fields(paper: dict[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """The fields a record is made of, in the forms the shared reader takes: only what
    is kept (and any key ``--column`` names), so the rest costs nothing."""
    fields = {key: paper[key] for key in (*_KEPT, *columns.values()) if key in paper}
    for key in ("title", "abstract"):
        if isinstance(fields.get(key), str):
            fields[key] = collapse_spaces(fields[key])
    parsed = authors_parsed(paper.get("authors_parsed"))
    if parsed:
        fields["authors"] = parsed
    created = first_version_date(paper.get("versions"))
    if created:  # the first version's date; update_date is when the record last changed
        fields["date"] = created
    return fields


def authors_parsed(value: object) -> list[str]:
    """Names from ``[[family, given, suffix], ...]``: "given family suffix", empty
    parts left out, cleaned like every author name; an entry that is not a list of
    strings, or that leaves no name, is skipped."""
    names: list[str] = []
    if not isinstance(value, list):
        return names
    for entry in value:
        if not isinstance(entry, list) or not all(isinstance(p, str) for p in entry):
            continue
        family, given, suffix = [*entry, "", "", ""][:3]
        name = clean_author(" ".join(p for p in (given, family, suffix) if p.strip()))
        if name:
            names.append(name)
    return names


def first_version_date(value: object) -> str | None:
    """The ``created`` date of the first version (``v1``), as written."""
    if not isinstance(value, list):
        return None
    dated = [v for v in value if isinstance(v, dict) and isinstance(v.get("created"), str)]
    first = next((v for v in dated if v.get("version") == "v1"), dated[0] if dated else None)
    return collapse_spaces(first["created"]) if first else None


def categories(value: object) -> list[str]:
    """``"cs.CL cs.LG"`` as ``["cs.CL", "cs.LG"]``, in the snapshot's order."""
    if not isinstance(value, str):
        return []
    return list(dict.fromkeys(value.split()))


FORMAT = Format(
    name="arxiv_snapshot",
    description="arXiv metadata snapshot (JSON Lines with authors_parsed, versions, categories)",
    sniff=sniff,
    read=read,
)
