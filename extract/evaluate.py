"""Scoring a written dataset against gold annotations (``extract eval``).

The gold is JSON Lines in the format of the annotation guideline: one object per paper
with its title, short name, code and other URLs, benchmark names and claims. Papers are
paired by normalised title; then, per paper:

- **short names** count as right when the normalised names are equal; a name given
  where the gold has none is a false positive;
- **URLs** are compared as normalised sets (scheme, ``www.``, trailing punctuation,
  a final slash or ``.git`` and inner spaces do not matter), all URLs and code URLs apart;
- **benchmarks** are compared as sets of normalised names;
- **claims** are paired one to one on value and unit, and a predicted claim only
  pairs with a gold claim when its offsets fall inside the gold evidence (when that
  evidence can be found in the abstract). Gold claims marked ``optional`` are neither
  required nor penalised: a prediction paired with one is not counted at all. On paired
  claims the metric and benchmark (where the gold names them; compared loosely, by their
  words) and the kind are checked; a *strict* match needs all of them right. The
  subject (where the gold names it, compared like the metric) is checked too, but is
  not part of the strict match.

Everything a dataset has beyond the gold (papers the gold does not list) counts as false
positives. The figures are the same as those of the reference scorer shipped with the
shared corpus (the subject accuracy is ours alone); the error listing
(:func:`format_errors`) and the per-rule table (:func:`format_rules`) are for working
on rules.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .confidence import field_rules
from .errors import ExtractError

# ---------------------------------------------------------------------------- gold format


class GoldUrl(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str
    kind: str | None = None


class GoldClaim(BaseModel):
    model_config = ConfigDict(extra="ignore")

    value: float
    value_text: str | None = None
    unit: str | None = None
    kind: str | None = None
    metric: str | None = None
    benchmark: str | None = None
    subject: str | None = None
    evidence: str | None = None
    optional: bool = False


class GoldPaper(BaseModel):
    """One line of a gold file (fields the scoring does not use are ignored)."""

    model_config = ConfigDict(extra="ignore")

    position: int | None = None
    title: str = Field(min_length=1)
    short_name: str | None = None
    code_urls: list[str] = Field(default_factory=list)
    other_urls: list[GoldUrl] = Field(default_factory=list)
    benchmarks: list[str] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)


def load_gold(path: Path) -> list[GoldPaper]:
    """The papers of a gold JSONL file; a bad line stops with ``file:line: reason``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractError(f"cannot read the gold file: {exc}", where=str(path)) from None
    papers = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            papers.append(GoldPaper.model_validate_json(line))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "line"
            raise ExtractError(f"{where}: {error['msg']}", where=f"{path}:{number}") from None
    if not papers:
        raise ExtractError("the gold file holds no papers", where=str(path))
    return papers


# --------------------------------------------------------------------------- the dataset


@dataclass
class Dataset:
    """The rows of a written dataset that scoring reads, in stored order."""

    papers: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    benchmarks: list[dict[str, Any]]
    links: list[dict[str, Any]]


def load_dataset(directory: Path) -> Dataset:
    """Read the tables of a dataset (``NAME/part-*.parquet`` or ``NAME.parquet``)."""
    papers = _read_table(directory, "papers")
    if papers is None:
        raise ExtractError(
            "no papers table here",
            where=str(directory),
            hint="give the output directory of `extract run`",
        )
    return Dataset(
        papers=papers,
        claims=_read_table(directory, "claims") or [],
        benchmarks=_read_table(directory, "benchmarks") or [],
        links=_read_table(directory, "links") or [],
    )


def _read_table(directory: Path, name: str) -> list[dict[str, Any]] | None:
    folder, single = directory / name, directory / f"{name}.parquet"
    if folder.is_dir():
        parts = sorted(folder.glob("*.parquet"))
    elif single.is_file():
        parts = [single]
    else:
        return None
    rows: list[dict[str, Any]] = []
    for part in parts:
        try:
            rows.extend(pq.read_table(part).to_pylist())
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise ExtractError(f"cannot read Parquet: {exc}", where=str(part)) from None
    return rows


# ------------------------------------------------------------------------- normalisation

#: Words that do not decide whether two metric or benchmark names are the same.
_FILLER_WORDS = frozenset(
    {"the", "a", "an", "of", "on", "in", "for", "and", "set", "task", "tasks", "score", "scores"}
    | {"benchmark", "benchmarks", "dataset", "datasets"}
)


