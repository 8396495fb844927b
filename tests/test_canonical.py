"""Canonical benchmark and metric names: what groups results across papers, and what not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.canonical import (
    Names,
    _definitions,
    abbreviations,
    fold_metric,
    joined,
    joins,
    key,
    split_name,
)
from extract.resources import pipeline_path


@pytest.fixture(scope="module")
def names() -> Names:
    return Names.from_pipeline(pipeline_path("daily_papers"))


@pytest.mark.parametrize(
    ("written", "base", "version", "split"),
    [
        ("WidgetBench v2", "WidgetBench", "v2", None),
        ("the WidgetBench-V2 benchmark", "WidgetBench", "v2", None),  # article, kind word
        ("WidgetBenchv2.1", "WidgetBench", "v2.1", None),  # version glued on
        ("SQuAD 2.0", "SQuAD", "v2.0", None),  # a dotted number after a space
        ("TB~2.0", "TB", "v2.0", None),  # LaTeX's tie before the version
        ("WidgetBench Level-3", "WidgetBench", None, "level-3"),
        ("WidgetBench hard subset", "WidgetBench", None, "hard subset"),
        ("COCO test-dev", "COCO", None, "test-dev"),
        ("CIFAR-100 test set", "CIFAR-100", None, "test"),  # "test set" is the test split
        ("SWE-bench Verified", "SWE-bench", None, "verified"),
        ("WidgetBench v2 test-dev", "WidgetBench", "v2", "test-dev"),  # both
        ("LibriSpeech test-clean", "LibriSpeech", None, "test-clean"),
        ("ImageNet 256x256", "ImageNet", None, "256x256"),  # a resolution
        ("ImageNet 256$\\times$256", "ImageNet", None, "256x256"),  # written in LaTeX
        # negatives: part of the name, not a version or split
        ("CIFAR-100", "CIFAR-100", None, None),
        ("MMLU-Pro", "MMLU-Pro", None, None),
        ("GSM8K", "GSM8K", None, None),
        ("AIME 2024", "AIME 2024", None, None),  # a year is an edition's name
        ("Level-3", "Level-3", None, None),  # nothing left once the split is cut
        ("HumanEval+", "HumanEval+", None, None),
    ],
)  # fmt: skip
def test_split_name(written: str, base: str, version: str | None, split: str | None) -> None:
    assert split_name(written) == (base, version, split)


def test_abbreviations_defined_in_the_text() -> None:
    text = (
        "We build Massive Widget Understanding (MWU), test on the Gizmo-Reasoning Test "
        "(GRT) and call large language models (LLMs) and the result (see Table 2) fine."
    )
    found = abbreviations(text)
    assert found["MWU"] == "Massive Widget Understanding"
    assert found["GRT"] == "Gizmo-Reasoning Test"
    assert found["LLMs"] == "large language models"
    assert "see Table 2" not in found.values()
    assert abbreviations("results (42.1%) improve (p < 0.01)") == {}


#: what a definition is, said as one pattern: two to ten words right before a bracket
#: (too slow to run on every abstract: it is tried at every character)
_DEFINITION = re.compile(
    r"(?P<long>(?:[\w'’\-]+\s+){1,9}?[\w'’\-]+)\s*\(\s*(?P<short>[^()\s;,]{2,20})\s*\)"
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Widget", "Gadget", "of", "WG", "(WG)", "(", ")", "x/Gizmo", "a" * 40])
        | st.text(alphabet="aB1 -'’,;()\n", max_size=12),
        max_size=30,
    ).map(" ".join)
)
def test_definitions_read_backwards_are_what_the_pattern_finds(text: str) -> None:
    """Definitions are found from each bracket backwards, as the pattern would find them."""
    expected = [(m["short"], m["long"].split()) for m in _DEFINITION.finditer(text)]
    assert list(_definitions(text)) == expected


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("CIFAR100", "CIFAR-100"),  # gazetteer alias
        ("the CIFAR-100 benchmark", "CIFAR-100"),
        ("cifar-100 test set", "CIFAR-100"),  # split apart, base from the gazetteer
        ("Librispeech", "LibriSpeech"),
        ("GSM-8K", "GSM8K"),
        ("Widget-Bench", "widgetbench"),  # unknown: the folded key
        ("widget bench v2", "widgetbench"),
        ("WidgetBench", "widgetbench"),
    ],
)
def test_benchmark_canonical(names: Names, written: str, canonical: str) -> None:
    assert names.benchmark(written).canonical == canonical


def test_an_abbreviation_joins_its_long_form(names: Names) -> None:
    defined = abbreviations("We release Massive Widget Understanding (MWU).")
    long_form = names.benchmark("Massive Widget Understanding", defined)
    short = names.benchmark("MWU", defined)
    assert long_form.canonical == short.canonical == "massivewidgetunderstanding"
    # without the definition the two stay apart; across papers, joins() puts them together
    assert names.benchmark("MWU").canonical == "mwu"
    texts = ["We release Massive Widget Understanding (MWU).", "Scores on MWU rise."]
    assert joins(texts) == {"MWU": "massivewidgetunderstanding"}
    assert joined("MWU", "mwu", joins(texts)) == "massivewidgetunderstanding"
    assert joined("mwu", "mwu", joins(texts)) == "mwu"  # the case must match
    # a short form defined two ways, or of two letters, is not joined
    assert joins([*texts, "Many Web Units (MWU) help."]) == {}
    assert joins(["Terminal Bench (TB) is hard."]) == {}


def test_different_benchmarks_stay_apart(names: Names) -> None:
    pairs = [
        ("CIFAR-10", "CIFAR-100"),
        ("MMLU", "MMLU-Pro"),
        ("WidgetBench", "WidgetBench2"),
        ("HumanEval", "HumanEval+"),  # a plus makes another benchmark
    ]
    for a, b in pairs:
        assert names.benchmark(a).canonical != names.benchmark(b).canonical, (a, b)


def test_metrics(names: Names) -> None:
    assert names.metric("top-1 accuracy", "accuracy") == "accuracy"  # the claims stage's
    assert names.metric("Success-Rate", None) == "success rate"
    assert names.metric(None, None) is None
    assert names.metric("Entity Hit Rate (EHR)", None) == "ehr"  # under its acronym
    assert names.metric("EHR", None) == "ehr"
    assert fold_metric("The Pass@1") == "pass@1"
    assert key("Widget-Bench v2") == "widgetbenchv2"


def test_rows_carry_canonical_version_split(pipeline) -> None:  # type: ignore[no-untyped-def]
    from extract.nlp import extract_text

    text = "On the WidgetBench v2 benchmark, WidgetNet reaches 85.3% accuracy."
    extraction = extract_text(pipeline, text, "WidgetNet: widgets")
    (claim,) = extraction.claims
    assert claim["benchmark"] == "WidgetBench v2"  # as written
    assert (claim["benchmark_canonical"], claim["benchmark_version"], claim["split"]) == (
        "widgetbench",
        "v2",
        None,
    )
    bench = next(b for b in extraction.benchmarks if b["name"] == "WidgetBench v2")
    assert bench["benchmark_version"] == "v2"


def test_a_year_after_a_yearly_edition_s_name_is_its_version(names: Names) -> None:
    # (edition_names.txt lists AIME; CIFAR is no edition: its number names the data)
    for written in ("AIME 2024", "AIME24", "AIME-24"):
        found = names.benchmark(written)
        assert (found.canonical, found.version) == (names.benchmark("AIME").canonical, "2024")
    assert names.benchmark("CIFAR-10").version is None


def test_an_edition_after_a_name_whose_last_word_is_listed(names: Names) -> None:
    # (edition_names.txt lists "DL" for "TREC DL 19", "TREC DL 2020")
    for written, year in (("TREC DL 19", "2019"), ("TREC DL 2020", "2020")):
        found = names.benchmark(written)
        assert (found.canonical, found.version) == ("TREC DL", year)
