"""extract.nlp.values: numbers as written, with units, ranges and signs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.nlp.values import looks_like_number, scan, unit_of


@pytest.mark.parametrize(
    ("text", "value_text", "value", "unit", "low"),
    [
        ("gains 15.6% here", "15.6%", 15.6, "%", None),
        ("gains 4.54\\% here", "4.54\\%", 4.54, "%", None),  # LaTeX escape
        ("a 2.8x speedup", "2.8x", 2.8, "x", None),
        ("1.68times faster", "1.68times", 1.68, "x", None),  # no space before 'times'
        ("over 25 times faster", "25 times", 25.0, "x", None),
        ("up to times3.23 faster", "times3.23", 3.23, "x", None),  # '×3.23' as rendered
        ("up to $4.7\\times$ faster", "4.7\\times", 4.7, "x", None),  # LaTeX
        ("a 3-fold gain", "3-fold", 3.0, "x", None),
        ("by 1.3x-1.6x overall", "1.3x-1.6x", 1.6, "x", 1.3),  # a range: the upper end
        ("by 51-94% overall", "51-94%", 94.0, "%", 51.0),
        ("by 20--30% overall", "20--30%", 30.0, "%", 20.0),  # LaTeX's en dash
        ("runs at sim25 FPS", "25", 25.0, None, None),  # "$\\sim$25" as a page renders it
        ("needs $1.11\\sim4.7\\times$ less", "1.11\\sim4.7\\times", 4.7, "x", 1.11),  # LaTeX
        ("by 2x to 4x overall", "2x to 4x", 4.0, "x", 2.0),
        ("by 70 to 99% overall", "70 to 99%", 99.0, "%", 70.0),
        ("by +159% to +316% overall", "+159% to +316%", 316.0, "%", 159.0),
        ("by 5.38% percentage points", "5.38% percentage points", 5.38, "pp", None),
        ("a 5.4 percentage-point gain", "5.4 percentage-point", 5.4, "pp", None),
        ("by 2.1 pp overall", "2.1 pp", 2.1, "pp", None),
        ("an average +3.9~pp gain", "+3.9~pp", 3.9, "pp", None),  # LaTeX's unbreakable space
        ("it gains 2.8pp.", "2.8pp", 2.8, "pp", None),  # a unit that ends its sentence
        ("by 30 absolute points", "30 absolute points", 30.0, None, None),
        ("by 11.1 points overall", "11.1 points", 11.1, None, None),
        ("a 13,800x lower cost", "13,800x", 13800.0, "x", None),
        ("below 2.1e-5 overall", "2.1e-5", 2.1e-5, None, None),
        ("+35.6 on the hard split", "+35.6", 35.6, None, None),
        ("by $\\textbf{+22.6}$ overall", "+22.6", 22.6, None, None),  # LaTeX bold
        ("by up to $4.5$ points", "4.5$ points", 4.5, None, None),  # unit after the math
        ("a 3.00$\\times$ speedup", "3.00$\\times", 3.0, "x", None),
        ("of $\\textbf{6.28}\\times$ here", "6.28", 6.28, "x", None),  # the unit past the bold
        ("a 9.21-point gain", "9.21-point", 9.21, None, None),  # points joined to a change
        ("an 18-point success-rate gain", "18-point", 18.0, None, None),
        ("a 5-point scale", "5", 5.0, None, None),  # a set-up: no unit
        ("down to 6.7ms per step", "6.7ms", 6.7, None, None),  # a glued time unit
        ("a speed of 0.47s here", "0.47s", 0.47, None, None),
        ("a +3.6%p gain", "+3.6%p", 3.6, "pp", None),  # percentage points, written %p
        ("(${\\sim}2{\\times}$ over X)", "2{\\times}", 2.0, "x", None),  # a braced times
        ("($r{=}{-}0.13$)", "{-}0.13", -0.13, None, None),  # a braced sign
    ],
)
def test_scan_reads_numbers_as_written(
    text: str, value_text: str, value: float, unit: str | None, low: float | None
) -> None:
    found = scan(text)
    assert len(found) == 1, found
    number = found[0]
    assert (number.text, number.value, number.unit, number.low) == (value_text, value, unit, low)
    assert text[number.start : number.end] == value_text


@pytest.mark.parametrize(
    "text",
    [
        "GPT-4 and Qwen2.5 and v1.5",  # digits inside names and versions
        "the 8x7B mixture",  # a model size
        "pass@20 and top-5",  # metric cut-offs
        "10^{-3} and x_1",  # formulas
        "a 175B model and 128K context",  # magnitudes glued to the number
        "the sim2real gap",  # a word, not "$\\sim$2"
        "at 63.8W and 14.2GB",  # not "63" of "63.8W": a decimal's whole part is no number
        "music of the 1990s",  # a decade: "s" is a time unit only after a decimal
    ],
)
def test_scan_skips_numbers_inside_words(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize("text", ["on 8$\\times$A800 GPUs", "on ImageNet 256$\\times$256"])
def test_a_latex_times_glued_to_what_follows_is_no_factor(text: str) -> None:
    assert all(number.unit is None for number in scan(text))


def test_signed_and_decimals() -> None:
    plus, plain = scan("+7 and 7.25")
    assert (plus.signed, plus.decimals) == (True, False)
    assert (plain.signed, plain.decimals) == (False, True)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", ("%", "%")),
        (" percent", ("%", "%")),
        ("x", ("x", "x")),
        (" times", ("x", "x")),
        ("-fold", ("x", "x")),
        ("% percentage points", ("pp", "pp")),
        (" points", (None, "points")),
        ("", (None, "none")),
    ],
)
def test_unit_of(unit: str, expected: tuple[str | None, str]) -> None:
    assert unit_of(unit) == expected


@pytest.mark.parametrize(
    ("word", "number"),
    [("3.1", True), ("+2.5%", True), ("-4", True), ("v2", False), ("-", False), ("", False)],
)
def test_looks_like_number(word: str, number: bool) -> None:
    assert looks_like_number(word) is number


@given(st.text(alphabet=st.sampled_from("0123456789.,%x+- timesabcAB()$\\"), max_size=60))
def test_scan_offsets_always_point_at_the_text(text: str) -> None:
    for number in scan(text):
        assert text[number.start : number.end] == number.text
        assert number.start < number.end


def test_a_spread_written_with_a_unit_gives_the_number_its_unit() -> None:
    first, spread = scan("It gains +23.6 +/- 1.7 pp over the baseline.")
    assert (first.text, first.unit, spread.unit) == ("+23.6", "pp", "pp")


def test_a_slash_list_of_results_is_a_number_an_item() -> None:
    """Each item keeps the unit it is written with, as annotators copy it ("94.1")."""
    found = scan("reaches 94.1/93.5% on the two splits")
    assert [(v.text, v.value, v.unit) for v in found] == [
        ("94.1", 94.1, None),
        ("93.5%", 93.5, "%"),
    ]
    found = scan("scores 0.900/0.710/0.533 AUPRC")
    assert [v.value for v in found] == [0.9, 0.71, 0.533]
    found = scan("moves far less (+1.8/+1.1/-0.3)")
    assert [(v.value, v.signed) for v in found] == [(1.8, True), (1.1, True), (-0.3, False)]


@pytest.mark.parametrize(
    ("text", "values"), [("solves 42/50 tasks", [42.0]), ("on AIME24/25 and ViT-B/32", [])]
)
def test_a_fraction_or_a_name_after_a_slash_is_no_list(text: str, values: list[float]) -> None:
    """Whole numbers on both sides are a count out of a total; a number glued to a
    name is part of it."""
    assert [v.value for v in scan(text)] == values


def test_a_unit_after_latex_inline_math_is_the_numbers() -> None:
    (value,) = scan("gains \\(10.46\\) percentage points")
    assert (value.value, value.unit) == (10.46, "pp")
