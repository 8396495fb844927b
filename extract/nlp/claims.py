"""Numeric result claims: "0.77 FAD on AudioCaps", "improves ... by 15.6%", "2.8x speedup".

Candidates are numbers with a result unit (%, x, times, points) or numbers next to a
known metric; each candidate is then read in its clause: cue words decide the kind
(improvement, reduction, speedup, ratio, score), and setup numbers (model sizes, counts)
are left out. The cue words and metric names are data (``rules/claims.jsonl``,
``gazetteers/metrics.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..models import ClaimKind
from .rules import Rule, load_gazetteer, load_rules

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# value_text: an optional sign, a number (or a range of two), and its unit.
CANDIDATE = re.compile(
    r"(?<![\w.\-+])(?P<text>"
    r"(?:(?P<sign>[+-])?(?P<low>" + _NUM + r")(?:\s?(?:\\?%|x|×|times))?\s?(?:-|–|to)\s?)?"
    r"(?P<sign2>[+-])?(?P<num>" + _NUM + r")"
    r"(?P<unit>\s?\\?%|\s?percentage points?|\s?pp\b|x\b|×|\s?times\b|-fold\b|\s?points?\b)?"
    r")(?![\w.]\d)",
)
_SIZE_AFTER = re.compile(
    r"^\s?(?:[KMBT]\b|billion|million|thousand|k\b|[KMGT]B\b|GB|MB|hours?|days?)", re.I
)


class ClaimRule(Rule):
    """Cue words that, before a value in its clause, say what kind of result it is."""

    kind: ClaimKind
    cues: list[str] = Field(min_length=1)
    #: which values the rule applies to: with a result unit, or any (needs a metric)
    applies_to: Literal["unit", "any"] = "unit"
    metric: str | None = None


@dataclass
class ClaimFinder:
    rules: list[ClaimRule]
    metrics: dict[str, tuple[str, str | None]]  #: lower-cased alias -> (canonical, direction)

    @classmethod
    def from_files(cls, rules: Path, metrics: Path) -> ClaimFinder:
        table: dict[str, tuple[str, str | None]] = {}
        for canonical, rest in load_gazetteer(metrics):
            direction = rest[0] if rest and rest[0] in ("higher", "lower") else None
            for alias in [canonical, *rest[1 if direction else 0 :]]:
                table.setdefault(alias.lower(), (canonical, direction))
        return cls(load_rules(rules, ClaimRule), table)

    def __post_init__(self) -> None:
        self._cues = [
            (rule, re.compile(r"\b(?:" + "|".join(re.escape(c) for c in rule.cues) + r")", re.I))
            for rule in self.rules
        ]
        names = sorted(self.metrics, key=len, reverse=True)
        self._metric = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I
        )

    def find(self, text: str, benchmarks: list[dict[str, object]]) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for match in CANDIDATE.finditer(text):
            row = self._read(text, match, benchmarks)
            if row is not None:
                rows.append(row)
        return rows

    def _read(
        self, text: str, match: re.Match[str], benchmarks: list[dict[str, object]]
    ) -> dict[str, object] | None:
        unit_text = (match["unit"] or "").strip().lstrip("\\").lower()
        unit = _unit(unit_text)
        start, end = match.span("text")
        clause_start, clause_end = _clause(text, start, end)
        before = text[clause_start:start]
        after = text[end:clause_end]
        if _SIZE_AFTER.match(text[end:]) or _is_year_or_enumeration(match, text):
            return None
        metric = self._nearest_metric(text, clause_start, start, end, clause_end)
        if unit is None and metric is None:
            return None
        kind, rule_id = "score", "claim.score"
        for rule, cue in self._cues:
            if rule.applies_to == "unit" and unit is None:
                continue
            if cue.search(before[-80:]) or (rule.kind == "speedup" and cue.search(after[:30])):
                kind, rule_id = rule.kind, rule.id
                break
        if unit is None and kind not in ("score", "ratio"):
            kind = kind if metric else "score"
        value = float(match["num"].replace(",", ""))
        if (match["sign2"] or match["sign"]) == "-" and not match["low"]:
            value = -value
        benchmark = _nearest_benchmark(benchmarks, clause_start, clause_end, start)
        canonical, direction = self.metrics.get((metric or "").lower(), (None, None))
        return {
            "value": value,
            "value_text": match["text"],
            "unit": unit,
            "kind": kind,
            "metric": metric,
            "metric_canonical": canonical,
            "direction": direction,
            "benchmark": benchmark[0] if benchmark else None,
            "benchmark_canonical": benchmark[1] if benchmark else None,
            "qualifier": _qualifier(before),
            "evidence": text[clause_start:clause_end].strip(),
            "evidence_start": clause_start + _lead_space(text[clause_start:clause_end]),
            "evidence_end": clause_end - _trail_space(text[clause_start:clause_end]),
            "start": start,
            "end": end,
            "rule_id": rule_id,
        }

    def _nearest_metric(self, text: str, cs: int, s: int, e: int, ce: int) -> str | None:
        best: tuple[int, str] | None = None
        for m in self._metric.finditer(text, cs, ce):
            distance = s - m.end() if m.end() <= s else m.start() - e
            if distance >= 0 and (best is None or distance < best[0]):
                best = (distance, m.group())
        return best[1] if best else None


def _unit(unit_text: str) -> str | None:
    if unit_text in ("%",):
        return "%"
    if unit_text in ("x", "×", "times", "-fold"):
        return "x"
    if unit_text.startswith("percentage point") or unit_text == "pp":
        return "pp"
    return None


_QUALIFIERS = (
    "up to",
    "more than",
    "over",
    "approximately",
    "about",
    "nearly",
    "at least",
    "under",
    "less than",
    "around",
    "almost",
    "roughly",
    "above",
    "below",
)
_QUALIFIER = re.compile(r"\b(" + "|".join(_QUALIFIERS) + r")\s*(?:a\s+)?[+-]?$", re.I)


def _qualifier(before: str) -> str | None:
    match = _QUALIFIER.search(before.rstrip())
    return match.group(1).lower() if match else None


_CLAUSE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\"])|;\s")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, start):
        left = m.end()
    right_match = _CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def _lead_space(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail_space(s: str) -> int:
    return len(s) - len(s.rstrip())


def _is_year_or_enumeration(match: re.Match[str], text: str) -> bool:
    if match["unit"]:
        return False
    num = match["num"]
    start = match.start("text")
    if re.fullmatch(r"(19|20)\d\d", num):
        return True
    return (
        start > 0
        and text[start - 1] in "(["
        and text[match.end("text") : match.end("text") + 1] in ")]"
    )


def _nearest_benchmark(
    benchmarks: list[dict[str, object]], cs: int, ce: int, pos: int
) -> tuple[str, str | None] | None:
    best: tuple[int, str, str | None] | None = None
    for b in benchmarks:
        start = b.get("start")
        if not isinstance(start, int) or not cs <= start < ce:
            continue
        distance = abs(start - pos)
        canonical = b.get("canonical")
        if best is None or distance < best[0]:
            best = (distance, str(b["name"]), canonical if isinstance(canonical, str) else None)
    return (best[1], best[2]) if best else None
