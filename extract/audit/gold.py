"""Comparing a dataset with gold annotations, to mark misses and false positives in the text.

The gold format, its loading and the pairing of claims are those of ``extract eval``
(:mod:`extract.evaluate`), so the report marks exactly what the evaluation counts:

- a gold record matches the paper with the same normalised title;
- claims are paired by :func:`extract.evaluate.pair_claims` (same value and unit, offsets
  inside the gold evidence, one to one); gold claims marked ``optional`` are never
  misses, and an extracted claim paired with one is not a false positive;
- benchmarks match by normalised name.

What this module adds is placing each disagreement in the abstract, for highlighting;
:func:`compare` is its boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..evaluate import GoldClaim, GoldPaper, load_gold, norm_text, pair_claims
from .dataset import Dataset

__all__ = ["Finding", "GoldComparison", "compare", "load_gold", "locate_claim"]

#: What :func:`compare` counts, for claims and for benchmarks.
COUNTS = tuple(
    f"{what}_{outcome}"
    for what in ("claims", "benchmarks")
    for outcome in ("gold", "found", "missed", "false")
)


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


def _occurrences(text: str, part: str) -> list[tuple[int, int]]:
    found, at = [], text.find(part) if part else -1
    while at >= 0:
        found.append((at, at + len(part)))
        at = text.find(part, at + 1)
    return found


def locate_claim(gold: GoldClaim, abstract: str) -> tuple[int, int] | None:
    """Where a gold claim's value sits in the abstract: inside its evidence if possible."""
    value_text = gold.value_text or ""
    for ev_start, ev_end in _occurrences(abstract, gold.evidence or ""):
        at = abstract.find(value_text, ev_start, ev_end) if value_text else -1
        return (at, at + len(value_text)) if at >= 0 else (ev_start, ev_end)
    found = _occurrences(abstract, value_text)
    return found[0] if found else None


def compare(data: Dataset, gold: list[GoldPaper], path: str) -> GoldComparison:
    """Misses and false positives of the dataset's claims and benchmarks against ``gold``."""
    result = GoldComparison(path=path, records=len(gold))
    by_title: dict[str, int] = {}
    for i, row in enumerate(data.papers):
        by_title.setdefault(norm_text(row.get("title")), i)
    counts = dict.fromkeys(COUNTS, 0)
    for record in gold:
        paper = by_title.get(norm_text(record.title))
        if paper is None or not norm_text(record.title):
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
    record: GoldPaper,
    result: GoldComparison,
    counts: dict[str, int],
) -> None:
    extracted = data.rows_of("claims", paper)
    pairing = pair_claims([data.claims[i] for i in extracted], record.claims, abstract)
    counts["claims_gold"] += len(pairing.pairs) + len(pairing.missed)
    counts["claims_found"] += len(pairing.pairs)
    result.confirmed_claims.update(extracted[i] for _, i in pairing.pairs)
    for gold in pairing.missed:
        counts["claims_missed"] += 1
        start, end = locate_claim(gold, abstract) or (None, None)
        shown = gold.value_text or gold.value
        result.findings.append(
            Finding(
                "miss",
                "claim",
                paper,
                f"the gold has the claim {shown!r}"
                + (f" ({gold.evidence!r})" if gold.evidence else "")
                + "; no extracted claim matches it",
                start,
                end,
                row=gold.model_dump(),
            )
        )
    for local in pairing.unpaired:
        i = extracted[local]
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
    record: GoldPaper,
    result: GoldComparison,
    counts: dict[str, int],
) -> None:
    gold_names = {norm_text(name): name for name in record.benchmarks}
    gold_names.pop("", None)
    extracted = data.rows_of("benchmarks", paper)
    found = {norm_text(data.benchmarks[i]["name"]) for i in extracted}
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
        key = norm_text(bench["name"])
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
