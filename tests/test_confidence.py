"""The confidence column: features, the fitted model, calibration, and the committed fit."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from extract.confidence import (
    Example,
    Parameters,
    auc,
    calibration,
    claim_features,
    fit_claims,
    fit_logistic,
    fit_recalibration,
    load_parameters,
    rule_methods,
)
from extract.confidence.gold import (
    GoldRows,
    check,
    fit,
    gold_pairs,
    gold_rows,
    leaderboard_by_listing,
    listings_held_out,
    main,
    repeated,
    sampling_noise,
)
from extract.errors import ExtractError
from extract.nlp import Pipeline, extract_text
from extract.resources import pipeline_path

from .conftest import SHARED, need_shared

GOLD_FOLDERS = [SHARED / "seed", SHARED / "dev", SHARED / "dev2"]


def test_logistic_regression_learns_a_signal() -> None:
    rows = [{"good": 1.0}] * 30 + [{"bad": 1.0}] * 30
    labels = [1] * 27 + [0] * 3 + [0] * 27 + [1] * 3
    model = fit_logistic(rows, labels, l2=0.1)
    assert model.predict({"good": 1.0}) == pytest.approx(0.9, abs=0.02)
    assert model.predict({"bad": 1.0}) == pytest.approx(0.1, abs=0.02)
    # a stronger penalty pulls both towards the base rate
    strong = fit_logistic(rows, labels, l2=50.0)
    assert 0.5 < strong.predict({"good": 1.0}) < model.predict({"good": 1.0})


def test_an_unpenalised_feature_keeps_the_rate_of_its_rows() -> None:
    rows = [{"none": 1.0}] * 20 + [{"a": 1.0}] * 80
    labels = [0] * 19 + [1] + [1] * 64 + [0] * 16
    penalised = fit_logistic(rows, labels, l2=4.0)
    free = fit_logistic(rows, labels, l2=4.0, unpenalised=frozenset({"none"}))
    assert free.predict({"none": 1.0}) == pytest.approx(0.05, abs=0.005)
    assert penalised.predict({"none": 1.0}) > 0.1  # the penalty pulls it to the mean


def test_a_feature_with_a_weak_penalty_of_its_own_keeps_near_its_rate() -> None:
    rows = [{"few": 1.0}] * 10 + [{"a": 1.0}] * 90
    labels = [1] * 3 + [0] * 7 + [1] * 80 + [0] * 10
    common = fit_logistic(rows, labels, l2=4.0)
    own = fit_logistic(rows, labels, l2=4.0, penalties={"few": 0.25})
    assert own.predict({"few": 1.0}) < 0.45 < common.predict({"few": 1.0})
    # still finite when every row of the feature is wrong (no penalty would diverge)
    wrong = fit_logistic(rows, [0] * 10 + labels[10:], l2=4.0, penalties={"few": 0.25})
    assert 0.001 < wrong.predict({"few": 1.0}) < 0.2


def test_calibration_figures_by_hand() -> None:
    probabilities = [0.05, 0.05, 0.85, 0.85, 0.85, 0.85]
    labels = [0, 1, 1, 1, 1, 0]
    result = calibration(probabilities, labels)
    # bin 0: mean 0.05, right 0.5 -> |0.45| * 2/6; bin 8: mean 0.85, right 0.75 -> 0.1 * 4/6
    assert result.ece == pytest.approx(0.45 * 2 / 6 + 0.10 * 4 / 6)
    assert [b.rows for b in result.bins] == [2, 0, 0, 0, 0, 0, 0, 0, 4, 0]
    # positives at 0.05 (1) and 0.85 (3); negatives at 0.05 (1) and 0.85 (1)
    assert auc(probabilities, labels) == pytest.approx((0.5 + 3 * (1 + 0.5)) / 8)
    assert auc([0.1, 0.2], [1, 1]) is None


def test_a_feature_that_tells_nothing_gets_about_the_base_rate() -> None:
    # "n<k>" is right in about half of the rows whatever k: the penalty keeps every
    # prediction near the base rate instead of following the noise of each feature
    noise = [Example(f"title:{n:016x}", {f"n{n % 7}": 1.0}, (n * 7919) % 2) for n in range(80)]
    flat = fit_claims(noise)
    values = {round(flat.predict({f"n{k}": 1.0}), 2) for k in range(7)}
    assert max(values) - min(values) < 0.2


def test_sampling_noise_is_what_a_perfect_model_shows() -> None:
    examples = [Example(f"title:{n:016x}", {"good": float(n % 2)}, n % 2) for n in range(200)]
    draws = sampling_noise(examples, fit_claims, draws=5)
    assert len(draws) == 5 and all(0 <= d.ece < 0.2 for d in draws)
    assert draws == sampling_noise(examples, fit_claims, draws=5)  # seeded


def test_a_recalibration_maps_an_overconfident_fit_to_the_rate_on_unseen_rows() -> None:
    # the gold fit says 0.92 (log-odds 2.44) where 60% are right, 0.05 where 10% are
    logits = [2.44] * 60 + [-2.94] * 20
    labels = [1] * 36 + [0] * 24 + [1] * 2 + [0] * 18
    recalibration = fit_recalibration(logits, labels, "a test sample")
    assert recalibration.apply(2.44) == pytest.approx(0.6, abs=0.03)
    assert recalibration.apply(-2.94) == pytest.approx(0.1, abs=0.05)
    assert 0 < recalibration.slope < 1  # less sure than the gold fit, same order
    assert (recalibration.rows, recalibration.positives) == (80, 38)


def test_a_ranking_that_does_not_carry_over_gives_every_row_the_base_rate() -> None:
    logits = [2.0] * 40 + [-2.0] * 40
    labels = [1] * 10 + [0] * 30 + [1] * 30 + [0] * 10  # upside down on these rows
    recalibration = fit_recalibration(logits, labels)
    assert recalibration.slope == 0
    assert recalibration.apply(2.0) == pytest.approx(0.5, abs=0.01)
    assert recalibration.apply(-2.0) == recalibration.apply(2.0)


def test_the_unseen_map_changes_the_confidence_of_rows_not_their_order() -> None:
    committed = load_parameters(pipeline_path("daily_papers"))
    assert committed is not None
    recalibration = committed.unseen.get("claims")
    if recalibration is None:
        pytest.skip("the committed parameters hold no map measured on unseen listings")
    bare = committed.model_copy(update={"unseen": {}})
    sure, unsure = {"direction_known": 1.0}, {"subject=none": 1.0}
    assert committed.confidence("claims", sure) < bare.confidence("claims", sure)
    assert committed.confidence("claims", unsure) < committed.confidence("claims", sure)
    # the map is the logistic of the gold fit's log-odds
    z = recalibration.intercept + recalibration.slope * committed.claims.logit(sure)
    assert committed.confidence("claims", sure) == pytest.approx(1 / (1 + math.exp(-z)))


def test_a_map_for_an_unknown_table_fails_when_the_file_is_loaded(tmp_path: Path) -> None:
    committed = json.loads((pipeline_path("daily_papers") / "confidence.json").read_text("utf-8"))
    committed["unseen"] = {"claimz": {"intercept": 0.0, "slope": 1.0, "rows": 1, "positives": 1}}
    (tmp_path / "confidence.json").write_text(json.dumps(committed), encoding="utf-8")
    with pytest.raises(ExtractError) as error:
        load_parameters(tmp_path)
    assert "unseen" in str(error.value) and "claimz" in str(error.value)


_UNSEEN_LISTING = [
    {
        "arxiv_id": "2601.00001",
        "title": "Widgetron: Fast Widget Parsing",
        "abstract": "We present Widgetron, a widget parser. Widgetron reaches 71.2% accuracy "
        "on WidgetBench, and improves F1 by 3.4% over GizmoNet.",
    },
    {
        "arxiv_id": "2601.00002",
        "title": "Gadget Search at Scale",
        "abstract": "We study gadget search. Our searcher answers 64.0% of the questions of "
        "GadgetQA, 2.1x faster than the best prior searcher.",
    },
]
_UNSEEN_GOLD = [
    {
        "title": "Widgetron: Fast Widget Parsing",
        "claims": [
            {
                "value": 71.2,
                "unit": "%",
                "kind": "score",
                "metric": "accuracy",
                "benchmark": "WidgetBench",
                "subject": "Widgetron",
                "evidence": "Widgetron reaches 71.2% accuracy on WidgetBench",
            },
            {
                "value": 3.4,
                "unit": "%",
                "kind": "improvement",
                "metric": "F1",
                "benchmark": None,
                "subject": "Widgetron",
                "evidence": "improves F1 by 3.4% over GizmoNet",
            },
        ],
        "benchmarks": ["WidgetBench"],
    },
    {
        "title": "Gadget Search at Scale",
        "claims": [
            {
                "value": 64.0,
                "unit": "%",
                "kind": "score",
                "metric": "questions",
                "benchmark": "GadgetQA",
                "subject": "gadget searcher",
                "evidence": "answers 64.0% of the questions of GadgetQA",
            },
            {
                "value": 2.1,
                "unit": "x",
                "kind": "speedup",
                "metric": None,
                "benchmark": None,
                "subject": None,
                "evidence": "2.1x faster than the best prior searcher",
            },
        ],
        "benchmarks": ["GadgetQA"],
    },
]


def test_the_unseen_command_measures_the_map_on_a_labelled_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = _labelled_sample(tmp_path / "sample")
    assert gold_pairs([sample]) == [(sample / "day.jsonl", sample / "day.gold.jsonl")]
    pipeline = tmp_path / "pipeline"
    shutil.copytree(pipeline_path("daily_papers"), pipeline)
    before = load_parameters(pipeline)
    assert main(["unseen", str(sample), "--pipeline", str(pipeline), "--note", "two papers"]) == 0
    after = load_parameters(pipeline)
    assert before is not None and after is not None
    assert after.claims == before.claims and after.benchmarks == before.benchmarks
    assert after.unseen["claims"].measured_on == "two papers"
    assert after.unseen["claims"].rows >= 3
    assert after.unseen["benchmarks"].rows == 2
    printed = capsys.readouterr().out
    assert "claims, recalibrated:" in printed and "wrote" in printed


def _labelled_sample(folder: Path) -> Path:
    folder.mkdir()
    (folder / "day.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in _UNSEEN_LISTING), encoding="utf-8"
    )
    (folder / "day.gold.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in _UNSEEN_GOLD), encoding="utf-8"
    )
    return folder


def test_a_refit_keeps_the_unseen_map_and_needs_no_valid_file(tmp_path: Path) -> None:
    sample = _labelled_sample(tmp_path / "sample")
    pipeline = tmp_path / "pipeline"
    shutil.copytree(pipeline_path("daily_papers"), pipeline)
    before = load_parameters(pipeline)
    assert before is not None and before.unseen
    assert main(["fit", str(sample), "--pipeline", str(pipeline)]) == 0
    refitted = load_parameters(pipeline)
    assert refitted is not None and refitted.unseen == before.unseen
    # a broken file does not stop a refit (nor is its map kept: there is none to read)
    (pipeline / "confidence.json").write_text('{"version": 1}', encoding="utf-8")
    assert main(["fit", str(sample), "--pipeline", str(pipeline)]) == 0
    fresh = load_parameters(pipeline)
    assert fresh is not None and fresh.unseen == {}


def test_parameters_are_validated_with_the_file(tmp_path: Path) -> None:
    assert load_parameters(tmp_path) is None  # no file: no confidence
    (tmp_path / "confidence.json").write_text('{"version": 1, "claims": {}}', encoding="utf-8")
    with pytest.raises(ExtractError) as error:
        load_parameters(tmp_path)
    assert "confidence.json" in str(error.value)
    good = load_parameters(pipeline_path("daily_papers"))
    assert good is not None
    data = json.loads(good.model_dump_json())
    data["claims"]["weights"]["rule=x"] = math.inf
    with pytest.raises(ValueError, match="finite"):
        Parameters.model_validate(data)


def test_every_claim_and_benchmark_row_gets_a_confidence(pipeline: Pipeline) -> None:
    text = (
        "On GSM8K, WidgetNet reaches 85.3% accuracy, and it improves over GPT-4 by 4.1%. "
        "It is 2x faster on MATH."
    )
    extraction = extract_text(pipeline, text, "WidgetNet: widgets")
    rows = extraction.claims + extraction.benchmarks
    assert rows
    for row in rows:
        assert 0.0 <= row["confidence"] <= 1.0
    assert len(extraction.features["claims"]) == len(extraction.claims)


def test_features_come_from_what_the_claim_rests_on(pipeline: Pipeline) -> None:
    extraction = extract_text(pipeline, "WidgetNet reaches 85.3% accuracy on GSM8K.", "")
    (features,) = extraction.features["claims"]
    (claim,) = extraction.claims
    assert features.get("kind=" + claim["kind"]) == 1.0
    # the subject rule (from field_rules) read a name in the number's sentence
    assert features.get("subject_from=named") == 1.0
    assert features.get("direction_known") == 1.0  # accuracy: higher is better
    assert not any("85.3" in k or "WidgetNet" in k for k in features)  # never the words
    nobody = claim_features({"kind": "score", "rule_id": "claim.share.attempts", "subject": None})
    assert nobody == {"kind=score": 1.0, "subject=none": 1.0}


@pytest.mark.parametrize(
    ("claim", "unanchored"),
    [
        # a score with neither a known metric nor a system in its clause
        ({"kind": "score", "subject": "X", "field_rules": "subject=subject.paper_method"}, 1),
        # a known metric, or a system named beside the number, anchors it; so does a
        # class of systems in its clause ("agents solve ...")
        ({"kind": "score", "subject": "agents", "field_rules": "subject=subject.clause_start"}, 0),
        (
            {
                "kind": "score",
                "subject": "agents",
                "direction": "higher",
                "field_rules": "subject=subject.clause_start",
            },
            0,
        ),
        ({"kind": "score", "subject": "X", "field_rules": "subject=subject.clause_subject"}, 0),
        # no subject at all is subject=none, not this
        ({"kind": "score", "subject": None}, 0),
        # a gain needs no metric the gazetteer knows: only scores
        ({"kind": "improvement", "subject": "X", "field_rules": "subject=subject.previous"}, 0),
    ],
)
def test_a_score_resting_on_neither_metric_nor_name(claim: dict[str, str], unanchored: int) -> None:
    features = claim_features(claim, rule_methods(pipeline_path("daily_papers")))
    assert features.get("score_unanchored", 0.0) == unanchored


@pytest.mark.parametrize(
    ("rule", "source"),
    [
        ("subject.clause_subject", "named"),  # "WidgetNet reaches 85.3%"
        ("subject.for_after", "named"),  # "85.3% for WidgetNet"
        ("subject.clause_start", "class"),  # "open-source models reach 40%"
        ("subject.previous", "inferred"),  # the subject of the claim before
        ("subject.paper_method", "inferred"),  # the paper's own name, not in the sentence
        ("subject.made_up", "other"),  # a rule the pipeline does not have
    ],
)
def test_the_subject_source_comes_from_the_method_of_its_rule(rule: str, source: str) -> None:
    methods = rule_methods(pipeline_path("daily_papers"))
    claim = {"kind": "score", "subject": "X", "field_rules": f"subject={rule}"}
    assert claim_features(claim, methods)["subject_from=" + source] == 1.0


@pytest.fixture(scope="module")
def labelled() -> object:
    need_shared(*GOLD_FOLDERS)
    return gold_rows(GOLD_FOLDERS)


def test_held_out_calibration_on_the_shared_gold(labelled: object) -> None:
    """Fit on one part of the gold papers, check on the other. One cut in halves of 200
    rows moves the figures by several points, so the bounds (those the hidden listings
    must meet) hold for the mean over cuts and for each listing held out in turn; the
    README has the figures."""
    rows: GoldRows = labelled  # type: ignore[assignment]
    first = check(rows)["claims"]
    assert first.rows > 150 and {e.listing for e in rows.claims}
    cuts = repeated(rows)["claims"]
    assert cuts[0].ece == first.ece  # the first cut is check's
    assert sum(c.ece for c in cuts) / len(cuts) <= 0.10, [c.ece for c in cuts]
    aucs = [c.auc for c in cuts if c.auc is not None]
    assert sum(aucs) / len(aucs) >= 0.70, aucs
    listings = listings_held_out(rows)["claims"]
    assert listings.ece <= 0.10, listings.to_dict()
    assert listings.auc is not None and listings.auc >= 0.70, listings.to_dict()
    # the ranking target of the shared gold (issue 13): a near-constant confidence fails
    assert sum(aucs) / len(aucs) >= 0.75 and listings.auc >= 0.75, (aucs, listings.auc)


@pytest.mark.slow
def test_the_leaderboard_of_listings_the_fit_has_not_seen(labelled: object) -> None:
    """Each gold listing extracted with the models fitted on the others: the leaderboard
    bounds the issue sets for listings the rules have not seen (the README has the
    figures)."""
    rows: GoldRows = labelled  # type: ignore[assignment]
    board = leaderboard_by_listing(rows, GOLD_FOLDERS)
    assert board.entries > 10 and board.gold_entries >= 50, board.to_dict()
    assert board.right_share is not None and board.right_share >= 0.80, board.to_dict()
    assert board.found_share is not None and board.found_share >= 0.60, board.to_dict()
    assert board.entries_right + len(board.wrong) == board.entries


def test_the_committed_parameters_are_the_fit_of_the_shared_gold(labelled: object) -> None:
    """Fails when the rules changed and the fit was not rerun:
    python -m extract.confidence fit CORPUS/seed CORPUS/dev CORPUS/dev2 (CORPUS: ../shared/corpus)
    """
    committed = load_parameters(pipeline_path("daily_papers"))
    assert committed is not None
    fresh = fit(labelled)  # type: ignore[arg-type]
    assert fresh.claims == committed.claims
    assert fresh.benchmarks == committed.benchmarks


def test_examples_are_labelled_from_the_gold(labelled: object) -> None:
    claims: list[Example] = labelled.claims  # type: ignore[attr-defined]
    assert {e.label for e in claims} == {0, 1}
    assert all(e.record_id.startswith(("arxiv:", "title:")) for e in claims)
