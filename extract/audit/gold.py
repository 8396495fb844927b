"""Comparing a dataset with gold annotations, to mark misses and false positives in the text.

Gold files follow the annotation guideline of the shared corpus: one JSON object per
paper with its ``title``, ``benchmarks`` (names as written) and ``claims`` (value, unit,
evidence...). The matching here is the small part of an evaluation the report needs:

- a gold record matches the paper with the same normalised title;
- a gold claim matches one extracted claim of that paper with the same value and unit
  whose offsets lie inside the gold evidence (when the evidence is found in the
  abstract); each extracted claim matches at most one gold claim, first come first
  served; gold claims marked ``optional`` are never misses, and an extracted claim that
  matches one is not a false positive;
- benchmarks match by normalised name.

Everything else is a miss (in the gold only) or a false positive (extracted only). This
module is the only place that knows the gold format; :func:`compare` is its boundary.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExtractError
from .dataset import Dataset, Row, fold

#: What :func:`compare` counts, for claims and for benchmarks.
COUNTS = tuple(
    f"{what}_{outcome}"
    for what in ("claims", "benchmarks")
    for outcome in ("gold", "found", "missed", "false")
)


@dataclass(frozen=True)
class GoldRecord:
    line: int
    title: str
    claims: list[dict[str, Any]]
    benchmarks: list[str]


@dataclass(frozen=True)
class Finding:
    """One disagreement with the gold, placed in paper ``paper``'s abstract when possible.

    ``kind`` is ``miss`` (in the gold, not extracted) or ``false_positive`` (extracted,
    not in the gold); ``what`` is ``claim`` or ``benchmark``; ``row`` is the gold claim
    (for a miss) or the index of the extracted row (for a false positive).
    """

    kind: str
    what: str
    paper: int
    detail: str
    start: int | None = None
    end: int | None = None
    row: Any = None


@dataclass
class GoldComparison:
    """What a gold file says about a dataset."""

    path: str
    records: int = 0
    #: indices of the papers a gold record matched
    matched_papers: set[int] = field(default_factory=set)
    unmatched_titles: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: indices of the extracted claims that matched a gold claim
    confirmed_claims: set[int] = field(default_factory=set)
    #: indices of the extracted claims of matched papers that matched no gold claim
    false_claims: set[int] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def claim_status(self, claim: int, paper: int) -> str | None:
        """``confirmed``, ``false positive``, ``optional`` (matched a borderline gold
        claim), or None when the paper has no gold record."""
        if paper not in self.matched_papers:
            return None
        if claim in self.confirmed_claims:
            return "confirmed"
        if claim in self.false_claims:
            return "false positive"
        return "optional"


def load_gold(path: Path) -> list[GoldRecord]:
    """Read a gold JSONL file; a line that is not a gold record stops with file:line: why."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"not UTF-8 text ({exc.reason})", where=str(path)) from None
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ExtractError(f"not JSON: {exc}", where=where) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("title"), str):
            raise ExtractError("a gold record needs a 'title' string", where=where)
        claims = obj.get("claims") or []
        benchmarks = obj.get("benchmarks") or []
        if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
            raise ExtractError("'claims' must be a list of objects", where=where)
        if not isinstance(benchmarks, list) or not all(isinstance(b, str) for b in benchmarks):
            raise ExtractError("'benchmarks' must be a list of strings", where=where)
        for n, claim in enumerate(claims, start=1):
            value = claim.get("value")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ExtractError(f"claim {n} has no numeric 'value'", where=where)
        records.append(GoldRecord(number, obj["title"], claims, benchmarks))
    return records


def normalise_unit(unit: str | None) -> str:
    """``%``, ``x`` or ``pp`` for the ways of writing them; anything else is ``""``."""
    unit = (unit or "").strip().lower()
    if unit in {"%", "\\%", "percent", "per cent", "pct", "percentage"}:
        return "%"
    if unit in {"x", "×", "times", "fold", "-fold", "factor"}:
        return "x"
    if unit in {"pp", "p.p.", "percentage point", "percentage points"}:
        return "pp"
    return ""


