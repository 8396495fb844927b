"""extract.nlp.text and metrics: sentences, words, page artefacts, acronyms, metric names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.nlp.metrics import MetricLexicon, is_acronym_metric
from extract.nlp.text import (
    _ASCII_TOKEN,
    _TOKEN,
    SPACES,
    Sentences,
    anchor_spans,
    anchored_matches,
    behind_literals,
    digit_runs,
    edge_past_spaces,
    find_words,
    first_char_alternation,
    is_acronym_of,
    leading_literals,
    literals_after_one,
    max_width,
    phrase_regex,
    sentence_bounds,
    starts_with_digit,
    tidy,
    words,
)

TEXT = "We test widgets (e.g. Gizmos). Scores rise vs. the old tool. Then it ends."


@pytest.mark.parametrize(
    ("position", "sentence"),
    [
        (5, "We test widgets (e.g. Gizmos)."),  # 'e.g.' does not end a sentence
        (40, "Scores rise vs. the old tool."),  # nor does 'vs.'
        (70, "Then it ends."),
    ],
)
def test_sentence_bounds(position: int, sentence: str) -> None:
    start, end = sentence_bounds(TEXT, position)
    assert TEXT[start:end] == sentence
    assert Sentences(TEXT).bounds(position) == (start, end)


def test_a_sentence_that_opens_at_the_position_is_its_sentence() -> None:
    text = "It ends here? A new one."
    assert sentence_bounds(text, 14) == Sentences(text).bounds(14) == (14, 24)


@given(st.text(alphabet=st.sampled_from("Ab. ?!e.g() "), max_size=80), st.integers(0, 80))
def test_sentences_agree_and_hold_the_position(text: str, position: int) -> None:
    position = min(position, len(text))
    start, end = Sentences(text).bounds(position)
    assert (start, end) == sentence_bounds(text, position)
    assert 0 <= start <= end <= len(text)


def test_words_mark_punctuation_gaps() -> None:
    found = words("cost, and (latency) drop.", 0, 25)
    assert [(w.text, w.gap) for w in found] == [
        ("cost", False),
        ("and", True),
        ("latency", True),
        ("drop", True),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fit (R^2=0.98)", ["fit", "R^2", "=", "0.98"]),  # a name against "=" and a number
        ("rho =0.85", ["rho", "=", "0.85"]),
        ("if a==b or x=y", ["if", "a==b", "or", "x=y"]),  # no number after "="
        ("fit -- R^2=0.98", ["fit", "R^2", "=", "0.98"]),
    ],
)
def test_words_split_a_relation_from_its_number(text: str, expected: list[str]) -> None:
    assert [w.text for w in words(text, 0, len(text))] == expected


@pytest.mark.parametrize(
    ("span", "repaired"),
    [
        ("( WIDGET )", "(WIDGET)"),
        ("the judge ;", "the judge"),
        ("error rate s", "error rates"),
        ("peak  memory", "peak memory"),
        ("plain words", "plain words"),
        ("$R^2", "R^2"),  # cut out of "$R^2 = 0.98$"
        ("$\\tau^2$-Bench", "$\\tau^2$-Bench"),
    ],
)
def test_tidy_repairs_page_artefacts(span: str, repaired: str) -> None:
    assert tidy(span) == repaired


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("LWS", "Layered Widget Synthesis", True),
        ("WidgTok", "Widget-aware Tokenizer", True),
        ("NWNs", "Neural Widget Networks", True),
        ("XYZ", "Layered Widget Synthesis", False),
        ("L", "Layered", False),  # one letter abbreviates nothing
        ("W2G", "Widget-to-Gadget", True),  # "2" read as "to"
        ("W3", "Widget-Wise Weaving", True),  # a count of the letter before it
        ("W3", "Widget Weaving", False),  # two W's are not three
        ("W0", "Widget", False),
        ("3WT", "Three-Way Widget Tuning", True),  # a leading digit as its number word
        ("3WT", "Two-Way Widget Tuning", False),
    ],
)
def test_is_acronym_of(short: str, long: str, expected: bool) -> None:
    assert is_acronym_of(short, long) is expected


def test_find_words_needs_whole_words() -> None:
    text = "we present presents; represent. We present"
    assert find_words(text, ["present"]) == [(3, 10), (35, 42)]


def test_anchored_matches_modes() -> None:
    text = "on Alpha and Beta datasets; on Gamma datasets"
    pattern = re.compile(r"(?P<names>[A-Z]\w+(?: and [A-Z]\w+)?) datasets")
    anchors = [(m.start(), m.end()) for m in re.finditer("datasets", text)]
    ends = anchored_matches(pattern, text, anchors, (60, 0), "end")
    assert [m["names"] for m in ends] == ["Alpha and Beta", "Gamma"]
    starts = anchored_matches(re.compile(r"on (\w+)"), text, [(0, 2), (28, 30)], (0, 20), "start")
    assert [m.group(1) for m in starts] == ["Alpha", "Gamma"]
    assert anchored_matches(pattern, text, [], (60, 0), "end") == []


@pytest.fixture
def lexicon(tmp_path: Path) -> MetricLexicon:
    names = tmp_path / "metrics.tsv"
    names.write_text("Accuracy\thigher\tacc\ttop-1 accuracy\nWER\tlower\tword error rate\n")
    terms = tmp_path / "terms.tsv"
    terms.write_text("latency\tlower\nrate\t\n")
    return MetricLexicon.from_files([names], [terms])


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("top-1 accuracy", ("Accuracy", "higher")),
        ("mean top-1 accuracy", ("Accuracy", "higher")),  # the longest known part
        ("Word Error Rate", ("WER", "lower")),
        ("decoding latency", ("latency", "lower")),
        ("widget count", None),
    ],
)
def test_lexicon_lookup(
    lexicon: MetricLexicon, phrase: str, expected: tuple[str, str | None] | None
) -> None:
    assert lexicon.lookup(phrase) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("BLEU", True), ("Recall@5", True), ("Hits@k", True), ("LLMs", False), ("widget", False)],
)
def test_acronym_metrics(word: str, expected: bool) -> None:
    assert is_acronym_metric(word) is expected


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"(?:Bench|Eval|-Corpus)\b", ("Bench", "Eval", "-Corpus")),
        (r"v(?:s\.?|ersus)\s", ("vs", "versus")),  # a literal, then a group of them
        (r"(?<=[\s-])(?:times|fold)\b", ("times", "fold")),  # zero width first: skipped
        (r"\b(?:first|2nd)\b", ("first", "2nd")),
        (r"\) (?:is|are) an? ", (") is", ") are")),
        (r"from(?<!ranging from)", ("from",)),
        (r"\d[\d.,]*", None),  # a character class first
        (r"(?i:bench)", None),  # case-insensitive: not found by str.find
        (r"v\s", None),  # one ASCII character: too common to look for
        (r"x(?:yz|)q", None),  # an empty alternative leaves "x" alone
    ],
)
def test_leading_literals(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert leading_literals(re.compile(pattern)) == literals


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\sto\s", ("to",)),
        (r"[(-](?:is|are)\b", ("is", "are")),
        (r"to\s", None),  # a literal first: leading_literals reads it
        (r"\s\d", None),  # a class after the first one
        (r"\sa\b", None),  # one ASCII character: too common to look for
    ],
)
def test_literals_after_one(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert literals_after_one(re.compile(pattern)) == literals


@pytest.mark.parametrize(
    ("pattern", "marks"),
    [
        # a lookbehind's punctuation, two characters before the match, beside "On"
        (r"(?:On|(?<=;\s)on)\s", (("On", 0), (";", -2))),
        (r"(?<=\) )(?:is|are)\b", ((") ", -2),)),
        (r"(?<=[\s-])(?:times|fold)\b", None),  # a class in the lookbehind
        (r"(?<=We )propose", None),  # no punctuation in the lookbehind: "propose" is as rare
        (r"(?:On|(?<=;\s*)on)", None),  # (no lookbehind of several widths compiles)
        (r"(?:On|x?on)\s", None),  # a branch without a literal to read
        (r"Bench|Eval", None),  # no lookbehind: leading_literals reads them
    ],
)
def test_behind_literals(pattern: str, marks: tuple[tuple[str, int], ...] | None) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error:
        return  # (the row says why such a pattern needs no reading)
    assert behind_literals(compiled) == marks


@given(st.text(alphabet=st.sampled_from([*"On;o n\t,x"]), max_size=30))
def test_anchor_spans_with_a_lookbehind_literal_are_what_finditer_finds(text: str) -> None:
    pattern = re.compile(r"(?:On|(?<=;\s)on)\s")
    assert anchor_spans(pattern, text) == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\d[\d.,]*", True),
        (r"\d+%", True),  # a repetition of at least one digit
        (r"(?<![\w.])\d", True),  # zero width first: skipped
        (r"\d*x", False),  # may start with the x
        (r"[\d.]+", False),  # may start with a period
        (r"\(\d", False),
    ],
)
def test_starts_with_digit(pattern: str, expected: bool) -> None:
    assert starts_with_digit(re.compile(pattern)) is expected


@given(st.text(alphabet=st.sampled_from([*"ab 12.9,%x\n", "٣", "²"])))
def test_digit_runs_are_what_the_digit_pattern_finds(text: str) -> None:
    """Digits are found by marking them in bytes (ASCII text) or with the regex (any
    other): the same runs either way."""
    assert digit_runs(text) == [m.span() for m in re.finditer(r"\d+", text)]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_words_are_read_as_any_text_is(text: str) -> None:
    """An ASCII text's words are read with a pattern of plain characters: the same
    tokens as the general pattern's."""
    general = [(m.span(), m.lastgroup) for m in _TOKEN.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in _ASCII_TOKEN.finditer(text)] == general


