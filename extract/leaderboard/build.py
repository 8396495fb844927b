"""Leaderboards from a dataset: claims grouped by benchmark, metric and split, ranked.

A leaderboard holds the claims of one canonical benchmark, version, split, canonical
metric and unit. Absolute scores (kind ``score``) are ranked by the metric's direction
(higher or lower is better, from the metric gazetteer; when no claim of the board knows
it, the board says ``unknown`` and lists its entries by date, unranked). Improvements,
speedups, reductions and ratios say how much better something got, not how good it is:
they go to boards of their own (``kind`` ``relative``), never ranked with scores.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..canonical import joined, key, split_name
from ..errors import ExtractError

#: Columns of ``claims`` and ``papers`` a leaderboard reads.
CLAIM_COLUMNS = (
    "record_id",
    "claim_id",
    "value",
    "value_text",
    "unit",
    "kind",
    "metric",
    "metric_canonical",
    "direction",
    "benchmark",
    "benchmark_canonical",
    "benchmark_version",
    "split",
    "subject",
    "baseline",
    "qualifier",
    "evidence",
    "evidence_start",
    "evidence_end",
    "start",
    "end",
    "confidence",
)
PAPER_COLUMNS = ("record_id", "title", "arxiv_id", "listing_date", "short_name", "abstract")


@dataclass(frozen=True)
class Entry:
    """One claim on a leaderboard, with its paper."""

    claim_id: str
    record_id: str
    subject: str | None
    value: float
    value_text: str
    unit: str | None
    confidence: float | None
    title: str
    arxiv_id: str | None
    listing_date: str | None  #: ISO date
    evidence: str
    kind: str
    metric: str | None  #: as written
    benchmark: str  #: as written
    qualifier: str | None = None
    rank: int | None = None
    #: where ``value_text`` sits in ``evidence`` (start, end), when known
    in_evidence: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "claim_id": self.claim_id,
            "record_id": self.record_id,
            "subject": self.subject,
            "value": self.value,
            "value_text": self.value_text,
            "unit": self.unit,
            "confidence": self.confidence,
            "title": self.title,
            "arxiv_id": self.arxiv_id,
            "listing_date": self.listing_date,
            "kind": self.kind,
            "metric": self.metric,
            "benchmark": self.benchmark,
            "qualifier": self.qualifier,
            "evidence": self.evidence,
        }


@dataclass
class Board:
    """The entries of one benchmark, version, split, metric, unit and kind of result."""

    benchmark: str  #: the name shown: the gazetteer's, else the most written spelling
    canonical: str  #: ``benchmark_canonical`` of its claims
    version: str | None
    split: str | None
    metric: str | None  #: ``metric_canonical``
    unit: str | None
    kind: str  #: ``score`` or ``relative``
    direction: str | None  #: ``higher``, ``lower`` or None (unknown)
    entries: list[Entry] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return self.kind == "score" and self.direction is not None

    @property
    def papers(self) -> int:
        return len({e.record_id for e in self.entries})

    @property
    def best(self) -> Entry | None:
        return self.entries[0] if self.ranked and self.entries else None

    @property
    def title(self) -> str:
        """The benchmark as shown, with its version and split: "WidgetBench v2 (hard)"."""
        parts = [self.benchmark]
        if self.version:
            parts.append(self.version)
        if self.split:
            parts.append(f"({self.split})")
        return " ".join(parts)

    @property
    def measure(self) -> str:
        """What the entries measure: the metric and unit, or that no metric is named."""
        what = self.metric or "metric not named"
        return f"{what}, {self.unit}" if self.unit else what

    @property
    def order(self) -> str:
        """How the entries are ordered, in words."""
        if self.kind == "relative":
            return "gains over a baseline, not ranked"
        if self.direction is None:
            return "direction unknown: by date, not ranked"
        return f"{self.direction} is better"

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "benchmark_canonical": self.canonical,
            "version": self.version,
            "split": self.split,
            "metric": self.metric,
            "unit": self.unit,
            "kind": self.kind,
            "direction": self.direction or "unknown",
            "ranked": self.ranked,
            "papers": self.papers,
            "entries": [e.to_dict() for e in self.entries],
        }

    def best_over_time(self) -> list[Entry]:
        """The entries that were the best so far when listed, in date order."""
        if not self.ranked:
            return []
        dated = sorted(
            (e for e in self.entries if e.listing_date),
            key=lambda e: (e.listing_date or "", e.claim_id),
        )
        best: list[Entry] = []
        for entry in dated:
            if not best or _better(entry.value, best[-1].value, self.direction):
                best.append(entry)
        return best


def _better(value: float, than: float, direction: str | None) -> bool:
    return value > than if direction == "higher" else value < than


@dataclass
class IndexRow:
    """One benchmark of the index: how many papers report results on it."""

    benchmark: str
    canonical: str
    papers: int
    entries: int
    boards: int


@dataclass
class Leaderboards:
    boards: list[Board]
    index: list[IndexRow]
    min_confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_confidence": self.min_confidence,
            "index": [
                {
                    "benchmark": r.benchmark,
                    "benchmark_canonical": r.canonical,
                    "papers": r.papers,
                    "entries": r.entries,
                    "leaderboards": r.boards,
                }
                for r in self.index
            ],
            "leaderboards": [b.to_dict() for b in self.boards],
        }


RELATIVE_KINDS = frozenset({"improvement", "speedup", "reduction", "ratio"})


def read_rows(directory: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The claims and papers of a dataset, only the columns a leaderboard reads."""
    tables = []
    for name, columns in (("claims", CLAIM_COLUMNS), ("papers", PAPER_COLUMNS)):
        folder = directory / name
        parts = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if not parts:
            raise ExtractError(
                f"no {name} table here",
                where=str(directory),
                hint="give the output directory of `extract run`",
            )
        rows: list[dict[str, Any]] = []
        for part in parts:
            try:
                table = pq.read_table(part)
                present = [c for c in columns if c in table.column_names]
                rows.extend(table.select(present).to_pylist())
            except Exception as exc:  # pyarrow raises several types for a damaged file
                raise ExtractError(f"cannot read Parquet: {exc}", where=str(part)) from None
        tables.append(rows)
    return tables[0], tables[1]


