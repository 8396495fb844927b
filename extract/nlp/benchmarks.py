"""Benchmark and dataset names: context rules for new names, a gazetteer for known ones.

Names never seen before are found by the context rules of ``rules/benchmarks.jsonl``:
regexes over the abstract (or the title) in which placeholders stand for a name
(``{NAME}``), a list of names (``{LIST}``, "A, B and C"; ``{ANY_LIST}`` also without
the final "and") and a number (``{NUM}``). "on the X benchmark", "benchmarks (A, B,
C)", "evaluated on A and B", "a 3% gain on X", "we introduce X, a benchmark...", a
title "X: A Benchmark for ..." and names shaped like benchmarks ("...Bench") are such
contexts.

Known names come from the gazetteer (``gazetteers/benchmarks.tsv``: canonical name,
then aliases), matched with a spaCy PhraseMatcher. A large gazetteer holds names that
are also common words, so a gazetteer match is trusted on its own only when it is
distinctive: written with a digit, an inner capital, a hyphen or at least four
capitals, in the case the gazetteer gives, not part of a longer hyphenated word, and
not on the stop list. Any other match (a plain word such as "Flowers" or "Places", or a
short acronym) counts only when a context rule finds it too. Either way the gazetteer
gives the ``canonical`` name.

Every name is checked the same way: not a model ("GPT-4", "Llama-3-8B": families in
``gazetteers/model_names.txt`` and names with a parameter count), not a generic word
(``gazetteers/not_benchmarks.txt``), not a modifier ("MIDI-based"). A name defined with
its acronym, "Long Name (LN)", is one benchmark, recorded by its acronym unless the
title names it in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..canonical import RESOLUTION
from .abbreviations import Abbreviation, find_abbreviations
from .claim_fields import Mention
from .fragments import BENCHMARK_ANCHOR_LISTS, expand_benchmark_pattern
from .rule_models import BenchmarkRule
from .rules import load_gazetteer, load_rules, load_words
from .text import (
    anchor_spans,
    anchored_matches,
    canonical_key,
    is_acronym_of,
    required_literals,
    tidy,
)

_LIST_SPLIT = re.compile(r"\s?,\s(?:and\s|or\s|&\s)?|\s(?:and|or|&)\s|\s/\s")
_MODIFIER = re.compile(
    r"-(?:based|like|style|level|scale|specific|centric|oriented|driven|free|aware|only|"
    r"guided|augmented|tuned|trained|generated|annotated|labeled|labelled|sized|derived|"
    r"related|inspired|constrained|conditioned)$",
)  # lower case only: "GUI-Only" in "WidgetWorld GUI-Only" is part of a name
# "Llama-3-8B", "Widget 7B": a parameter count makes a name a model's.
_PARAMETER_COUNT = re.compile(r"(?:^|[\s\-])\d+(?:\.\d+)?\s?B\b|\d+x\d+[BM]\b")
# "22T-token", "470-hour": a number-led compound is a description, not a name.
_NUMBER_COMPOUND = re.compile(r"^\d[\w.]*-[a-z]")
_PLAIN_WORD = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)*")
_PHRASE_COMPOUND = re.compile(r"-(?:as|a|an|of|to|in|for|the|and|on|by)-", re.IGNORECASE)
# a word joined to a name by a hyphen, last ("-Instruct", "-RSVG"; not a size or a
# version: "-7B", "-2", "-v1.5")
_WORD_JOINED = re.compile(r"-(?![vV]?\d)[A-Za-z][A-Za-z]+$")
# "10 MB", "0.8B", "832x480": sizes and resolutions.
_SIZE = re.compile(r"[\d.]+\s?(?:[KMGTP]i?B|[KMBT]|bn|x\d+)", re.IGNORECASE)
_LATEX_WRAPPER = re.compile(r"^\$\\(?:textbf|textit|texttt|mathrm|mathbf|emph|text)\{(.+)\}\$$")
# "-Hard", "-2", "-V^3": a variant's part after the known name
_VARIANT_RIGHT = re.compile(r"-[A-Z0-9][\w]*(?:\^\w+)?(?:-[A-Z0-9][\w]*)*(?![\w\-^]|\.\d)")
# (the capital first, then what stands before it: searched for in the 30 characters
# before a known name, sre skips to the capitals)
_VARIANT_LEFT = re.compile(r"[A-Z](?<![\w-].)[\w]*-$")
#: what follows a method's name in the name of its data rather than of a part of it
#: ("Widget-Bench", "Widget-40K", "Widget-Train" are data; "Widget-RL" is a module)
_DATA_PART = re.compile(
    r"(?:Bench|Benchmark|Arena|Dataset|Data|Corpus|Set|Suite|Gym|Train|Test|Instruct)$|^\d",
    re.IGNORECASE,
)
#: a verb that, just before a name, says the paper introduces it ("we present X")
_INTRODUCED_BY = re.compile(
    r"\b(?:introduc|present|propos|releas|construct|build|built|creat|curat|develop|establish)"
    r"\w*\s(?:(?:the|a|an|our)\s)?(?:new\s)?$",
    re.IGNORECASE,
)
#: the word a benchmark's name may carry or drop between the title and the abstract
#: ("RIVER" in the title, "RIVER Bench" in the abstract; "ViGoR-Bench" and "ViGoR")
_KIND_SUFFIX = re.compile(r"(?:[\s\-]?(?:Bench|Benchmark|Arena|Eval))$")
_KIND_SUFFIXES = (" Bench", "-Bench", "Bench", " Benchmark", " Arena", "-Arena", " Eval", "-Eval")


# (compiled once: a module-level ``re.sub(pattern, ...)`` looks its pattern up at each
# call, which these functions, called for every candidate name, would pay many times)
_DIGIT = re.compile(r"\d")
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]")
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")
_JOINED_NAME = re.compile(r"[A-Za-z]-[A-Z0-9]|[A-Z][A-Za-z]*[A-Z][A-Za-z]*-[a-z]")
_LETTER = re.compile(r"[A-Za-z]")
_PLURAL_ACRONYM = re.compile(r"(?:^|[\s\-])[A-Z]{2,}s$")
_WORD_BREAKS = re.compile(r"[\s\-]+")


def is_distinctive(name: str) -> bool:
    """Written like a name no dictionary holds: a digit, an inner capital (also after an
    acronym: "OSWorld"), a hyphen between letters, or at least four capitals ("GSM8K",
    "ImageNet", "MT-Bench", "MMLU")."""
    if _DIGIT.search(name) or _INNER_CAPITAL.search(name):
        return True
    # "Ref-Adv", "MT-bench", "Widget-3" but not "Cost-awareness", "Real-world": a
    # capitalised word joined to a lower-case one is spelling, not a name
    if _JOINED_NAME.search(name):
        return True
    return sum(c.isupper() for c in name) >= 4


@dataclass
class Gazetteer:
    """Known benchmark names: every alias maps to its canonical name."""

    canonical: dict[str, str]
    #: every alias as written in the gazetteer
    aliases: set[str] = field(default_factory=set)
    #: aliases that are common words in another case (files named ``*_cased.tsv``):
    #: a benchmark only where a context rule says so ("the MATH benchmark")
    cased: set[str] = field(default_factory=set)

    @classmethod
    def from_files(cls, paths: list[Path]) -> Gazetteer:
        mapping: dict[str, str] = {}
        aliases: set[str] = set()
        cased: set[str] = set()
        for path in paths:
            for canonical, names in load_gazetteer(path):
                for name in (canonical, *names):
                    mapping.setdefault(canonical_key(name), canonical)
                    aliases.add(name)
                    if path.stem.endswith("_cased"):
                        cased.add(name)
        return cls(mapping, aliases, cased)

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(canonical_key(name))


@dataclass
class _Span:
    start: int
    end: int
    field: str  #: 'abstract' or 'title'
    rule_id: str
    order: int  #: the rule's place in the file (earlier wins ties)
    gazetteer: bool = False
    own_name: bool = False


@dataclass
class BenchmarkFinder:
    rules: list[BenchmarkRule]
    gazetteer: Gazetteer
    models: list[str] = field(default_factory=list)
    not_benchmarks: set[str] = field(default_factory=set)
    #: last words that make a name a task's ("... Generation")
    task_words: set[str] = field(default_factory=set)
    #: words that name a variant or edition after a benchmark's name ("Lite", "Verified")
    variant_words: list[str] = field(default_factory=list)
    #: names (or last words of names: "DL" of "TREC DL") of yearly benchmarks whose
    #: editions are written with two digits ("AIME 24", "TREC DL 19")
    edition_names: set[str] = field(default_factory=set)
    #: nouns that say a name is a method's ("framework", "pipeline"):
    #: ``gazetteers/method_nouns.txt``, beside the rules' folder
    method_nouns: list[str] = field(default_factory=list)
    #: nouns that say a name is a set's ("benchmark", "test suite"): ``{SET_NOUN}``,
    #: ``gazetteers/set_nouns.txt``, beside the rules' folder
    set_nouns: list[str] = field(default_factory=list)
    #: verbs that make a set ("introduce", "curate"): ``{MAKING_VERB}``, in patterns and
    #: as anchor words, ``gazetteers/making_verbs.txt``, beside the rules' folder
    making_verbs: list[str] = field(default_factory=list)

    @classmethod
    def from_files(
        cls,
        rules: Path,
        gazetteers: list[Path],
        models: Path | None = None,
        not_benchmarks: Path | None = None,
        task_words: Path | None = None,
        variant_words: Path | None = None,
        edition_names: Path | None = None,
    ) -> BenchmarkFinder:
        return cls(
            load_rules(rules, BenchmarkRule),
            Gazetteer.from_files(gazetteers),
            load_words(models) if models else [],
            {w.casefold() for w in load_words(not_benchmarks)} if not_benchmarks else set(),
            {w.casefold() for w in load_words(task_words)} if task_words else set(),
            load_words(variant_words) if variant_words else [],
            set(load_words(edition_names)) if edition_names else set(),
            _word_list(rules, "method_nouns.txt"),
            _word_list(rules, "set_nouns.txt"),
            _word_list(rules, "making_verbs.txt"),
        )

    def __post_init__(self) -> None:
        self._patterns: list[tuple[int, BenchmarkRule, re.Pattern[str] | None, str]] = []
        self._anchors: dict[str, re.Pattern[str]] = {}
        self._requires: dict[str, str | None] = {}
        self._needs_lowered: dict[str, tuple[str, ...] | None] = {}
        variants = sorted(self.variant_words, key=len, reverse=True)
        nouns = "|".join(re.escape(w) for w in self.method_nouns) or "(?!)"
        extra = {
            "{VARIANT_WORD}": "(?:" + ("|".join(re.escape(w) for w in variants) or "(?!)") + ")",
            "{METHOD_NOUN}": "(?:" + nouns + ")",
            "{SET_NOUN}": "(?:" + ("|".join(re.escape(w) for w in self.set_nouns) or "(?!)") + ")",
            "{MAKING_VERB}": "(?i:"
            + (
                "|".join(re.escape(w) for w in sorted(self.making_verbs, key=len, reverse=True))
                or "(?!)"
            )
            + ")",
        }
        # the word lists an anchor word may name by its placeholder (the set nouns with
        # their plurals in -s: "the X and Y benchmarks")
        plurals = [n + "s" for n in self.set_nouns if not n.endswith("s")]
        self._anchor_lists = dict(
            zip(
                BENCHMARK_ANCHOR_LISTS,
                (self.making_verbs, [*self.set_nouns, *plurals]),
                strict=True,
            )
        )
        for order, rule in enumerate(self.rules):
            pattern = expand_benchmark_pattern(rule.pattern, extra)
            flags = re.IGNORECASE if "IGNORECASE" in rule.flags else 0
            compiled = re.compile(pattern, flags)
            self._patterns.append((order, rule, compiled, pattern))
            # a rule that declares no literal its matches need gets the one its pattern
            # shows, if any (":" in "{NAME}\s?:\s(?:a|an)\s..."): a cheap test before
            # the pattern is tried at an anchor
            needs = required_literals(compiled)
            self._requires[rule.id] = rule.requires or (
                needs[0] if needs and len(needs) == 1 else None
            )
            if rule.anchor:
                self._anchors[rule.id] = re.compile(rule.anchor)
            elif not rule.anchor_words:
                # a rule tried over the whole of its text (the title's): lower-case
                # literals one of which every match holds, whatever its case
                self._needs_lowered[rule.id] = required_literals(compiled, lowered=True)
        self._fields = {rule.id: rule.field for rule in self.rules}
        # what stands between a description and the name it describes: "the SAR VQA
        # benchmark SARLANG-Bench", "the long-video dataset Widget-LV"
        self._set_noun_between = re.compile(r"\s" + extra["{SET_NOUN}"] + r"s?\s", re.IGNORECASE)
        # "X, a stable training recipe", "(X), the first agentic framework"
        self._method_apposition = re.compile(
            r"(?:\s?\([^()]{1,20}\))?\s?\)?\s?,\s(?:a|an|the)\s"
            r"(?:(?!(?:benchmark|dataset|suite|testbed|corpus)s?\b)[\w\-()]+\s){0,6}?"
            r"(?:" + nouns + r")s?\b"
            # (not "a pipeline and dataset": the name is both)
            r"(?!\s(?:and|&)\s(?:an?\s)?(?:benchmark|dataset|suite|testbed|corpus)s?\b)"
        )
        suffixes = [m[1:] for m in self.models if m.startswith("-") and len(m) > 1]
        self._model_suffix = re.compile(
            r"-(?:" + ("|".join(re.escape(s) for s in suffixes) or "(?!)") + r")$", re.IGNORECASE
        )
        families = sorted(
            {m for m in self.models if m and not m.startswith("-")}, key=len, reverse=True
        )
        self._model = re.compile(
            r"^(?:" + "|".join(re.escape(m) for m in families) + r")(?:$|[\s\-\d.:])",
            re.IGNORECASE,
        )
        # a family written as a part of a hyphenated name, in the family's own case
        self._model_part = re.compile(
            r"^(?:" + "|".join(re.escape(m) for m in families) + r")(?:$|[\d.])"
        )
        # a yearly benchmark's edition glued to its name ("AIME24", "WMT2014"): one
        # token the gazetteer's names cannot match, so the matcher holds each such
        # token too (the two digits of a year before 2030, or all four)
        self._glued_names = frozenset(n for n in self.edition_names if n in self.gazetteer.aliases)
        self._matcher: PhraseMatcher | None = None
        self._introducing = {r.id for r in self.rules if r.own_name}
        self._naming_sets = {r.id for r in self.rules if r.names_set}
        self._evidence = {r.id: r.evidence for r in self.rules}
        #: the second-pass rule and its pattern (see :meth:`_variants`)
        self._after_others = next(((r, c) for _, r, c, _ in self._patterns if r.after_others), None)

    def matcher(self, nlp: Language) -> PhraseMatcher:
        """The PhraseMatcher of the gazetteer's names and the rules' anchor words."""
        if self._matcher is None:
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            names = sorted(self.gazetteer.aliases)
            matcher.add("benchmark.gazetteer", [nlp.make_doc(n) for n in names])
            # The rules' anchor words: one pass over the tokens finds them all, each
            # word once however many rules share it.
            self._rules_of_word: dict[str, list[str]] = {}
            for rule in self.rules:
                for anchor in rule.anchor_words:
                    for word in self._anchor_lists.get(anchor, [anchor]):
                        key = "anchor:" + word.casefold()
                        if rule.id not in self._rules_of_word.setdefault(key, []):
                            self._rules_of_word[key].append(rule.id)
            for key in sorted(self._rules_of_word):
                matcher.add(key, [nlp.make_doc(key.removeprefix("anchor:"))])
            years = [f"{y:02d}" for y in range(30)] + [str(y) for y in range(1990, 2030)]
            matcher.add(
                _GLUED_EDITION,
                [nlp.make_doc(name + year) for name in sorted(self._glued_names) for year in years],
            )
            self._matcher = matcher
            # the rules each match id stands for, looked up by the id itself
            strings = nlp.vocab.strings
            self._rules_of_match: dict[int, list[str] | tuple[str]] = {
                strings[key]: self._rules_of_word.get(key, (key,))
                for key in ["benchmark.gazetteer", _GLUED_EDITION, *self._rules_of_word]
            }
        return self._matcher

    # ------------------------------------------------------------------ finding

    def find(
        self, doc: Doc, title: str, short_name: str | None = None, text: str | None = None
    ) -> tuple[list[dict[str, object]], list[Mention]]:
        """(benchmark rows, first mention first; every mention of them in the abstract)."""
        found = self.find_all(doc, title, short_name, text)
        return found.rows, found.mentions

    def find_all(
        self,
        doc: Doc,
        title: str,
        short_name: str | None = None,
        text: str | None = None,
        defined: Callable[[], list[Abbreviation]] | None = None,
    ) -> Found:
        """Rows, mentions, labelled spans and the abbreviations of one abstract
        (``defined``: every abbreviation it defines, asked for only when a name was
        found, since none is then about a name)."""
        text = doc.text if text is None else text
        hits = self._hits(doc, text)
        spans = self._context_spans(text, title, hits)
        context_names = {self._source(text, title, s)[s.start : s.end] for s in spans}
        for start, end, variant in self._gazetteer_spans(doc, text, hits):
            name = text[start:end]
            if variant:
                spans.append(_Span(start, end, "abstract", "benchmark.variant", 10_000, True))
            elif self._trusted(name) or name in context_names:
                # the year of an edition is part of the name as written ("AIME 2025"),
                # and its two digits after a yearly benchmark's name ("AIME 24")
                suffix = _EDITION_YEAR.match(text, end)
                if suffix is None and name.rsplit(None, 1)[-1] in self.edition_names:
                    suffix = _EDITION_SHORT.match(text, end)
                # so is the resolution a generation benchmark is run at ("ImageNet 256x256")
                # and a split written as a name's split ("LibriSpeech test-clean")
                suffix = suffix or _RESOLUTION.match(text, end) or _NAMED_SPLIT.match(text, end)
                end = suffix.end() if suffix else end
                spans.append(_Span(start, end, "abstract", "benchmark.gazetteer", 10_000, True))
        for start, end in hits.get(_GLUED_EDITION, ()):
            # as the gazetteer writes the name (the matcher reads lower case), and no
            # part of a longer word, a share or a decimal ("AIME-style", "AIME25%")
            if text[start:end].rstrip("0123456789") in self._glued_names and not (
                (start and (text[start - 1].isalnum() or text[start - 1] in "_-"))
                or _GLUED_AFTER.match(text, end)
            ):
                spans.append(_Span(start, end, "abstract", "benchmark.gazetteer", 10_000, True))
        abbreviations = (
            _definitions_of(text, title, spans, defined() if defined else find_abbreviations(text))
            if spans
            else []
        )
        rows, keys, known = self._resolve(text, title, spans, short_name, abbreviations)
        rows = self._variants(text, rows, keys, set(known), short_name)
        rows = self._prune(text, rows, short_name, abbreviations)
        marks = self._mentions(text, rows, abbreviations)
        mentions = [m for m, _, _ in marks]
        labelled = [
            (m.start, m.end, label, rule_id) for m, label, rule_id in marks if not m.in_title
        ]
        return Found(rows, mentions, labelled, abbreviations)

    def _source(self, text: str, title: str, span: _Span) -> str:
        return title if span.field == "title" else text

    def _hits(self, doc: Doc, text: str) -> dict[str, list[tuple[int, int]]]:
        """Anchors of the rules and gazetteer matches: character spans by rule id."""
        if self._matcher is None:
            raise RuntimeError("BenchmarkFinder.matcher(nlp) must be called before find()")
        hits: dict[str, list[tuple[int, int]]] = {}
        rules_of_match = self._rules_of_match
        for match_id, start, end in self._matcher(doc):
            first = doc[start]
            last = first if end - start == 1 else doc[end - 1]
            span = (first.idx, last.idx + len(last))
            for rule_id in rules_of_match[match_id]:
                hits.setdefault(rule_id, []).append(span)
        by_pattern: dict[str, list[tuple[int, int]]] = {}
        for rule_id, anchor in self._anchors.items():
            if self._fields[rule_id] != "abstract":
                continue
            required = self._requires[rule_id]
            if required and required not in text:
                hits[rule_id] = []  # the rule cannot match: no need to find its anchors
                continue
            key = anchor.pattern
            if key not in by_pattern:
                by_pattern[key] = anchor_spans(anchor, text)
            hits[rule_id] = by_pattern[key]
        return hits

    def _matches(
        self,
        rule: BenchmarkRule,
        pattern: re.Pattern[str],
        source: str,
        hits: dict[str, list[tuple[int, int]]] | None = None,
        can_end: dict[tuple[int, int], bool] | None = None,
    ) -> list[re.Match[str]]:
        """Matches of a rule's pattern, tried only around its anchors when it has some;
        ``can_end`` keeps :func:`_name_can_end`'s answers for the record."""
        if rule.field == "abstract" and (rule.anchor or rule.anchor_words):
            where: list[tuple[int, int]] | None = (hits or {}).get(rule.id, [])
            if not where:
                return []  # no anchor: the rule cannot match
            skip = rule.name_before
            if skip is not None:
                known = {} if can_end is None else can_end
                kept = []
                for hit in where:
                    ok = known.get((hit[0], skip))
                    if ok is None:
                        ok = known[hit[0], skip] = _name_can_end(source, hit[0], skip)
                    if ok:
                        kept.append(hit)
                where = kept
            then = rule.anchor_then
            if then:
                where = [
                    (s, e)
                    for s, e in where
                    if source.startswith(then, e) or source.startswith(then, e + 1)
                ]
        elif rule.anchor:
            where = anchor_spans(self._anchors[rule.id], source)
        else:
            needs = self._needs_lowered.get(rule.id)
            if needs is not None and source.isascii():
                folded = source.lower()  # (for ASCII, what IGNORECASE does)
                if not any(literal in folded for literal in needs):
                    return []
            where = None
        return anchored_matches(
            pattern,
            source,
            where,
            rule.window,
            rule.anchor_at,
            rule.anchor_back,
            self._requires[rule.id],
        )

    def _surely_a_set(self, source: str, start: int, end: int) -> bool:
        """Whether a name of a list is surely a set's, so the list's other names count
        too: distinctive or known, and no model, device or plural ("on NVIDIA GPUs and
        Maca" is no list of sets)."""
        name = source[start:end]
        if not (is_distinctive(name.strip()) or self.gazetteer.lookup(name)):
            return False
        start, end = _trim(source, start, end)
        return self.valid(source[start:end])

    def _context_spans(
        self, text: str, title: str, hits: dict[str, list[tuple[int, int]]]
    ) -> list[_Span]:
        spans: list[_Span] = []
        can_end: dict[tuple[int, int], bool] = {}  # rules share anchors
        for order, rule, pattern, _ in self._patterns:
            if pattern is None or rule.after_others:
                continue
            source = title if rule.field == "title" else text
            for match in self._matches(rule, pattern, source, hits, can_end):
                names = list(_names_of(match))
                if rule.accept == "list" and not any(
                    self._surely_a_set(source, a, b) for a, b in names
                ):
                    continue
                for start, end in names:
                    start, end = _trim(source, start, end)
                    if end <= start:
                        continue
                    name = source[start:end]
                    if source.startswith("@", end):
                        continue  # "Recall@5" is a metric
                    if rule.definition_check and _defines(source, start, name):
                        continue
                    if rule.accept == "distinct" and not (
                        is_distinctive(name) or self.gazetteer.lookup(name)
                    ):
                        continue
                    if rule.accept == "known" and name not in self.gazetteer.aliases:
                        continue
                    if _counted_class(source, start, end) and not (
                        is_distinctive(name) or self.gazetteer.lookup(name)
                    ):
                        continue  # "four standard DG benchmarks": a field, not a name
                    if _described_kind(source, start, end) and not self.gazetteer.lookup(name):
                        continue  # "a large-scale RLVR dataset": a kind of set, not its name
                    if (
                        rule.field == "abstract"
                        and _sentence_initial_word(source, start, name)
                        and not self.gazetteer.lookup(name)
                    ):
                        continue  # "Numerical benchmarks show ...": capital by position
                    spans.append(
                        _Span(start, end, rule.field, rule.id, order, False, rule.own_name)
                    )
        return spans

    def _gazetteer_spans(
        self, doc: Doc, text: str, hits: dict[str, list[tuple[int, int]]]
    ) -> list[tuple[int, int, bool]]:
        """Gazetteer matches (start, end, is a variant of the known name)."""
        found = []
        for s, e in hits.get("benchmark.gazetteer", []):
            # Part of a longer hyphenated word: a named variant when the other part is
            # a name ("KnownSet-64", "Split-KnownSet"), else a modifier ("-pretrained").
            longer = _VARIANT_RIGHT.match(text, e)
            left = _VARIANT_LEFT.search(text, max(0, s - 30), s)
            if longer or left:
                if self._trusted(text[s:e]):
                    found.append((left.start() if left else s, longer.end() if longer else e, True))
                continue
            if e < len(text) - 1 and text[e] == "-" and text[e + 1].isalnum():
                continue
            if s > 1 and text[s - 1] == "-" and text[s - 2].isalnum():
                continue
            found.append((s, e, False))
        return found

    def _trusted(self, name: str) -> bool:
        """A gazetteer match that is a benchmark on its own, without a context."""
        if name not in self.gazetteer.aliases:
            return False  # another case than the gazetteer's ("math" for "MATH")
        if name in self.gazetteer.cased:
            # a common word in the gazetteer's case ("MATH", "RACE") needs a context; a
            # mixed case or a digit no word has ("SQuAD", "CMRC 2018") does not
            return bool(_DIGIT.search(name) or _LOWER_UPPER.search(name))
        if name.casefold() in self.not_benchmarks:
            return False
        # a name of several capitalised words written as the gazetteer writes it
        # ("Natural Questions", "Widget's Last Exam") is as specific as a distinctive one
        words = name.split()
        return is_distinctive(name) or (len(words) > 1 and all(w[0].isupper() for w in words))

    def _known(self, name: str) -> bool:
        """Whether the gazetteer knows a name, or the name before its version
        ("Nemotron-CC-v2", "Pick-a-Pic V2")."""
        if self.gazetteer.lookup(name):
            return True
        bare = _VERSION_AFTER.sub("", name)
        return bare != name and bool(self.gazetteer.lookup(bare))

    def _known_variant(self, name: str) -> bool:
        """Whether a name is a known benchmark's with a variant word after it
        ("HLE-Verified", "GSM8K Platinum" when the word is listed)."""
        head, _, tail = name.rpartition("-" if "-" in name else " ")
        return bool(head) and tail in self.variant_words and bool(self.gazetteer.lookup(head))

    def valid(
        self,
        name: str,
        short_name: str | None = None,
        own_name: bool = False,
        named_set: bool = False,
    ) -> bool:
        """Whether a captured name can be a benchmark (not a model, word or modifier).
        ``named_set``: a set noun follows the name ("the X dataset"), so that a model
        family's name with a word joined to it is data built on or for that model
        ("the Widgetron-Instruct dataset"), not the model."""
        stripped = name.strip()
        if len(stripped) < 2 or not _LETTER.search(stripped):
            return False
        folded = stripped.casefold()
        parts = folded.split()
        if folded in self.not_benchmarks:
            return False
        if (
            parts[0] in self.not_benchmarks
            and not _KIND_SUFFIX.search(stripped)
            and not self.gazetteer.lookup(stripped)
        ):
            return False  # "OCR Pipeline" is no name; "OCR Arena", "Chinese Treebank" are
        if len(parts) > 1 and parts[-1] in self.task_words and not self.gazetteer.lookup(stripped):
            return False  # "Text-to-Widget Generation" is a task
        if _MODIFIER.search(stripped) or _PARAMETER_COUNT.search(stripped):
            return False
        if _NUMBER_COMPOUND.search(stripped) or _SIZE.fullmatch(stripped.replace("$", "")):
            return False
        if _SCORE_AFTER.search(stripped):
            return False  # "AUC-PR 0.404": a score after its metric, not a version
        if (
            self.models
            and self._model.match(stripped)
            and not self._known(stripped)
            and not (named_set and _WORD_JOINED.search(stripped))
        ):
            return False  # "Nemotron-4" is a model, "Nemotron-CC-v2" a corpus the gazetteer knows
        if self._model_suffix.search(stripped) and not self.gazetteer.lookup(stripped):
            return False  # "Widget-Net" is a model
        if (
            "-" in stripped
            and not _KIND_SUFFIX.search(stripped)
            and any(self._model_part.match(part) for part in stripped.split("-")[1:])
            and not self.gazetteer.lookup(stripped)
        ):
            return False  # "Widget-Qwen", "Gizmo-Llama-Chat": a model's variant
        if _PHRASE_COMPOUND.search(stripped) and not self._known(stripped):
            return False  # "LLM-as-a-judge" is a method ("Needle-in-a-Haystack" is known)
        if (
            short_name
            and not own_name
            and canonical_key(short_name) == canonical_key(stripped)
            and not self.gazetteer.lookup(stripped)
            and not _KIND_SUFFIX.search(stripped)
            and not self._known_variant(stripped)
        ):
            return False  # the paper's method, unless its name says it is a benchmark
            # (or a variant of a known one: "HLE-Verified")
        # a plural acronym is a class of things ("LLMs", "Agentic-PRs"), not a named set
        return not _PLURAL_ACRONYM.search(stripped)

    def _names_a_task(self, name: str, task_shorts: set[str]) -> bool:
        """Whether a word of ``name`` is the short form of a task's name ("English-Chinese
        S2ST" when the text defines "Speech-to-Speech Translation (S2ST)")."""
        words = set(_WORD_BREAKS.split(name))
        return bool(words & task_shorts) and not self.gazetteer.lookup(name)

    def _resolve(
        self,
        text: str,
        title: str,
        spans: list[_Span],
        short_name: str | None,
        abbreviations: list[Abbreviation],
    ) -> tuple[list[dict[str, object]], set[str], list[str]]:
        """Overlaps resolved (the longest span wins, then the earlier rule), a short form
        and its long form folded into one row named as first written, one row per
        benchmark."""
        chosen: list[_Span] = []
        validity: dict[tuple[str, bool, bool], bool] = {}  # the same name is often found twice
        ordered = sorted(spans, key=lambda s: (s.field != "title", -(s.end - s.start), s.order))
        for span in ordered:
            # a longer candidate that is no name ("OCR Arena Elo") does not hide the
            # name inside it ("OCR Arena")
            name = self._source(text, title, span)[span.start : span.end]
            unwrapped = _LATEX_WRAPPER.match(name)
            named_set = span.rule_id in self._naming_sets
            checked = (unwrapped.group(1) if unwrapped else name, span.own_name, named_set)
            ok = validity.get(checked)
            if ok is None:
                ok = validity[checked] = self.valid(
                    checked[0], short_name, span.own_name, named_set
                )
            if not ok:
                continue
            if any(
                c.field == span.field and span.start < c.end and span.end > c.start for c in chosen
            ):
                continue
            chosen.append(span)
        chosen.sort(key=lambda s: (s.field != "title", s.start))
        rows: list[dict[str, object]] = []
        keys: set[str] = set()
        known: list[str] = []  #: names and the acronyms defined for them
        task_shorts = {
            a.short for a in abbreviations if a.long.split()[-1].casefold() in self.task_words
        }
        for span in chosen:
            source = self._source(text, title, span)
            start, end = span.start, span.end
            name = source[start:end]
            unwrapped = _LATEX_WRAPPER.match(name)
            if unwrapped:
                start, end = start + unwrapped.start(1), start + unwrapped.end(1)
                name = unwrapped.group(1)
            if task_shorts and self._names_a_task(name, task_shorts):
                continue
            if span.field == "abstract" and any(
                len(str(row["name"])) > len(name) and source.startswith(str(row["name"]), start)
                for row in rows
            ):
                continue  # the start of a longer name found before ("Set 32 x 32")
            aliases = {canonical_key(name)}
            defined = _definition(abbreviations, span.field, start, end, name)
            partner = long_form = None
            if defined is not None:
                abbreviation, is_short = defined
                partner = abbreviation.long if is_short else abbreviation.short
                long_form = (abbreviation.long, abbreviation.long_start, abbreviation.long_end)
                if not is_short and span.field == "abstract":
                    # the whole long form, when a rule found only its start
                    start, end = abbreviation.long_start, abbreviation.long_end
                    name = abbreviation.long
            if partner is not None:
                aliases.add(canonical_key(partner))
                if " " not in partner:  # a short form can carry variants ("WRB-Hard")
                    known.append(partner)
                # named as the abstract writes it most often, first written on a tie
                # ("the Widget Reasoning Benchmark (WRB) ... on WRB": WRB), in full
                # when the title writes it in full
                at = _find_word(text, partner)
                if (
                    span.field == "abstract"
                    and long_form is not None
                    and _find_word(title, long_form[0]) >= 0
                ):
                    name, start, end = long_form
                elif (
                    span.field == "abstract"
                    and at >= 0
                    and len(list(_occurrences(text, partner))) > len(list(_occurrences(text, name)))
                ):
                    start, end, name = at, at + len(partner), partner
            if keys & aliases:
                keys |= aliases
                continue
            keys |= aliases
            known.append(name)
            row_field: str = span.field
            row_start: int | None = start
            row_end: int | None = end
            if span.field == "title":
                at, written = _written_in(text, name)
                if at >= 0:
                    name = written
                    aliases.add(canonical_key(written))
                    keys |= aliases
                row_field, row_start, row_end = (
                    ("abstract", at, at + len(name)) if at >= 0 else ("title", None, None)
                )
            rows.append(
                {
                    "name": tidy(name) if span.field == "abstract" else name,
                    "canonical": self.gazetteer.lookup(name),
                    "start": row_start,
                    "end": row_end,
                    "field": row_field,
                    "rule_id": span.rule_id,
                }
            )
        return rows, keys, known

    def _variants(
        self,
        text: str,
        rows: list[dict[str, object]],
        keys: set[str],
        names: set[str],
        short_name: str | None,
    ) -> list[dict[str, object]]:
        """Second-pass rules: names built on a found one ("X-Hard" beside "X")."""
        if self._after_others is None:
            return rows
        rule, check = self._after_others
        extra: list[dict[str, object]] = []
        # a found name and the head of a found variant ("Set-64" makes "Set" known)
        heads = {n.split("-")[0] for n in names if "-" in n}
        candidates = {n for n in names | heads if len(n) >= 2 and n[:1].isupper()}
        for known in sorted(candidates, key=len, reverse=True):
            for at in _all(text, known):
                end = at + len(known)
                right = _VARIANT_RIGHT.match(text, end)
                left = _VARIANT_LEFT.search(text, max(0, at - 30), at)
                if not right and not left:
                    continue
                if not left and at and (text[at - 1].isalnum() or text[at - 1] in "_-"):
                    continue
                if any(
                    isinstance(row["start"], int)
                    and isinstance(row["end"], int)
                    and row["start"] <= at < row["end"]
                    for row in rows
                ):
                    continue  # inside a longer name already found
                if not right and end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue
                if right and text.startswith(("://", ":/"), right.end()):
                    continue  # glued to a URL by the page
                start, stop = (left.start() if left else at), (right.end() if right else end)
                name = text[start:stop]
                k = canonical_key(name)
                if any(n.startswith(name + " ") for n in names):
                    continue  # "Widget-Set" before "Widget-Set benchmark": the same name
                if (
                    k in keys
                    or check is None
                    or not check.fullmatch(name)
                    or not self.valid(name, short_name)
                ):
                    continue
                keys.add(k)
                extra.append(
                    {
                        "name": name,
                        "canonical": self.gazetteer.lookup(name),
                        "start": start,
                        "end": stop,
                        "field": "abstract",
                        "rule_id": rule.id,
                    }
                )
        if not extra:
            return rows
        return sorted(
            rows + extra,
            key=lambda r: (r["field"] != "title", r["start"] if r["start"] is not None else -1),
        )

    def _prune(
        self,
        text: str,
        rows: list[dict[str, object]],
        short_name: str | None,
        abbreviations: list[Abbreviation],
    ) -> list[dict[str, object]]:
        """Rows that are part of another name, not benchmarks of their own.

        A name written only inside a longer found name ("RewardBench" in every
        "Personalized RewardBench") is that name; a name built on the method's own
        ("Widget-Eval" beside the method "Widget") is a part of the method, unless
        the method's name is itself a benchmark the paper introduces; and a title's name
        shaped like a benchmark's that the abstract sets beside a method noun ("ProEval:
        ..." and "we propose ProEval, a proactive evaluation framework") is the method.
        """
        if not rows:
            return rows
        names = [str(r["name"]) for r in rows]
        introducing = self._introducing
        short_key = canonical_key(short_name) if short_name else None
        short_is_benchmark = short_key is not None and any(
            canonical_key(n) == short_key for n in names
        )
        # the method's name and the long form it abbreviates ("Agentic Automatic
        # Evaluation (A2Eval)")
        own = {short_key} | {
            canonical_key(a.long) for a in abbreviations if canonical_key(a.short) == short_key
        }
        # short forms of lower-case terms ("class-incremental learning (CIL)"): a field
        # or a task, whatever noun follows ("CIL datasets")
        terms = {
            a.short
            for a in abbreviations
            if _lower_case_term(a.long) and not a.long.startswith("\\") and " " in a.long.strip()
        }
        # a name spelled out beside the short form it abbreviates ("AIRS-Bench (the AI
        # Research Science Benchmark)", "WIBE, the WIdget BEnchmark"): one benchmark,
        # known by its short form
        spelled = {n for n in names if any(_abbreviates(m, n) for m in names)}
        starts = {int(str(r["start"])) for r in rows if r["field"] == "abstract"}
        kept = []
        for row in rows:
            name = str(row["name"])
            if row["field"] == "abstract" and _only_inside(text, name, names):
                continue
            if row["field"] == "abstract" and self._describes_next(text, row, starts):
                continue  # "the SAR VQA benchmark SARLANG-Bench": the name comes after
            if name in spelled and row["rule_id"] != "benchmark.gazetteer":
                continue
            if name in terms and row["rule_id"] != "benchmark.gazetteer":
                continue
            if (
                "bench" not in name.lower()
                and (
                    self._evidence.get(str(row["rule_id"])) == "shape"
                    or (
                        row["rule_id"] == "benchmark.title_shape"
                        and short_key is not None
                        and canonical_key(name) in own
                    )
                )
                and any(
                    self._method_apposition.match(text, at + len(name))
                    for at in _occurrences(text, name)
                )
            ):
                # "ProEval: ..." and "we propose ProEval, an evaluation framework";
                # "Widget-Dev, a multi-agent framework": a name known by its shape alone
                continue
            if (
                short_name
                and not short_is_benchmark
                and row["rule_id"] not in introducing
                and row["rule_id"] not in self._naming_sets
                and name.startswith(short_name)
                and name[len(short_name) : len(short_name) + 1] in ("-", " ")
                and not _DATA_PART.search(name[len(short_name) + 1 :])
            ):
                continue  # "Widget-RL", "Widget-Eval": parts of the method "Widget"
            kept.append(row)
        return kept

    def _describes_next(self, text: str, row: dict[str, object], starts: set[int]) -> bool:
        """Whether a name the gazetteer does not know describes the found name that
        follows it past a set noun ("the SAR VQA benchmark SARLANG-Bench"): the set's
        kind, not a name of its own."""
        between = self._set_noun_between.match(text, int(str(row["end"])))
        return (
            between is not None
            and between.end() in starts
            and not self.gazetteer.lookup(str(row["name"]))
        )

    def _mentions(
        self, text: str, rows: list[dict[str, object]], abbreviations: list[Abbreviation]
    ) -> list[tuple[Mention, str, str]]:
        """Every place the abstract names a found benchmark (for attaching claims), with
        the label of its evidence and the rule that found it."""
        introducing = self._introducing
        evidence = self._evidence
        marks: list[tuple[Mention, str, str]] = []
        for row in rows:
            name = str(row["name"])
            canonical = row["canonical"] if isinstance(row["canonical"], str) else None
            rule_id = str(row["rule_id"])
            first = row["start"] if isinstance(row["start"], int) else -1
            introduced = rule_id in introducing or (
                first >= 0 and bool(_INTRODUCED_BY.search(text, max(0, first - 40), first))
            )
            label = "gazetteer" if rule_id == "benchmark.gazetteer" else evidence.get(rule_id, "")
            found = False
            for at in _occurrences(text, name):
                # a version written with this use is part of it: "TB~1.0", "WidgetBench v2"
                version = _MENTION_VERSION.match(text, at + len(name))
                end = version.end() if version else at + len(name)
                marks.append(
                    (
                        Mention(at, end, text[at:end], canonical, introduced=introduced),
                        label,
                        rule_id,
                    )
                )
                found = True
            # the other form of an abbreviation names the same benchmark
            for other in _partners(abbreviations, name):
                for at in _occurrences(text, other):
                    marks.append(
                        (
                            Mention(
                                at,
                                at + len(other),
                                other,
                                canonical,
                                introduced=introduced,
                                form_of=name,
                            ),
                            "abbreviation",
                            rule_id,
                        )
                    )
                    found = True
            if not found:
                marks.append((Mention(-1, -1, name, canonical, True, introduced), label, rule_id))
        marks.sort(key=lambda m: (m[0].start, m[0].end))
        # words that name a longer found benchmark name it, not the shorter one written
        # inside ("SWE-bench" in "SWE-bench Verified")
        placed = [m[0] for m in marks if m[0].start >= 0]
        return [
            mark
            for mark in marks
            if mark[0].start < 0
            or not any(
                o.start <= mark[0].start
                and mark[0].end <= o.end
                and o.end - o.start > mark[0].end - mark[0].start
                for o in placed
            )
        ]


