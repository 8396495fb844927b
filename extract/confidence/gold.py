"""Fitting and checking the confidence models on gold listings: the command behind
``python -m extract.confidence fit|check``.

Kept apart from the models themselves, which every extraction loads: this module runs
the whole pipeline over the gold listings, so the package's runtime never imports it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import run
from ..errors import ExtractError
from ..evaluate import claim_is_right, load_dataset, load_gold, norm_text, pair_claims
from ..leaderboard.check import LeaderboardCheck, percent
from ..nlp import extract_text, load_pipeline
from ..resources import pipeline_path
from . import (
    FITTERS,
    PARAMETERS_FILE,
    TABLES,
    Calibration,
    Example,
    Fitter,
    Parameters,
    by_listing,
    calibration,
    fit_benchmarks,
    fit_claims,
    fit_recalibration,
    held_out,
    load_parameters,
    reliability_table,
    write_parameters,
)

# ------------------------------------------------------------------- gold and the command


@dataclass
class GoldRows:
    """The rows extracted from gold listings, each with its label."""

    claims: list[Example]
    benchmarks: list[Example]
    gold_files: list[str]


def gold_pairs(folders: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(listing, gold file) pairs of the folders: ``X.gold.jsonl`` beside its listing
    ``X.txt`` (or ``X.jsonl``, ``X.json``: a listing of any format extract reads)."""
    pairs = []
    for folder in folders:
        if folder.is_file() and folder.name.endswith(".gold.jsonl"):
            golds = [folder]
        else:
            golds = sorted(folder.glob("*.gold.jsonl"))
        for gold in golds:
            stem = gold.name.removesuffix(".gold.jsonl")
            listing = next(
                (
                    gold.with_name(stem + suffix)
                    for suffix in LISTING_SUFFIXES
                    if gold.with_name(stem + suffix).is_file()
                ),
                None,
            )
            if listing is None:
                raise ExtractError("no listing beside this gold file", where=str(gold))
            pairs.append((listing, gold))
    if not pairs:
        raise ExtractError(
            "no gold files (*.gold.jsonl with the listing *.txt beside it)",
            where=", ".join(str(f) for f in folders),
        )
    return pairs


#: The names a listing may have beside its gold file ``X.gold.jsonl``, in this order.
LISTING_SUFFIXES = (".txt", ".jsonl", ".json")


def gold_rows(folders: Sequence[Path], pipeline: str = "daily_papers") -> GoldRows:
    """Extract the gold listings and label every claim and benchmark row."""
    import shutil
    import tempfile

    pairs = gold_pairs(folders)
    with tempfile.TemporaryDirectory() as tmp:
        # the pipeline without its fitted parameters: the features do not depend on
        # them, and a stale or broken parameters file must not stop a refit
        folder = Path(tmp) / "pipeline"
        shutil.copytree(
            pipeline_path(pipeline), folder, ignore=shutil.ignore_patterns(PARAMETERS_FILE)
        )
        out = Path(tmp) / "gold"
        run([str(listing) for listing, _ in pairs], output=out, pipeline=str(folder), workers=1)
        papers = load_dataset(out).papers
        pipe = load_pipeline(folder)
    by_title: dict[str, dict[str, Any]] = {}
    for paper in papers:
        by_title.setdefault(norm_text(paper.get("title")), paper)
    claims: list[Example] = []
    benchmarks: list[Example] = []
    for listing, gold_path in pairs:
        raw = [
            json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line.strip()
        ]
        for g, raw_paper in zip(load_gold(gold_path), raw, strict=False):
            found = by_title.get(norm_text(g.title))
            if found is None:
                continue
            paper = found
            rid, abstract = str(paper["record_id"]), str(paper.get("abstract") or "")
            extraction = extract_text(pipe, abstract, str(paper["title"]))
            features = extraction.features
            pairing = pair_claims(extraction.claims, g.claims, abstract)
            subjects = [c.get("subject") for c in raw_paper.get("claims", [])]
            right: dict[int, int] = dict.fromkeys(pairing.unpaired, 0)
            for gc, i in pairing.pairs:
                subject = subjects[g.claims.index(gc)] if gc in g.claims else None
                right[i] = int(claim_is_right(gc, subject, extraction.claims[i]))
            for i, label in sorted(right.items()):
                claim = extraction.claims[i]
                claims.append(
                    Example(
                        rid, features["claims"][i], label, str(claim["value_text"]), str(listing)
                    )
                )
            gold_names = {norm_text(name) for name in g.benchmarks}
            for row, feats in zip(extraction.benchmarks, features["benchmarks"], strict=False):
                label = int(norm_text(str(row.get("name"))) in gold_names)
                benchmarks.append(Example(rid, feats, label, str(row.get("name")), str(listing)))
    return GoldRows(claims, benchmarks, [str(g) for _, g in pairs])


