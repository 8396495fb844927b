"""extract.nlp.short_name: the name a paper is known by, or none.

Titles and abstracts are invented for the test.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.nlp import Pipeline, extract_text
from extract.nlp.short_name import _reused_as_subject, is_name, name_shaped


def short_name(pipeline: Pipeline, title: str, text: str) -> str | None:
    found = extract_text(pipeline, text, title).short_name
    return found[0] if found else None


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # the title's prefix, when it is clearly a name
        ("Widgetron: Fast Widget Synthesis", "We study widgets.", "Widgetron"),
        ("Wid-GET++: A Widget Model", "We study widgets.", "Wid-GET++"),
        ("GizmoNet2: Learning Gizmos", "We propose a model, GizmoX, for gizmos.", "GizmoNet2"),
        # a power, a star and a version are part of a name
        ("W^3-Net: Widgets Cubed", "We study widgets.", "W^3-Net"),
        ("Gizmo-0.5M*: A Gizmo Model", "We study gizmos.", "Gizmo-0.5M*"),
        ("Widgetron v2: Faster Widgets", "We study widgets.", "Widgetron v2"),
        # a Greek letter opens a name as a capital does
        ("δ-gizmo: Efficient Online Memory", "We study memory.", "δ-gizmo"),
        # a title phrase of plain words, when the abstract coins no other name, even
        # one the abstract does not repeat; but not a clause ("Isn't")
        ("Widget Forests: Growing Widgets", "Widget Forests grow widgets.", "Widget Forests"),
        ("Widget Forests: Growing Widgets", "We study how widgets grow.", "Widget Forests"),
        ("Widget Forests: Growing Widgets", "We propose GROVE, a widget grower.", "GROVE"),
        ("Seeing Isn't Widgets: A Study", "We study how widgets grow.", None),
        # its own acronym, coined by the abstract, is the same name
        ("Widget Forests: Growing Widgets", "We introduce WF, a widget grower.", "Widget Forests"),
        # so is one after "The", which the abstract may write in lower case: the name is
        # the words after the article, unless the abstract writes "The" inside a sentence
        ("The Gizmo Gate: Routing Widgets", "Widgets pass through the Gizmo Gate.",
         "Gizmo Gate"),
        ("The Gizmo Gate: Routing Widgets", "We build The Gizmo Gate for widgets.",
         "The Gizmo Gate"),
        ("The Gizmo Gate: Routing Widgets", "We study how widgets route.", None),
        # "X and Beyond": the name is X
        ("Widget-RL and Beyond: Divergence-Based Widgets", "We study widgets.", "Widget-RL"),
        # a name that opens with a model family's word is the paper's when its abstract
        # coins it
        ("Flux Widgets: Context-Aware Gizmos", "We introduce Flux Widgets, a framework.",
         "Flux Widgets"),
        ("Flux Widgets: Context-Aware Gizmos", "We study gizmos.", None),
        # a small word capitalised in title case still joins a name's words
        ("WIDGet On Request: Sparse Gizmos", "We introduce WIDGet On Request (WIDGOR).",
         "WIDGet On Request"),
        # a whole title the abstract coins with its acronym is known by the acronym
        ("Trust The Widget", "We propose Trust The Widget (T2W), a simple method.", "T2W"),
        ("Key-Widget Means", 'We present Key-Widget Means ("KWM"), a recurrence.', "KWM"),
        # a name may open with a lower-case letter and a hyphen
        ("Revisiting Widgets", "To bridge this gap, we propose k-Widget , a framework.",
         "k-Widget"),
        # a field acronym alone does not make a topic's words a name
        ("Intelligent AI Delegation", "We propose a framework for delegation.", None),
        # a prefix ending in a word of a task's name names the task, not a system
        ("Multi-View Widget Estimation: From Gizmos to Feedback", "We study widgets.", None),
        # a title of a few words is its own prefix, unless it names an activity
        ("Wid-GET", "We present a new encoder for widgets.", "Wid-GET"),
        ("Widget Computers", "Widget Computers run widgets.", "Widget Computers"),
        ("Regulating Widget Agents", "Regulating Widget Agents is hard.", None),
        ("Long Widget Memory: A Foundation", "Long Widget Memory helps; our framework GIZMO "
         "uses it.", "GIZMO"),
        # an acronym defined for the title's own words is the same name
        ("Widget Reasoning Benchmark: Are Agents Ready?",
         "We build the Widget Reasoning Benchmark (WRB) and study agents.",
         "Widget Reasoning Benchmark"),
        # names the abstract coins
        ("Fast Widget Synthesis", "We propose WIDGE, a widget builder.", "WIDGE"),
        ("Assembling Widgets", "We further develop GizmoNet for self-assembly.", "GizmoNet"),
        ("Widget Statistics", "This paper presents WidgStat, a lightweight tool.", "WidgStat"),
        ("Fast Widget Synthesis", "We develop a multi-stage (MS) widget approach, WidgeTron, "
         "that builds widgets.", "WidgeTron"),
        ("Fixing Widgets", "Then we propose a novel approach GIZMO to fix this.", "GIZMO"),
        ("Fast Widget Synthesis", "We therefore propose Layered Widget Synthesis (LWS) here.",
         "LWS"),
        ("Careful Decoding", "We design a strategy, dubbed as Careful Widget Decoding (CWD).",
         "CWD"),
        ("Fast Widget Synthesis", "We build a widget maker, termed \"Gadgeteer\", for widgets.",
         "Gadgeteer"),
        ("Ranking Widgets", "We rank them with a score we call Widget Index, cheaply.",
         "Widget Index"),
        ("Growing Widgets", "We propose Widget Growth by Leaves, or WGL for short.", "WGL"),
        # LaTeX that only styles the name is read through
        ("Fast Widget Synthesis", "We propose \\textbf{WIDGE}, a widget builder.", "WIDGE"),
        ("Widget Memory", "We propose $\\delta$-mem, a lightweight memory.", "δ-mem"),
        # a method outranks a benchmark the same abstract introduces
        ("Remembering Preferences", "We introduce PREFB, a benchmark of 200 dialogues. We also "
         "propose ReMem, a memory method.", "ReMem"),
        ("Remembering Preferences", "We introduce PREFB, a benchmark of 200 dialogues.", "PREFB"),
    ],
)  # fmt: skip
def test_short_names(pipeline: Pipeline, title: str, text: str, expected: str | None) -> None:
    assert short_name(pipeline, title, text) == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Position: Widgets Are All You Need", "We argue for widgets."),
        ("Beyond Widget Forests: New Growth", "We study widget forests."),
        ("How Widgets Grow: A Study", "We study how widgets grow."),
        ("Scaling Widgets in the Wild: A Study", "We study widgets."),
        ("Growing Widget Networks", "We present a method for dynamically growing Neural "
         "Widget Networks (NWNs) in training."),
        ("Fast Widget Synthesis", "Large language models (LLMs) are used for widgets."),
        ("Widget Decay", "Copying leads to what has been termed widget decay disorder (WDD)."),
        ("Fast Widget Synthesis", "We propose Bayesian widgets, a widget builder."),
        ("Fast Widget Synthesis", "We propose Thermo, a widget builder."),
        ("Tuning Widgets", "We fine-tune GPT-4o, which improves widgets."),
        # a number the verb introduces is a count, never a name
        ("A Widget Race", "We release 1,400 widget puzzles across two variants."),
    ],
)  # fmt: skip
def test_no_short_name(pipeline: Pipeline, title: str, text: str) -> None:
    assert short_name(pipeline, title, text) is None


@pytest.mark.parametrize(
    ("text", "max_words", "expected"),
    [
        ("Widgetron", 4, True),
        ("Barley Fields", 4, True),
        ("Scaling Widgets in the Wild", 6, False),
        ("self-guided", 4, False),
        ("A B C D E", 4, False),
    ],
)
def test_is_name(text: str, max_words: int, expected: bool) -> None:
    assert is_name(text, max_words) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("WIDGE", True), ("GizmoNet", True), ("Net2", True), ("Widgets", False), ("Two Words", False)],
)
def test_name_shaped(text: str, expected: bool) -> None:
    assert name_shaped(text) is expected


def test_a_plain_word_set_before_its_method_noun_is_a_weak_name(pipeline: Pipeline) -> None:
    text = "In this work, we introduce Widgetia, a widget research agent that revises answers."
    assert short_name(pipeline, "Towards Autonomous Widget Research", text) == "Widgetia"
    # any other rule's name wins over it
    more = text + " Our agent framework WidgeRL then reaches the best accuracy."
    assert short_name(pipeline, "Towards Autonomous Widget Research", more) == "WidgeRL"


# (what the rule reads: an acronym after a sentence mark, " -- " or ", while", bold or
# not, a word in lower case after it; the regex is the one the rule was written as)
@given(
    st.lists(
        st.sampled_from(
            [". ", ";  ", " -- ", ", while ", "**", " ", "\t", "uses", "SSD", "SS", ",", "X"]
        ),
        max_size=10,
    ),
    st.integers(0, 40),
)
def test_an_acronym_reused_as_a_subject_is_read_as_the_regex_reads_it(
    parts: list[str], start: int
) -> None:
    text = "".join(parts)
    start = min(start, len(text))
    regex = re.compile(
        r"(?:[.!?;]\s+|\s--\s|,\s(?:and|while|but|whereas)\s)(?:\*\*)?SSD(?:\*\*)?\s[a-z]+\b"
    )
    assert _reused_as_subject(text, "SSD", start) == (regex.search(text, start) is not None)
