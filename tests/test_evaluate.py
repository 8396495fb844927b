"""`extract eval`: the scoring definitions, the command's output, agreement with the
reference scorer of the shared corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import extract
from extract.cli import main
from extract.errors import ExtractError
from extract.evaluate import (
    Dataset,
    GoldPaper,
    Score,
    evaluate,
    format_rules,
    inside_evidence,
    load_dataset,
    load_gold,
    norm_unit,
    norm_url,
    same_name,
)

from .conftest import SHARED, need_shared

ABSTRACT = "Widgetron is 3.5x faster and reaches 81.2% accuracy on WidgetQA (from 70.0%)."


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("accuracy", "accuracy", True),
        ("top-1 accuracy", "Top1 Accuracy", True),  # letters and digits equal
        ("accuracy", "macro accuracy", True),  # one word of two: half covered
        ("accuracy", "balanced class accuracy", False),  # one word of three
        ("word error rate", "error rate", True),
        ("the WidgetQA benchmark", "WidgetQA", True),  # filler words do not count
        ("recall", None, False),
        ("recall", "", False),
    ],
)
def test_same_name(gold: str, predicted: str | None, same: bool) -> None:
    assert same_name(gold, predicted) is same


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://www.GitHub.com/Acme/Widget.git", "github.com/Acme/Widget"),
        ("http://acme.org/widget/", "acme.org/widget"),
        ("github.com/acme/ widget).", "github.com/acme/widget"),
    ],
)
def test_norm_url(url: str, normalised: str) -> None:
    assert norm_url(url) == normalised


@pytest.mark.parametrize(
    ("unit", "key"),
    [
        ("%", "%"),
        ("percent", "%"),
        ("x", "x"),
        ("times", "x"),
        ("pp", "pp"),
        (None, ""),
        ("ms", ""),
    ],
)
def test_norm_unit(unit: str | None, key: str) -> None:
    assert norm_unit(unit) == key


def test_offsets_outside_the_gold_evidence_do_not_pair() -> None:
    abstract = "It gains 2% on A. Later it gains 2% on B."
    first = {"start": 9, "end": 11}
    second = {"start": 32, "end": 34}
    assert inside_evidence(first, "gains 2% on A", abstract)
    assert not inside_evidence(second, "gains 2% on A", abstract)
    assert inside_evidence(second, "evidence not in this abstract", abstract)
    assert inside_evidence({"start": None, "end": None}, "gains 2% on A", abstract)


def test_score_edge_cases() -> None:
    assert (Score(0, 0, 0).precision, Score(0, 0, 0).recall) == (1.0, 1.0)
    assert Score(0, 0, 3).precision == 0.0
    assert Score(2, 4, 2).f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def _paper(**fields: Any) -> dict[str, Any]:
    return {
        "record_id": "title:1",
        "title": "Widgetron: Fast Widgets",
        "abstract": ABSTRACT,
    } | fields


def _claim(value: float, unit: str | None, start: int, end: int, **fields: Any) -> dict[str, Any]:
    return (
        {"record_id": "title:1", "value": value, "unit": unit, "start": start, "end": end}
        | {
            "kind": "score",
            "metric": None,
            "benchmark": None,
        }
        | fields
    )


def test_claims_pair_on_value_unit_and_evidence() -> None:
    dataset = Dataset(
        papers=[_paper(short_name="Widgetron")],
        claims=[
            _claim(3.5, "x", 13, 17, kind="speedup", metric="speed"),
            _claim(81.2, "%", 37, 42, metric="accuracy", benchmark="WidgetQA"),
            _claim(70.0, "%", 71, 76),  # pairs with the optional gold claim: not counted
            _claim(9.9, "%", 0, 3),  # a false positive
        ],
        benchmarks=[{"record_id": "title:1", "name": "WidgetQA"}],
        links=[],
    )
    gold = GoldPaper.model_validate(
        {
            "title": "Widgetron: Fast Widgets",
            "short_name": "Widgetron",
            "benchmarks": ["WidgetQA", "GadgetBench"],
            "claims": [
                {"value": 3.5, "unit": "x", "kind": "speedup", "metric": "speedup"},
                {"value": 81.2, "unit": "%", "kind": "score", "metric": "accuracy",
                 "benchmark": "WidgetQA", "evidence": "81.2% accuracy on WidgetQA"},
                {"value": 70.0, "unit": "%", "kind": "score", "optional": True},
                {"value": 12.0, "unit": "%", "kind": "score"},
            ],
        }
    )  # fmt: skip
    report = evaluate(dataset, [gold])
    claims = report.scores["claims"]
    assert (claims.tp, claims.pred, claims.gold) == (2, 3, 3)
    strict = report.scores["claims_strict"]
    assert strict.tp == 1  # the speedup's metric ('speed' for 'speedup') is wrong
    assert (report.accuracies["metric"].right, report.accuracies["metric"].total) == (1, 2)
    assert (report.accuracies["kind"].right, report.accuracies["kind"].total) == (2, 2)
    bench = report.scores["benchmarks"]
    assert (bench.tp, bench.pred, bench.gold) == (1, 1, 2)
    groups = {p.group for p in report.problems}
    assert groups == {
        "claims: missed",
        "claims: false positive",
        "claims: wrong metric",
        "benchmarks: missed",
    }


def test_subject_accuracy_and_the_rules_behind_each_claim() -> None:
    dataset = Dataset(
        papers=[_paper(short_name="Widgetron")],
        claims=[
            _claim(
                3.5,
                "x",
                13,
                17,
                kind="speedup",
                metric="speed",
                rule_id="claim.speedup",
                subject="Widgetron",
                field_rules="metric=m.implied subject=s.clause",
            ),
            _claim(
                81.2,
                "%",
                37,
                42,
                metric="recall",
                benchmark="WidgetQA",
                subject="it",
                rule_id="claim.score",
                field_rules="metric=m.after benchmark=b.on",
            ),
            _claim(9.9, "%", 0, 3, rule_id="claim.score"),  # a false positive
        ],
        benchmarks=[],
        links=[],
    )
    gold = GoldPaper.model_validate(
        {
            "title": "Widgetron: Fast Widgets",
            "claims": [
                # the subject is compared by its words, like the metric
                {"value": 3.5, "unit": "x", "kind": "speedup", "metric": "speed",
                 "subject": "the Widgetron"},
                {"value": 81.2, "unit": "%", "kind": "score", "metric": "accuracy",
                 "benchmark": "WidgetQA", "subject": "Widgetron-XL"},
                {"value": 1.0, "unit": "%", "kind": "score"},
            ],
        }
    )  # fmt: skip
    report = evaluate(dataset, [gold])
    subject = report.accuracies["subject"]
    assert (subject.right, subject.total) == (1, 2)
    assert report.to_dict()["claim_subject_acc"] == 0.5
    assert "claims: wrong subject" in {p.group for p in report.problems}
    # the subject is not part of the strict match: the speedup is strictly right
    assert report.scores["claims_strict"].tp == 1
    tallies = {(t.rule_id, t.field): (t.produced, t.right) for t in report.rules.values()}
    assert tallies == {
        ("claim.speedup", "claim"): (1, 1),
        ("claim.score", "claim"): (2, 1),  # one paired, one false positive
        ("m.implied", "metric"): (1, 1),
        ("m.after", "metric"): (1, 0),  # 'recall' for 'accuracy'
        ("b.on", "benchmark"): (1, 1),
        ("s.clause", "subject"): (1, 1),
        ("(none)", "subject"): (1, 0),  # the gold names a subject no rule read
    }
    table = format_rules(report).splitlines()
    assert table[0].split() == ["rule", "field", "produced", "right", "share", "strict"]
    assert table[1].split() == ["claim.score", "claim", "2", "1", "0.50", "0"]


def test_papers_the_gold_lacks_count_against_precision() -> None:
    dataset = Dataset(
        papers=[_paper(short_name="Widgetron"), _paper(record_id="title:2", title="Other")],
        claims=[_claim(1.0, "%", 0, 2, record_id="title:2")],
        benchmarks=[],
        links=[{"record_id": "title:2", "url": "https://github.com/a/b", "kind": "code"}],
    )
    gold = GoldPaper.model_validate({"title": "Widgetron: fast widgets", "short_name": None})
    report = evaluate(dataset, [gold])
    assert report.scores["records"] == Score(1, 2, 1)
    assert report.scores["claims"] == Score(0, 1, 0)
    assert report.scores["code_urls"] == Score(0, 1, 0)
    assert report.scores["short_names"] == Score(0, 1, 0)  # a name where the gold has none
    assert report.to_dict()["claim_kind_acc"] is None


def test_bad_gold_lines_name_the_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"title": "A"}\n{"title": "B", "claims": [{"unit": "%"}]}\n')
    with pytest.raises(ExtractError) as error:
        load_gold(gold)
    assert str(error.value) == f"{gold}:2: claims.0.value: Field required"
    gold.write_text("not json\n")
    with pytest.raises(ExtractError, match=r"gold.jsonl:1: "):
        load_gold(gold)


def test_a_folder_without_tables_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="no papers table here"):
        load_dataset(tmp_path)


def test_single_file_tables_are_read(tmp_path: Path) -> None:
    pq.write_table(pa.Table.from_pylist([_paper()]), tmp_path / "papers.parquet")
    dataset = load_dataset(tmp_path)
    assert [p["title"] for p in dataset.papers] == ["Widgetron: Fast Widgets"]
    assert dataset.claims == []


PAGE = (
    "Daily Papers\n\nJul 29\n\nWidgetron: Fast Widgets\n\n"
    "Widgetron is 3.5x faster than the baseline and reaches 81.2% accuracy on WidgetQA.\n"
)
GOLD = {
    "position": 1,
    "title": "Widgetron: Fast Widgets",
    "short_name": "Widgetron",
    "code_urls": [],
    "other_urls": [],
    "benchmarks": ["WidgetQA"],
    "claims": [
        {"value": 3.5, "value_text": "3.5x", "unit": "x", "kind": "speedup", "metric": "speed",
         "evidence": "Widgetron is 3.5x faster than the baseline"},
        {"value": 81.2, "value_text": "81.2%", "unit": "%", "kind": "score",
         "metric": "accuracy", "benchmark": "WidgetQA", "evidence": "81.2% accuracy on WidgetQA"},
        {"value": 7.0, "unit": "%", "kind": "score", "evidence": "not there"},
    ],
}  # fmt: skip


@pytest.fixture
def scored(tmp_path: Path) -> tuple[Path, Path]:
    listing = tmp_path / "page.txt"
    listing.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    extract.run([str(listing)], out)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    return out, gold


def test_eval_prints_a_table(runner: CliRunner, scored: tuple[Path, Path]) -> None:
    out, gold = scored
    result = runner.invoke(main, ["eval", str(out), str(gold)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["P", "R", "F1", "TP", "pred", "gold"]
    assert lines[5].split() == ["claims", "1.000", "0.667", "0.800", "2", "2", "3"]
    assert lines[6].split() == ["claims", "(strict)", "1.000", "0.667", "0.800", "2", "2", "3"]
    assert lines[9].split() == ["on", "paired", "claims", "accuracy", "right", "of"]
    assert lines[10].split() == ["metric", "1.000", "2", "2"]
    assert "==" not in result.output


def test_eval_json_and_errors(runner: CliRunner, scored: tuple[Path, Path]) -> None:
    out, gold = scored
    result = runner.invoke(main, ["eval", str(out), str(gold), "--json", "--show-errors"])
    data = json.loads(result.output)
    assert data["claims"] == {"p": 1.0, "r": 0.6667, "f1": 0.8, "tp": 2, "pred": 2, "gold": 3}
    assert data["claim_metric_acc"] == 1.0
    assert [e["group"] for e in data["errors"]] == ["claims: missed"]
    by_rule = runner.invoke(main, ["eval", str(out), str(gold), "--json", "--by-rule"]).output
    rules = {(r["rule_id"], r["field"]): r for r in json.loads(by_rule)["rules"]}
    assert rules[("claim.speedup", "claim")]["right"] == 1
    assert sum(r["produced"] for r in rules.values() if r["field"] == "claim") == 2
    table = runner.invoke(main, ["eval", str(out), str(gold), "--by-rule"]).output
    assert "claim.speedup" in table.split("\n\nrule ")[1]
    shown = runner.invoke(main, ["eval", str(out), str(gold), "--show-errors"]).output
    assert (
        "== claims: missed (1)\n- '7' (score)  | Widgetron: Fast Widgets\n    not there\n" in shown
    )


def test_eval_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["eval", str(tmp_path), str(tmp_path / "gold.jsonl")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path}: no papers table here")


SCORER = SHARED.parent / "tools" / "score.py"


@pytest.mark.slow  # runs the reference scorer in a subprocess
def test_same_figures_as_the_reference_scorer(tmp_path: Path) -> None:
    """On the seed and dev listings, `extract eval --json` equals ../shared/tools/score.py."""
    need_shared(SCORER, SHARED / "seed", SHARED / "dev")
    listings = sorted((SHARED / "seed").glob("*.txt")) + sorted((SHARED / "dev").glob("*.txt"))
    golds = sorted((SHARED / "seed").glob("*.gold.jsonl")) + sorted(
        (SHARED / "dev").glob("*.gold.jsonl")
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(p.read_text(encoding="utf-8") for p in golds), encoding="utf-8")
    out = tmp_path / "out"
    extract.run([str(p) for p in listings], out)
    reference = subprocess.run(
        [sys.executable, str(SCORER), str(out), str(gold)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = json.loads(reference.stdout[: reference.stdout.rindex("\nscore:")])
    ours = json.loads(CliRunner().invoke(main, ["eval", str(out), str(gold), "--json"]).output)
    # every figure of the reference, to the last digit; ours adds the subject accuracy
    assert {k: v for k, v in ours.items() if k in expected} == expected
    assert set(ours) - set(expected) == {"claim_subject_acc"}
    # the printed table shows the figures of the reference's summary line
    summary = reference.stdout[reference.stdout.rindex("\nscore:") :]
    printed = {"benchmark F1": "benchmarks", "claim F1": "claims", "short name F1": "short names"}
    table = CliRunner().invoke(main, ["eval", str(out), str(gold)]).output.splitlines()
    for label, row in printed.items():
        figure = summary.split(f"| {label} ")[1].split()[0]
        line = next(line for line in table if line.startswith(row + " "))
        assert line[len(row) :].split()[2] == figure  # P, R, F1


def test_pair_claims_required_first_then_optional() -> None:
    from extract.evaluate import GoldClaim, pair_claims

    abstract = "It reaches 5% on X and 5% on Y, and ranks first."
    predicted = [
        {"value": 5.0, "unit": "%", "start": 11, "end": 13},
        {"value": 5.0, "unit": "%", "start": 23, "end": 25},
        {"value": 9.0, "unit": "x", "start": 0, "end": 2},
    ]
    gold = [
        GoldClaim(value=5, unit="%", evidence="5% on Y", optional=True),
        GoldClaim(value=5, unit="%", evidence="5% on X"),
        GoldClaim(value=1, unit=None, evidence="ranks first"),
    ]
    pairing = pair_claims(predicted, gold, abstract)
    assert [(gc.evidence, i) for gc, i in pairing.pairs] == [("5% on X", 0)]
    assert pairing.optional == {1}
    assert [gc.evidence for gc in pairing.missed] == ["ranks first"]
    assert pairing.unpaired == [2]
