"""extract.nlp.abbreviations: "Long Name (LN)" and "LN (Long Name)" definitions.

Every sentence is invented for the test.
"""

from __future__ import annotations

import pytest

from extract.nlp.abbreviations import find_abbreviations, is_short_form, long_form_start


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_abbreviations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # initials, the usual case
        ("We build the Widget Reasoning Benchmark (WRB) for agents.",
         [("WRB", "Widget Reasoning Benchmark")]),
        # letters inside words, and a short form of two words with page spaces
        ("We introduce the Real-tIme Gizmo intERaction Bench ( RIGER Bench ), a test.",
         [("RIGER Bench", "Real-tIme Gizmo intERaction Bench")]),
        # a hyphenated short form
        ("We add GizmoCritic-RewardSet (GC-RewardSet), a set.",
         [("GC-RewardSet", "GizmoCritic-RewardSet")]),
        # the reverse order: the short form first, its long form in brackets
        ("We propose WARE (Widget-Aware Retrieval Embedding), a model.",
         [("WARE", "Widget-Aware Retrieval Embedding")]),
        # lower-case long forms are long forms too
        ("Large widget models (LWMs) are common.", [("LWMs", "Large widget models")]),
        # two definitions in one sentence
        ("Gizmo Set (GS) and Widget Pool (WP) are used.",
         [("GS", "Gizmo Set"), ("WP", "Widget Pool")]),
        # a leading digit written as the word the long form opens with
        ("We present Three-Way Widget Tuning (3WT), a prior.",
         [("3WT", "Three-Way Widget Tuning")]),
        # quotes around the short form only mark it
        ('We present Key-Widget Means ("KWM"), a recurrence.',
         [("KWM", "Key-Widget Means")]),
    ],
)  # fmt: skip
def test_definitions_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Accuracy improves (see Table 2).",  # no capital: not a short form
        "It is evaluated on temporal reasoning (GizmoTQ).",  # letters not in the words before
        "The gain (+4.2) is large.",  # a number
        "Widgets (WDG are unclosed",  # no closing bracket
        "A model (GPT-4o) is compared.",  # letters of the short form not before it
    ],
)
def test_not_definitions(text: str) -> None:
    assert pairs(text) == []


def test_offsets_point_at_both_forms() -> None:
    text = "On the Gizmo Puzzle Suite (GPS), agents fail."
    (found,) = find_abbreviations(text)
    assert text[found.short_start : found.short_end] == "GPS"
    assert text[found.long_start : found.long_end] == "Gizmo Puzzle Suite"


@pytest.mark.parametrize(
    ("short", "candidate", "start"),
    [
        ("WRB", "the Widget Reasoning Benchmark", 4),
        ("WRB", "Widget Benchmark", None),  # no R
        ("GS", "a big Gizmo Set", 6),
    ],
)
def test_long_form_start(short: str, candidate: str, start: int | None) -> None:
    assert long_form_start(short, candidate) == start


@pytest.mark.parametrize(
    ("text", "short"),
    [("WRB", True), ("RIGER Bench", True), ("see Table 2", False), ("x", False),
     ("wrb", False), ("A Very Long Short Form Text", False)],
)  # fmt: skip
def test_is_short_form(text: str, short: bool) -> None:
    assert is_short_form(text) is short


def test_a_long_form_holds_no_comma() -> None:
    # the letters of a long short form are found across the clause, not the sentence
    text = (
        "To address this gap, we introduce GizDev, a dataset of agent-authored pull "
        "requests (Agentic-PRs)."
    )
    assert pairs(text) == []