@dataclass
class Found:
    """What the finder read in one abstract."""

    rows: list[dict[str, object]]
    #: every mention of a found benchmark (title mentions have no offsets)
    mentions: list[Mention]
    #: (start, end, label, rule id) of each mention in the abstract
    spans: list[tuple[int, int, str, str]]
    abbreviations: list[Abbreviation]


def _lower_case_term(long: str) -> bool:
    """Whether a long form is a term written in lower case ("class-incremental
    learning"), with a capital only at its start or inside an acronym of its own
    ("full-waveform LiDAR")."""
    if long[1:] == long[1:].lower():
        return True
    return long[:1].islower() and all(
        word == word.lower() or sum(c.isupper() for c in word) >= 2 for word in long.split()
    )


def _word_list(rules: Path, name: str) -> list[str]:
    """A word list of the pipeline the rules file belongs to (``gazetteers/name``), if it
    has it."""
    path = rules.parent.parent / "gazetteers" / name
    return load_words(path) if path.is_file() else []


def _definitions_of(
    text: str, title: str, spans: list[_Span], defined: list[Abbreviation]
) -> list[Abbreviation]:
    """Those of the abbreviations the text defines (``defined``) that are about the
    found names: in brackets right after a name ("Long Name (LN)", "LN (Long Name)") or
    holding a word of a name ("(LN)" anywhere, for "on LN-Hard" or "English LN")."""
    if not defined:
        return []
    after: set[int] = set()
    words: set[str] = set()
    for span in spans:
        source = title if span.field == "title" else text
        name = source[span.start : span.end]
        words.update(_WORD_BREAKS.split(name))
        words.add(name)
        if span.field == "abstract":
            after.update((span.end, span.end + 1))
    return [a for a in defined if a.bracket in after or a.inside in words]