def norm_text(text: str | None) -> str:
    """Case-folded letters and digits only: 'CIFAR-100' and 'cifar100' are equal."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[^0-9a-z]+", "", folded)


def content_words(text: str | None) -> set[str]:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return {w for w in re.findall(r"[0-9a-z]+", folded) if w not in _FILLER_WORDS}


def same_name(gold: str, predicted: str | None) -> bool:
    """Loose equality of metric or benchmark names.

    Equal when their letters and digits are equal, or when the content words of one
    are all among the other's and make up at least half of them ('accuracy' and
    'top-1 accuracy' are the same; 'accuracy' and 'balanced class accuracy' are not).
    """
    if norm_text(gold) and norm_text(gold) == norm_text(predicted):
        return True
    a, b = content_words(gold), content_words(predicted)
    if not a or not b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small <= large and 2 * len(small) >= len(large)


def norm_url(url: str | None) -> str:
    """Host (lower case, no scheme or ``www.``) and path (no final slash or ``.git``)."""
    text = re.sub(r"\s+", "", (url or "").strip()).rstrip(".,;:)]}>'\"")
    text = re.sub(r"^https?://", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^www\.", "", text, flags=re.IGNORECASE)
    host, _, path = text.partition("/")
    path = path.rstrip("/")
    path = path.removesuffix(".git").rstrip("/")
    return host.lower() + (f"/{path}" if path else "")


def norm_unit(unit: str | None) -> str:
    """'%', 'x', 'pp' or '' (no unit, or a unit that is none of these)."""
    text = (unit or "").strip().lower()
    if text in ("%", "percent", "pct", "percentage"):
        return "%"
    if text in ("x", "×", "times", "fold", "factor"):
        return "x"
    if text in ("pp", "percentage points", "percentage point", "p.p."):
        return "pp"
    return ""


def same_value(predicted: Any, gold: float) -> bool:
    try:
        return math.isclose(float(predicted), gold, rel_tol=1e-6, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def inside_evidence(claim: dict[str, Any], evidence: str | None, abstract: str) -> bool:
    """False only when the claim's offsets provably miss every copy of the evidence."""
    start, end = claim.get("start"), claim.get("end")
    if start is None or end is None or not abstract or not evidence:
        return True
    spans = []
    at = abstract.find(evidence)
    while at >= 0:
        spans.append((at, at + len(evidence)))
        at = abstract.find(evidence, at + 1)
    return not spans or any(start < e and end > s for s, e in spans)


# ---------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Score:
    """True positives, predictions and gold items, with precision, recall and F1."""

    tp: int
    pred: int
    gold: int

    @property
    def precision(self) -> float:
        if self.pred:
            return self.tp / self.pred
        return 0.0 if self.gold else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class Accuracy:
    right: int
    total: int

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass(frozen=True)
class Problem:
    """One error, for ``--show-errors``: what kind, where, and the text to look at."""

    group: str  #: e.g. "claims: missed", "benchmarks: false positive"
    paper: str  #: the paper's title
    what: str  #: the value or name concerned, and what was expected or found
    evidence: str = ""  #: the text it came from (gold evidence or predicted evidence)
    rule_id: str = ""  #: the rule that produced a wrong prediction


#: The P/R/F1 figures of a report, in the order they are printed.
SCORES = (
    "records",
    "code_urls",
    "all_urls",
    "benchmarks",
    "claims",
    "claims_strict",
    "short_names",
)
#: The accuracies on paired claims.
ACCURACIES = ("metric", "benchmark", "kind")
#: Accuracies ``extract eval`` reports beyond the reference scorer's figures (they are
#: not part of the strict match).
EXTRA_ACCURACIES = ("subject",)
#: The claim fields whose rules ``--by-rule`` scores, and how a field is judged right.
FIELDS = ("metric", "benchmark", "subject")


@dataclass
class RuleTally:
    """What one rule produced on the gold papers, and how much of it was right.

    For a claim rule (the ``rule_id`` of a claim), ``produced`` counts its claims on
    papers of the gold (claims paired with an optional gold claim are not counted) and
    ``right`` those that pair with a gold claim; ``strict`` those also right in kind,
    metric and benchmark. For a field rule, ``produced`` counts the paired claims whose
    field it read where the gold names that field, and ``right`` those it read right.
    """

    rule_id: str
    field: str  #: "claim", or the field the rule reads ("metric", "benchmark", ...)
    produced: int = 0
    right: int = 0
    strict: int = 0