_ANCHORS = [
    r"→|⟶|->|rightarrow|\\to\b",
    r"\sto\s",  # one character of a class, then a literal
    r"[(-]is\b",
    r"(?:Bench|bench|Eval|Arena|QA|-Dataset|-Corpus)\b",
    r"v(?:s\.?|ersus)\s",
    r"from(?<![\w-]from)(?<!ranging from)",
    r"(?<=[\s-])(?:times|fold)\b",
    r"\b(?:first|second|1st)\b",
    r"\) (?:is|are) an? ",
    r"aa|a",
    r"\d[\d.,]*",
    r"(?<![\w.])\d+(?:\.\d)?%",
    r"\d(?!\d)",  # a match may start inside a run of digits
]


@given(
    st.sampled_from(_ANCHORS),
    st.lists(
        st.sampled_from([*"aAbv-> →)1.,%٣", "12", "Bench", "from", "vs.", "times", "is an ", "to"])
    ),
)
def test_anchor_spans_are_what_finditer_gives(pattern: str, pieces: list[str]) -> None:
    compiled, text = re.compile(pattern), "".join(pieces)
    assert anchor_spans(compiled, text) == [m.span() for m in compiled.finditer(text)]


def test_anchor_spans_of_every_rule_anchor_on_real_abstracts() -> None:
    """Every anchor of the pipeline's rule files gives the spans finditer gives."""
    import json

    folder = Path(__file__).resolve().parent.parent / "pipelines" / "daily_papers" / "rules"
    anchors = {
        json.loads(line)["anchor"]
        for path in folder.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and '"anchor"' in line and json.loads(line).get("anchor")
    }
    assert anchors
    texts = [TEXT, "Scores rise from 41.0 -> 57.9 (vs. 12 versus 3) on WidgetBench-Eval."]
    texts += [t.lower() for t in texts]
    for anchor in sorted(anchors):
        compiled = re.compile(anchor)
        for text in texts:
            assert anchor_spans(compiled, text) == [m.span() for m in compiled.finditer(text)]