def _definition(
    abbreviations: list[Abbreviation], field: str, start: int, end: int, name: str
) -> tuple[Abbreviation, bool] | None:
    """The abbreviation a found name is a form of, and whether it is the short form."""
    for a in abbreviations:
        if field == "abstract":
            if (start, end) == (a.short_start, a.short_end):
                return a, True
            if a.long_start <= start and end <= a.long_end:
                return a, False  # "Widget Benchmark" in "Widget Benchmark for Gizmos (WBG)"
        elif name == a.short:
            return a, True
        elif name == a.long:
            return a, False
    return None


def _partners(abbreviations: list[Abbreviation], name: str) -> list[str]:
    """The other forms of ``name`` that the abstract defines."""
    found = []
    for a in abbreviations:
        if a.long.endswith(name) and a.short != name:
            found.append(a.short)
        elif a.short == name and a.long != name:
            found.append(a.long)
    return sorted(set(found))


def _abbreviates(short: str, long: str) -> bool:
    """Whether one found name is the short form of another: a single word that is not
    written inside the long form of two words or more, whose letters the long form holds
    in order ("AIRS-Bench" / "AI Research Science Benchmark") or whose capitals are the
    long form's ("NESSiE" / "NEceSsary SafEty")."""
    if " " in short or " " not in long.strip() or short.casefold() in long.casefold():
        return False
    capitals = [c for c in long if c.isupper()]
    return is_acronym_of(short, long) or (
        len(capitals) > 2 and capitals == [c for c in short if c.isupper()]
    )