@dataclass
class Report:
    scores: dict[str, Score]
    accuracies: dict[str, Accuracy]
    problems: list[Problem] = field(default_factory=list)
    #: per rule id, what it produced on the gold (see :class:`RuleTally`)
    rules: dict[tuple[str, str], RuleTally] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The figures, as JSON-ready data: the reference scorer's layout, then the
        accuracies it does not report (``claim_subject_acc``)."""
        data: dict[str, Any] = {name: self.scores[name].to_dict() for name in SCORES}
        for name in ACCURACIES + EXTRA_ACCURACIES:
            value = self.accuracies[name].value
            data[f"claim_{name}_acc"] = None if value is None else round(value, 4)
        return data


def evaluate(dataset: Dataset, gold: list[GoldPaper]) -> Report:
    """Score ``dataset`` against ``gold``: P/R/F1 per item type, accuracies, and errors."""
    by_title: dict[str, dict[str, Any]] = {}
    for paper in dataset.papers:
        by_title.setdefault(norm_text(paper.get("title")), paper)
    pairs = [(g, by_title.get(norm_text(g.title))) for g in gold]
    matched_ids = {p["record_id"] for _, p in pairs if p is not None}
    unmatched = [p for p in dataset.papers if p["record_id"] not in matched_ids]

    problems: list[Problem] = []
    scores = {"records": Score(len(matched_ids), len(dataset.papers), len(gold))}
    for g, p in pairs:
        if p is None:
            problems.append(Problem("records: missed", g.title, "no paper with this title"))
    for p in unmatched:
        problems.append(Problem("records: false positive", p["title"], "not in the gold"))

    scores["short_names"] = _short_names(pairs, unmatched, problems)
    links = _grouped(dataset.links)
    scores["code_urls"], scores["all_urls"] = _urls(pairs, unmatched, links, problems)
    scores["benchmarks"] = _benchmarks(pairs, unmatched, _grouped(dataset.benchmarks), problems)
    rules: dict[tuple[str, str], RuleTally] = {}
    claims, strict, accuracies = _claims(
        pairs, unmatched, _grouped(dataset.claims), problems, rules
    )
    scores["claims"], scores["claims_strict"] = claims, strict
    return Report(scores=scores, accuracies=accuracies, problems=problems, rules=rules)


Pair = tuple[GoldPaper, "dict[str, Any] | None"]


def _grouped(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["record_id"], []).append(row)
    return grouped


def _short_names(
    pairs: list[Pair], unmatched: list[dict[str, Any]], problems: list[Problem]
) -> Score:
    tp = n_pred = n_gold = 0
    for g, p in pairs:
        predicted = (p or {}).get("short_name")
        pred, gold = norm_text(predicted), norm_text(g.short_name)
        n_pred += bool(pred)
        n_gold += bool(gold)
        if pred and pred == gold:
            tp += 1
        elif pred and gold:
            problems.append(
                Problem(
                    "short names: wrong",
                    g.title,
                    f"{predicted!r}, expected {g.short_name!r}",
                    rule_id=(p or {}).get("short_name_rule") or "",
                )
            )
        elif gold:
            problems.append(Problem("short names: missed", g.title, repr(g.short_name)))
        elif pred:
            problems.append(
                Problem(
                    "short names: false positive",
                    g.title,
                    repr(predicted),
                    rule_id=(p or {}).get("short_name_rule") or "",
                )
            )
    n_pred += sum(bool(norm_text(p.get("short_name"))) for p in unmatched)
    return Score(tp, n_pred, n_gold)


def _urls(
    pairs: list[Pair],
    unmatched: list[dict[str, Any]],
    links: dict[str, list[dict[str, Any]]],
    problems: list[Problem],
) -> tuple[Score, Score]:
    code = [0, 0, 0]
    every = [0, 0, 0]
    for g, p in pairs:
        rows = links.get(p["record_id"], []) if p else []
        pred_code = {norm_url(r["url"]) for r in rows if r.get("kind") == "code"}
        pred_all = {norm_url(r["url"]) for r in rows}
        gold_code = {norm_url(u) for u in g.code_urls}
        gold_all = gold_code | {norm_url(u.url) for u in g.other_urls}
        for counts, pred, gold in ((code, pred_code, gold_code), (every, pred_all, gold_all)):
            counts[0] += len(pred & gold)
            counts[1] += len(pred)
            counts[2] += len(gold)
        for url in sorted(gold_all - pred_all):
            problems.append(Problem("urls: missed", g.title, url))
        for url in sorted(pred_all - gold_all):
            problems.append(Problem("urls: false positive", g.title, url))
        for url in sorted((gold_code - pred_code) & pred_all):
            problems.append(Problem("urls: code URL of another kind", g.title, url))
        for url in sorted((pred_code - gold_code) & gold_all):
            problems.append(Problem("urls: called code, is not", g.title, url))
    for p in unmatched:
        rows = links.get(p["record_id"], [])
        every[1] += len({norm_url(r["url"]) for r in rows})
        code[1] += len({norm_url(r["url"]) for r in rows if r.get("kind") == "code"})
    return Score(*code), Score(*every)


def _benchmarks(
    pairs: list[Pair],
    unmatched: list[dict[str, Any]],
    benchmarks: dict[str, list[dict[str, Any]]],
    problems: list[Problem],
) -> Score:
    tp = n_pred = n_gold = 0
    for g, p in pairs:
        rows = benchmarks.get(p["record_id"], []) if p else []
        predicted = {norm_text(r.get("name")): r for r in rows}
        predicted.pop("", None)
        gold = {norm_text(name): name for name in g.benchmarks}
        gold.pop("", None)
        tp += len(predicted.keys() & gold.keys())
        n_pred += len(predicted)
        n_gold += len(gold)
        for key in gold.keys() - predicted.keys():
            problems.append(Problem("benchmarks: missed", g.title, gold[key]))
        for key in predicted.keys() - gold.keys():
            row = predicted[key]
            problems.append(
                Problem(
                    "benchmarks: false positive",
                    g.title,
                    row["name"],
                    evidence=_around(p, row),
                    rule_id=row.get("rule_id") or "",
                )
            )
    for p in unmatched:
        names = {norm_text(r.get("name")) for r in benchmarks.get(p["record_id"], [])}
        n_pred += len(names - {""})
    return Score(tp, n_pred, n_gold)


def _around(paper: dict[str, Any] | None, row: dict[str, Any], width: int = 60) -> str:
    """The abstract around a row's offsets, or the title when it came from there."""
    if paper is None:
        return ""
    if row.get("field") == "title" or row.get("start") is None:
        return str(paper.get("title") or "")
    abstract = paper.get("abstract") or ""
    start, end = int(row["start"]), int(row["end"])
    return abstract[max(0, start - width) : end + width].replace("\n", " ")


