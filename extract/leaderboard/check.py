"""Checking a leaderboard against gold annotations.

    python -m extract.leaderboard.check DIR GOLD... [--min-confidence 0.5] [--json]

``DIR`` is a dataset written from the gold's listings, ``GOLD`` gold files or folders of
them (``*.gold.jsonl``). Papers pair by normalised title and claims by
:func:`extract.evaluate.pair_claims`, as ``extract eval`` does. Two figures:

- **entries right**: of the leaderboard's score entries at confidence >= the threshold,
  the share that pair with a gold claim whose kind, metric, benchmark and subject agree
  wherever the gold names them (entries paired with an optional gold claim count neither
  way);
- **gold entries found**: of the gold's required score claims that name a benchmark, the
  share whose paired claim is a score entry of the leaderboard (at any confidence).

The same code builds the leaderboard of the gold claims themselves, for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..canonical import Names
from ..errors import ExtractError
from ..evaluate import GoldPaper, claim_is_right, load_gold, norm_text, pair_claims
from .build import Leaderboards, build, read_rows


@dataclass
class LeaderboardCheck:
    min_confidence: float
    entries: int  #: score entries at confidence >= min_confidence (of gold papers)
    entries_right: int
    entries_optional: int  #: paired with an optional gold claim: not counted
    gold_entries: int  #: required gold score claims naming a benchmark
    gold_found: int
    gold_found_confident: int  #: found among the entries at confidence >= min_confidence
    gold_boards: int  #: leaderboards built from the gold claims
    wrong: list[str]  #: the entries that are not right, for a person

    @property
    def right_share(self) -> float | None:
        return self.entries_right / self.entries if self.entries else None

    @property
    def found_share(self) -> float | None:
        return self.gold_found / self.gold_entries if self.gold_entries else None

    def to_dict(self) -> dict[str, Any]:
        right, found = self.right_share, self.found_share
        return {
            "min_confidence": self.min_confidence,
            "entries": self.entries,
            "entries_right": self.entries_right,
            "entries_right_share": None if right is None else round(right, 4),
            "entries_optional": self.entries_optional,
            "gold_entries": self.gold_entries,
            "gold_found": self.gold_found,
            "gold_found_share": None if found is None else round(found, 4),
            "gold_found_confident": self.gold_found_confident,
            "gold_leaderboards": self.gold_boards,
            "wrong": self.wrong,
        }


def gold_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.gold.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ExtractError("no gold files", where=", ".join(str(p) for p in paths))
    return files


def load_gold_with_subjects(path: Path) -> list[tuple[GoldPaper, list[str | None]]]:
    """The gold papers of a file, each with the subjects of its claims (in order)."""
    papers = load_gold(path)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    subjects = [[c.get("subject") for c in json.loads(line).get("claims", [])] for line in lines]
    return list(zip(papers, subjects, strict=True))


def check(
    directory: Path, golds: Sequence[Path], min_confidence: float = 0.5, names: Names | None = None
) -> LeaderboardCheck:
    claims, papers = read_rows(directory)
    boards = build(claims, papers)
    entry_ids = {e.claim_id for b in boards.boards if b.kind == "score" for e in b.entries}
    by_title: dict[str, str] = {}
    for paper in papers:
        by_title.setdefault(norm_text(paper.get("title")), str(paper["record_id"]))
    per_paper: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        per_paper.setdefault(str(claim["record_id"]), []).append(claim)
    abstracts = _abstracts(directory)
    result = LeaderboardCheck(min_confidence, 0, 0, 0, 0, 0, 0, 0, [])
    gold_rows: list[dict[str, Any]] = []
    for path in gold_files(golds):
        for g, subjects in load_gold_with_subjects(path):
            rid = by_title.get(norm_text(g.title))
            if rid is None:
                continue
            gold_rows += _gold_claims(g, subjects, rid)
            predicted = per_paper.get(rid, [])
            pairing = pair_claims(predicted, g.claims, abstracts.get(rid, ""))
            paired = {i: gc for gc, i in pairing.pairs}
            for i, claim in enumerate(predicted):
                if claim["claim_id"] not in entry_ids:
                    continue
                confidence = claim.get("confidence")
                if confidence is None or confidence < min_confidence:
                    continue
                if i in pairing.optional:
                    result.entries_optional += 1
                    continue
                result.entries += 1
                gc = paired.get(i)
                subject = subjects[g.claims.index(gc)] if gc is not None else None
                if gc is not None and claim_is_right(gc, subject, claim):
                    result.entries_right += 1
                else:
                    result.wrong.append(
                        f"{claim['claim_id']} {claim['value_text']!r} on {claim['benchmark']!r}"
                        f" ({claim.get('subject')!r}): "
                        + ("no gold claim" if gc is None else "gold differs")
                    )
            for gc, i in pairing.pairs:
                if gc.kind == "score" and gc.benchmark:
                    result.gold_entries += 1
                    claim = predicted[i]
                    if claim["claim_id"] in entry_ids:
                        result.gold_found += 1
                        confidence = claim.get("confidence")
                        if confidence is not None and confidence >= min_confidence:
                            result.gold_found_confident += 1
            result.gold_entries += sum(
                1 for gc in pairing.missed if gc.kind == "score" and gc.benchmark
            )
    result.gold_boards = len(gold_leaderboards(gold_rows, papers, names).boards)
    return result


def _abstracts(directory: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    out: dict[str, str] = {}
    for part in sorted((directory / "papers").glob("*.parquet")):
        for row in pq.read_table(part, columns=["record_id", "abstract"]).to_pylist():
            out[str(row["record_id"])] = str(row.get("abstract") or "")
    return out


def _gold_claims(g: GoldPaper, subjects: list[str | None], rid: str) -> list[dict[str, Any]]:
    rows = []
    for n, (gc, subject) in enumerate(zip(g.claims, subjects, strict=True), start=1):
        if gc.optional or not gc.benchmark:
            continue
        rows.append(
            {
                "record_id": rid,
                "claim_id": f"{rid}#gold{n}",
                "value": gc.value,
                "value_text": gc.value_text or f"{gc.value:g}",
                "unit": gc.unit,
                "kind": gc.kind,
                "metric": gc.metric,
                "benchmark": gc.benchmark,
                "subject": subject,
                "evidence": gc.evidence,
                "confidence": 1.0,
            }
        )
    return rows


def gold_leaderboards(
    rows: list[dict[str, Any]], papers: list[dict[str, Any]], names: Names | None = None
) -> Leaderboards:
    """The leaderboards of gold claims, their names made canonical as the pipeline does."""
    from ..resources import pipeline_path

    names = names or Names.from_pipeline(pipeline_path("daily_papers"))
    for row in rows:
        name = names.benchmark(str(row["benchmark"]))
        row["benchmark_canonical"] = name.canonical
        row["benchmark_version"], row["split"] = name.version, name.split
        row["metric_canonical"] = names.metric(row.get("metric"), None)
        row["direction"] = names.directions.get(str(row["metric_canonical"]))
    return build(rows, papers)


def percent(share: float | None) -> str:
    """A share as the check prints it: '97.3%', or '-' when there is nothing to count."""
    return "-" if share is None else f"{share:.1%}"


def format_check(result: LeaderboardCheck) -> str:
    right, found = percent(result.right_share), percent(result.found_share)
    return (
        f"entries at confidence >= {result.min_confidence:g}: {result.entries}, right "
        f"{result.entries_right} ({right}); "
        f"{result.entries_optional} paired with optional gold claims, not counted\n"
        f"gold score claims naming a benchmark: {result.gold_entries}, found as entries "
        f"{result.gold_found} ({found}), "
        f"{result.gold_found_confident} of them at confidence >= {result.min_confidence:g}\n"
        f"leaderboards built from the gold claims: {result.gold_boards}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m extract.leaderboard.check",
        description="Check a dataset's leaderboard against gold annotations.",
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = check(args.directory, args.gold, args.min_confidence)
    except ExtractError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        sys.stdout.write(format_check(result))
        if args.show_wrong:
            sys.stdout.write("".join(f"  {w}\n" for w in result.wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