def _only_inside(text: str, name: str, names: list[str]) -> bool:
    """Whether every whole-word occurrence of ``name`` lies inside a longer found name."""
    longer = [n for n in names if len(n) > len(name) and name in n]
    if not longer:
        return False
    covered: list[tuple[int, int]] = []
    for other in longer:
        at = text.find(other)
        while at >= 0:
            covered.append((at, at + len(other)))
            at = text.find(other, at + 1)
    places = list(_occurrences(text, name))
    return bool(places) and all(any(s <= p < e for s, e in covered) for p in places)


def _written_in(text: str, name: str) -> tuple[int, str]:
    """Where a title's name stands in the abstract, and how it is written there: with
    the word that says what it is if the abstract adds one ("RIVER" in the title,
    "RIVER Bench" in the abstract), else as in the title, else without that word
    ("ViGoR-Bench" in the title, "ViGoR" in the abstract)."""
    stem = _KIND_SUFFIX.sub("", name)
    longer = [stem + suffix for suffix in _KIND_SUFFIXES]
    forms = [name, *longer] if stem != name else [*longer, name]
    for form in forms:
        at = _find_word(text, form)
        if at >= 0:
            return at, form
    # another case ("Widget Benchmark" in the title, "Widget benchmark" in the text)
    lowered = text.casefold()
    for form in forms:
        at = _find_word(lowered, form.casefold())
        if at >= 0:
            return at, text[at : at + len(form)]
    if stem != name and len(stem) >= 2:
        at = _find_word(text, stem)
        if at >= 0:
            return at, stem
    return -1, name