@dataclass
class ClaimPairing:
    """How the claims extracted from one paper pair with its gold claims."""

    #: (gold claim, index of the predicted claim) for every required gold claim found
    pairs: list[tuple[GoldClaim, int]] = field(default_factory=list)
    #: required gold claims that no predicted claim pairs with
    missed: list[GoldClaim] = field(default_factory=list)
    #: indices of predicted claims paired with an optional gold claim (not counted)
    optional: set[int] = field(default_factory=set)
    #: indices of predicted claims paired with nothing: false positives
    unpaired: list[int] = field(default_factory=list)


def pair_claims(
    predicted: Sequence[dict[str, Any]], gold: Sequence[GoldClaim], abstract: str
) -> ClaimPairing:
    """Pair predicted and gold claims one to one, required gold claims first.

    A predicted claim pairs with a gold claim of the same value and unit whose evidence
    holds its offsets (see :func:`inside_evidence`); the first such claim wins.
    """
    result = ClaimPairing()
    used: set[int] = set()
    required = [c for c in gold if not c.optional]
    optional = [c for c in gold if c.optional]
    for gc in required + optional:
        index = next(
            (
                i
                for i, c in enumerate(predicted)
                if i not in used
                and same_value(c.get("value"), gc.value)
                and norm_unit(c.get("unit")) == norm_unit(gc.unit)
                and inside_evidence(c, gc.evidence, abstract)
            ),
            None,
        )
        if index is None:
            if not gc.optional:
                result.missed.append(gc)
            continue
        used.add(index)
        if gc.optional:
            result.optional.add(index)
        else:
            result.pairs.append((gc, index))
    result.unpaired = [i for i in range(len(predicted)) if i not in used]
    return result