def build(
    claims: Iterable[Mapping[str, Any]],
    papers: Iterable[Mapping[str, Any]],
    *,
    benchmark: str | None = None,
    metric: str | None = None,
    min_confidence: float = 0.0,
    joins: Mapping[str, str] | None = None,
) -> Leaderboards:
    """Group claims that name a benchmark into ranked leaderboards (see the module doc).

    ``joins`` maps a short form to the key of the long form other papers define it as
    (:func:`extract.canonical.joins`): a claim written as such a short form joins the
    long form's boards.
    """
    by_id = {str(p["record_id"]): p for p in papers}
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for claim in claims:
        canonical = claim.get("benchmark_canonical")
        if not canonical or not claim.get("benchmark"):
            continue
        if joins:
            target = joined(str(claim["benchmark"]), str(canonical), joins)
            if target != canonical:
                claim = {**claim, "benchmark_canonical": target}
                canonical = target
        confidence = claim.get("confidence")
        if min_confidence > 0 and (confidence is None or confidence < min_confidence):
            continue
        kind = "score" if claim.get("kind") == "score" else "relative"
        if kind == "relative" and claim.get("kind") not in RELATIVE_KINDS:
            continue
        group = (
            str(canonical),
            str(claim.get("benchmark_version") or ""),
            str(claim.get("split") or ""),
            str(claim.get("metric_canonical") or ""),
            str(claim.get("unit") or ""),
            kind,
        )
        groups.setdefault(group, []).append(claim)
    written = _written_names(c for rows in groups.values() for c in rows)
    boards = [_board(k, rows, by_id, written) for k, rows in groups.items()]
    if benchmark:
        wanted = key(benchmark)
        boards = [b for b in boards if wanted in (key(b.canonical), key(b.benchmark))]
    if metric:
        wanted = key(metric)
        boards = [b for b in boards if b.metric and key(b.metric) == wanted]
    boards.sort(key=lambda b: (b.kind != "score", -b.papers, -len(b.entries), _board_key(b)))
    return Leaderboards(boards, _index(boards), min_confidence)


def _board_key(board: Board) -> tuple[str, ...]:
    return (
        board.benchmark.casefold(),
        board.version or "",
        board.split or "",
        board.metric or "",
        board.unit or "",
    )