_NAME_END = re.compile(r"[A-Z0-9$)]")


def _name_can_end(text: str, at: int, skip: int) -> bool:
    """Whether the word ``skip`` words before position ``at`` could end a name."""
    end = at
    start = at
    for _ in range(skip + 1):
        end = start
        while end > 0 and text[end - 1] == " ":
            end -= 1
        start = text.rfind(" ", 0, end) + 1
    return _NAME_END.search(text, start, end) is not None


def _names_of(match: re.Match[str]) -> Iterable[tuple[int, int]]:
    groups = match.re.groupindex
    if "name" in groups and match.group("name") is not None:
        yield match.span("name")
    if "names" in groups and match.group("names") is not None:
        start = match.start("names")
        listed = match.group("names")
        at = 0
        for part in _LIST_SPLIT.finditer(listed):
            yield _without_aside(listed, start, at, part.start())
            at = part.end()
        yield _without_aside(listed, start, at, len(listed))


#: an item's result in brackets after its name: "GAIA (75.7%)"
_ASIDE_END = re.compile(r"\s?\([^()]*\)$")


def _without_aside(listed: str, start: int, begin: int, end: int) -> tuple[int, int]:
    """The offsets of a list item's name, without the result written after it."""
    aside = _ASIDE_END.search(listed, begin, end)
    return start + begin, start + (aside.start() if aside else end)


