"""What a line of each rule file may say: the pydantic models of the rule lines.

``load_rules`` validates every line of a pipeline's rule files against these models
when the pipeline loads, so a line with an unknown field, a value out of range or a
pattern that does not compile stops the load with its ``file:line``. The models sit
apart from the engines that run the rules (``links``, ``short_name``, ``benchmarks``,
``claims``, ``claim_fields``): an engine is code that runs on every record, a model is
read once when the pipeline loads. A pattern is checked against the placeholders of its
rule file (:mod:`.fragments`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, field_validator, model_validator

from ..models import ClaimKind, LinkKind
from .fragments import (
    BENCHMARK_ANCHOR_LISTS,
    BENCHMARK_FILE_PLACEHOLDERS,
    BENCHMARK_PLACEHOLDERS,
    CLAIM_PLACEHOLDERS,
    SHORT_NAME_FRAGMENTS,
    SHORT_NAME_WORD_LISTS,
    expand_benchmark_pattern,
)
from .rules import Rule, check_pattern

# --- links.jsonl: what each URL is ------------------------------------------------------


class LinkRule(Rule):
    """Decides the kind of a URL by its host and path, or by the words before it."""

    kind: LinkKind
    #: "host" rules decide first, then the nearest "cue" before the URL, then
    #: "host_fallback" rules (hosts that say less than the sentence does).
    match: Literal["host", "cue", "host_fallback"]
    #: exact hosts ("github.com") or host/path prefixes ("huggingface.co/spaces"); for a
    #: cue rule, the only hosts it speaks of
    hosts: list[str] = Field(default_factory=list)
    #: host suffixes (".github.io")
    host_suffixes: list[str] = Field(default_factory=list)
    #: cue rules: words that, shortly before the URL in its sentence, name what it is
    cues: list[str] = Field(default_factory=list)


# --- claim_fields.jsonl: how each field of a claim is read ------------------------------

Method = Literal[
    "pair_left",
    "pair_object",
    "after_change",
    "after_comparative",
    "after_prep",
    "after",
    "before_by",
    "change_subject",
    "before_link",
    "implied",
    "nearest",
    "respectively",
    "paired_lists",
    "own",
    "paren",
    "before",
    "later",
    "paper",
    "previous_sentence",
    "for_after",
    "clause_subject",
    "pronoun",
    "short_name",
    "verb_object",
    "pair_paren",
    "clause_noun",
    "ours",
    "known_after",
    "symbol",
    "clause_start",
    "previous",
    "list_previous",
    "paren",
    "verb_noun",
    "qualified_change",
    "possessive",
    "compared",
    "earlier_comparison",
    "opening_comparison",
    "paren_before",
    "clause_phrase",
    "previous_comparison",
]


class FieldRule(Rule):
    """How one field of a claim is read from the text around its number."""

    field: Literal["metric", "benchmark", "subject", "baseline", "task"]
    method: Method
    #: the cue words the method looks for (linking words, verbs, prepositions...)
    words: list[str] = Field(default_factory=list)
    #: the longest phrase (in words) the rule takes
    max_words: int = Field(default=6, ge=1, le=12)
    #: the shortest phrase it takes ("routing" alone says too little to name a system)
    min_words: int = Field(default=1, ge=1, le=12)
    #: how far (in words) from the number the rule looks
    reach: int = Field(default=8, ge=0, le=40)
    #: claims whose kind was decided by one of these claim rules are skipped
    skip_rules: list[str] = Field(default_factory=list)
    #: only claims whose kind was decided by one of these claim rules (all when empty)
    rules: list[str] = Field(default_factory=list)
    #: only claims of these kinds (all kinds when empty)
    kinds: list[str] = Field(default_factory=list)
    #: a word list of the pipeline's ``gazetteers/`` folder the method reads (the head
    #: nouns of a subject, for ``clause_noun``)
    word_list: str | None = None
    #: only claims whose number has one of these units ("%", "x", "pp"; all when empty)
    units: list[str] = Field(default_factory=list)
    #: ``after``: a phrase in lower case that the lexicon does not know names the metric
    #: too ("96% regeneration success"), not only a metric it knows
    any_phrase: bool = False


# --- claims.jsonl: which numbers are results, and of what kind ------------------------

UnitKey = Literal["%", "x", "pp", "points", "none"]


def _claim_pattern(pattern: str | None) -> str | None:
    """A regex of a rule line, checked when the rule file loads (so a pattern that does
    not compile is reported with its ``file:line``); placeholders must be known ones."""
    if pattern is not None:
        check_pattern(pattern, CLAIM_PLACEHOLDERS)
    return pattern


class AnchoredRule(Rule):
    """Conditions on the text around a number: all that are given must hold."""

    units: list[UnitKey] | None = None
    #: a regex that must match the text just before the number (ending where it starts)
    before: str | None = None
    #: a regex that must match the text just after the number (starting where it ends)
    after: str | None = None
    #: a regex that must match the number as written
    value: str | None = None

    _patterns = field_validator("before", "after", "value")(_claim_pattern)


class VetoRule(AnchoredRule):
    """A number that is not a result (a size, a year, a resolution...)."""

    type: Literal["veto"]
    #: a word list of the pipeline's ``gazetteers/`` folder: the word written right
    #: before the number (one space between) must be in it ("GPT 5.5": a model's version)
    word_before: str | None = None
    #: the veto does not hold when the word right before the number is a metric the
    #: lexicon knows ("Accuracy 0.91", "C-index 0.737" are no versions)
    unless_metric_before: bool = False


class AcceptRule(AnchoredRule):
    """Why a number without a result unit is still a result."""

    type: Literal["accept"]
    #: a known metric must stand right before ("FID 54.1") or after ("72.6 MRR") it
    metric: Literal["before", "after"] | None = None
    #: the number must be written with decimals (results are; counts are not)
    decimals: bool = False
    #: accept a number that sits in a list beside an accepted claim ("65.6% SR, 46.22 ...")
    neighbour: bool = False
    #: words that may link a metric before the number to it ("of", "is", "below"), or
    #: the number to a benchmark after it ("on", "in")
    links: list[str] = Field(default_factory=list)
    #: a benchmark the pipeline found must follow the number, joined by one of ``links``
    #: ("56.5 on GadgetBench"), or end right before its bracket ("GadgetBench (56.5)")
    benchmark: Literal["after", "before"] | None = None


class PairRule(Rule):
    """Two numbers that are one result: a regex with ``{BASE}`` and ``{VALUE}``."""

    type: Literal["pair"]
    kind: ClaimKind
    pattern: str
    #: a cheap regex every match contains; the pattern is tried only around it
    anchor: str | None = None
    window: tuple[int, int] = (40, 40)

    _patterns = field_validator("pattern", "anchor")(_claim_pattern)


class WordsRule(Rule):
    """Numbers written as words ("four times fewer", "doubles", "first place"): a regex
    with groups ``text`` (the value as written) and ``word``, and what each word is."""

    type: Literal["words"]
    pattern: str
    #: the value of a word, by the start of the word as written (lower case)
    numbers: dict[str, float] = Field(min_length=1)
    unit: Literal["x", "%"] | None = None
    #: the kind, or None to let the kind rules read the cues around it
    kind: ClaimKind | None = None
    #: literals (lower case) one of which the text must hold for the rule to run
    requires: list[str] = Field(default_factory=list)
    #: a cheap regex every match contains; the pattern is tried only around it
    anchor: str | None = None
    window: tuple[int, int] = (40, 40)

    _patterns = field_validator("pattern", "anchor")(_claim_pattern)


class KindRule(Rule):
    """Cue words that say what kind of result a number is."""

    type: Literal["kind"]
    kind: ClaimKind
    units: list[UnitKey] | None = None
    #: cues shortly after the number ("2.8x speedup", "96% reduction")
    after_cues: list[str] = Field(default_factory=list)
    after_words: int = 2
    #: after cues that yield to another rule's after cue in reach: a comparative speaks
    #: of the noun it qualifies ("2.2x higher inference throughput" is a speedup)
    yielding_cues: list[str] = Field(default_factory=list)
    #: a regex that, matched right after the number, decides the kind
    after: str | None = None
    #: a regex that, matched right before the number (and its hedge), decides the kind
    #: like ``after`` ("Gizmo-7B (36.0%)": a system's level)
    before: str | None = None
    #: cues before the number in its clause ("improves accuracy by 4%")
    before_cues: list[str] = Field(default_factory=list)
    before_words: int = 12
    #: the kind when no cue matched, for numbers of these units
    default: bool = False
    #: a regex the number as written must contain for the rule to apply at all
    value: str | None = None
    #: the before cues speak only of a number after "by" ("degrades X by 3 points")
    by_only: bool = False
    #: the before cues do not speak of a number after "by": they name what changes
    #: ("decreases the following ratio by 60%" is the verb's reduction)
    not_by: bool = False
    #: the metric a cue word names by itself ("faster" -> speed)
    implies_metric: dict[str, str] = Field(default_factory=dict)
    #: ``after`` decides only when a benchmark the pipeline found follows its match
    #: ("70.8% of WidgetBench")
    after_benchmark: bool = False
    #: ``after`` decides only for numbers hedged by one of these qualifiers (as the
    #: qualifier rule records them: "less than 1% of the data")
    qualifiers: list[str] = Field(default_factory=list)

    _patterns = field_validator("after", "before", "value")(_claim_pattern)

    @model_validator(mode="after")
    def _yielding_cues_are_after_cues(self) -> KindRule:
        unknown = sorted(set(self.yielding_cues) - set(self.after_cues))
        if unknown:
            raise ValueError(f"yielding_cues not among the after_cues: {', '.join(unknown)}")
        return self


class QualifierRule(Rule):
    """Hedges written before a number, and the word recorded for each: a TSV list of
    the pipeline's ``gazetteers/`` folder (``list``), or ``phrases`` given inline."""

    type: Literal["qualifier"]
    phrases: dict[str, str] = Field(default_factory=dict)
    list: str | None = None


