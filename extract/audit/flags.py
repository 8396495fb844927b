"""Flags: the places in a dataset a reviewer should look at first.

Each check is a small function over one paper's rows (or, for rare benchmarks, over
the whole dataset) that yields :class:`Flag` objects with the span of the abstract to
look at. The checks are heuristics meant to rank attention, not verdicts: a flag says
"look here", and the report links every flag to its place in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..sentences import sentence_spans
from .dataset import Dataset, Row, fold
from .spans import check_span

#: Flag kinds in the order the report lists them, with the heading a person reads.
FLAG_KINDS: dict[str, str] = {
    "bad_offsets": "Offsets that do not point at their text",
    "over_100": "Percentages over 100 where the scale stops at 100",
    "incomplete_claim": "Claims with no benchmark or no metric",
    "sota_no_number": "“State of the art” or “outperforms” with no claim extracted",
    "unclaimed_number": "Numbers that look like results but produced no claim",
    "rare_benchmark": "Benchmarks named by one paper only",
}

#: The parts of a claim besides its value that have offsets (``metric_start``...).
CLAIM_PARTS = ("metric", "benchmark", "baseline", "subject")


@dataclass(frozen=True)
class Flag:
    """Something to check in paper ``paper`` (an index into ``Dataset.papers``).

    ``start``/``end`` is the span of the abstract to look at, when there is one;
    ``claim`` is the claim concerned, when the flag is about a claim.
    """

    kind: str
    paper: int
    detail: str
    start: int | None = None
    end: int | None = None
    claim: int | None = None


def find_flags(data: Dataset) -> list[Flag]:
    """Every flag of the dataset, in report order: by kind, then paper, then position."""
    flags: list[Flag] = []
    for index, paper in enumerate(data.papers):
        abstract = paper.get("abstract") or ""
        indices = data.rows_of("claims", index)
        claims = [data.claims[i] for i in indices]
        flags += offset_flags(data, index, abstract)
        for i, claim in zip(indices, claims, strict=True):
            flags += claim_flags(index, i, claim)
        flags += sota_flags(index, abstract, claims)
        flags += unclaimed_number_flags(index, abstract, data, claims)
    flags += rare_benchmark_flags(data)
    order = {kind: i for i, kind in enumerate(FLAG_KINDS)}
    return sorted(flags, key=lambda f: (order[f.kind], f.paper, f.start or 0, f.claim or 0))


def offset_flags(data: Dataset, paper: int, abstract: str) -> Iterator[Flag]:
    """Rows whose offsets fall outside the abstract or do not cover the text they name."""
    length = len(abstract)
    for i in data.rows_of("claims", paper):
        claim = data.claims[i]
        start, end = claim.get("start"), claim.get("end")
        problem = check_span(start, end, length)
        if problem:
            yield Flag("bad_offsets", paper, f"claim value: {problem}", claim=i)
        elif abstract[start:end] != claim["value_text"]:
            yield Flag(
                "bad_offsets",
                paper,
                f"the claim's value is {claim['value_text']!r} but its offsets cover "
                f"{abstract[start:end]!r}",
                start,
                end,
                claim=i,
            )
        for part in CLAIM_PARTS:
            pstart, pend = claim.get(f"{part}_start"), claim.get(f"{part}_end")
            if pstart is None and pend is None:
                continue
            problem = check_span(pstart, pend, length)
            if problem:
                yield Flag("bad_offsets", paper, f"claim {part}: {problem}", claim=i)
    for i in data.rows_of("benchmarks", paper):
        bench = data.benchmarks[i]
        if bench.get("field", "abstract") != "abstract":
            continue
        start, end = bench.get("start"), bench.get("end")
        if start is None and end is None:
            continue
        problem = check_span(start, end, length)
        if problem:
            yield Flag("bad_offsets", paper, f"benchmark {bench['name']!r}: {problem}")
        elif abstract[start:end] != bench["name"]:
            yield Flag(
                "bad_offsets",
                paper,
                f"the benchmark is {bench['name']!r} but its offsets cover {abstract[start:end]!r}",
                start,
                end,
            )
    for i in data.rows_of("links", paper):
        link = data.links[i]
        start, end = link.get("start"), link.get("end")
        if start is None and end is None:
            continue
        problem = check_span(start, end, length)
        if problem:
            yield Flag("bad_offsets", paper, f"link {link['url']!r}: {problem}")


_BOUNDED_METRIC = re.compile(
    r"accura|precision|recall|\bf1\b|f-?score|f-measure|exact match|\bem\b|rate\b|pass@"
    r"|hits?@|\bauc\b|\bm?iou\b|\bm?ap\b|coverage|agreement|top-\d",
    re.IGNORECASE,
)
_PERCENT_UNITS = {"%", "\\%", "percent", "per cent", "pct"}


def is_bounded_metric(metric: str | None) -> bool:
    """Whether a metric is a share that cannot exceed 100% (accuracy, F1, a rate...)."""
    return bool(metric and _BOUNDED_METRIC.search(metric))


def claim_flags(paper: int, index: int, claim: Row) -> Iterator[Flag]:
    """A claim's own problems: a percentage past 100 on a bounded scale, missing parts."""
    span = _value_span(claim)
    value = claim.get("value")
    unit = (claim.get("unit") or "").strip().lower()
    metric = claim.get("metric_canonical") or claim.get("metric")
    if isinstance(value, (int, float)) and value > 100 and unit in _PERCENT_UNITS:
        reason = None
        if is_bounded_metric(metric):
            reason = f"{claim['value_text']} {metric}: this metric cannot exceed 100%"
        elif claim.get("kind") == "reduction":
            reason = f"a reduction of {claim['value_text']}: nothing shrinks by more than 100%"
        elif claim.get("kind") == "score":
            reason = f"a score of {claim['value_text']}: a score in percent stops at 100%"
        if reason:
            yield Flag("over_100", paper, reason, *span, claim=index)
    missing = [part for part in ("benchmark", "metric") if not claim.get(part)]
    if missing:
        yield Flag("incomplete_claim", paper, "no " + " and no ".join(missing), *span, claim=index)