_COUNT_BEFORE = re.compile(
    r"(?:\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple"
    r"|many|various|numerous|(?<![\d'/.,])\d+"
    # a class described, not counted: "established Widget Learning benchmarks"
    r"|established|existing|standard|popular|common|prior|previous|public|mainstream"
    r"|conventional|traditional|typical|representative|diverse|challenging|downstream)"
    r"\s+(?:(?!and\s|or\s)[a-z][\w-]*\s+){0,2})$",
    re.I,
)
_PLURAL_AFTER = re.compile(r"\s+(?:benchmarks|datasets|tasks|suites|corpora)\b")


def _counted_class(text: str, start: int, end: int) -> bool:
    """Whether a name is counted as a kind of benchmark rather than named as one:
    "four standard DG benchmarks", "six NLU datasets" (a suite's own name, "six CoIR
    benchmarks", is distinctive or known, and the caller keeps it)."""
    if not _PLURAL_AFTER.match(text, end):  # (the cheaper test first)
        return False
    return bool(_COUNT_BEFORE.search(text[max(0, start - 60) : start]))


_KIND_AFTER = re.compile(
    r"\s*(?:\(\s?[A-Z][\w\-]{1,15}\s?\)\s*)?\s(?:benchmark|dataset|corpus|suite|collection)\b"
)
_KIND_LAST = re.compile(r"\s(?:Benchmark|Dataset|Corpus|Suite|Collection)$")
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an)\s+(?:(?!and\s|or\s)[a-z][\w-]*\s+){0,3}$")


