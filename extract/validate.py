"""Stage 4, validate: a record and what was extracted from it -> checked table rows.

Every row is validated against its pydantic model (the same model the published JSON
Schema is generated from). A paper row that fails rejects the whole record; a link,
benchmark or claim row that fails is rejected alone and the paper is kept. Either way
the failure becomes a row of ``rejects`` with the reason, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .models import Benchmark, Claim, Link, Paper, Reject, Row
from .records import FileRejected, RawRecord, RecordProblem

if TYPE_CHECKING:  # the process that merges and writes never imports spaCy
    from .nlp import Extraction

_RAW_LIMIT = 500


@dataclass
class RecordRows:
    """Valid rows of one record, by table, and the rejects it produced."""

    record_id: str
    paper: dict[str, Any] | None
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.paper is None


def record_rows(record: RawRecord, extraction: Extraction) -> RecordRows:
    """Build and validate the rows of one record."""
    rid = record.record_id
    short_name, short_rule = extraction.short_name or (None, None)
    paper = {
        "record_id": rid,
        "source": record.source,
        "position": record.position,
        "title": record.title,
        "short_name": short_name,
        "short_name_rule": short_rule,
        "abstract": record.abstract,
        "listing_date_text": record.listing_date_text,
        "listing_date": record.listing_date,
        "arxiv_id": record.arxiv_id,
        "authors": record.authors,
        "categories": record.categories,
        "upvotes": record.upvotes,
        "start": record.start,
        "end": record.end,
        "format": record.format,
    }
    rows = RecordRows(record_id=rid, paper=None)
    checked, problem = _check(Paper, paper)
    if problem is not None:
        rows.rejects.append(_reject(record, "invalid_paper", problem, record.title))
        return rows
    rows.paper = checked
    for given in record.links:
        if given.refused is not None:
            detail = f"the {given.field} field: {given.refused}; the paper is kept without it"
            rows.rejects.append(_reject(record, "unsafe_link", detail, given.url))
    for model, items in (
        (Link, _links(extraction)),
        (Benchmark, extraction.benchmarks),
        (Claim, _claims(rid, extraction.claims)),
    ):
        valid = rows.children.setdefault(model.table, [])
        for item in items:
            checked, problem = _check(model, {"record_id": rid, **item})
            if problem is None:
                valid.append(checked)
            else:
                rows.rejects.append(
                    _reject(record, f"invalid_{model.table[:-1]}", problem, repr(item))
                )
    return rows


def _links(extraction: Extraction) -> Iterator[dict[str, Any]]:
    from .nlp.links import host_of

    seen = set()
    for link in extraction.links:
        seen.add(link["url"])
        yield link
    for given in extraction.field_links:
        if given.url in seen or given.refused is not None:
            continue
        seen.add(given.url)
        yield {
            "url": given.url,
            "kind": given.kind or "other",
            "host": host_of(given.url),
            "start": None,
            "end": None,
            "field": given.field,
            "rule_id": given.rule_id or f"link.field.{given.field}",
        }


def _claims(rid: str, claims: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    ordered = sorted(claims, key=lambda c: (c.get("start") or 0, c.get("end") or 0))
    for ordinal, claim in enumerate(ordered, start=1):
        yield {"claim_id": f"{rid}#{ordinal}", **claim}


def _check(model: type[Row], data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    try:
        # A row model's fields are all plain values (no nested model, alias or custom
        # serialiser), so the validated instance's fields, in field order, are what
        # ``model_dump()`` would build, for a third of its cost (a test checks that
        # they agree).
        return dict(model.model_validate(data).__dict__), None
    except ValidationError as exc:
        return data, _explain(exc)


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _reject(record: RawRecord, reason: str, detail: str, raw: str) -> dict[str, Any]:
    return Reject(
        source=record.source,
        position=record.position,
        record_id=record.record_id,
        stage="validate",
        reason=reason,
        detail=detail,
        line=record.line,
        raw=raw[:_RAW_LIMIT],
    ).model_dump()


def problem_row(problem: RecordProblem) -> dict[str, Any]:
    """The ``rejects`` row of a record that could not be read."""
    return Reject(
        source=problem.source,
        position=problem.position,
        record_id=problem.record_id,
        stage=problem.stage,
        reason=problem.reason,
        detail=problem.detail,
        line=problem.line,
        byte_offset=problem.byte_offset,
        raw=problem.raw[:_RAW_LIMIT] if problem.raw else None,
    ).model_dump()


def file_reject(rejected: FileRejected) -> dict[str, Any]:
    """The ``rejects`` row of an input file that could not be read (at all, or past
    some point)."""
    return Reject(
        source=rejected.source, stage="read", reason=rejected.reason, detail=rejected.detail
    ).model_dump()