def _claims(
    pairs: list[Pair],
    unmatched: list[dict[str, Any]],
    claims: dict[str, list[dict[str, Any]]],
    problems: list[Problem],
    rules: dict[tuple[str, str], RuleTally] | None = None,
) -> tuple[Score, Score, dict[str, Accuracy]]:
    tp = n_pred = n_gold = strict = 0
    right = dict.fromkeys(ACCURACIES + EXTRA_ACCURACIES, 0)
    total = dict.fromkeys(ACCURACIES + EXTRA_ACCURACIES, 0)
    rules = {} if rules is None else rules

    def tally(rule_id: str | None, name: str) -> RuleTally:
        key = (rule_id or "(none)", name)
        if key not in rules:
            rules[key] = RuleTally(key[0], name)
        return rules[key]

    for g, p in pairs:
        predicted = list(claims.get(p["record_id"], [])) if p else []
        pairing = pair_claims(predicted, g.claims, (p or {}).get("abstract") or "")
        n_gold += sum(not c.optional for c in g.claims)
        for gc in pairing.missed:
            problems.append(
                Problem("claims: missed", g.title, _gold_claim_text(gc), evidence=gc.evidence or "")
            )
        for gc, index in pairing.pairs:
            tp += 1
            c = predicted[index]
            all_right = True
            for name in ("metric", "benchmark"):
                expected = getattr(gc, name)
                if not expected:
                    continue
                total[name] += 1
                ok = same_name(expected, c.get(name))
                right[name] += ok
                all_right &= ok
                if not ok:
                    problems.append(_attribute_problem(name, g.title, c, expected))
            if gc.kind:
                total["kind"] += 1
                ok = (c.get("kind") or "") == gc.kind
                right["kind"] += ok
                all_right &= ok
                if not ok:
                    problems.append(_attribute_problem("kind", g.title, c, gc.kind))
            if gc.subject:
                total["subject"] += 1
                ok = same_name(gc.subject, c.get("subject"))
                right["subject"] += ok
                if not ok:
                    problems.append(_attribute_problem("subject", g.title, c, gc.subject))
            strict += all_right
            claim_tally = tally(c.get("rule_id"), "claim")
            claim_tally.produced += 1
            claim_tally.right += 1
            claim_tally.strict += all_right
            read_by = field_rules(c)
            for name in FIELDS:
                expected = getattr(gc, name)
                if expected:
                    field_tally = tally(read_by.get(name), name)
                    field_tally.produced += 1
                    field_tally.right += same_name(expected, c.get(name))
        n_pred += len(predicted) - len(pairing.optional)
        for i in pairing.unpaired:
            c = predicted[i]
            tally(c.get("rule_id"), "claim").produced += 1
            problems.append(
                Problem(
                    "claims: false positive",
                    g.title,
                    f"{c.get('value_text')!r} ({c.get('kind')})",
                    evidence=str(c.get("evidence") or ""),
                    rule_id=str(c.get("rule_id") or ""),
                )
            )
    for p in unmatched:
        n_pred += len(claims.get(p["record_id"], []))
    accuracies = {
        name: Accuracy(right[name], total[name]) for name in ACCURACIES + EXTRA_ACCURACIES
    }
    return Score(tp, n_pred, n_gold), Score(strict, n_pred, n_gold), accuracies


def _gold_claim_text(claim: GoldClaim) -> str:
    text = claim.value_text or f"{claim.value:g}"
    details = [claim.kind or "?"]
    if claim.metric:
        details.append(f"metric {claim.metric!r}")
    if claim.benchmark:
        details.append(f"benchmark {claim.benchmark!r}")
    return f"{text!r} ({', '.join(details)})"


def _attribute_problem(name: str, title: str, claim: dict[str, Any], expected: str) -> Problem:
    return Problem(
        f"claims: wrong {name}",
        title,
        f"{claim.get('value_text')!r}: {claim.get(name)!r}, expected {expected!r}",
        evidence=str(claim.get("evidence") or ""),
        rule_id=field_rules(claim).get(name) or str(claim.get("rule_id") or ""),
    )


# ------------------------------------------------------------------------------ printing

_LABELS = {
    "records": "records",
    "code_urls": "code URLs",
    "all_urls": "all URLs",
    "benchmarks": "benchmarks",
    "claims": "claims",
    "claims_strict": "claims (strict)",
    "short_names": "short names",
}