def _described_kind(text: str, start: int, end: int) -> bool:
    """Whether a name is a word that describes one set rather than names it, after "a"
    or "an": "a large-scale RLVR dataset", "comprising a Jailbreak Benchmark of ...",
    "a General Broad Information Seeking (GBIS) benchmark"
    (a set's own name takes "the": "the ATANT benchmark")."""
    if not (_KIND_AFTER.match(text, end) or _KIND_LAST.search(text, start, end)):
        return False
    return bool(_INDEFINITE_BEFORE.search(text[max(0, start - 60) : start]))


#: a preposition that opens a sentence, capitalised, before the first name of a list
#: ("Across LongCat Video, HY WorldPlay, and Self Forcing benchmarks")
_OPENING_PREPOSITION = re.compile(r"(?:Across|On|In|For|From|With|Over|Using|Via)\s(?=[A-Z0-9])")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the' (or an opening preposition) and outer punctuation or spaces
    from a captured name."""
    while start < end and text[start] in " \t,;:(\"“'":
        start += 1
    opening = _OPENING_PREPOSITION.match(text, start, end)
    if opening:
        start = opening.end()
    if text.startswith("the ", start) or text.startswith("The ", start):
        start += 4
    while end > start and text[end - 1] in " \t,;:.)\"”'":
        end -= 1
    return start, end


def _sentence_initial_word(text: str, start: int, name: str) -> bool:
    """A single plain capitalised word that opens a sentence (its capital says nothing):
    "Numerical", "Real-world"."""
    if not _PLAIN_WORD.fullmatch(name):
        return False
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;"


def _defines(text: str, start: int, name: str) -> bool:
    """Whether ``name``, in brackets at ``start``, abbreviates the words before it."""
    before = text[max(0, start - 120) : start].rstrip(" (")
    tokens = before.split()
    return any(
        is_acronym_of(name, " ".join(tokens[-n:])) for n in range(1, min(8, len(tokens)) + 1)
    )


#: the matcher's key for a yearly benchmark's edition glued to its name ("AIME24")
_GLUED_EDITION = "benchmark.glued_edition"
#: what may not follow such an edition: more of a word, a share, a decimal
_GLUED_AFTER = re.compile(r"[\w%\-]|\.\d")
# a version glued to a name by a hyphen: "Nemotron-CC-v2"
_VERSION_AFTER = re.compile(r"[-\s][vV]\d+(?:\.\d+)*$")
# a decimal below one after a name is a score, never a version ("AUC-PR 0.404")
_SCORE_AFTER = re.compile(r"\s0\.\d+$")
# the year of an edition right after a known name ("AIME 2025", "AIME 2024/2025")
_EDITION_YEAR = re.compile(r"\s(?:19|20)\d\d(?:/(?:19|20)?\d\d)?(?![\w.%,/]\w|[\w%])")
# a resolution after a known name: "ImageNet 256x256", "ImageNet 256$\\times$256"
_RESOLUTION = re.compile(r"\s" + RESOLUTION + r"(?![\w.%]|\.\d|\$?\\times)")
_NAMED_SPLIT = re.compile(r"\s(?:test|dev)-(?:clean|other|dev|std)\b")
# two digits of an edition after a yearly benchmark's name ("AIME 24", "AIME '24/25")
_EDITION_SHORT = re.compile(r"\s['’]?\d\d(?:/['’]?\d\d)?(?![\w.%,/]\w|[\w%-])")
# a version right after a use of a found name (a decimal only after LaTeX's tie, since
# "MMLU 68.2" is a score)
_MENTION_VERSION = re.compile(r"(?:~[vV]?\d+(?:\.\d+)*|\s[vV]\d+(?:\.\d+)*)(?![\w%]|\.\d)")


def _occurrences(text: str, name: str) -> Iterable[int]:
    """Where ``name`` stands in ``text`` as a whole word (not inside a longer name)."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        # not inside a word, a longer name or a URL's path ("github.io/Widget-Bench")
        left_ok = at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-/")
        right_ok = end == len(text) or not (
            text[end].isalnum()
            or text[end] == "_"
            or (text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum())
            or (text[end] == "~" and end + 1 < len(text) and text[end + 1].isalnum())
        )  # ("TB~1.0" is a version's name, not one more use of "TB")
        if left_ok and right_ok:
            yield at
        at = text.find(name, at + 1)


def _all(text: str, name: str) -> Iterable[int]:
    at = text.find(name)
    while at >= 0:
        yield at
        at = text.find(name, at + 1)


def _find_word(text: str, name: str) -> int:
    return next(iter(_occurrences(text, name)), -1)