def _value_span(claim: Row) -> tuple[int | None, int | None]:
    start, end = claim.get("start"), claim.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    return None, None


# The lookahead lets the engine skip, at a glance, positions no cue can start at.
_SOTA = re.compile(
    r"\b(?=[so])(?:state[- ]of[- ]the[- ]art|sota\b|outperform\w*|surpass\w*)", re.IGNORECASE
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of the sentences of ``text`` (the project's one splitter,
    the one the claim rules read)."""
    return sentence_spans(text)


def sota_flags(paper: int, abstract: str, claims: list[Row]) -> Iterator[Flag]:
    """Sentences claiming superiority ("outperforms", "state-of-the-art") with no claim."""
    cues = list(_SOTA.finditer(abstract))
    if not cues:
        return
    starts: list[int] = [c["start"] for c in claims if isinstance(c.get("start"), int)]
    for s_start, s_end in sentences(abstract):
        cue = next((c for c in cues if s_start <= c.start() and c.end() <= s_end), None)
        if cue is None or any(s_start <= start < s_end for start in starts):
            continue
        sentence = abstract[s_start:s_end]
        numbers = [sentence[a:b] for a, b in result_like_numbers(sentence)]
        yield Flag(
            "sota_no_number",
            paper,
            f"says {cue.group(0)!r} but no claim was extracted from the sentence; "
            + (f"it holds {', '.join(numbers)}" if numbers else "it holds no result-like number"),
            cue.start(),
            cue.end(),
        )


# A number not glued to a name, version, path or LaTeX command ("ResNet-50", "v1.5",
# "Qwen2.5", "arXiv:2401.1234"), optionally with a unit that marks a result.
_NUMBER = re.compile(r"(?<![\w.,\-/:@#$\\{])\d+(?:,\d{3})*(?:\.\d+)?")
# A significance level ("p < 0.001", "$p=0.01$") is a test's outcome, not a result.
_P_VALUE = re.compile(r"\bp\s*[<>=≤≥]\s*\$?\s*$", re.IGNORECASE)
_RESULT_UNIT = re.compile(
    r"\s?(?:\\?%|percent\b|per cent\b|percentage points?\b|pp\b|points?\b"
    r"|[x×](?!\w)(?!\s*\d)|times\b|-?fold\b)"
)
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\s$")


def result_like_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of numbers that look like reported results.

    A number with a unit of results (``%``, ``pp``, ``x``, ``times``, ``-fold``,
    ``points``), or a decimal standing alone ("0.77 FAD"), unless it is part of a name
    ("Llama 3.1", "ResNet-50"), a size ("7B", "3.5k"), a resolution ("224 x 224"), a
    LaTeX argument ("\\pi_{0.5}") or a significance level ("p < 0.001").
    """
    found: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if end < len(text) and text[end] == "." and text[end + 1 : end + 2].isdigit():
            continue  # a version or a dotted number ("1.2.3")
        if _P_VALUE.search(text[max(0, start - 8) : start]):
            continue
        unit = _RESULT_UNIT.match(text, end)
        if unit:
            found.append((start, unit.end()))
            continue
        if "." not in match.group(0) or (end < len(text) and text[end].isalnum()):
            continue
        if _TITLE_WORD.search(text, max(0, start - 30), start):
            continue
        found.append((start, end))
    return found


def unclaimed_number_flags(
    paper: int, abstract: str, data: Dataset, claims: list[Row]
) -> Iterator[Flag]:
    """Result-like numbers that no claim, link or benchmark name accounts for."""
    taken: list[tuple[int, int]] = []
    for claim in claims:
        taken.append(_pair(claim, "start", "end"))
        for part in CLAIM_PARTS:
            taken.append(_pair(claim, f"{part}_start", f"{part}_end"))
    for table, rows in (("links", data.links), ("benchmarks", data.benchmarks)):
        for i in data.rows_of(table, paper):
            if rows[i].get("field", "abstract") == "abstract":
                taken.append(_pair(rows[i], "start", "end"))
    for start, end in result_like_numbers(abstract):
        if any(a < end and start < b for a, b in taken):
            continue
        if any(_is_baseline_value(abstract[start:end], start, c) for c in claims):
            continue
        yield Flag(
            "unclaimed_number",
            paper,
            f"{abstract[start:end]!r} looks like a result but no claim was extracted",
            start,
            end,
        )


def _pair(row: Row, start: str, end: str) -> tuple[int, int]:
    a, b = row.get(start), row.get(end)
    return (a, b) if isinstance(a, int) and isinstance(b, int) else (0, 0)


def _is_baseline_value(text: str, start: int, claim: Row) -> bool:
    """Whether the number is the "from" value of a claim ("from 35.6% to 46.7%")."""
    baseline = claim.get("baseline_value")
    evidence = _pair(claim, "evidence_start", "evidence_end")
    if baseline is None or not evidence[0] <= start < evidence[1]:
        return False
    number = re.match(r"\d+(?:,\d{3})*(?:\.\d+)?", text)
    return number is not None and float(number.group(0).replace(",", "")) == float(baseline)


def rare_benchmark_flags(data: Dataset) -> Iterator[Flag]:
    """Benchmarks that only one paper names (in its benchmarks or its claims)."""
    mentions: dict[str, dict[int, list[tuple[Any, Any, Any]]]] = {}
    for table, rows, name_col, canonical_col, start_col, end_col in (
        ("benchmarks", data.benchmarks, "name", "canonical", "start", "end"),
        (
            "claims",
            data.claims,
            "benchmark",
            "benchmark_canonical",
            "benchmark_start",
            "benchmark_end",
        ),
    ):
        for paper in range(len(data.papers)):
            for i in data.rows_of(table, paper):
                row = rows[i]
                name = row.get(name_col)
                key = fold(row.get(canonical_col) or name)
                if not key:
                    continue
                in_abstract = row.get("field", "abstract") == "abstract"
                start, end = (row.get(start_col), row.get(end_col)) if in_abstract else (None, None)
                mentions.setdefault(key, {}).setdefault(paper, []).append((start, end, name))
    for by_paper in mentions.values():
        if len(by_paper) != 1:
            continue
        ((paper, found),) = by_paper.items()
        length = len(data.papers[paper].get("abstract") or "")
        placed = [(s, e, n) for s, e, n in found if check_span(s, e, length) is None]
        start, end, name = min(placed) if placed else (None, None, found[0][2])
        yield Flag("rare_benchmark", paper, f"{name!r} is named by no other paper", start, end)