def test_a_dash_between_words_separates_phrases() -> None:
    text = "95.7% quality retention--while faster — Gizmo-7B on a 0--100 scale"
    found = [(w.text, w.gap) for w in words(text, 0, len(text))]
    assert ("while", True) in found and ("Gizmo-7B", True) in found
    assert ("retention", False) in found and ("100", True) in found


_PHRASES = ["a", "ab", "abc", "b c", "ba", "c", "by up to", "by", "a b"]


@given(
    st.lists(st.sampled_from(_PHRASES), min_size=1, unique=True),
    st.lists(st.sampled_from([*"abcy -", "up", "to"]), max_size=20),
)
def test_first_char_alternation_matches_as_the_plain_one(
    phrases: list[str], pieces: list[str]
) -> None:
    """Grouping the phrases behind their first characters changes no match, nor which
    phrase an alternation takes (the first that lets the rest of the pattern match)."""
    text = "".join(pieces)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(map(phrase_regex, phrases)) + r")(?![\w-])")
    grouped = re.compile(r"(?<![\w-])(?:" + first_char_alternation(phrases) + r")(?![\w-])")
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_first_char_alternation_refuses_a_phrase_opening_with_a_space() -> None:
    with pytest.raises(ValueError, match="opens with a space"):
        first_char_alternation(["a", " b"])


