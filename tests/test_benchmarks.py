"""extract.nlp.benchmarks: names of evaluation sets, new and known, and what is not one.

Every sentence is invented for the test (the gazetteer names are real datasets).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from extract.nlp import Pipeline, extract_text
from extract.nlp.benchmarks import BenchmarkFinder, canonical_key, is_distinctive
from extract.nlp.fragments import expand_benchmark_pattern


def names(pipeline: Pipeline, text: str, title: str = "") -> list[str]:
    return [str(b["name"]) for b in extract_text(pipeline, text, title).benchmarks]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We evaluate on the WidgetQA benchmark.", ["WidgetQA"]),  # never-seen name + noun
        ("Results on Gizmo500, TAPE-2 and WidgetSum datasets improve.",
         ["Gizmo500", "TAPE-2", "WidgetSum"]),
        ("Across three benchmarks (GizmoQA, Widget-Hard, TAPE) our agent leads.",
         ["GizmoQA", "Widget-Hard", "TAPE"]),
        ("We use datasets such as Gizmo-1K and the Widget Archive.",
         ["Gizmo-1K", "Widget Archive"]),
        ("Models trained on GizmoText and WID-3 are compared.", ["GizmoText", "WID-3"]),
        ("It shows a 12% relative gain on Widgetopia overall.", ["Widgetopia"]),
        ("Unseen categories improve (+4.2, Gizmo-U).", ["Gizmo-U"]),
        ("Our agent tops GadgetBench under equal budgets.", ["GadgetBench"]),
        ("We introduce GizmoSet, a large-scale, multilingual dataset of photos.", ["GizmoSet"]),
        ("Human judges lose on the Gadget Comparison Corpus.", ["Gadget Comparison Corpus"]),
        ("We test on the WidgetQA benchmark and its WidgetQA-Hard split.",
         ["WidgetQA", "WidgetQA-Hard"]),
        ("Accuracy on ImageNet and CIFAR100 improves.", ["ImageNet", "CIFAR100"]),  # gazetteer
        # a version or a variant word after a name is part of it, written as it stands
        ("It reaches 40% on WidgetBench v2 and 30% on GizmoBench Lite.",
         ["WidgetBench v2", "GizmoBench Lite"]),
        ("Harnesses beat baselines on GizmoBench-2 and WidgetQA-Diamond.",
         ["GizmoBench-2", "WidgetQA-Diamond"]),
        # digits and hyphens inside a name
        ("On Gizmo3D-256, our method improves control.", ["Gizmo3D-256"]),
        # a list whose commas the page wrote after a space
        ("Evaluations on GizmoWorld , WebGizmo , and GadgetWorld show gains.",
         ["GizmoWorld", "WebGizmo", "GadgetWorld"]),
        # the paper's own benchmark, introduced in the abstract
        ("We introduce Gizmo-Adv , a modern gizmo benchmark with hard distractors.",
         ["Gizmo-Adv"]),
        ("Additionally, we construct a new dataset, GZ-Image-40K, with curated samples.",
         ["GZ-Image-40K"]),
        # the paper's own name is a benchmark when its shape says so, whatever noun
        # the abstract sets beside it
        ("To address this, we introduce Gizmo-Bench, an empirical framework for agents.",
         ["Gizmo-Bench"]),
        # shapes: a Greek initial, a name apart from "Arena", "-Dataset"
        ("Agentic tool use (σ^2-bench) improves.", ["σ^2-bench"]),
        ("It ranks second on GZM Arena under equal budgets.", ["GZM Arena"]),
        ("We first construct the GizmoPair-Dataset with 80k pairs.", ["GizmoPair-Dataset"]),
        # a known name of several capitalised words, written as the gazetteer writes it
        ("Experiments on the Gizmo benchmark and the Penn Treebank show gains.",
         ["Gizmo", "Penn Treebank"]),
        # a set in brackets after the task a result is on
        ("It delivers 2x accuracy on temporal reasoning (GizmoTQ), and more.", ["GizmoTQ"]),
        # a version inside a name, before the split it names
        ("On the Gizmo v4 Multi-Turn, our agent improves recovery by 5.7%.",
         ["Gizmo v4 Multi-Turn"]),
        # a known corpus named like a model family, with a hyphenated version
        ("We pretrain on three datasets (WidgetWeb, GizmoText, Nemotron-CC-v2).",
         ["WidgetWeb", "GizmoText", "Nemotron-CC-v2"]),
        # a phrase compound is a method ("LLM-as-a-judge") unless the gazetteer knows
        # it, with or without its version
        ("On Needle-in-a-Haystack and GizmoBench, the indexer keeps recall.",
         ["Needle-in-a-Haystack", "GizmoBench"]),
        ("We evaluate on Pick-a-Pic V2 and GizmoBench.", ["Pick-a-Pic V2", "GizmoBench"]),
    ],
)  # fmt: skip
def test_benchmarks_found(pipeline: Pipeline, text: str, expected: list[str]) -> None:
    assert names(pipeline, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We evaluate on a new benchmark and report gains.",  # unnamed
        "We evaluate on six NLU tasks.",  # unnamed
        "Research has relied on XML-based datasets so far.",  # a modifier
        "Beyond benchmark scores, we study robustness.",  # a word that opens a sentence
        "Results are mixed. Numerical benchmarks show small gains.",
        "It shows a 12% relative gain on Llama-3-8B.",  # a model
        "We fine-tune GPT-4 and Qwen2.5 on our data.",  # models
        "Co-training adds +24% on OpenVLA and +20% on Octo.",  # models
        "The correlation is 0.59 on Codestral alone and 0.31 on Nemotron-4.",  # models
        "It delivers 2x recall for large language models (LLMs).",  # a term, not a set
        "On household tasks such as Table Setting and Dish Washing the robot succeeds.",  # tasks
        "Models trained on Wikipedia are compared.",  # a plain word in a weak context
        "The team solved math and code problems.",  # gazetteer names in another case
        "Throughput on 8 H100 GPUs doubles.",  # hardware
        "We release a 22T-token dataset.",  # a size
        "Unlike prior web-agent benchmarks, our agent is tested in the wild.",  # generic
        "Unlike prior Web-Agent benchmarks, our agent is tested in the wild.",  # generic
        "We evaluate with Widget-as-a-Judge on our data.",  # a phrase compound: a method
        "We fine-tune Widget-Qwen-7B and Gizmo-Llama on our data.",  # a model's variants
        "Experiments on Gizmo-Qwen and Widget-Llama-Chat show gains.",  # the same
        "The best model reaches only 12.0% on its hardest level and 30% on the hard subset.",
        "Evaluation across Safety, Completeness and Cost-awareness follows.",  # spelling
        "On established Gizmo Tabular Learning benchmarks, tuning helps.",  # a class
        "It is trained on agent-authored pull requests (Agentic-PRs).",  # a plural term
        "We ask penn treebank questions.",  # a known name in another case
        "It reaches 0.025 WER on Hindi and 0.03 on Tamil.",  # languages
        # an acronym defined for a task names the task, not a set
        "Gizmo Speech-to-Text Transcription (GSTT) is hard. On English GSTT, we win.",
        # nor one of a lower-case term with an acronym inside it
        "We exploit full-waveform LiDAR (FWL) and build the largest mobile FWL dataset.",
    ],
)
def test_not_benchmarks(pipeline: Pipeline, text: str) -> None:
    assert names(pipeline, text) == []


def test_canonical_names_come_from_the_gazetteer(pipeline: Pipeline) -> None:
    rows = extract_text(pipeline, "Accuracy on CIFAR100 and Gizmo500 improves.").benchmarks
    assert [(r["name"], r["canonical"]) for r in rows] == [
        ("CIFAR100", "CIFAR-100"),
        ("Gizmo500", None),
    ]


def test_an_acronym_and_its_long_name_are_one_benchmark(pipeline: Pipeline) -> None:
    # named as the abstract writes it most often ...
    text = "We build the Widget Reasoning Benchmark (WRB). On WRB, models fail."
    assert names(pipeline, text) == ["WRB"]
    # ... as first written on a tie ...
    assert names(pipeline, "We build the Widget Reasoning Benchmark (WRB) for agents.") == [
        "Widget Reasoning Benchmark"
    ]
    # ... and as the title names it when it does
    titled = names(pipeline, text, "Widget Reasoning Benchmark: How Good Are Agents?")
    assert titled == ["Widget Reasoning Benchmark"]


def test_a_name_spelled_out_beside_its_short_form_is_one_benchmark(pipeline: Pipeline) -> None:
    # its letters in order, or its capitals, are the short form's
    text = "We introduce GARS-Bench (the Gizmo Agent Research Science Benchmark ), a suite."
    assert names(pipeline, text) == ["GARS-Bench"]
    text = "We introduce WIBE, the WIdget BEnchmark for agents. Agents reach 40% on WIBE."
    assert names(pipeline, text) == ["WIBE"]
    # a longer name that holds the short one is a benchmark of its own
    text = "We evaluate on WidgetBench and WidgetBench Verified."
    assert names(pipeline, text) == ["WidgetBench", "WidgetBench Verified"]


def test_every_form_of_a_defined_name_is_a_mention(pipeline: Pipeline) -> None:
    text = "We build the Widget Reasoning Benchmark (WRB). On WRB, models fail."
    doc = _doc(pipeline, text)
    assert [(m.name, text[m.start : m.end]) for m in doc._.benchmark_mentions] == [
        ("Widget Reasoning Benchmark", "Widget Reasoning Benchmark"),
        ("WRB", "WRB"),
        ("WRB", "WRB"),
    ]
    assert doc._.abbreviations == [
        {"short": "WRB", "short_start": 41, "short_end": 44,
         "long": "Widget Reasoning Benchmark", "long_start": 13, "long_end": 39}
    ]  # fmt: skip


def test_a_name_found_inside_a_defined_long_form_is_the_whole_form(pipeline: Pipeline) -> None:
    text = "We introduce the Gizmo Benchmark for Quality Assurance (GBQA) for agents."
    assert names(pipeline, text) == ["Gizmo Benchmark for Quality Assurance"]


def test_title_names_are_written_as_the_abstract_writes_them(pipeline: Pipeline) -> None:
    # the abstract adds the kind word the title leaves out ...
    rows = extract_text(
        pipeline, "We introduce the GIZMO Bench for online gizmos.", "GIZMO: A Benchmark for Gizmos"
    ).benchmarks
    assert [(r["name"], r["field"]) for r in rows] == [("GIZMO Bench", "abstract")]
    # ... or drops the one the title has; a URL's path is not a mention
    rows = extract_text(
        pipeline,
        "We introduce GiZmo, a suite of tests. See https://acme.github.io/GiZmo-Bench/",
        "GiZmo-Bench: How Good Are Agents?",
    ).benchmarks
    assert [(r["name"], r["start"]) for r in rows] == [("GiZmo", 13)]


def test_a_title_names_a_benchmark_only_when_its_kind_word_heads_the_phrase(
    pipeline: Pipeline,
) -> None:
    title = "GizmoAudit: You Cited It, But Did You Read It? A Benchmark for Verifying Gizmos"
    assert names(pipeline, "We present a benchmark.", title) == ["GizmoAudit"]
    assert names(pipeline, "We release a method.", "gSFT: Addressing Dataset Mixtures") == []


def test_a_name_only_written_inside_a_longer_one_is_that_name(pipeline: Pipeline) -> None:
    text = (
        "We introduce Personal GizmoBench, a benchmark of gizmos. "
        "Models fail on Personal GizmoBench."
    )
    assert names(pipeline, text) == ["Personal GizmoBench"]


def test_the_methods_parts_are_not_benchmarks_but_its_data_is(pipeline: Pipeline) -> None:
    title = "GizmoNet: Fast Gizmos"
    text = "GizmoNet-RL trains it, GizmoNet-Eval scores it, and we release GizmoNet-Bench."
    assert names(pipeline, text, title) == ["GizmoNet-Bench"]


def test_a_name_known_by_its_shape_that_the_text_calls_a_method_is_not_a_benchmark(
    pipeline: Pipeline,
) -> None:
    title = "GizmoAgent: Full-Stack Gizmos"
    text = (
        "It has three parts: (1) Gizmo-Dev, a multi-agent framework for coding; "
        "(2) Gizmo-Learn, a self-improving method; (3) Gizmo-Bench, a test suite. "
        "Gizmo-Dev leads on Gizmo-Bench and Gizmo-Hard."
    )
    assert names(pipeline, text, title) == ["Gizmo-Bench", "Gizmo-Hard"]
    # a name the text describes as both a pipeline and data stays
    text = "We release Gizmo-Gen, a synthesis pipeline and dataset. It helps on Gizmo-Bench."
    assert "Gizmo-Gen" in names(pipeline, text, title)


def test_benchmark_mentions_are_labelled_spans(pipeline: Pipeline) -> None:
    text = (
        "We introduce GizmoBench, a benchmark. We build the Widget Puzzle Suite (WPS). "
        "On WPS, models fail; ImageNet pretraining does not help GizmoBench."
    )
    doc = _doc(pipeline, text)
    spans = [(s.text, s.label_, s.id_, s.kb_id_) for s in doc.spans["benchmarks"]]
    assert spans == [
        ("GizmoBench", "context", "benchmark.coined", "benchmark.coined"),
        # named "WPS" (written twice): its long form is a mention by the abbreviation
        ("Widget Puzzle Suite", "abbreviation", "benchmark.titled_suffix",
         "benchmark.titled_suffix"),
        ("WPS", "context", "benchmark.titled_suffix", "benchmark.titled_suffix"),
        ("WPS", "context", "benchmark.titled_suffix", "benchmark.titled_suffix"),
        ("ImageNet", "gazetteer", "benchmark.gazetteer", "benchmark.gazetteer"),
        ("GizmoBench", "context", "benchmark.coined", "benchmark.coined"),
    ]  # fmt: skip
    # every span is a mention the claims can attach to, in the same order
    mentions = doc._.benchmark_mentions
    assert [(m.start, m.end) for m in mentions] == [
        (s.start_char, s.end_char) for s in doc.spans["benchmarks"]
    ]
    assert mentions[0].introduced


def _doc(pipeline: Pipeline, text: str, title: str = "") -> Doc:
    doc = pipeline.nlp.make_doc(text)
    doc._.title = title
    doc._.text = text
    for _, component in pipeline.nlp.pipeline:
        doc = component(doc)
    return doc


def test_title_benchmarks_point_at_the_abstract_when_it_names_them(pipeline: Pipeline) -> None:
    text = "We present WidgetBench. Models solve 30% of WidgetBench."
    rows = extract_text(pipeline, text, "WidgetBench: A Benchmark for Widgets").benchmarks
    assert [(r["name"], r["field"], r["start"]) for r in rows] == [("WidgetBench", "abstract", 11)]
    rows = extract_text(pipeline, "We present it.", "WidgetBench: A Benchmark").benchmarks
    assert [(r["name"], r["field"], r["start"]) for r in rows] == [("WidgetBench", "title", None)]


def test_offsets_index_the_abstract(pipeline: Pipeline) -> None:
    text = "Across benchmarks (GizmoQA, Widget-Hard), our model leads on GizmoQA."
    for row in extract_text(pipeline, text).benchmarks:
        assert text[row["start"] : row["end"]] == row["name"]


def test_the_papers_own_method_is_not_a_benchmark(pipeline: Pipeline) -> None:
    text = "We propose GizmoNet. Experiments on GizmoNet and WID-3 show gains."
    assert names(pipeline, text, "GizmoNet: Fast Gizmos") == ["WID-3"]


@pytest.mark.parametrize(
    ("name", "distinctive"),
    [
        ("GSM8K", True),
        ("ImageNet", True),
        ("MT-Bench", True),
        ("MMLU", True),
        ("Koalas", False),
        ("Table Setting", False),
        ("SST", False),
        ("Ref-Adv", True),
        ("SWE-bench", True),
        ("Cost-awareness", False),  # a capitalised word joined to a lower-case one
        ("Real-world", False),
    ],
)
def test_is_distinctive(name: str, distinctive: bool) -> None:
    assert is_distinctive(name) is distinctive


def test_canonical_key() -> None:
    assert canonical_key("CIFAR-100") == canonical_key("cifar100")


def test_list_items_are_matched_without_backtracking_blowup() -> None:
    import re
    import time

    pattern = re.compile(expand_benchmark_pattern(r"(?P<names>{LIST})\sdatasets\b"))
    text = ", ".join(f"Alpha{i} Beta{i} Gamma{i} Delta{i}" for i in range(30)) + " stop"
    started = time.perf_counter()
    assert pattern.search(text) is None
    assert time.perf_counter() - started < 1.0


def test_a_gazetteer_entry_that_is_a_common_word_needs_a_context(tmp_path: Path) -> None:
    import spacy

    rules = tmp_path / "benchmarks.jsonl"
    rules.write_text("", encoding="utf-8")
    plain = tmp_path / "plain.tsv"
    plain.write_text("GizmoSet\tGizmo-Set\n", encoding="utf-8")
    cased = tmp_path / "names_cased.tsv"
    cased.write_text("RIVER\nPoNDS\n", encoding="utf-8")
    finder = BenchmarkFinder.from_files(rules, [plain, cased])
    nlp = spacy.blank("en")
    finder.matcher(nlp)
    text = "We test on RIVER and on GizmoSet; a river and a gizmoset. PoNDS is split."
    rows, _ = finder.find(nlp.make_doc(text), "", None, text)
    # a mixed case no word is written in needs no context ("SQuAD")
    assert [(r["name"], r["canonical"]) for r in rows] == [
        ("GizmoSet", "GizmoSet"),
        ("PoNDS", "PoNDS"),
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(?P<name>{NAME}", "pattern does not compile"),  # an unclosed group
        ("(?P<name>{NAME})\\s{WIDGET}", "unknown placeholder {WIDGET}"),
        ("{NAME}\\sbenchmark", "pattern has no group 'name' or 'names'"),
    ],
)
def test_a_broken_benchmark_rule_fails_at_load_with_its_line(
    tmp_path: Path, pattern: str, message: str
) -> None:
    import json

    from extract.errors import RuleFileError
    from extract.nlp.rule_models import BenchmarkRule
    from extract.nlp.rules import load_rules

    good = {
        "id": "benchmark.good",
        "pattern": "(?P<name>{NAME})\\sbenchmark",
        "examples": [{"text": "On the Gizmo benchmark."}],
        "counter_examples": [{"text": "On a benchmark."}],
    }
    bad = {**good, "id": "benchmark.bad", "pattern": pattern}
    path = tmp_path / "benchmarks.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(path, BenchmarkRule)
    assert str(error.value).startswith(f"{path}:2: pattern: ")
    assert message in str(error.value)


def test_an_unknown_word_list_among_anchor_words_fails_at_load_with_its_line(
    tmp_path: Path,
) -> None:
    import json

    from extract.errors import RuleFileError
    from extract.nlp.rule_models import BenchmarkRule
    from extract.nlp.rules import load_rules

    rule = {
        "id": "benchmark.made",
        "anchor_words": ["{MAKING_VERB}"],
        "anchor_at": "start",
        "pattern": "{MAKING_VERB}\\s(?P<name>{NAME}){IS_A_SET}",
        "examples": [{"text": "We curate GizmoSet, a dataset of gizmos."}],
        "counter_examples": [{"text": "We use GizmoSet."}],
    }
    bad = {**rule, "id": "benchmark.bad", "anchor_words": ["{MAKING_VERBS}"]}
    path = tmp_path / "benchmarks.jsonl"
    path.write_text(json.dumps(rule) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(path, BenchmarkRule)
    assert str(error.value).startswith(f"{path}:2: anchor_words: ")
    assert "unknown word list {MAKING_VERBS}" in str(error.value)


def test_an_unknown_rule_field_fails_at_load(tmp_path: Path) -> None:
    import json

    from extract.errors import RuleFileError
    from extract.nlp.rule_models import BenchmarkRule
    from extract.nlp.rules import load_rules

    rule = {
        "id": "benchmark.good",
        "pattern": "(?P<name>{NAME})\\sbenchmark",
        "hook": "widgetise",
        "examples": [{"text": "On the Gizmo benchmark."}],
        "counter_examples": [{"text": "On a benchmark."}],
    }
    path = tmp_path / "benchmarks.jsonl"
    path.write_text(json.dumps(rule) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r":1: hook: Extra inputs are not permitted"):
        load_rules(path, BenchmarkRule)


def test_a_slash_joins_two_editions_into_one_name(pipeline: Pipeline) -> None:
    # "WidgetMath24/25" is one name, and the list it opens reads on past it
    found = names(
        pipeline,
        "We test on five benchmarks (WidgetMath24/25, GZM, Widget-500, Gadgeteer, and Olympic).",
    )
    assert "WidgetMath24/25" in found and "Gadgeteer" in found


def test_two_digits_after_a_yearly_benchmark_name_its_edition(pipeline: Pipeline) -> None:
    # (edition_names.txt lists AIME; a score after a name is no edition)
    assert names(pipeline, "Two prompts from AIME 24 are enough.") == ["AIME 24"]
    assert names(pipeline, "On AIME '24/25 it leads.") == ["AIME '24/25"]
    assert names(pipeline, "It transfers to TREC DL 19 as well.") == ["TREC DL 19"]
    assert names(pipeline, "On ImageNet 10 classes are hard.") == ["ImageNet"]


def test_an_edition_glued_to_a_yearly_benchmark_name_is_one_name(pipeline: Pipeline) -> None:
    # one token the gazetteer's matcher cannot split; no context needed
    assert names(pipeline, "Both in-domain (AIME25) and harder sets help.") == ["AIME25"]
    assert names(pipeline, "The WMT2014 pairs help.") == ["WMT2014"]
    # not a percentage, a modifier or a number past any year's two digits
    assert names(pipeline, "An AIME-style set, AIME25% and AIME32 help.") == []


def test_a_resolution_or_a_named_split_after_a_known_name_is_part_of_it(
    pipeline: Pipeline,
) -> None:
    assert names(pipeline, "On ImageNet 256$\\times$256 it leads.") == ["ImageNet 256$\\times$256"]
    assert names(pipeline, "It gets 2.1 WER on LibriSpeech test-clean.") == [
        "LibriSpeech test-clean"
    ]
    assert names(pipeline, "On ImageNet, 10 x 10 grids are used.") == ["ImageNet"]


def test_a_superscript_inside_a_name_is_part_of_it(pipeline: Pipeline) -> None:
    title = "WidgetComp-V^3: A Visual and Verifiable Benchmark for Agents"
    assert names(pipeline, "Models reach 36% on our benchmark.", title) == ["WidgetComp-V^3"]


def test_a_benchmark_the_title_names_in_full_is_recorded_in_full(pipeline: Pipeline) -> None:
    # the abstract uses the short form more often, but the title writes the long one
    text = (
        "We evaluate on the Widget Reasoning Benchmark (WRB). Models fail on WRB, and WRB drifts."
    )
    assert "WRB" in names(pipeline, text, title="Cleaning Benchmarks of Widgets")
    found = names(pipeline, text, title="WRB-Clean: A Revision of the Widget Reasoning Benchmark")
    assert "Widget Reasoning Benchmark" in found and "WRB" not in found


def test_the_papers_name_is_a_benchmark_when_it_is_a_known_ones_variant(pipeline: Pipeline) -> None:
    # a paper named for a variant of a known benchmark releases that variant; a paper
    # named otherwise is a method
    text = "We evaluate seven models on MMLU and MMLU-Verified, with gains of 7 points."
    assert "MMLU-Verified" in names(pipeline, text, "MMLU-Verified: A Revision of MMLU")
    text = "We evaluate seven models on MMLU and Widgetron, with gains of 7 points."
    assert "Widgetron" not in names(pipeline, text, "Widgetron: A Method for MMLU")


def test_a_description_before_a_set_noun_and_the_name_is_no_benchmark(pipeline: Pipeline) -> None:
    text = "It scores 80.7% on the remote sensing VQA benchmark GizmoVQA-Bench."
    assert names(pipeline, text) == ["GizmoVQA-Bench"]
    text = "It scores 80.7% on the SAR VQA benchmark GizmoVQA-Bench and 61.2% on WidgetQA."
    assert names(pipeline, text) == ["GizmoVQA-Bench", "WidgetQA"]


def test_a_model_familys_name_with_a_word_joined_before_a_set_noun_is_data(
    pipeline: Pipeline,
) -> None:
    text = "We fine-tune on the Qwen-Widget dataset and report gains on WidgetQA."
    assert names(pipeline, text) == ["Qwen-Widget", "WidgetQA"]
    # a size or a version joined to the family is the model still
    text = "We fine-tune on the Qwen-7B dataset and report gains on WidgetQA."
    assert names(pipeline, text) == ["WidgetQA"]