def format_table(report: Report) -> str:
    """The figures as a fixed-width table (from the 4-place values of the JSON, so the
    printed figures are those of the reference scorer to the last digit)."""
    lines = [f"{'':<18}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'pred':>6}{'gold':>6}"]
    for name in SCORES:
        s = report.scores[name].to_dict()
        lines.append(
            f"{_LABELS[name]:<18}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}"
            f"{s['tp']:>6}{s['pred']:>6}{s['gold']:>6}"
        )
    lines.append("")
    lines.append(f"{'on paired claims':<18}{'accuracy':>10}{'right':>7}{'of':>6}")
    for name in ACCURACIES + EXTRA_ACCURACIES:
        a = report.accuracies[name]
        shown = "-" if a.value is None else f"{round(a.value, 4):.3f}"
        lines.append(f"{name:<18}{shown:>10}{a.right:>7}{a.total:>6}")
    return "\n".join(lines)


def format_rules(report: Report) -> str:
    """Per rule: the claims (or fields) it produced on the gold and how many were right.

    Claim rules first, then each field's rules; within a group, the rules that produced
    most first. ``(none)`` counts fields the gold names and no rule read.
    """
    lines = [f"{'rule':<40}{'field':<11}{'produced':>9}{'right':>7}{'share':>7}{'strict':>8}"]
    order = {"claim": 0, **{name: k + 1 for k, name in enumerate(FIELDS)}}
    tallies = sorted(
        report.rules.values(), key=lambda t: (order.get(t.field, 9), -t.produced, t.rule_id)
    )
    for t in tallies:
        share = f"{t.right / t.produced:.2f}" if t.produced else "-"
        strict = str(t.strict) if t.field == "claim" else ""
        lines.append(
            f"{_short(t.rule_id, 39):<40}{t.field:<11}{t.produced:>9}{t.right:>7}{share:>7}"
            f"{strict:>8}"
        )
    return "\n".join(lines)


def rules_as_json(report: Report) -> list[dict[str, Any]]:
    return [
        {"rule_id": t.rule_id, "field": t.field, "produced": t.produced, "right": t.right}
        | ({"strict": t.strict} if t.field == "claim" else {})
        for t in sorted(report.rules.values(), key=lambda t: (t.field, t.rule_id))
    ]


def format_errors(report: Report) -> str:
    """Every error, grouped by kind ('claims: missed'...), each with its evidence."""
    return "\n".join(_error_lines(report.problems))


def _error_lines(problems: list[Problem]) -> Iterator[str]:
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.group, []).append(problem)
    for group in sorted(groups):
        items = groups[group]
        yield f"== {group} ({len(items)})"
        for item in items:
            rule = f"  [{item.rule_id}]" if item.rule_id else ""
            yield f"- {item.what}{rule}  | {_short(item.paper, 70)}"
            if item.evidence:
                yield f"    {item.evidence}"
        yield ""


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def problems_as_json(problems: list[Problem]) -> list[dict[str, str]]:
    return [
        {
            "group": p.group,
            "paper": p.paper,
            "what": p.what,
            "evidence": p.evidence,
            "rule_id": p.rule_id,
        }
        for p in problems
    ]


def run_eval(directory: Path, gold_path: Path) -> Report:
    """Load a dataset and a gold file and score one against the other."""
    return evaluate(load_dataset(directory), load_gold(gold_path))


def report_json(report: Report, with_errors: bool = False, by_rule: bool = False) -> str:
    data = report.to_dict()
    if by_rule:
        data["rules"] = rules_as_json(report)
    if with_errors:
        data["errors"] = problems_as_json(report.problems)
    return json.dumps(data, indent=2, sort_keys=False)


def claim_is_right(gold: Any, subject: str | None, claim: Mapping[str, Any]) -> bool:
    """A paired claim is right when its kind, metric and benchmark agree with the gold's
    wherever the gold names them (the strict rule), and so does its subject: what a
    claim's ``confidence`` is the chance of."""
    for name in ("metric", "benchmark"):
        expected = getattr(gold, name)
        if expected and not same_name(expected, claim.get(name)):
            return False
    if gold.kind and (claim.get("kind") or "") != gold.kind:
        return False
    return not (subject and not same_name(subject, claim.get("subject")))