@pytest.mark.parametrize(
    ("pattern", "last", "edge"),
    [
        (r"\s+(?:larger|bigger)\b", False, "bl"),
        (r"\s?(?:[KM]|bn)\b|\s?[KG]i?B\b", False, "GKMb"),  # each branch past its spaces
        (r"-[A-Za-z]", False, "-"),  # no space first
        (r"\s?[x×]?\s?\d", False, "0123456789x"),  # an optional part, or what follows
        (r"\s?(?:x\s)?", False, None),  # a match may be nothing but spaces
        (r"\s*", False, None),  # nothing but spaces
        (r"\s(?i:cv)", False, None),  # case-insensitive past the spaces
        (r"\s(?:a|)b", False, "ab"),  # an empty branch: what follows it
        (r"[^a]b", False, None),  # a negated character: not read
        (r"(?:\b(?:at|of)\s+)$", True, "ft"),  # the last character before the spaces
        (r"(?:levels?\s+(?:of\s+|=\s?)?)$", True, "=fls"),  # an optional part, or not
        (r"(?:\d\s?[x×]\s?)$", True, "x"),  # ("×" is beyond ASCII)
        (r"(?:\((?:vs|versus)\s[^()]{0,60})$", True, None),  # a class that holds spaces
    ],
)
def test_edge_past_spaces(pattern: str, last: bool, edge: str | None) -> None:
    found = edge_past_spaces(re.compile(pattern), last=last)
    assert found == (set(edge) if edge is not None else None)


def test_spaces_are_what_the_space_class_matches() -> None:
    every = (chr(c) for c in range(sys.maxunicode + 1))
    assert "".join(c for c in every if re.match(r"\s", c)) == SPACES


_EDGED = [
    r"\s?(?:[KMBT]|bn)\b|\s?[KMG]i?B\b",
    r"\s+(?:bigger|a)\b",
    r"\s?\)",
    r"(?:a|b+)?[c\d]",
    r"(?:\b(?:at|of)\s+)$",
    r"(?:\d\s?[x×]\s?)$",
    r"(?:\b[Tt]op\s)$",
    r"(?:\bat\s+(?:of\s+|=\s?)?)$",
    r"\s?(?:o\s+)?[Kt]",
]


@given(
    st.sampled_from(_EDGED),
    st.lists(st.sampled_from([*"KMBbnaitofTp1× )-\t\n\xa0", "at ", "of ", "op"])),
)
def test_no_match_where_the_characters_past_the_spaces_are_others(
    pattern: str, pieces: list[str]
) -> None:
    """A pattern is never found where the first character past the spaces (or, for a
    pattern that ends at a place, the last before them) is an ASCII character outside
    the ones read from it, or where there is none."""
    compiled, text = re.compile(pattern), "".join(pieces)
    first, last = edge_past_spaces(compiled), edge_past_spaces(compiled, last=True)
    for at in range(len(text) + 1):
        following, preceding = text[at:].lstrip()[:1], text[:at].rstrip()[-1:]
        if first is not None and following.isascii() and following not in first:
            assert compiled.match(text, at) is None
        if last is not None and preceding.isascii() and preceding not in last:
            # (no match ends there; nor, for one that ends with "$", before it)
            assert not any(compiled.fullmatch(text, begin, at) for begin in range(at + 1))
            assert not pattern.endswith("$") or compiled.search(text, 0, at) is None


@pytest.mark.parametrize(
    ("pattern", "width"),
    [
        (r"\s?(?:,|,?\s(?:and|or))\s?", 7),
        (r"(?:\s?[A-Za-z]{1,15}){0,2}x", 33),
        (r"a+", None),  # unbounded: longer than any text
    ],
)
def test_max_width(pattern: str, width: int | None) -> None:
    found = max_width(re.compile(pattern))
    assert found == width if width is not None else found > 10**9
