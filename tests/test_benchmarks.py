"""extract.nlp.benchmarks: names of evaluation sets, new and known, and what is not one.

Every sentence is invented for the test (the gazetteer names are real datasets).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.nlp import Pipeline, extract_text
from extract.nlp.benchmarks import BenchmarkFinder, canonical_key, expand, is_distinctive


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
        "It delivers 2x recall for large language models (LLMs).",  # a term, not a set
        "On household tasks such as Table Setting and Dish Washing the robot succeeds.",  # tasks
        "Models trained on Wikipedia are compared.",  # a plain word in a weak context
        "The team solved math and code problems.",  # gazetteer names in another case
        "Throughput on 8 H100 GPUs doubles.",  # hardware
        "We release a 22T-token dataset.",  # a size
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
    text = "We build the Widget Reasoning Benchmark (WRB). On WRB, models fail."
    assert names(pipeline, text) == ["WRB"]
    titled = names(pipeline, text, "Widget Reasoning Benchmark: How Good Are Agents?")
    assert titled == ["Widget Reasoning Benchmark"]


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
    ],
)
def test_is_distinctive(name: str, distinctive: bool) -> None:
    assert is_distinctive(name) is distinctive


def test_canonical_key() -> None:
    assert canonical_key("CIFAR-100") == canonical_key("cifar100")


def test_list_items_are_matched_without_backtracking_blowup() -> None:
    import re
    import time

    pattern = re.compile(expand(r"(?P<names>{LIST})\sdatasets\b"))
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
    cased.write_text("RIVER\n", encoding="utf-8")
    finder = BenchmarkFinder.from_files(rules, [plain, cased])
    nlp = spacy.blank("en")
    finder.matcher(nlp)
    text = "We test on RIVER and on GizmoSet; a river and a gizmoset."
    rows, _ = finder.find(nlp.make_doc(text), "", None, text)
    assert [(r["name"], r["canonical"]) for r in rows] == [("GizmoSet", "GizmoSet")]