ClaimRule = Annotated[
    VetoRule | AcceptRule | PairRule | WordsRule | KindRule | QualifierRule,
    Field(discriminator="type"),
]
CLAIM_RULES: TypeAdapter[ClaimRule] = TypeAdapter(ClaimRule)


# --- short_names.jsonl: the paper's own name -------------------------------------------


def _short_name_pattern(pattern: str | None) -> str | None:
    """A pattern whose fragments are all known and that compiles (checked when the rule
    file loads, so that an error names its ``file:line``)."""
    if pattern is not None:
        lists = dict.fromkeys(SHORT_NAME_WORD_LISTS, "(?:x)")
        check_pattern(pattern, {**SHORT_NAME_FRAGMENTS, **lists})
    return pattern


class ShortNameRule(Rule):
    """How a rule finds a name: the title prefix, or a cue phrase in the abstract."""

    #: ``title_acronym``: an acronym the abstract defines for words of the title;
    #: ``acronym_reused``: an acronym the abstract defines and then makes the subject of
    #: its own sentences
    source: Literal["title_prefix", "abstract_cue", "title_acronym", "acronym_reused"]
    #: abstract cues: a regex with a group ``name`` around the coined name, or the
    #: groups ``long`` and ``acronym`` for "Long Name (LN)"; it may use the named
    #: fragments ``{NAME}``, ``{NOT_AFTER_AUX}``, ``{OPENER}``, ``{COINING_VERB}`` and
    #: ``{METHOD_NOUN}``
    pattern: str | None = None
    #: a cheap regex (a literal) every match contains; the pattern is tried only there
    anchor: str | None = None
    #: or words (whole, as written) one of which starts every match: found with
    #: ``str.find``, which is cheaper than any regex over the whole abstract
    anchor_words: list[str] = Field(default_factory=list)
    anchor_at: Literal["start", "inside"] = "start"
    window: tuple[int, int] = (0, 220)
    #: the name must look like one on its own (an inner capital, a digit, capitals):
    #: for cues that do not say explicitly that a name follows
    name_shaped: bool = True
    #: ...unless it has several capitalised words ("Mixed Widget Forests")
    multiword: bool = False
    #: a weak cue: its name is taken only when no other rule finds one
    weak: bool = False
    #: title prefixes that are a paper type, not a name ("Position", "Survey")
    not_names: list[str] = Field(default_factory=list)
    #: first words that make a title prefix a phrase ("How ...", "Beyond ...")
    not_first_words: list[str] = Field(default_factory=list)
    #: last words that make a title prefix a clause: verbs ("Consistency Amplifies")
    not_last_words: list[str] = Field(default_factory=list)
    max_words: int = 4
    #: title prefix rules: words that end a title (or its part before the colon) and
    #: say what the paper reports on: the words before them are the system's name,
    #: even a model's ("Widget-7B Technical Report")
    title_endings: list[str] = Field(default_factory=list)

    _pattern = field_validator("pattern")(_short_name_pattern)