def fit(rows: GoldRows, command: str = "") -> Parameters:
    """Models fitted on every labelled row."""
    return Parameters(
        claims=fit_claims(rows.claims),
        benchmarks=fit_benchmarks(rows.benchmarks),
        fitted_on=rows.gold_files,
        command=command,
    )


def unseen(rows: GoldRows, parameters: Parameters, measured_on: str) -> Parameters:
    """``parameters`` with the recalibration of each table measured on ``rows``: labelled
    listings that no rule was written from."""
    maps = {
        table: fit_recalibration(
            [getattr(parameters, table).logit(e.features) for e in getattr(rows, table)],
            [e.label for e in getattr(rows, table)],
            measured_on,
        )
        for table in TABLES
    }
    return parameters.model_copy(update={"unseen": maps})


def unseen_report(rows: GoldRows, before: Parameters, after: Parameters) -> str:
    """Calibration on the labelled rows with the gold fit alone and with the map (the
    map measured on these very rows: a second sample shows what it is worth)."""
    lines = []
    for table in TABLES:
        examples = getattr(rows, table)
        labels = [e.label for e in examples]
        for label, parameters in (("gold fit", before), ("recalibrated", after)):
            result = calibration(
                [parameters.confidence(table, e.features) for e in examples], labels
            )
            auc = "-" if result.auc is None else f"{result.auc:.3f}"
            lines.append(
                f"{table}, {label}: {result.rows} rows, {result.positives} right; "
                f"ECE {result.ece:.3f}, AUC {auc}, Brier {result.brier:.3f}"
            )
    return "\n".join(lines) + "\n"


def check(rows: GoldRows) -> dict[str, Calibration]:
    """Calibration of held-out predictions (2 folds by paper), for claims and benchmarks."""
    return {
        table: calibration(*held_out(getattr(rows, table), fitter))
        for table, fitter in FITTERS.items()
    }


#: Other cuts of the papers, to show how much the figures move.
REPEATS = 8


def repeated(
    rows: GoldRows, repeats: int = REPEATS, folds: int = 2
) -> dict[str, list[Calibration]]:
    """The held-out check for ``repeats`` cuts of the papers in ``folds`` parts (the
    first cut in halves is :func:`check`'s)."""
    salts = [""] + [f"#{n}" for n in range(1, repeats)]
    return {
        table: [
            calibration(*held_out(getattr(rows, table), fitter, folds=folds, salt=salt))
            for salt in salts
        ]
        for table, fitter in FITTERS.items()
    }


def listings_held_out(rows: GoldRows) -> dict[str, Calibration]:
    """The check with each listing held out whole in turn."""
    return {
        table: calibration(*by_listing(getattr(rows, table), fitter))
        for table, fitter in FITTERS.items()
    }