def _written_names(claims: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Canonical -> the name to show: the canonical when the gazetteer gave it (it is not
    a bare key), else the spelling the most papers write (then the most claims, then the
    first in sorted order)."""
    papers: dict[str, dict[str, set[str]]] = {}
    counts: dict[str, Counter[str]] = {}
    for claim in claims:
        base = split_name(str(claim["benchmark"]))[0]
        canonical = str(claim["benchmark_canonical"])
        papers.setdefault(canonical, {}).setdefault(base, set()).add(str(claim["record_id"]))
        counts.setdefault(canonical, Counter())[base] += 1
    shown = {}
    for canonical, names in counts.items():
        if canonical != key(canonical):
            shown[canonical] = canonical
            continue
        by_papers = papers[canonical]
        shown[canonical] = min(names, key=lambda name: (-len(by_papers[name]), -names[name], name))
    return shown


def _board(
    group: tuple[str, ...],
    rows: Sequence[Mapping[str, Any]],
    papers: Mapping[str, Mapping[str, Any]],
    written: Mapping[str, str],
) -> Board:
    canonical, version, split, metric, unit, kind = group
    directions = Counter(str(c["direction"]) for c in rows if c.get("direction"))
    direction = directions.most_common(1)[0][0] if directions else None
    if len(directions) > 1 and directions.most_common(2)[1][1] == directions.most_common(1)[0][1]:
        direction = None  # the claims disagree as much as they agree: say so, do not guess
    board = Board(
        benchmark=written[canonical],
        canonical=canonical,
        version=version or None,
        split=split or None,
        metric=metric or None,
        unit=unit or None,
        kind=kind,
        direction=direction,
    )
    entries = [_entry(c, papers.get(str(c["record_id"]), {})) for c in rows]
    if board.ranked:
        sign = -1.0 if direction == "higher" else 1.0
        entries.sort(key=lambda e: (sign * e.value, e.listing_date or "", e.claim_id))
        entries = [_with_rank(e, i) for i, e in enumerate(entries, start=1)]
    elif kind == "relative":
        entries.sort(key=lambda e: (-e.value, e.claim_id))
    else:
        entries.sort(key=lambda e: (e.listing_date or "", e.claim_id))
    board.entries = entries
    return board


def _with_rank(entry: Entry, rank: int) -> Entry:
    return Entry(**{**entry.__dict__, "rank": rank})


def _entry(claim: Mapping[str, Any], paper: Mapping[str, Any]) -> Entry:
    date = paper.get("listing_date")
    confidence = claim.get("confidence")
    return Entry(
        claim_id=str(claim["claim_id"]),
        record_id=str(claim["record_id"]),
        subject=claim.get("subject"),
        value=float(claim["value"]),
        value_text=str(claim.get("value_text") or claim["value"]),
        unit=claim.get("unit"),
        confidence=None if confidence is None else float(confidence),
        title=str(paper.get("title") or ""),
        arxiv_id=paper.get("arxiv_id"),
        listing_date=date.isoformat() if isinstance(date, dt.date) else date,
        evidence=str(claim.get("evidence") or ""),
        kind=str(claim.get("kind")),
        metric=claim.get("metric"),
        benchmark=str(claim.get("benchmark")),
        qualifier=claim.get("qualifier"),
        in_evidence=_in_evidence(claim),
    )


def _in_evidence(claim: Mapping[str, Any]) -> tuple[int, int] | None:
    evidence, text = str(claim.get("evidence") or ""), str(claim.get("value_text") or "")
    start, ev_start = claim.get("start"), claim.get("evidence_start")
    if isinstance(start, int) and isinstance(ev_start, int):
        at = start - ev_start
        if evidence[at : at + len(text)] == text:
            return at, at + len(text)
    at = evidence.find(text) if text else -1
    return (at, at + len(text)) if at >= 0 else None


def _index(boards: Sequence[Board]) -> list[IndexRow]:
    papers: dict[str, set[str]] = {}
    entries: Counter[str] = Counter()
    count: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for board in boards:
        papers.setdefault(board.canonical, set()).update(e.record_id for e in board.entries)
        entries[board.canonical] += len(board.entries)
        count[board.canonical] += 1
        shown[board.canonical] = board.benchmark
    rows = [IndexRow(shown[c], c, len(papers[c]), entries[c], count[c]) for c in papers]
    rows.sort(key=lambda r: (-r.papers, -r.entries, r.benchmark.casefold(), r.canonical))
    return rows


def load(
    directory: Path,
    *,
    benchmark: str | None = None,
    metric: str | None = None,
    min_confidence: float = 0.0,
) -> Leaderboards:
    """The leaderboards of the dataset at ``directory``."""
    claims, papers = read_rows(directory)
    return build(claims, papers, benchmark=benchmark, metric=metric, min_confidence=min_confidence)