# --- benchmarks.jsonl: benchmark and dataset names ---------------------------------


class BenchmarkRule(Rule):
    """A regex whose group ``name`` (one name) or ``names`` (a list) holds benchmarks."""

    field: Literal["abstract", "title"] = "abstract"
    pattern: str
    #: the kind of evidence the rule gives: the label of its spans in
    #: ``doc.spans["benchmarks"]``
    evidence: Literal["context", "shape", "title"] = "context"
    #: "any": every name-like capture counts; "distinct": only distinctive names
    #: (a digit, an inner capital, a hyphen, several capitals) or known ones;
    #: "list": every name of a list counts when one of them is distinctive or known;
    #: "known": only a name the gazetteer writes so, in its case ("MATH", not "math")
    accept: Literal["any", "distinct", "list", "known"] = "any"
    #: the rule's names may be the paper's own name (it introduces a benchmark)
    own_name: bool = False
    #: the pattern writes a set noun beside the name ("two new datasets, X and Y",
    #: "the X benchmark"): a name built on the method's own is then data, not a part
    #: of the method
    names_set: bool = False
    #: a second pass: ``{KNOWN}`` stands for the names the other rules found
    after_others: bool = False
    #: drop a name in brackets that abbreviates the words before it ("... Alignment (SRA)")
    definition_check: bool = False
    #: a cheap regex that every match contains; the pattern is only tried around its
    #: matches, ``window`` characters before and after (matching the whole text with
    #: every pattern costs more than tokenising it)
    anchor: str | None = None
    #: words any of which every match contains (found once for all rules by a spaCy
    #: PhraseMatcher, case-insensitively); an alternative to ``anchor``. A word list's
    #: placeholder stands for its words (``{MAKING_VERB}``, ``{SET_NOUN}``)
    anchor_words: list[str] = Field(default_factory=list)
    window: tuple[int, int] = (120, 160)
    #: where the anchor stands in a match: at its "start", at its "end", or "inside"
    #: (see :func:`~.text.anchored_matches`)
    anchor_at: Literal["start", "end", "inside"] = "inside"
    anchor_back: int = Field(default=0, ge=0, le=10)
    #: a literal that must occur near an anchor (or in the text) for the rule to apply
    requires: str | None = None
    #: a literal the text must go on with right after an anchor (spaces skipped): a
    #: cheap test that drops most anchors before the pattern is tried
    anchor_then: str | None = None
    #: how many words stand between the end of the name and the anchor (0: the name
    #: ends right before it): an anchor whose word at that place holds no capital,
    #: digit, '$' or ')' cannot end a name, and is dropped before the pattern is tried
    name_before: int | None = Field(default=None, ge=0, le=3)
    flags: list[Literal["IGNORECASE"]] = Field(default_factory=list)

    @field_validator("anchor_words")
    @classmethod
    def _known_lists(cls, words: list[str]) -> list[str]:
        """An anchor word written as a placeholder names a word list the finder has."""
        for word in words:
            if word.startswith("{") and word not in BENCHMARK_ANCHOR_LISTS:
                raise ValueError(
                    f"unknown word list {word} (known: {', '.join(BENCHMARK_ANCHOR_LISTS)})"
                )
        return words

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        """A pattern that does not compile, or names an unknown placeholder, fails at load."""
        files = dict.fromkeys(BENCHMARK_FILE_PLACEHOLDERS, "(?:x)")
        known = {**BENCHMARK_PLACEHOLDERS, **files, "{ITEM}": "", "{LATER_ITEM}": ""}
        check_pattern(pattern, known, lambda text: expand_benchmark_pattern(text, files))
        if not re.search(r"\(\?P<names?>", pattern):
            raise ValueError("pattern has no group 'name' or 'names'")
        return pattern