def leaderboard_by_listing(
    rows: GoldRows, folders: Sequence[Path], pipeline: str = "daily_papers"
) -> LeaderboardCheck:
    """The leaderboard check (:mod:`extract.leaderboard.check`) with each listing held
    out in turn: its papers extracted with the models fitted on the other listings,
    and the figures of all listings summed.

    The check of a dataset extracted with the committed fit scores entries whose
    confidence was fitted on the same papers; this is what a listing the fit has not
    seen gives.
    """
    import shutil
    import tempfile

    from ..leaderboard.check import check as check_leaderboard

    total = LeaderboardCheck(0.5, 0, 0, 0, 0, 0, 0, 0, [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pipeline"
        shutil.copytree(pipeline_path(pipeline), folder)
        for listing, gold in gold_pairs(folders):
            others = GoldRows(
                [e for e in rows.claims if e.listing != str(listing)],
                [e for e in rows.benchmarks if e.listing != str(listing)],
                [g for g in rows.gold_files if g != str(gold)],
            )
            write_parameters(fit(others), folder / PARAMETERS_FILE)
            out = Path(tmp) / listing.stem
            run([str(listing)], output=out, pipeline=str(folder), workers=1)
            one = check_leaderboard(out, [gold], min_confidence=total.min_confidence)
            for name in (
                "entries",
                "entries_right",
                "entries_optional",
                "gold_entries",
                "gold_found",
                "gold_found_confident",
                "gold_boards",
            ):
                setattr(total, name, getattr(total, name) + getattr(one, name))
            total.wrong += one.wrong
    return total


#: The label of the check with each listing held out in turn.
LISTINGS = "each listing held out in turn"
#: Other checks shown below the first: (label, calibrations), by table.
Others = Mapping[str, list[tuple[str, list[Calibration]]]]


def sampling_noise(
    examples: Sequence[Example], fitter: Fitter, draws: int = 20
) -> list[Calibration]:
    """The figures a perfectly calibrated model would show on these rows: the fit on all
    of them scores labels drawn at random from its own probabilities (seeded).

    The ECE of this many rows in ten bins is not zero even then; a held-out ECE near
    this one is as good as the gold can tell apart.
    """
    import random

    model = fitter(examples)
    probabilities = [model.predict(e.features) for e in examples]
    draw = random.Random(13)
    return [
        calibration(probabilities, [int(draw.random() < p) for p in probabilities])
        for _ in range(draws)
    ]


def other_checks(rows: GoldRows) -> dict[str, list[tuple[str, list[Calibration]]]]:
    """The cuts a report shows below the first: 8 cuts in halves, 8 cuts in fifths (fit
    on four fifths of the papers, nearer the fit on all of them), each listing held out,
    and what sampling alone gives (:func:`sampling_noise`)."""
    halves, fifths, listings = repeated(rows), repeated(rows, folds=5), listings_held_out(rows)
    return {
        table: [
            (f"over {len(halves[table])} cuts of the papers in halves", halves[table]),
            (f"over {len(fifths[table])} cuts of the papers in fifths", fifths[table]),
            (LISTINGS, [listings[table]]),
            (
                "a perfectly calibrated model, labels drawn from the fit (20 draws)",
                sampling_noise(getattr(rows, table), fitter),
            ),
        ]
        for table, fitter in FITTERS.items()
    }


def _summary(cuts: Sequence[Calibration]) -> str:
    eces = [c.ece for c in cuts]
    aucs = [c.auc for c in cuts if c.auc is not None]
    if len(cuts) == 1:
        return f"ECE {eces[0]:.3f}" + (f", AUC {aucs[0]:.3f}" if aucs else "")
    text = f"ECE mean {sum(eces) / len(eces):.3f} ({min(eces):.3f}-{max(eces):.3f})"
    if aucs:
        text += f", AUC mean {sum(aucs) / len(aucs):.3f} ({min(aucs):.3f}-{max(aucs):.3f})"
    return text


def format_check(
    results: Mapping[str, Calibration],
    others: Others | None = None,
    board: LeaderboardCheck | None = None,
) -> str:
    lines = []
    for table, result in results.items():
        shown_auc = "-" if result.auc is None else f"{result.auc:.3f}"
        lines.append(
            f"{table}: {result.rows} rows, {result.positives} right; "
            f"ECE {result.ece:.3f}, AUC {shown_auc}, Brier {result.brier:.3f} "
            "(held out: 2 folds by paper)"
        )
        for label, cuts in (others or {}).get(table, []):
            lines.append(f"  {label}: {_summary(cuts)}")
        lines.append("")
        lines.append("held out: 2 folds by paper")
        lines.append(reliability_table(result))
        for label, cuts in (others or {}).get(table, []):
            if label == LISTINGS:
                lines += ["", f"held out: {label}", reliability_table(cuts[0])]
        lines.append("")
    if board is not None:
        lines.append(f"leaderboard, {LISTINGS}: {_board_summary(board)}")
    return "\n".join(lines).rstrip() + "\n"


def _board_summary(board: LeaderboardCheck) -> str:
    right, found = percent(board.right_share), percent(board.found_share)
    return (
        f"entries at confidence >= {board.min_confidence:g} right {board.entries_right}/"
        f"{board.entries} ({right}), gold score claims "
        f"naming a benchmark found {board.gold_found}/{board.gold_entries} "
        f"({found})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m extract.confidence",
        description="Fit the confidence models on gold listings, or check their calibration.",
    )
    parser.add_argument("action", choices=("fit", "check", "unseen"))
    parser.add_argument("gold", nargs="+", type=Path, help="folders of X.txt + X.gold.jsonl")
    parser.add_argument("--pipeline", default="daily_papers")
    parser.add_argument("--json", action="store_true", help="print the check as JSON")
    parser.add_argument(
        "--note", default="", help="unseen: what the labelled listings are (kept in the file)"
    )
    args = parser.parse_args(argv)
    try:
        rows = gold_rows(args.gold, args.pipeline)
        target = pipeline_path(args.pipeline) / PARAMETERS_FILE
        if args.action == "unseen":
            committed = load_parameters(target.parent)
            if committed is None:
                raise ExtractError("no fitted parameters to recalibrate", where=str(target))
            note = args.note or ", ".join(rows.gold_files)
            recalibrated = unseen(rows, committed, note)
            write_parameters(recalibrated, target)
            sys.stdout.write(
                unseen_report(rows, committed.model_copy(update={"unseen": {}}), recalibrated)
            )
            print(f"wrote {target}")
            return 0
        if args.action == "check":
            results = check(rows)
            others = other_checks(rows)
            board = leaderboard_by_listing(rows, args.gold, args.pipeline)
            if args.json:
                data = {k: v.to_dict() for k, v in results.items()}
                for table, checks in others.items():
                    data[table]["others"] = {
                        label: [
                            {
                                "ece": round(c.ece, 4),
                                "auc": None if c.auc is None else round(c.auc, 4),
                            }
                            for c in cuts
                        ]
                        for label, cuts in checks
                    }
                data["leaderboard_by_listing"] = {
                    k: v for k, v in board.to_dict().items() if k != "gold_leaderboards"
                }
                print(json.dumps(data, indent=2))
            else:
                sys.stdout.write(format_check(results, others, board))
            return 0
        command = "python -m extract.confidence fit " + " ".join(p.as_posix() for p in args.gold)
        parameters = fit(rows, command=command)
        # the map for unseen listings is measured apart, on listings that are not gold
        # here: kept, unless the file is missing or broken (a refit must not need it)
        try:
            kept = load_parameters(target.parent)
        except ExtractError:
            kept = None
        if kept is not None:
            parameters.unseen = kept.unseen
        write_parameters(parameters, target)
        print(
            f"wrote {target}: claims {parameters.claims.rows} rows "
            f"({parameters.claims.positives} right), benchmarks "
            f"{parameters.benchmarks.rows} rows ({parameters.benchmarks.positives} right)"
        )
        return 0
    except ExtractError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