def _same_value(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _occurrences(text: str, part: str) -> list[tuple[int, int]]:
    found, at = [], text.find(part) if part else -1
    while at >= 0:
        found.append((at, at + len(part)))
        at = text.find(part, at + 1)
    return found


def claim_matches(claim: Row, gold: dict[str, Any], abstract: str) -> bool:
    """Same value and unit, with the claim's offsets inside the gold evidence when it is found."""
    if not _same_value(claim.get("value"), gold.get("value")):
        return False
    if normalise_unit(claim.get("unit")) != normalise_unit(gold.get("unit")):
        return False
    start, end = claim.get("start"), claim.get("end")
    evidence = _occurrences(abstract, gold.get("evidence") or "")
    if not evidence or not isinstance(start, int) or not isinstance(end, int):
        return True
    return any(start < e and s < end for s, e in evidence)


def locate_claim(gold: dict[str, Any], abstract: str) -> tuple[int, int] | None:
    """Where a gold claim's value sits in the abstract: inside its evidence if possible."""
    value_text = gold.get("value_text") or ""
    for ev_start, ev_end in _occurrences(abstract, gold.get("evidence") or ""):
        at = abstract.find(value_text, ev_start, ev_end) if value_text else -1
        return (at, at + len(value_text)) if at >= 0 else (ev_start, ev_end)
    found = _occurrences(abstract, value_text)
    return found[0] if found else None


def compare(data: Dataset, gold: list[GoldRecord], path: str) -> GoldComparison:
    """Misses and false positives of the dataset's claims and benchmarks against ``gold``."""
    result = GoldComparison(path=path, records=len(gold))
    by_title: dict[str, int] = {}
    for i, row in enumerate(data.papers):
        by_title.setdefault(fold(row.get("title")), i)
    counts = dict.fromkeys(COUNTS, 0)
    for record in gold:
        paper = by_title.get(fold(record.title))
        if paper is None or not fold(record.title):
            result.unmatched_titles.append(record.title)
            continue
        result.matched_papers.add(paper)
        abstract = data.papers[paper].get("abstract") or ""
        _compare_claims(data, paper, abstract, record, result, counts)
        _compare_benchmarks(data, paper, abstract, record, result, counts)
    result.counts = counts
    return result


def _compare_claims(
    data: Dataset,
    paper: int,
    abstract: str,
    record: GoldRecord,
    result: GoldComparison,
    counts: dict[str, int],
) -> None:
    extracted = data.rows_of("claims", paper)
    used: set[int] = set()
    ordered = [c for c in record.claims if not c.get("optional")]
    ordered += [c for c in record.claims if c.get("optional")]
    for gold in ordered:
        optional = bool(gold.get("optional"))
        counts["claims_gold"] += not optional
        match = next(
            (
                i
                for i in extracted
                if i not in used and claim_matches(data.claims[i], gold, abstract)
            ),
            None,
        )
        if match is not None:
            used.add(match)
            if not optional:
                counts["claims_found"] += 1
                result.confirmed_claims.add(match)
            continue
        if optional:
            continue
        counts["claims_missed"] += 1
        start, end = locate_claim(gold, abstract) or (None, None)
        shown = gold.get("value_text") or gold.get("value")
        result.findings.append(
            Finding(
                "miss",
                "claim",
                paper,
                f"the gold has the claim {shown!r}"
                + (f" ({gold['evidence']!r})" if gold.get("evidence") else "")
                + "; no extracted claim matches it",
                start,
                end,
                row=gold,
            )
        )
    for i in extracted:
        if i in used:
            continue
        claim = data.claims[i]
        counts["claims_false"] += 1
        result.false_claims.add(i)
        value = (claim.get("start"), claim.get("end"))
        result.findings.append(
            Finding(
                "false_positive",
                "claim",
                paper,
                f"the claim {claim['value_text']!r} matches no gold claim",
                value[0] if isinstance(value[0], int) else None,
                value[1] if isinstance(value[1], int) else None,
                row=i,
            )
        )


def _compare_benchmarks(
    data: Dataset,
    paper: int,
    abstract: str,
    record: GoldRecord,
    result: GoldComparison,
    counts: dict[str, int],
) -> None:
    gold_names = {fold(name): name for name in record.benchmarks}
    gold_names.pop("", None)
    extracted = data.rows_of("benchmarks", paper)
    found = {fold(data.benchmarks[i]["name"]) for i in extracted}
    counts["benchmarks_gold"] += len(gold_names)
    for key, name in gold_names.items():
        if key in found:
            counts["benchmarks_found"] += 1
            continue
        counts["benchmarks_missed"] += 1
        # re's case-insensitive search keeps offsets (str.casefold may change lengths).
        first = re.search(re.escape(name), abstract, re.IGNORECASE)
        start, end = first.span() if first else (None, None)
        result.findings.append(
            Finding(
                "miss",
                "benchmark",
                paper,
                f"the gold has the benchmark {name!r}; it was not extracted",
                start,
                end,
                row={"benchmark": name},
            )
        )
    reported: set[str] = set()
    for i in extracted:
        bench = data.benchmarks[i]
        key = fold(bench["name"])
        if key in gold_names or key in reported:
            continue
        reported.add(key)
        counts["benchmarks_false"] += 1
        in_abstract = bench.get("field", "abstract") == "abstract"
        where = (bench.get("start"), bench.get("end")) if in_abstract else (None, None)
        result.findings.append(
            Finding(
                "false_positive",
                "benchmark",
                paper,
                f"the benchmark {bench['name']!r} is not in the gold",
                where[0] if isinstance(where[0], int) else None,
                where[1] if isinstance(where[1], int) else None,
                row=i,
            )
        )
