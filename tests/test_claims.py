"""extract.nlp.claims and claim_fields: which numbers are results, their kind and fields.

Every sentence is invented for the test. Each row says what the rules must decide.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from extract.nlp import Pipeline, extract_text, load_pipeline
from extract.nlp.claim_fields import phrase_left, phrase_right
from extract.nlp.claims import _case_folded, _one_word, _word_start
from extract.nlp.text import required_literals, sentence_spans, words

PIPELINE = Path(__file__).resolve().parent.parent / "pipelines" / "daily_papers"


def claims(pipeline: Pipeline, text: str, title: str = "") -> list[dict[str, Any]]:
    return extract_text(pipeline, text, title).claims


def only(pipeline: Pipeline, text: str, title: str = "") -> dict[str, Any]:
    found = claims(pipeline, text, title)
    assert len(found) == 1, [c["value_text"] for c in found]
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "We train a 7 billion parameter model on 2,000 GPUs.",  # sizes and counts
        "Images are resized to 224 x 224 before training.",  # a resolution
        "Unlike earlier work (Doe et al., 2021), we use two stages.",  # a citation year
        "We contribute (1) a parser and (2) a tagger.",  # an enumeration
        "Compared with Widgetron 2.5, our system is simpler.",  # a version
        "The corpus is 40x larger than earlier collections.",  # a size, not a result
        "We use a masking ratio of 75% during pre-training.",  # a setting
        "With 10% of the labeled data we pre-train the encoder.",  # a data share
        "Attention costs O(1) memory per token.",  # a complexity bound
        "The effect is significant (p < 0.01) in every run.",  # a p-value
        "Its gain holds for the hardest cases ($p<0.001$) of the split.",  # a p-value, LaTeX
        "Merging the top 4 checkpoints is enough.",  # a cut-off
        "We evaluate on 12 datasets with 3 seeds each.",  # counts without a metric
        "Training takes 2.5 hours on one machine.",  # a duration
    ],
)
def test_setup_numbers_are_not_results(pipeline: Pipeline, text: str) -> None:
    assert claims(pipeline, text) == []


@pytest.mark.parametrize(
    ("text", "value_text", "kind", "rule_id"),
    [
        ("The parser solves 88.1% of the problems.", "88.1%", "score", "claim.share.attempts"),
        ("It reaches 71.3% accuracy on the test split.", "71.3%", "score", "claim.score.reached"),
        ("The tagger improves F1 by 4.5% on noisy text.", "4.5%", "improvement",
         "claim.improvement"),
        ("We see a 2.2% gain over the best prior system.", "2.2%", "improvement",
         "claim.improvement"),
        ("It cuts the error rate by 12.5% on noisy text.", "12.5%", "reduction",
         "claim.reduction"),
        ("The student needs 40% fewer trainable weights.", "40%", "reduction", "claim.reduction"),
        ("The kernel runs 3.1x faster than the reference.", "3.1x", "speedup", "claim.speedup"),
        ("Our solver speeds up sampling by 12 times.", "12 times", "speedup", "claim.speedup"),
        ("The guard adds only 2% overhead at inference.", "2%", "other", "claim.overhead"),
        ("The first factor explains 61% of the variance.", "61%", "other", "claim.share"),
        ("It keeps 95% of its unpruned accuracy.", "95%", "score", "claim.share.retained"),
        ("It matches the teacher using 30% of the memory.", "30%", "reduction", "claim.share.cost"),
        ("It rivals systems that use 50 times more compute.", "50 times", "reduction",
         "claim.more_cost"),
        ("The bot holds a win/loss ratio of 3.2 overall.", "3.2", "ratio", "claim.ratio"),
        ("Results: +2.7% on the hard split.", "+2.7%", "improvement", "claim.signed"),
        ("Ahead of the old ranker by 3.4 percentage points.", "3.4 percentage points",
         "improvement", "claim.points"),
        ("It delivers 2-3x recall on long queries.", "2-3x", "improvement", "claim.factor"),
        ("The tagger is right on 88.1% overall.", "88.1%", "score", "claim.score"),
        ("No tagger exceeds 66% on the hard split.", "66%", "score", "claim.score.threshold"),
        ("A gain of 5.4 percentage-point over the prior tagger.", "5.4 percentage-point",
         "improvement", "claim.improvement"),
    ],
)  # fmt: skip
def test_kinds(pipeline: Pipeline, text: str, value_text: str, kind: str, rule_id: str) -> None:
    claim = only(pipeline, text)
    assert (claim["value_text"], claim["kind"], claim["rule_id"]) == (value_text, kind, rule_id)


def test_a_bracket_that_names_its_metric_is_a_scope_of_its_own(pipeline: Pipeline) -> None:
    text = (
        "The tagger outperforms prior work, reaching strong retrieval (Recall@50 up to 0.61 "
        "versus a near-zero baseline) and a clear margin (+4.2%)."
    )
    kinds = {c["value_text"]: c["kind"] for c in extract_text(pipeline, text).claims}
    assert kinds == {"0.61": "score", "+4.2%": "improvement"}


def test_a_cue_after_the_number_outranks_one_before_it(pipeline: Pipeline) -> None:
    claim = only(pipeline, "Our decoder achieves speedups with 30% fewer parameters.")
    assert claim["kind"] == "reduction"


def test_cues_before_a_list_of_numbers_speak_for_all_of_it(pipeline: Pipeline) -> None:
    found = claims(pipeline, "It lowers latency by 12.1% and 8.4% on two devices.")
    assert [(c["value"], c["kind"], c["metric"]) for c in found] == [
        (12.1, "reduction", "latency"),
        (8.4, "reduction", "latency"),
    ]


def test_a_list_item_that_says_what_it_is_compared_with_keeps_the_list_s_kind(
    pipeline: Pipeline,
) -> None:
    text = (
        "Widgetron improves the sample quality by 12% in FID compared to plain rectified"
        " flow and 7% compared to others."
    )
    found = claims(pipeline, text)
    assert [(c["value"], c["kind"], c["metric"]) for c in found] == [
        (12.0, "improvement", "FID"),
        (7.0, "improvement", "FID"),
    ]


def test_a_bracketed_label_after_a_number_is_not_a_later_metric(pipeline: Pipeline) -> None:
    text = "It lifts pass@8 from 64.1 -> 70.3 (WRPO), 69.3 -> 72.5 ( GRPX ), 1.2 -> 2.3 (DPX)."
    found = claims(pipeline, text)
    assert [(c["value"], c["baseline_value"], c["metric"]) for c in found] == [
        (70.3, 64.1, "pass@8"),
        (72.5, 69.3, "pass@8"),
        (2.3, 1.2, "pass@8"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare list shares the metric after its last number
        ("Widgetron reaches 41.2 and 38.5 BLEU on the news sets.", ["BLEU", "BLEU"]),
        ("It scores 83.5% and 81.0% pass@1 on two suites.", ["pass@1", "pass@1"]),
        # a number with its own metric, or of another unit, keeps its own
        ("Widgetron reaches 81.2% accuracy and 45.0% F1 on GadgetBench.", ["accuracy", "F1"]),
        ("It reduces latency by 30% and 2.1x memory.", ["latency", "memory"]),
    ],
)
def test_numbers_of_a_list_share_the_metric_after_it(
    pipeline: Pipeline, text: str, expected: list[str]
) -> None:
    assert [c["metric"] for c in claims(pipeline, text)] == expected


@pytest.mark.parametrize(
    ("text", "value", "baseline_value", "value_text"),
    [
        ("Fine-tuning raises recall from 41.2% to 57.9% on held-out data.", 57.9, 41.2, "57.9%"),
        ("The error rate drops from 0.31 to 0.22 after distillation.", 0.22, 0.31, "0.22"),
        ("Filtering cuts leaks from an average of 12.5% to 3.1%.", 3.1, 12.5, "3.1%"),
        ("Sample quality improves (FID 12.4 vs. 19.7) at equal cost.", 12.4, 19.7, "12.4"),
    ],
)
def test_before_and_after_pairs_are_one_claim(
    pipeline: Pipeline, text: str, value: float, baseline_value: float, value_text: str
) -> None:
    claim = only(pipeline, text)
    assert (claim["value"], claim["baseline_value"], claim["value_text"]) == (
        value,
        baseline_value,
        value_text,
    )
    assert claim["kind"] == "score"


def test_a_range_is_one_claim_valued_at_its_upper_end(pipeline: Pipeline) -> None:
    claim = only(pipeline, "The gains range from 4% to 9% across the suites.")
    assert (claim["value"], claim["value_text"]) == (9.0, "4% to 9%")


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("It is up to 3.5x faster than before.", "up to"),
        ("It is over 25 times faster than before.", "over"),
        ("It reduces errors by more than 30% overall.", "more than"),
        ("Humans score $\\approx$80% on the same items.", "approximately"),
        ("Models stay near-perfect (> 99%) on easy items.", "over"),
        ("It fails in fewer than 7% of trials.", "fewer than"),
        ("It reaches 71.3% accuracy on the test split.", None),
    ],
)
def test_qualifiers(pipeline: Pipeline, text: str, qualifier: str | None) -> None:
    assert only(pipeline, text)["qualifier"] == qualifier


@pytest.mark.parametrize(
    ("text", "metric", "canonical", "direction"),
    [
        ("It obtains 38.2 BLEU on the news test set.", "BLEU", "BLEU", "higher"),
        ("It reaches 77.3% exact match on the dev set.", "exact match", "Exact Match", "higher"),
        ("It lowers the word error rate by 9% on accented speech.", "word error rate", "WER",
         "lower"),
        ("It brings a 35% reduction in peak memory.", "peak memory", "memory", "lower"),
        ("The reranker beats BM25 by 4.1% in top-1 accuracy.", "top-1 accuracy", "accuracy",
         "higher"),
        ("The detector has an F1 of 0.87 on the held-out fold.", "F1", "F1", "higher"),
        ("The kernel is 4x faster than the reference.", "speed", "speed", "higher"),
        ("Our solver speeds up sampling by 12 times.", "speedup", "speedup", "higher"),
        # a known acronym behind a one-letter qualifier is a metric of its own
        ("The tokenizer reaches 0.37 rFID on the validation set.", "rFID", "rFID", "lower"),
        # praise before a metric's name is no part of it
        ("It sets a new state-of-the-art gFID of 1.03 on the class task.", "gFID", "gFID",
         "lower"),
        ("It achieves higher routing accuracy on the hard split (0.851 vs. 0.843).",
         "routing accuracy", "accuracy", "higher"),
        # whose quantity it is belongs to the subject or the baseline, not the metric
        ("Widgetron surpasses the baseline's peak accuracy by 1.1% on WidgetQA.",
         "peak accuracy", "accuracy", "higher"),
        ("Its alignment reaches Spearman's rho = 0.85 on WidgetQA.",
         "Spearman's rho", "correlation", "higher"),
        # what changed, not the change noun
        ("Widgetron shows a major improvement in accuracy, reaching 61.3 on WidgetQA.",
         "accuracy", "accuracy", "higher"),
    ],
)  # fmt: skip
def test_metrics(
    pipeline: Pipeline, text: str, metric: str, canonical: str, direction: str
) -> None:
    claim = only(pipeline, text)
    assert (claim["metric"], claim["metric_canonical"], claim["direction"]) == (
        metric,
        canonical,
        direction,
    )
    start, end = claim.get("metric_start"), claim.get("metric_end")
    if start is not None:
        assert text[start:end].replace(" ", "") == metric.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "benchmarks"),
    [
        (
            "Accuracy rises by 12.1% and 8.4% on the WidgetQA and GadgetBench benchmarks, "
            "respectively.",
            ["WidgetQA", "GadgetBench"],
        ),
        ("We report a 2.4% gain over Widgetron on GadgetBench today.", ["GadgetBench"]),
        ("On the GadgetBench benchmark, our model reaches 77.0% accuracy.", ["GadgetBench"]),
        ("After tuning it scores 61.0 GadgetBench at 8 steps.", ["GadgetBench"]),
        (
            "It gains 3.1% over Widgetron and 1.2% over Gizmo-LM on the GadgetBench benchmark.",
            ["GadgetBench", "GadgetBench"],
        ),
        (
            "We present GadgetBench, a benchmark of 900 puzzles. The best model solves 31.5% "
            "of the puzzles.",
            ["GadgetBench"],
        ),
        ("Our model reaches 77.0% accuracy. WidgetQA and GadgetBench are harder.", [None]),
    ],
)
def test_benchmark_of_a_claim(pipeline: Pipeline, text: str, benchmarks: list[str]) -> None:
    found = claims(pipeline, text)
    assert [c.get("benchmark") for c in found] == benchmarks
    for claim in found:
        if claim.get("benchmark_start") is not None:
            assert text[claim["benchmark_start"] : claim["benchmark_end"]] == claim["benchmark"]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Widgetron achieves 71.0% accuracy on the hard split.", "subject", "Widgetron"),
        ("We add Gadget Solver, which speeds up sampling by 25 times.", "subject",
         "Gadget Solver"),
        ("The hardest split stays unsolved (41.3% for Widgetron-XL).", "subject", "Widgetron-XL"),
        # a plural subject before a change verb's plain form
        ("Curated Widgets raise average pass rate by 16.2 points.", "subject", "Curated Widgets"),
        ("Ablations show that BM25 tuning improves recall by 11.1%.", "subject",
         "BM25 tuning"),
        ("It is 2.1x faster than the sequential decoder on long inputs.", "baseline",
         "sequential decoder"),
        ("GadgetNet outperforms Widgetron by 4.2% on the hard split.", "baseline", "Widgetron"),
        # a margin between "by" and the number, and an aside after the object
        ("Our models outperform strong baselines by average margins of 10.4%.", "baseline",
         "strong baselines"),
        ("GadgetZip compresses text better, beating wz -9e (LZMA) by 8.7%.", "baseline", "wz -9e"),
        # "compared to" far after the number, without the setting after the name
        ("This gives a 2x improvement in generalization to new tasks and scenes compared to "
         "prior VLAs in real robot experiments.", "baseline", "prior VLAs"),
        # what the clause's comparison names, for a gain written after it: both sides of
        # a coordination, without a participle after it
        ("Widgetron outperforms strong sequential and gizmo-based baselines, with an "
         "average gain of 10%.", "baseline", "strong sequential and gizmo-based baselines"),
        ("Widgetron outperforms reward models trained on the same data, with gains of up "
         "to 6.5 points.", "baseline", "reward models"),
        # "4.51 for X" names no system when X begins a benchmark of the paper
        ("Experiments on GizmoSuite ABC-D show that Widgetron reaches a task length of 4.51 "
         "for GizmoSuite.", "subject", "Widgetron"),
        ("Coverage grows from 58% (the old parser) to 81%.", "baseline", "the old parser"),
        ("It gains 6.1% on multi-hop reasoning tasks.", "task", "multi-hop reasoning tasks"),
    ],
)  # fmt: skip
def test_subject_baseline_task(pipeline: Pipeline, text: str, field: str, value: str) -> None:
    claim = only(pipeline, text)
    assert claim[field] == value
    start = claim.get(f"{field}_start")
    if start is not None:
        assert value in text[start : claim[f"{field}_end"]]


def test_each_number_keeps_the_baseline_written_after_it(pipeline: Pipeline) -> None:
    text = "It raises the average by 3.4% over GizmoRL and 6.3% over WidgetRL."
    assert [c["baseline"] for c in claims(pipeline, text)] == ["GizmoRL", "WidgetRL"]
    # a list of numbers with one baseline after it shares it
    text = "It raises the average by 3.4% and 6.3% over WidgetRL."
    assert [c["baseline"] for c in claims(pipeline, text)] == ["WidgetRL", "WidgetRL"]


def test_a_pair_takes_the_benchmark_written_after_its_baseline(pipeline: Pipeline) -> None:
    text = "It wins (71.0% vs. 56.7% on WidgetQA, 88.3% vs. 68.3% on GadgetBench) overall."
    found = claims(pipeline, text)
    assert [(c["value"], c["benchmark"]) for c in found] == [
        (71.0, "WidgetQA"),
        (88.3, "GadgetBench"),
    ]


@pytest.mark.parametrize(
    ("text", "not_metric"),
    [
        # a kind of model, a unit or a method's defined acronym is no metric
        ("It yields gains across representative LLM and agent tasks, boosting Widgetron by "
         "18.7% on WidgetQA.", "LLM"),
        ("It reaches 2.1 bpb on 1 MB, beating the reference by 8.7%.", "MB"),
        ("We propose Curvilinear Sample Ordering (CSO), a simple ordering method that yields "
         "up to a 5.42 percentage-point gain on geometry.", "CSO"),
        # letters and digits without a cut-off name models and methods
        ("It captures pairwise interactions with small parameter overhead (3% on GPT2).",
         "GPT2"),
        # a hyphenated adjective is no metric
        ("The results show accuracy improvements with loss-based sample selection, achieving "
         "gains of up to 7.02% on WidgetQA.", "loss-based"),
    ],
)  # fmt: skip
def test_words_shaped_like_metrics_that_are_none(
    pipeline: Pipeline, text: str, not_metric: str
) -> None:
    metric = claims(pipeline, text)[-1].get("metric") or ""
    assert not_metric not in metric, metric


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("The best model passes on 27.9% of tasks.", "pass rate"),
        ("The two judges agree on only 31.7% of their answers.", "agreement"),
        ("Even the strongest agent fails on 54% of the puzzles.", "failure rate"),
    ],
)
def test_a_share_of_attempts_is_named_after_its_verb(
    pipeline: Pipeline, text: str, metric: str
) -> None:
    assert only(pipeline, text)["metric"] == metric


def test_a_pair_takes_a_compound_metric_name_before_its_verb(pipeline: Pipeline) -> None:
    found = claims(
        pipeline,
        "Accuracy improves from 69% to 96% and GizmoScore increases from 20.46 to 23.81.",
    )
    assert [c.get("metric") for c in found] == ["Accuracy", "GizmoScore"]


def test_a_noun_of_quality_after_a_share_names_its_metric(pipeline: Pipeline) -> None:
    claim = only(pipeline, "The pipeline achieves 95.8% reproduction against official baselines.")
    assert claim["metric"] == "reproduction"


def test_an_acronym_defined_as_a_metric_is_one(pipeline: Pipeline) -> None:
    claim = only(pipeline, "It reaches an Entity Hit Rate (EHR) of 0.47 on the test calls.")
    # read with the long form it is written after, filed under the acronym
    assert claim["metric"] == "Entity Hit Rate (EHR)"
    assert claim["metric_canonical"] == "ehr"


def test_a_metric_that_opens_a_bracket_closes_it(pipeline: Pipeline) -> None:
    claim = only(pipeline, "Gizmo reduces Time-to-First-Token (TTFT) by 51% on long prompts.")
    assert claim["metric"] == "Time-to-First-Token (TTFT)"
    assert (claim["metric_end"], claim["metric_canonical"]) == (40, "latency")


def test_a_number_between_capitalised_words_is_a_name(pipeline: Pipeline) -> None:
    claims = extract_text(
        pipeline, "Widgets come first. Gizmo 3.5 Turbo then reaches 61.2% accuracy."
    ).claims
    assert [c["value_text"] for c in claims] == ["61.2%"]


def test_a_preposition_s_object_is_no_subject(pipeline: Pipeline) -> None:
    claim = only(
        pipeline,
        "Combining broad pre-training with domain-specific fine-tuning yields the best "
        "results overall (84.3% composer accuracy).",
    )
    assert claim.get("subject") != "domain-specific fine-tuning"


def test_an_unnamed_paper_s_method_is_what_its_sentence_calls_it(pipeline: Pipeline) -> None:
    claim = only(pipeline, "The proposed self-tuning system achieves a win rate of 61.2%.")
    assert claim["subject"] == "self-tuning system"


def test_a_quantity_after_for_or_with_is_no_subject(pipeline: Pipeline) -> None:
    claim = only(
        pipeline,
        "It lifts accuracy on WidgetQA to nearly 70% with 0.5m tokens.",
        title="Widgetron: Fast Widgets",
    )
    assert claim["subject"] == "Widgetron"


def test_a_number_in_brackets_takes_no_benchmark_after_them(pipeline: Pipeline) -> None:
    found = claims(
        pipeline,
        "Gizmo-2 achieves 79.6% on WidgetQA (Gadget 4 at 80.8%), 88.7 on GizmoBench.",
    )
    assert [(c["value_text"], c.get("benchmark")) for c in found][1] == ("80.8%", "WidgetQA")


def test_a_compared_value_in_brackets_is_no_claim(pipeline: Pipeline) -> None:
    # the bracket holds what 79.6% is compared with; the numbers around it keep
    # their own benchmarks
    found = claims(
        pipeline,
        "Gizmo-2 achieves 79.6% on WidgetQA (vs. Gadget 4 at 80.8%), 88.7 on GizmoBench.",
    )
    assert [(c["value_text"], c.get("benchmark")) for c in found] == [
        ("79.6%", "WidgetQA"),
        ("88.7", "GizmoBench"),
    ]


def test_a_name_may_end_in_a_v_version(pipeline: Pipeline) -> None:
    claim = only(pipeline, "Widgetron v4 reduces decoding FLOPs by 55.8% on long inputs.")
    assert claim["subject"] == "Widgetron v4"


def test_a_number_is_never_a_subject(pipeline: Pipeline) -> None:
    assert only(pipeline, "The pipeline replicates at 90% for 4 agents.").get("subject") is None


def test_a_metric_named_for_a_person_is_no_owner(pipeline: Pipeline) -> None:
    # "Spearman's rho" names the statistic; "Widgetron's failures" names whose they are
    claim = only(pipeline, "Agreement with the judges is high (Spearman's rho = 0.85).")
    assert claim.get("subject") != "Spearman"
    claim = only(pipeline, "Notably, 71% of Widgetron's failures stem from one assumption.")
    assert claim["subject"] == "Widgetron"


def test_a_function_word_is_never_a_subject(pipeline: Pipeline) -> None:
    # an infinitive's "To" and a determiner stand where a clause's subject would
    text = "To enhance this, we tune the widgets on more data, yielding gains of 30 F1 points."
    assert only(pipeline, text).get("subject") != "To"
    text = "Its recommended pools further improve the routers by up to 81% on QA."
    assert only(pipeline, text).get("subject") != "Its"


def test_evidence_and_offsets_index_the_text(pipeline: Pipeline) -> None:
    text = "We study widgets. The tagger improves F1 by 4.5% on noisy text. It is small."
    claim = only(pipeline, text)
    assert claim["evidence"] == "The tagger improves F1 by 4.5% on noisy text"
    assert text[claim["evidence_start"] : claim["evidence_end"]] == claim["evidence"]
    assert text[claim["start"] : claim["end"]] == claim["value_text"] == "4.5%"


def test_page_artefacts_are_repaired_in_values_not_in_offsets(pipeline: Pipeline) -> None:
    text = "We propose the Widget Tagger ( WT ) . It lowers the error rate s by 9% on noisy text ."
    claim = only(pipeline, text)
    assert claim["metric"] == "error rates"  # the split-off letter is joined back
    assert text[claim["metric_start"] : claim["metric_end"]] == "error rate s"


@pytest.mark.parametrize(
    ("phrase", "left", "right"),
    [
        ("the count of active experts", "count of active experts", "count of active experts"),
        ("a win/loss ratio", "win/loss ratio", "win/loss ratio"),
        ("latency, while memory", "memory", "latency"),
    ],
)
def test_phrase_readers(phrase: str, left: str, right: str) -> None:
    stops = {"the", "a", "while"}
    items = words(phrase, 0, len(phrase))

    def stop(word: Any) -> bool:
        return str(word.text).lower() in stops

    span_left = phrase_left(items, stop, 6)
    span_right = phrase_right(items, stop, 6)
    assert span_left is not None and span_right is not None
    assert phrase[span_left[0] : span_left[1]] == left
    assert phrase[span_right[0] : span_right[1]] == right


def _doc(pipeline: Pipeline, text: str) -> Any:
    doc = pipeline.nlp.make_doc(text)
    doc._.text = text
    return pipeline.nlp(doc)


def test_sentence_bounds_are_a_component_of_the_doc(pipeline: Pipeline) -> None:
    text = "We test WidgetNet, e.g. on WidgetQA. It reaches 41.2% accuracy. (A) It is done."
    doc = _doc(pipeline, text)
    # the one splitter: the Doc's sentences are the ones the audit and the rules read
    assert [(s.start_char, s.end_char) for s in doc.sents] == [(0, 36), (37, 63), (64, len(text))]
    assert doc._.sentence_starts == [0, 37, 64]
    assert [text[s:e] for s, e in sentence_spans(text)] == [s.text for s in doc.sents]


def test_a_run_leaves_the_doc_annotations_out_and_reads_the_same_rows(
    pipeline: Pipeline,
) -> None:
    text = "In 2024 we trained WidgetNet. WidgetNet reaches 41.2% accuracy on ImageNet."
    assert pipeline.doc_only == ["doc_spans"]  # the last component: nothing reads it
    doc = _doc(pipeline, text)
    extraction = extract_text(pipeline, text)
    assert [(c["start"], c["end"]) for c in extraction.claims] == [
        (s.start_char, s.end_char) for s in doc.spans["claims"]
    ]


def test_claims_and_the_numbers_that_are_not_are_labelled_spans(pipeline: Pipeline) -> None:
    text = (
        "In 2024 we trained WidgetNet on 224 x 224 images. "
        "WidgetNet reaches 41.2% accuracy on ImageNet and runs 2.8x faster."
    )
    doc = _doc(pipeline, text)
    found = [(s.text, s.label_, s.id_) for s in doc.spans["claims"]]
    rows = doc._.claims
    assert found == [(r["value_text"], r["kind"], r["rule_id"]) for r in rows]
    assert [label for _, label, _ in found] == ["score", "speedup"]
    numbers = {(s.text, s.label_, s.id_) for s in doc.spans["numbers"]}
    assert ("2024", "year", "claim.not.year") in numbers
    assert any(label == "resolution" for _, label, _ in numbers)
    fields = {(s.text, s.label_) for s in doc.spans["claim_fields"]}
    assert ("ImageNet", "benchmark") in fields
    assert ("accuracy", "metric") in fields
    # each field span names the field rule that read it, as the claim row does
    spans = {(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans["claim_fields"]}
    for row in rows:
        for part in row["field_rules"].split():
            name, rule_id = part.split("=")
            if row.get(f"{name}_start") is not None:
                assert (row[f"{name}_start"], row[f"{name}_end"], name, rule_id) in spans


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bO\([^)]*", ("O(",)),
        # an alternation needs one of its branches' literals
        (r"\bCI\s?[:=]|confidence\s+intervals?", ("CI", "confidence")),
        # an optional part is not needed; a repeated one is
        (r"\b(?:at|of)\s+(?:up\s+to\s+)?", ("at", "of")),
        (r"(?:ab)+x", ("ab",)),
        # the rarest set wins: the longer shortest literal
        (r"\bby\s+(?:more|fewer)", ("fewer", "more")),
        # case-insensitive parts and lookarounds say nothing
        (r"\b(?i:with|using)\s+", None),
        (r"(?<=from )\d", None),
        (r"[xX]\s?", None),
        # a branch with no literal makes the whole alternation say nothing
        (r"(?:v|[A-Z]\w*)\s", None),
    ],
)
def test_required_literals_of_a_before_pattern(pattern: str, needed: Any) -> None:
    assert required_literals(re.compile(pattern)) == needed


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        # case-insensitive parts are read, in lower case; a literal that holds another
        # is left to it ("exceed" finds "exceeds")
        (r"\b(?i:exceed|exceeds|surpass)\s+", ("exceed", "surpass")),
        (r"\bCI\s?[:=]|confidence\s+intervals?", ("ci", "confidence")),
        # beyond ASCII, a case-insensitive letter may match an ASCII one: not read
        (r"(?i:\u212a)", None),
        (r"(?:v|[A-Z]\w*)\s", None),
    ],
)
def test_lower_case_literals_of_a_before_pattern(pattern: str, needed: Any) -> None:
    assert required_literals(re.compile(pattern), lowered=True) == needed
    for text in ["It exceeds 3", "EXCEEDS 4", "a CI: 5", "Confidence intervals 6"]:
        if re.search(pattern, text) and needed is not None:
            assert any(literal in text.lower() for literal in needed)


@pytest.mark.parametrize(
    ("pattern", "folded"),
    [
        (r"(?i:\b(?:first|second)\b)", r"(?:\b(?:first|second)\b)"),
        # case-sensitive parts without letters are the same on lower-cased text
        (r"\b(?i:with|using)\s+\d+\s+\(", r"\b(?:with|using)\s+\d+\s+\("),
        (r"(?i:×|→)", r"(?:×|→)"),
        # a case-sensitive letter would match a capital lower-cased: not folded
        (r"\bv(?i:ersion)", None),
        (r"(?i:a)[A-Z]", None),
        # a capital under IGNORECASE, a back-reference, a cased non-ASCII letter
        (r"(?i:Ab)", None),
        (r"(?i:(a)\1)", None),
        (r"(?i:\u212a)", None),
        # nothing to gain, or not only inline groups
        (r"abc", None),
        (r"(?i)abc", None),
        # a literal bracket before "?i:" is no flag group
        (r"\(?i:x", None),
    ],
)
def test_case_folded_patterns(pattern: str, folded: str | None) -> None:
    found = _case_folded(re.compile(pattern))
    assert (found.pattern if found else None) == folded
    if found is not None:
        for text in ["First, second", "WITH 3 (", "x → y", "Using 12 ("]:
            expected = [m.span() for m in re.finditer(pattern, text)]
            assert [m.span() for m in found.finditer(text.lower())] == expected


def test_a_benchmark_before_the_metric_after_a_number_is_not_the_metric(
    pipeline: Pipeline,
) -> None:
    claim = only(pipeline, "Gizmo serves the model on one card with 83.85% GSM8K accuracy.")
    assert (claim["metric"], claim["benchmark"]) == ("accuracy", "GSM8K")


def test_a_benchmark_named_at_the_start_of_a_metric_before_a_number_is_not_the_metric(
    pipeline: Pipeline,
) -> None:
    claim = only(pipeline, "Forking improves GadgetBench-2 performance from 34.2% to 39.4%.")
    assert (claim["metric"], claim["benchmark"]) == ("performance", "GadgetBench-2")
    # a benchmark's own score is named with it
    claim = only(pipeline, "Widgetron reaches a GadgetBench score of 0.89 at one step.")
    assert (claim["metric"], claim["benchmark"]) == ("GadgetBench score", "GadgetBench")


def test_a_phrase_ending_with_a_metric_in_the_plural_names_it(pipeline: Pipeline) -> None:
    claim = only(pipeline, "Gizmo delivers 4-19 times end-to-end training speedups over baselines.")
    assert (claim["metric"], claim["kind"]) == ("end-to-end training speedups", "speedup")
    # a lone plural is named as the lexicon writes it
    claim = only(pipeline, "Gizmo delivers 4.1x speedups over baselines.")
    assert claim["metric"] == "speedup"


def test_success_after_a_share_is_a_success_rate(pipeline: Pipeline) -> None:
    claim = only(pipeline, "The policy delivers 90% zero-shot success in real-world deployment.")
    assert (claim["metric"], claim["metric_canonical"]) == ("zero-shot success", "success rate")


def test_a_capital_x_is_a_factor(pipeline: Pipeline) -> None:
    claim = only(pipeline, "It achieves up to 2.5X sample efficiency gains over the baseline.")
    assert (claim["value"], claim["unit"], claim["kind"]) == (2.5, "x", "improvement")


def test_a_decimal_in_brackets_after_a_benchmark_is_its_score(pipeline: Pipeline) -> None:
    found = claims(
        pipeline, "It keeps strong scores on GadgetBench Hard (46.8) and WidgetQA (93.9)."
    )
    assert [(c["value"], c["benchmark"]) for c in found] == [
        (46.8, "GadgetBench Hard"),
        (93.9, "WidgetQA"),
    ]


def test_a_share_of_throughput_is_an_improvement_a_share_faster_a_speedup(
    pipeline: Pipeline,
) -> None:
    found = claims(
        pipeline,
        "It achieves 5~66% higher throughput, decodes 35% faster and reaches a 3.1x speedup.",
    )
    assert [(c["value_text"], c["kind"]) for c in found] == [
        ("5~66%", "improvement"),
        ("35%", "speedup"),
        ("3.1x", "speedup"),
    ]


def test_a_card_s_model_number_is_no_result(pipeline: Pipeline) -> None:
    found = claims(pipeline, "Gizmo serves the model on a single RTX 3090 with 83.85% accuracy.")
    assert [c["value_text"] for c in found] == ["83.85%"]


def test_no_model_is_no_subject(pipeline: Pipeline) -> None:
    claim = only(
        pipeline, "On the hard subset no model exceeds 50% accuracy.", title="Gizmo: Widgets"
    )
    assert claim.get("subject") is None


def test_a_double_dash_ends_a_phrase(pipeline: Pipeline) -> None:
    claim = only(pipeline, "It keeps 95.7% quality retention--while running faster than Gizmo.")
    assert claim["metric"] == "quality retention"


def test_a_correlation_written_as_the_lexicon_writes_it_is_a_result(pipeline: Pipeline) -> None:
    found = claims(
        pipeline, "The judge agrees with humans at Spearman's rho = 0.85, with p = 0.01."
    )
    assert [c["value"] for c in found] == [0.85]


def test_a_pair_that_ends_in_a_range_is_valued_at_its_upper_end(pipeline: Pipeline) -> None:
    claim = only(pipeline, "Poisoning raises the attack success rate from 24.6% to 64-74%.")
    assert (claim["value_text"], claim["value"], claim["baseline_value"]) == ("64-74%", 74.0, 24.6)


def test_a_modifier_opens_the_metric_after_a_number(pipeline: Pipeline) -> None:
    claim = only(pipeline, "It recovers accuracy within 0.1% relative MSE of the simulator.")
    assert claim["metric"] == "relative MSE"


@pytest.mark.parametrize(
    ("pattern", "one_word"),
    [
        # a word, then spaces: a match starts after the last space before the word
        (r"\bv", True),
        (r"(?<![.!?]\s)\b[A-Z][\w\-]*[a-z][\w\-]*\s", True),
        (r"\b(?:at|of)\s+", True),
        (r"x\s*\s", True),
        (r"(?:ab|\s)", True),
        # a space before other characters, or a character that may be one: not
        (r"\s?\(\s?", False),
        (r"a\sb", False),
        (r"(?:a\s)+", False),
        (r"[^x]", False),
        (r".", False),
    ],
)
def test_before_patterns_of_one_word(pattern: str, one_word: bool) -> None:
    compiled = re.compile(f"(?:{pattern})$")
    assert _one_word(compiled) is one_word
    if one_word:
        for text in ["on top 5", "the Widget v2", "rate of  7", "a\tb 3", "x  9", "Ab 1"]:
            end = len(text) - 1
            start = _word_start(text, 0, end)
            found = compiled.search(text, 0, end)
            assert found is None or found.start() >= start


def test_a_claim_on_a_longer_name_takes_it_not_the_name_inside_it(pipeline: Pipeline) -> None:
    found = claims(
        pipeline,
        "We evaluate on WidgetBench and WidgetBench Verified, reaching 40.1% on WidgetBench "
        "Verified and 30.2% on WidgetBench.",
    )
    assert [(c["value_text"], c["benchmark"]) for c in found] == [
        ("40.1%", "WidgetBench Verified"),
        ("30.2%", "WidgetBench"),
    ]


def test_the_papers_name_is_written_as_the_acronym_its_abstract_uses(pipeline: Pipeline) -> None:
    found = claims(
        pipeline,
        "To address this, we introduce WC, an iterative decoder. On the hard split, our "
        "method improves accuracy by 7.5%. WC needs no training.",
        title="Widget Cache: Long Horizons via Short Steps",
    )
    assert [(c["value_text"], c["subject"]) for c in found] == [("7.5%", "WC")]
    # a word of the name itself is no acronym of it
    found = claims(
        pipeline,
        "Our method improves accuracy by 7.5% over WC. WC and WC-2 are baselines.",
        title="WC Tuning: Fast Widgets",
    )
    assert [(c["value_text"], c["subject"]) for c in found] == [("7.5%", "WC Tuning")]


def test_a_rivals_level_in_a_bracket_is_the_rivals(pipeline: Pipeline) -> None:
    # the level in a bracket after what a comparison names is that system's, and it
    # is no later number's subject
    text = (
        "Widgetron reaches 81.7%, outperforming both full widget adaptation (79.3%) "
        "and random gizmo selection (75.6%)."
    )
    found = {c["value"]: c.get("subject") for c in extract_text(pipeline, text, "X").claims}
    assert found[79.3] == "full widget adaptation"
    assert found[75.6] != "full widget adaptation"


def test_every_kind_of_claim_rule_writes_out_the_placeholders_of_the_word_lists(
    tmp_path: Path,
) -> None:
    # a pair rule that asks for any hedge of gazetteers/hedges.tsv ({HEDGE}) gets the
    # list's, as the accept and kind rules do, not the stand-in that checks the file
    folder = tmp_path / "daily_papers"
    shutil.copytree(PIPELINE, folder)
    rule = {
        "id": "claim.test.hedged_pair",
        "type": "pair",
        "kind": "score",
        "anchor": r"\bbecomes\s",
        "window": [60, 60],
        "pattern": r"{BASE} becomes {HEDGE}{VALUE}",
        "examples": [{"text": "Its 41.0% becomes at most 57.9% on WidgetQA."}],
        "counter_examples": [{"text": "The score is 41.0% here."}],
    }
    with (folder / "rules" / "claims.jsonl").open("a", encoding="utf-8") as rules:
        rules.write("\n" + json.dumps(rule) + "\n")
    found = extract_text(
        load_pipeline(folder),
        "On WidgetQA, the score of 41.0% becomes at most 57.9% with Widgetron.",
    ).claims
    assert [(c["value"], c["baseline_value"], c["rule_id"]) for c in found] == [
        (57.9, 41.0, "claim.test.hedged_pair")
    ]
