"""What a claim is about: its metric, benchmark, subject, baseline and task.

Each field is read by the rules of ``rules/claim_fields.jsonl`` in file order; the first
rule of a field that finds something decides it. A rule names a *method* (how it looks
at the text around the number, implemented here as a small pure function) and the cue
words that method uses, so the words are reviewed as data and every method is tested
through its rules' examples.

Phrases are read word by word around the number (:func:`phrase_right`,
:func:`phrase_left`): a phrase stops at punctuation, at a number, and at a stop word
(function words and common verbs, ``gazetteers/phrase_stop_words.txt``). Values are
stored as the author wrote them (:func:`~.text.tidy`) with the offsets of the text
they came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..canonical import acronym_of
from .metrics import MetricLexicon, is_acronym_metric
from .metrics import key as metric_key
from .rule_models import FieldRule
from .rules import load_gazetteer, load_rules, load_words
from .text import (
    V_VERSION,
    Sentences,
    Word,
    canonical_key,
    is_acronym_of,
    max_width,
    strip_span,
    tidy,
    words,
)
from .values import Value, looks_like_number, scan

#: articles skipped with the hedges before a number ("by a further 5%")
_ARTICLES = frozenset(["a", "an"])
#: the words of a margin between "by" and its number ("by average margins of 10.4%")
_MARGIN_WORDS = frozenset(["a", "an", "average", "wide", "large", "margin", "margins", "of"])


@dataclass(frozen=True)
class Mention:
    """A benchmark name in the abstract (every mention, not only the first)."""

    start: int
    end: int
    name: str
    canonical: str | None
    #: mentions in the title have no offsets in the abstract
    in_title: bool = False
    #: the paper introduces this benchmark (a title or "we present X, a benchmark")
    introduced: bool = False
    #: the found name this mention is the other form of ("Knowledge Work Bench" for
    #: "KWBench"), so that both count as one benchmark
    form_of: str | None = None


@dataclass
class Context:
    """What the field rules know about the abstract beyond the number itself."""

    text: str
    mentions: list[Mention]
    short_name: str | None
    lexicon: MetricLexicon
    #: sentence boundaries of the abstract
    sentences: Sentences | None = None
    #: spans of every claim value in the abstract
    claim_spans: list[tuple[int, int]] = field(default_factory=list)
    #: the fields read so far, by the start of their claim (claims are read in order)
    read: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: the unit of each claim read so far ("%", "x", "none"...), by its start
    units: dict[int, str] = field(default_factory=dict)
    #: the abbreviations the abstract defines: short form -> long form ("EHR" ->
    #: "Entity-Hit-Rate")
    defined: Mapping[str, str] = field(default_factory=dict)
    #: the words of each sentence, read once, with their start and end offsets
    word_cache: dict[tuple[int, int], tuple[list[Word], list[int], list[int]]] = field(
        default_factory=dict
    )
    #: the paper's name as its results write it, once worked out
    own_names: dict[str, str] = field(default_factory=dict)
    #: the starts of the claims whose subject is a system the paper compares itself
    #: with (a rival's level: no later number of the sentence is that rival's)
    rivals: set[int] = field(default_factory=set)

    def between(
        self,
        start: int,
        end: int,
        anchor: int | None = None,
        sentence: tuple[int, int] | None = None,
    ) -> list[Word]:
        """The words within ``[start, end)`` of the sentence that holds ``anchor``
        (by default ``start``), or of the ``sentence`` given."""
        if sentence is None:
            if self.sentences is None:
                self.sentences = Sentences(self.text)
            sentence = self.sentences.bounds(start if anchor is None else anchor)
        cached = self.word_cache.get(sentence)
        if cached is None:
            found = words(self.text, *sentence)
            cached = (found, [w.start for w in found], [w.end for w in found])
            self.word_cache[sentence] = cached
        found, starts, ends = cached
        # (words do not overlap, so their ends are in order too)
        i = bisect_left(starts, start)
        return found[i : max(i, bisect_right(ends, end))]


Span = tuple[int, int]


@dataclass
class FieldFinder:
    rules: list[FieldRule]
    lexicon: MetricLexicon
    stops: frozenset[str] = frozenset()
    #: each rule's cue words, lower-cased, and split into words (for phrases)
    words: dict[str, frozenset[str]] = field(default_factory=dict, init=False)
    markers: dict[str, list[list[str]]] = field(default_factory=dict, init=False)
    #: for "later" rules: a clause ends at ';' or at ', ' before one of the cue words
    clause_breaks: dict[str, re.Pattern[str]] = field(default_factory=dict, init=False)
    #: per ``symbol`` rule: its symbols written right before "=" and the number
    symbols: dict[str, re.Pattern[str]] = field(default_factory=dict, init=False)
    #: per ``opening_comparison`` rule: a sentence or clause opening with its words
    openings: dict[str, re.Pattern[str]] = field(default_factory=dict, init=False)
    #: every verb some rule uses (the verbs of metric and baseline rules)
    verbs: frozenset[str] = field(default_factory=frozenset, init=False)
    #: the word lists rules name (``word_list``), by file name, lower-cased
    lists: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the TSV lists rules name (``word_list``): each form, lower-cased, to its name
    #: ("passes" -> "pass rate")
    maps: dict[str, dict[str, str]] = field(default_factory=dict)
    #: words that qualify a metric but are none ("overall", "average")
    modifiers: frozenset[str] = frozenset()
    #: words that praise a metric written before it but are no part of its name
    #: ("a new state-of-the-art gFID"): ``gazetteers/metric_lead_words.txt``
    lead_words: frozenset[str] = frozenset()
    #: acronyms that are never a metric on their own ("LLM", "GPU"):
    #: ``gazetteers/not_metrics.txt``, lower-cased
    not_metrics: frozenset[str] = frozenset()
    #: units of measure written after a number ("46.0 dB PSNR", "2.2 s encoding time"):
    #: ``gazetteers/measure_units.txt``; a metric is read past them
    units: frozenset[str] = frozenset()
    #: nouns that name a change of a metric ("gain", "reduction"):
    #: ``gazetteers/change_nouns.txt``, lower-cased
    change_nouns: frozenset[str] = frozenset()
    #: the symbols a statistic is written with ("r", "\\rho", "ICC"):
    #: ``gazetteers/statistic_symbols.txt``, as written (see :func:`statistic_pattern`)
    statistic_symbols: tuple[str, ...] = ()
    #: the words of the hedges (``gazetteers/hedges.tsv``, set by the claim finder that
    #: reads it) and articles: skipped between a cue and its number ("by up to a")
    hedge_words: frozenset[str] = _ARTICLES
    #: the reader method of each rule, by rule id
    methods: dict[str, Any] = field(default_factory=dict, init=False)
    #: first words of the metric names the gazetteers know (a cheap first test)
    name_starts: frozenset[str] = field(default_factory=frozenset, init=False)
    #: verbs that report a result ("achieves", "reaches"): the cue words of the
    #: ``clause_subject`` and ``clause_noun`` rules
    result_verbs: frozenset[str] = field(default_factory=frozenset, init=False)
    #: verbs whose object is a baseline ("outperforms X"): the cue words of the
    #: ``verb_object`` rules
    baseline_verbs: frozenset[str] = field(default_factory=frozenset, init=False)
    #: the field rules (and methods) that apply, by (claim rule id, kind): see _rules_for
    _applicable: dict[tuple[str, str], list[tuple[FieldRule, Any]]] = field(
        default_factory=dict, init=False
    )

    def __post_init__(self) -> None:
        self.methods = {rule.id: method_of(rule) for rule in self.rules}
        self.result_verbs = frozenset(
            w.lower()
            for rule in self.rules
            if rule.method in ("clause_subject", "clause_noun")
            for w in rule.words
        )
        self.baseline_verbs = frozenset(
            w.lower() for rule in self.rules if rule.method == "verb_object" for w in rule.words
        )
        self.name_starts = frozenset(k.split()[0] for k in self.lexicon.names if k)
        for rule in self.rules:
            self.words[rule.id] = frozenset(w.lower() for w in rule.words)
            self.markers[rule.id] = [w.lower().split() for w in rule.words]
            alternatives = "|".join(re.escape(w) for w in rule.words) or "(?!)"
            self.clause_breaks[rule.id] = re.compile(r";|,\s(?:" + alternatives + r")\b")
            if rule.method == "opening_comparison":
                # a sentence or clause that opens with what it compares with: "Compared
                # to X, ...", "; relative to X, ..."
                self.openings[rule.id] = re.compile(
                    r"(?:^|[;:]\s|,\s(?:and|while|whereas)\s)(?:" + alternatives + r")\s"
                    r"(?P<compared>[^,;:()]{2,80}?)\s?,\s",
                    re.IGNORECASE,
                )
            if rule.method == "symbol":
                # (the rule's words are the names that lead a symbol: "Spearman rho")
                self.symbols[rule.id] = re.compile(
                    statistic_pattern(self.statistic_symbols, rule.words) + "$"
                )
        self.verbs = frozenset(
            w.lower()
            for rule in self.rules
            if rule.method in ("before_by", "verb_object")
            for w in rule.words
        )

    def past_unit(self, after: list[Word]) -> list[Word]:
        """The words after a number past a unit of measure written first ("46.0 dB
        PSNR"): ``gazetteers/measure_units.txt``."""
        if len(after) > 1 and after[0].text in self.units and not after[1].gap:
            return after[1:]
        return after

    @classmethod
    def from_file(
        cls, path: Path, lexicon: MetricLexicon, stop_words: Path | None = None
    ) -> FieldFinder:
        folder = path.parent.parent / "gazetteers"
        stops = stop_words or folder / "phrase_stop_words.txt"
        rules = load_rules(path, FieldRule, check=_check_rule)
        lists = {
            rule.word_list: frozenset(w.lower() for w in load_words(folder / rule.word_list))
            for rule in rules
            if rule.word_list and not rule.word_list.endswith(".tsv")
        }
        for named in (_SYSTEM_NOUNS, _STATISTIC_GRADES):
            if (folder / named).is_file():
                lists[named] = frozenset(w.lower() for w in load_words(folder / named))
        maps = {
            rule.word_list: {
                form.lower(): name
                for name, forms in load_gazetteer(folder / rule.word_list)
                for form in forms
            }
            for rule in rules
            if rule.word_list and rule.word_list.endswith(".tsv")
        }
        modifiers = folder / "metric_modifiers.txt"
        leads = folder / "metric_lead_words.txt"
        not_metrics = folder / "not_metrics.txt"
        units = folder / "measure_units.txt"
        changes = folder / "change_nouns.txt"
        symbols = folder / STATISTIC_SYMBOLS
        return cls(
            rules,
            lexicon,
            frozenset(w.lower() for w in load_words(stops)) if stops.is_file() else frozenset(),
            lists,
            modifiers=frozenset(w.lower() for w in load_words(modifiers))
            if modifiers.is_file()
            else frozenset(),
            lead_words=frozenset(w.lower() for w in load_words(leads))
            if leads.is_file()
            else frozenset(),
            not_metrics=frozenset(w.lower() for w in load_words(not_metrics))
            if not_metrics.is_file()
            else frozenset(),
            units=frozenset(load_words(units)) if units.is_file() else frozenset(),
            change_nouns=frozenset(w.lower() for w in load_words(changes))
            if changes.is_file()
            else frozenset(),
            statistic_symbols=tuple(load_words(symbols)) if symbols.is_file() else (),
            maps=maps,
        )

    def read(
        self,
        context: Context,
        value: Value,
        *,
        kind: str,
        rule_id: str,
        cue: str | None,
        implied_metric: str | None,
        trace: list[dict[str, Any]],
        list_start: int | None = None,
        placed_start: int | None = None,
    ) -> dict[str, Any]:
        """The field columns of one claim (values and offsets)."""
        reader = _Reader(self, context, value, kind, cue, implied_metric, list_start, placed_start)
        out: dict[str, Any] = {}
        done: set[str] = set()
        fired: dict[str, str] = {}
        for rule, method in self._rules_for(rule_id, kind):
            if rule.field in done or (rule.units and value.unit_key not in rule.units):
                continue
            found = method(reader, rule)
            if found is None or (found[0] and not any(c.isalpha() for c in found[0])):
                continue  # (a name has letters: "at 90% for 4 agents" names no system)
            done.add(rule.field)
            fired[rule.field] = rule.id
            text_value, span, extra = found
            if not text_value:
                continue  # the rule decided that the claim has none
            if rule.field == "metric" and span is not None:
                text_value, span = self._without_owner(text_value, span)
                text_value, span = self._without_change(text_value, span)
                text_value, span = self._without_lead(context, text_value, span)
                text_value, span = self._without_benchmark(context, text_value, span)
                text_value, span = _with_cutoff(context.text, text_value, span)
                text_value, span = _with_long_form(context, text_value, span)
            if span is not None:
                text_value, span = _bracket_closed(context.text, text_value, span)
            out[rule.field] = text_value
            if span is not None and rule.field in ("metric", "benchmark", "baseline", "subject"):
                out[f"{rule.field}_start"], out[f"{rule.field}_end"] = span
            out.update(extra)
            trace.append(
                {
                    "rule_id": rule.id,
                    "value_text": value.text,
                    rule.field: text_value,
                    "start": value.start,
                    "end": value.end,
                }
            )
        context.read[value.start] = out
        context.units[value.start] = value.unit_key
        read_by = [f"{name}={rule_id}" for name, rule_id in fired.items()]
        out["field_rules"] = " ".join(read_by) or None
        metric = out.get("metric")
        if metric:
            # filed under the acronym it is written with, as the abstract's other
            # numbers written with the acronym alone are
            known = self.lexicon.lookup(acronym_of(metric) or metric)
            if known is not None:
                out["metric_canonical"], out["direction"] = known
        return out

    def _rules_for(self, rule_id: str, kind: str) -> list[tuple[FieldRule, Any]]:
        """The field rules that may read a claim of this claim rule and kind, in file
        order, with their methods (worked out once per pair, not per claim)."""
        key = (rule_id, kind)
        rules = self._applicable.get(key)
        if rules is None:
            rules = self._applicable[key] = [
                (rule, self.methods[rule.id])
                for rule in self.rules
                if rule_id not in rule.skip_rules
                and (not rule.rules or rule_id in rule.rules)
                and (not rule.kinds or kind in rule.kinds)
            ]
        return rules

    def _without_owner(self, metric: str, span: Span) -> tuple[str, Span]:
        """A metric phrase without the system that owns it ("the baseline's peak
        performance" -> "peak performance", "Whisper 's false speech detections"): whose
        quantity it is is the subject's or the baseline's business. A name the lexicon
        writes with its owner stays whole ("Spearman's rho"), and so does a symbol ("Cohen's
        d")."""
        owner = _OWNER.match(metric)
        if owner is None or len(metric) - owner.end() < 3 or self.lexicon.is_entry(metric):
            return metric, span
        return metric[owner.end() :], (span[0] + owner.end(), span[1])

    def _without_change(self, metric: str, span: Span) -> tuple[str, Span]:
        """What changed, not the change: "absolute improvement in average EM" -> "average
        EM", "decrease in updated parameters" -> "updated parameters". Only when the
        words before the change noun name no metric: "performance gains in zero-shot
        settings" keeps its metric first. A change noun after a metric's name goes:
        "overall accuracy gain" -> "overall accuracy"."""
        words = metric.split()
        for k, word in enumerate(words[:4]):
            if word.lower() not in self.change_nouns:
                continue
            rest = words[k + 1 :]
            if len(rest) < 2 or rest[0].lower() not in ("in", "of"):
                break
            if k and self.lexicon.lookup(" ".join(words[:k])) is not None:
                return metric, span
            cut = metric.index(rest[1], len(" ".join(words[: k + 1])))
            return metric[cut:], (span[0] + cut, span[1])
        if (
            len(words) > 1
            and words[-1].lower() in self.change_nouns
            and self.lexicon.lookup(words[-2]) is not None
        ):
            # "overall accuracy gain", "AUC gains": the metric is what gained
            end = len(metric) - len(words[-1])
            return metric[:end].rstrip(), (span[0], span[0] + len(metric[:end].rstrip()))
        return metric, span

    def _without_benchmark(self, context: Context, metric: str, span: Span) -> tuple[str, Span]:
        """A metric phrase without the benchmark named at its start ("improves
        TerminalBench-2 performance" -> "performance"): the benchmark is a column of its
        own. A name the lexicon knows whole stays, and so does a benchmark's score
        ("GenEval score")."""
        mention = next((m for m in context.mentions if not m.in_title and m.start == span[0]), None)
        if mention is None or mention.end >= span[1] or self.lexicon.is_entry(metric):
            return metric, span
        cut = mention.end - span[0]
        rest = metric[cut:]
        if not rest[:1].isspace() or rest.strip().lower() in _BENCHMARK_SCORE_WORDS:
            return metric, span  # "a GenEval score of 0.89": the benchmark's own score
        start = span[0] + cut + len(rest) - len(rest.lstrip())
        return rest.strip(), (start, span[1])

    def _without_lead(self, context: Context, metric: str, span: Span) -> tuple[str, Span]:
        """A metric phrase without the praise written before its name ("new
        state-of-the-art gFID" -> "gFID"); a phrase of nothing else is kept."""
        parts = context.between(span[0], span[1])
        i = 0
        while i < len(parts) - 1 and parts[i].text.lower() in self.lead_words:
            i += 1
        if i == 0:
            return metric, span
        start = parts[i].start
        return tidy(context.text[start : span[1]]), (start, span[1])


#: (value, offsets, other columns); an empty value says the field is decided and empty
Found = tuple[str, Span | None, dict[str, Any]]


class _Reader:
    """The field methods, for one number."""

    def __init__(
        self,
        finder: FieldFinder,
        context: Context,
        value: Value,
        kind: str,
        cue: str | None,
        implied_metric: str | None,
        list_start: int | None = None,
        placed_start: int | None = None,
    ):
        self.finder = finder
        self.ctx = context
        self.text = context.text
        self.value = value
        self.kind = kind
        self.cue = cue
        self.implied = implied_metric
        if context.sentences is None:
            context.sentences = Sentences(self.text)
        self.sentence = context.sentences.bounds(value.start, value.end)
        #: where the list of numbers this one belongs to starts ("by 5% and 3%")
        self.list_start = list_start if list_start is not None else value.start
        self._after: list[Word] | None = None
        self._before: list[Word] | None = None
        self._bare: list[Word] | None = None
        #: views several rules read, worked out once per number
        self._clause: dict[bool, list[Word]] = {}
        self._qualified: list[Word] | None = None
        self._hedged = False
        self._list_end: int | None = None
        #: where the list this number is in starts, when its items each say where they
        #: hold ("2.5x on X and 4.4x in Y"), or None
        self.placed_start = placed_start

    # -- shared views of the text

    def between(self, start: int, end: int) -> list[Word]:
        """The words of the number's sentence that lie within ``[start, end)``."""
        return self.ctx.between(
            max(start, self.sentence[0]), min(end, self.sentence[1]), sentence=self.sentence
        )

    @property
    def after(self) -> list[Word]:
        """Words after the number, to the end of its sentence."""
        if self._after is None:
            self._after = self.between(self.value.end, self.sentence[1])
        return self._after

    @property
    def before(self) -> list[Word]:
        """Words before the number (or before the list it is in), from its sentence start."""
        if self._before is None:
            self._before = self.between(self.sentence[0], self.list_start)
        return self._before

    def cues(self, rule: FieldRule) -> frozenset[str]:
        return self.finder.words[rule.id]

    def stop(self, word: Word) -> bool:
        return word.text.lower() in self.finder.stops or looks_like_number(word.text)

    def trim(self, span: Span | None) -> Span | None:
        """A phrase without the qualifiers at its end ("accuracy overall"), or None when
        it is nothing but qualifiers ("on average")."""
        if span is None:
            return None
        parts = self.between(span[0], span[1])
        while parts and parts[-1].text.lower() in self.finder.modifiers:
            parts.pop()
        return (parts[0].start, parts[-1].end) if parts else None

    def known_past_stop(self, items: list[Word], span: Span) -> Span:
        """A phrase read up to a stop word, carried on through it when the words up to
        two beyond make a metric the lexicon knows ("Intersection over Union")."""
        end = next((k for k, w in enumerate(items) if w.end == span[1]), None)
        first = next((k for k, w in enumerate(items) if w.start == span[0]), None)
        if end is None or first is None:
            return span
        for k in range(min(end + 2, len(items) - 1), end, -1):
            if any(w.gap for w in items[end + 1 : k + 1]):
                continue
            if self._entry_ending(items, range(first, end + 1), items[k]):
                return span[0], items[k].end
        return span

    def _entry_ending(self, words_: list[Word], starts: range, last: Word) -> bool:
        """Whether the words from one of ``starts`` to ``last`` are a metric the lexicon
        knows whole ("Intersection over Union")."""
        return any(
            self.finder.lexicon.is_entry(tidy(self.text[words_[j].start : last.end]))
            for j in starts
        )

    def mention_at(self, start: int) -> Mention | None:
        for mention in self.ctx.mentions:
            if not mention.in_title and mention.start <= start < mention.end:
                return mention
        return None

    def names_metric(self, phrase: str) -> bool:
        """Whether a phrase names a measured quantity: the lexicon knows it, or one of
        its words is a metric's acronym (see :meth:`acronym_metric`)."""
        if self.finder.lexicon.lookup(phrase) is not None:
            return True
        return any(self.acronym_metric(w) for w in phrase.split())

    def known_metric(self, phrase: str) -> bool:
        """Whether a phrase surely names a measured quantity: the lexicon knows it, or
        it is an acronym the abstract defines by a metric's long form. Stricter than
        :meth:`names_metric`, for a name in a system's place: before a result verb an
        unknown acronym ("PSRD reduces") names a method far more often than a metric."""
        if self.finder.lexicon.lookup(phrase) is not None:
            return True
        bare = phrase.strip(".,;:()'’")
        long = self.ctx.defined.get(bare)
        return long is not None and self.finder.lexicon.lookup(long) is not None

    def acronym_metric(self, word: str) -> bool:
        """Whether a word shaped like a metric's acronym is one: not a word of
        ``not_metrics.txt``, and, when the abstract defines it, its long form names
        a metric ("Entity Hit Rate (EHR)", not "Graph Attention Pooling (GAP)")."""
        if not is_acronym_metric(word):
            return False
        bare = word.strip(".,;:()'’")
        if bare.lower() in self.finder.not_metrics:
            return False
        long = self.ctx.defined.get(bare)
        return long is None or self.finder.lexicon.lookup(long) is not None

    # -- dispatch

    def run(self, rule: FieldRule) -> Found | None:
        result: Found | None = self.finder.methods[rule.id](self, rule)
        return result

    # -- metric methods

    def _metric_pair_left(self, rule: FieldRule) -> Found | None:
        """'the F1 on WidgetQA from 61.2 to 66.8', 'FID 12.4 vs. 19.7'."""
        if self.value.baseline_text is None:
            return None
        base_at = self.text.rfind(self.value.baseline_text, self.sentence[0], self.value.start)
        # "from A to B": the metric is before "from"; "B vs. A": right before B
        anchor = base_at if base_at >= 0 else self.value.start
        before = self.between(self.sentence[0], anchor)
        while before and (
            before[-1].text.lower() in self.finder.hedge_words
            or before[-1].text.lower() == "from"
            or before[-1].text in _EQUALS_SIGNS  # "attack success rate = 83.4% vs 34.9%"
        ):
            if before.pop().gap:
                return None  # punctuation between the metric and "from"
        if before and any(c in self.text[before[-1].end : anchor] for c in "),;"):
            return None  # "70.3 (X), 69.3 -> 72.5": X closed an earlier item of a list
        skip = self.cues(rule)
        i = len(before)
        while i > 0 and before[i - 1].text.lower() in skip and not before[i - 1].gap:
            i -= 1
        found = self._metric_phrase_left(before[:i], rule)
        if found is None or found[1] is None:
            return found
        parts = self.between(*found[1])
        systems = self.finder.lists.get(rule.word_list or "", frozenset())
        for k in range(len(parts) - 2, 0, -1):
            if parts[k].text.lower() in _JOINS and parts[k - 1].text.lower() in systems:
                # "the best LLM in overall poem quality (4.22 vs. 3.20)"
                span = (parts[k + 1].start, parts[-1].end)
                text = tidy(self.text[span[0] : span[1]])
                return (text, span, {}) if self.names_metric(text) else None
        return found

    def _metric_pair_object(self, rule: FieldRule) -> Found | None:
        """'reduced fabricated sell rules from 57% to 3%': what a change verb changed,
        written between the verb and "from", is the metric, whether or not the lexicon
        knows it; not a system ("improves the Widget-7B agent from ... to ..."). The pair
        may also stand in a bracket after the object: 'reduces editing iterations (4.9 vs.
        7.0)'."""
        if self.value.baseline_text is None:
            return None
        base_at = self.text.rfind(self.value.baseline_text, self.sentence[0], self.value.start)
        if base_at >= 0:
            before = self.between(self.sentence[0], base_at)
            if not before or before[-1].text.lower() != "from" or before[-1].gap:
                return None
            before = before[:-1]
        else:
            opening = self.text[self.sentence[0] : self.value.start].rstrip()
            if not opening.endswith("("):
                return None
            before = self.between(self.sentence[0], self.sentence[0] + len(opening) - 1)
            if not before:
                return None
        verbs = self.cues(rule)
        for k in range(len(before) - 1, max(-1, len(before) - 2 - rule.max_words), -1):
            if before[k].text.lower() not in verbs:
                continue
            inner = _drop_determiners(before[k + 1 :])
            if (
                not inner
                or len(inner) > rule.max_words
                or any(w.gap for w in before[k + 1 :])
                or any(not w.text.islower() or looks_like_number(w.text) for w in inner)
                or any(self.stop(w) for w in inner)
                or self.mention_at(inner[0].start) is not None
            ):
                return None
            span = (inner[0].start, inner[-1].end)
            return tidy(self.text[span[0] : span[1]]), span, {}
        return None

    def _metric_phrase_left(self, before: list[Word], rule: FieldRule) -> Found | None:
        # drop a trailing "on BENCHMARK": "the F1 on WidgetQA"
        i = len(before)
        j = i
        while j > 0 and self.mention_at(before[j - 1].start) is not None:
            j -= 1
        if j < i and j > 0 and before[j - 1].text.lower() in ("on", "in", "for"):
            i = j - 1
        elif j == i:
            # a model or setting named the same way: "the HPSv2 score on SDXL from ...",
            # "the EditReward of FLUX.1-Kontext from ..."
            while j > 0 and i - j < 3 and before[j - 1].text[:1].isupper():
                j -= 1
            if j < i and j > 1 and before[j - 1].text.lower() in ("on", "in", "for", "of"):
                left = self.trim(phrase_left(before[: j - 1], self.stop, rule.max_words))
                named = None if left is None else tidy(self.text[left[0] : left[1]])
                if named is not None and (
                    self.names_metric(named) or _COMPOUND_METRIC.fullmatch(named)
                ):
                    i = j - 1
        span = self.trim(phrase_left(before[:i], self.stop, rule.max_words))
        if span is None:
            return None
        if _compared(before, span):
            return None  # "reward than X (0.725 vs 0.689)": X is what is compared with
        text = tidy(self.text[span[0] : span[1]])
        if not self.names_metric(text) and not _COMPOUND_METRIC.fullmatch(text):
            return None
        return text, span, {}

    def _metric_known_after(self, rule: FieldRule) -> Found | None:
        """A metric the gazetteers know by name, right after the number or the bare list
        it opens: '55.9 to 59.7 mIoU', '41.2 and 38.5 BLEU' (it outranks a phrase
        before the number)."""
        if self.value.unit_key == "x":
            return None  # "1.37x speedup in prefill latency": the factor names what it sped up
        after = self._after_bare_list() or self.after
        after = self.finder.past_unit(after)  # "46.0 dB PSNR"
        first = metric_key(after[0].text).split()[:1] if after and not after[0].gap else []
        if not first or first[0] not in self.finder.name_starts:
            return None
        for n in range(min(rule.max_words, len(after)), 0, -1):
            part = after[:n]
            if any(w.gap for w in part[1:]):
                continue
            span = (part[0].start, part[-1].end)
            text = tidy(self.text[span[0] : span[1]])
            if self.finder.lexicon.is_known_name(text) and self.mention_at(span[0]) is None:
                if n < len(after) and after[n].text.lower() == "and" and not after[n].gap:
                    return None  # "MRR and answer accuracy": two metrics (metric.after)
                return text, span, {}
        return None

    def _metric_after_change(self, rule: FieldRule) -> Found | None:
        """A change noun, then what changed: 'a 35% reduction in X', '2x speedup in X'
        (past a modifier: 'a 35% relative reduction in X'; a word that is none names
        what changed itself, and the rule after the number reads it: 'a 35% absolute
        performance increase in task X')."""
        after = self._after_bare_list() or self.after
        cues = self.cues(rule)
        i = 0
        while i < len(after) and i < 2 and after[i].text.lower() not in cues:
            if after[i].gap or after[i].text.lower() not in self.finder.modifiers:
                return None
            i += 1
        if i + 1 >= len(after) or after[i].text.lower() not in cues or after[i].gap:
            return None
        preposition = after[i + 1]
        if preposition.gap or preposition.text.lower() not in ("in", "of", "on"):
            return None
        span = self.trim(phrase_right(after[i + 2 :], self.stop, rule.max_words))
        if span is None or self.mention_at(span[0]) is not None:
            return None
        span = self.known_past_stop(after[i + 2 :], span)
        text = tidy(self.text[span[0] : span[1]])
        if preposition.text.lower() == "on" and self.finder.lexicon.lookup(text) is None:
            return None  # "a 6% gain on reasoning tasks", "2.3x reductions on SDXL": where
        return text, span, {}

    def _metric_after_comparative(self, rule: FieldRule) -> Found | None:
        """A comparative, then what it compares: '40% fewer X', '3x faster X'."""
        after = self.after
        if not after or after[0].gap or after[0].text.lower() not in self.cues(rule):
            return None
        rest = after[1:]
        if not rest or rest[0].gap:
            return None
        span = self.trim(phrase_right(rest, self.stop, rule.max_words))
        if span is None or self.mention_at(span[0]) is not None:
            return None
        return tidy(self.text[span[0] : span[1]]), span, {}

    def _metric_after_prep(self, rule: FieldRule) -> Found | None:
        """'by 4.1% in top-1 accuracy', '12% on Recall@5', '95% of the accuracy' ('15%
        absolute in F1': a word that says how the change is counted may come first); the
        first numbers of a bare list share it: 'by 4.96% and 4.72% in overall accuracy'
        (not a share: in '39.2%, and 84% of models' the models are the second's)."""
        after = self.after
        listed = self._after_bare_list()
        if listed and listed[0].text.lower() != "of":
            after = listed
        if len(after) > 1 and after[0].text.lower() in _COUNTED and not after[1].gap:
            after = after[1:]
        past = None
        if after and (after[0].gap or after[0].text.lower() not in self.cues(rule)):
            past = self._past_aside()
            after = past or after
        if not after or after[0].gap or after[0].text.lower() not in self.cues(rule):
            return None
        rest = after[1:]
        if rest and rest[0].gap:
            return None
        span = self.trim(phrase_right(rest, self.stop, rule.max_words))
        if span is None or self.mention_at(span[0]) is not None:
            return None
        kept = self._without_setting(self.between(span[0], span[1]))
        if kept:
            span = (kept[0].start, kept[-1].end)
        text = tidy(self.text[span[0] : span[1]])
        if after[0].text.lower() == "of" and self.value.unit_key in ("x", "%") and not past:
            before = self._before_qualifier()
            if (
                self.kind != "reduction"
                and before
                and not before[-1].gap
                and before[-1].text.lower() in _FREQUENCY
            ):
                # "rises in 80% of trajectories": how often, not of what (but "trains on
                # 5% of the tokens" is a saving of tokens)
                return None
            return text, span, {}  # "95% of the original X", "2x of the practical X"
        if not self.names_metric(text):
            return None
        if after[0].text.lower() == "on" and not self._metric_shaped(text):
            return None  # "from 35.1% to 48.7% on Kimi CLI": where it holds
        if len(text.split()) > 2 and self.finder.lexicon.lookup(text) is None:
            return None  # "in the real-world ALLEX manipulation setting": an acronym
            # inside a setting makes it no metric (its last words would be the metric)
        return text, span, {}

    def _metric_shaped(self, text: str) -> bool:
        """Whether a phrase after "on" is a metric rather than where a number holds: the
        lexicon knows it or its last word ("on top-1 accuracy"), or it is one word shaped
        like a metric's acronym ("on Recall@5", "on BLEU")."""
        lexicon = self.finder.lexicon
        if lexicon.lookup(text) is not None or lexicon.lookup(text.split()[-1]) is not None:
            return True
        return " " not in text and is_acronym_metric(text)

    def _past_aside(self) -> list[Word] | None:
        """The words after a bracketed aside that follows the number ("6.0 points (36.4%
        relative) in macro-F1"), or after the bracket the number closes ("19.6%
        relative) in micro-F1"), as one phrase with the number."""
        aside = _ASIDE.match(self.text, self.value.end, self.sentence[1])
        if aside is None:
            return None
        words_ = self.between(aside.end(), self.sentence[1])
        return [words_[0]._replace(gap=False), *words_[1:]] if words_ else None

    def _metric_after(self, rule: FieldRule) -> Found | None:
        """'38.2 BLEU', '77.3% exact match', '10% recall gains' (-> recall); the first
        numbers of a bare list share the metric after the last: '83.5% and 81.0% pass@1'."""
        after = self._after_bare_list() or self.after
        if after and after[0].gap and self.text[self.value.end : after[0].start].strip() == "(":
            after = self._past_aside() or after  # "57.5% (best of three) success rate"
        after = self.finder.past_unit(after)  # "2.2 s encoding time": the unit, then the metric
        if not after or after[0].gap:
            return None
        # a modifier opens the phrase, not a stop: "70% relative memory savings"
        lead = 0
        while (
            lead + 1 < len(after)
            and after[lead].text.lower() in self.finder.modifiers
            and not after[lead + 1].gap
        ):
            lead += 1
        participle = (
            lead + 1 < len(after)
            and after[lead].text.lower().endswith("ing")
            and self.stop(after[lead])
            and not after[lead + 1].gap
            and self.names_metric(after[lead + 1].text)
        )
        if participle:
            lead += 1  # "98.5% matching accuracy": a stop word that names the metric's kind
        span = self.trim(phrase_right(after[lead:], self.stop, rule.max_words))
        if span is None:
            return None
        if lead:
            span = (after[0].start, span[1])
        mention = self.mention_at(span[0])
        if mention is not None:
            # "83.85% GSM8K accuracy": the benchmark, then what is measured on it
            rest = [w for w in self.between(span[0], span[1]) if w.start >= mention.end]
            if not rest:
                return None
            span = (rest[0].start, span[1])
        parts = self.between(span[0], span[1])
        strip = self.cues(rule)
        read = len(parts)
        # the change noun ends what changed: "10% recall gains in deployment" -> recall
        # (unless a metric after it says what changed: "a 98% improvement in accuracy")
        cut = next((k for k in range(1, read) if parts[k].text.lower() in strip), read)
        if cut + 2 < read and self.names_metric(tidy(self.text[parts[cut + 2].start : span[1]])):
            cut = read
        parts = parts[:cut]
        while parts and parts[-1].text.lower() in strip:
            parts.pop()
        stripped = len(parts) < read
        parts = self._without_setting(parts)
        systems = self.finder.lists.get(rule.word_list or "", frozenset())
        for k in range(1, len(parts)):
            if parts[k].text.lower() != "of":
                continue
            rest = parts[k + 1 :]
            if any(w.text.lower() in systems for w in rest) or (
                self.names_metric(tidy(self.text[parts[0].start : parts[k - 1].end]))
                and not self.names_metric(tidy(self.text[rest[0].start : rest[-1].end]))
            ):
                # "2.5x the success rate of prior LLM baselines", "4x acceleration of
                # text-to-image generation": what is measured ends before "of"
                parts = parts[:k]
                break
        if not parts:
            return None
        span = (parts[0].start, parts[-1].end)
        text = tidy(self.text[span[0] : span[1]])
        listed = (
            len(parts) == 1
            and self.value.unit_key == "none"
            and self.value.decimals
            and text[:1].isupper()
        )
        # a share of a quantity named by a noun of quality: "95.8% reproduction",
        # "97% consistency" (a change noun was stripped above)
        nominal = (
            len(parts) == 1
            and not stripped
            and self.value.unit_key == "%"
            and _NOMINAL.fullmatch(text) is not None
            and text.lower() not in self.finder.modifiers
        )
        # what a change noun after the number changed: "50% generalization gains"
        changed = (
            stripped
            and len(parts) <= 2
            and all(w.text.lower() not in self.finder.modifiers for w in parts)
        )
        if not self.names_metric(text) and not listed and not nominal and not changed:
            if (
                not rule.any_phrase
                or stripped
                or parts[0].text.lower() in _PREPOSITIONS  # "+11.2% beyond static appearance"
                # "4x larger model": a comparison, no metric
                or any(w.text.lower() in self.finder.lead_words for w in parts)
            ):
                return None
            parts = _plain_phrase(parts, self.after)
            if not parts:
                return None
            span = (parts[0].start, parts[-1].end)
            text = tidy(self.text[span[0] : span[1]])
        # "and" joins a second metric: "2x recall and answer accuracy"
        end_index = next((k for k, w in enumerate(after) if w.end == span[1]), None)
        if end_index is not None and end_index + 2 < len(after):
            conj = after[end_index + 1]
            if conj.text.lower() == "and" and not conj.gap and not after[end_index + 2].gap:
                more = phrase_right(after[end_index + 2 :], self.stop, 3)
                if (
                    more
                    and self.names_metric(self.text[more[0] : more[1]])
                    and self.mention_at(more[0]) is None
                ):
                    span = (span[0], more[1])
                    text = tidy(self.text[span[0] : span[1]])
        return text, span, {}

    def _without_setting(self, parts: list[Word]) -> list[Word]:
        """A metric phrase without the setting that follows it: "accuracy in user
        profiling" is accuracy (measured in a setting), when what comes before "in"
        already names a metric."""
        for k in range(1, len(parts)):
            if parts[k].text.lower() == "in":
                head = self.text[parts[0].start : parts[k - 1].end]
                named = k + 1 < len(parts) and parts[k + 1].text[:1].isupper()
                if named or self.names_metric(tidy(head)):
                    return parts[:k]  # "refusals in Phi-4-mini": a model, not a metric
        return parts

    def _metric_before_by(self, rule: FieldRule) -> Found | None:
        """'lowers the word error rate by 9%', 'cuts serving cost by 35%'."""
        before = self._before_qualifier()
        if not before or before[-1].text.lower() != "by":
            return None
        verbs = self.cues(rule)
        for k in range(len(before) - 2, max(-1, len(before) - 2 - rule.reach), -1):
            word = before[k]
            # "reduces A by 30% and B by 20%": "and" after a number stands for the
            # verb of the first part, when that verb is one that names a metric
            coordinated = (
                word.text.lower() == "and"
                and k > 0
                and looks_like_number(before[k - 1].text)
                and self._governing_verb(before[: k - 1], rule.reach) in verbs
            )
            # "reduces A by 33.5%, B by 82.6%": after a comma that follows such a part,
            # the words before "by" are what the same verb changed
            listed = (
                word.gap
                and not self._bracketed(word)
                and k > 1
                and looks_like_number(before[k - 1].text)
                and before[k - 2].text.lower() == "by"
                and self._governing_verb(before[: k - 1], rule.reach) in verbs
                and not self.stop(word)  # (", lowers overall cost by 35%": a verb of its own)
            )
            if word.text.lower() in verbs or coordinated or listed:
                inner = before[k if listed else k + 1 : -1]
                if inner and inner[0].text.lower() in ("over", "upon", "than"):
                    return None  # "improves over X by": X is the baseline
                if (
                    not inner
                    or (inner[0].gap and not listed)
                    or any(w.gap and not self._bracketed(w) for w in inner[1:])
                ):
                    return None
                while inner and inner[0].text.lower() in ("up", "down"):
                    inner = inner[1:]  # "speeds up generation by 25 times"
                inner = _before_comparison(inner)  # "macro averages over X by": X is the
                # baseline; "the error rate of Widget-7B by": the model the rate is of
                inner = _drop_determiners(inner)
                inner = self._drop_benchmark_tail(inner)
                if not inner or len(inner) > rule.max_words:
                    return None
                if any(looks_like_number(w.text) for w in inner):
                    return None
                if len(inner) == 1 and inner[0].text.lower() in _PRONOUNS:
                    return None  # "or increase it by 60%": the metric is named before
                systems = self.finder.lists.get(rule.word_list or "", frozenset())
                if inner[-1].text.lower() in systems and not any(
                    w.text.lower() in _JOINS or w.text.lower() in ("on", "to", "for") for w in inner
                ):
                    return None  # "improves the baseline by 5 points": a system (but
                    # "reduces reliance on the largest agent by 53%" is a metric)
                span = (inner[0].start, inner[-1].end)
                return tidy(self.text[span[0] : span[1]]), span, {}
            if (before[k].gap and not self._bracketed(before[k])) or looks_like_number(word.text):
                return None
        return None

    def _metric_change_subject(self, rule: FieldRule) -> Found | None:
        """What changes, named before a verb that changes by the number with no object:
        "with mutual understanding reduced by over 45%", "Robustness under adversarial
        conditions improves by 24.7 points". The phrase opens its clause (after a
        comma, "with", "and", "while" or ";") and is no system: not a pronoun, not a
        phrase whose head is a system's noun (gazetteers/subject_nouns.txt), and not a
        capitalised name alone ("Widgetron improves by 5%") unless the lexicon knows it
        as a metric's."""
        before = self._before_qualifier()
        if len(before) < 3 or before[-1].text.lower() != "by" or before[-1].gap:
            return None
        verb = before[-2]
        if verb.gap or verb.text.lower() not in self.cues(rule):
            return None
        k = len(before) - 2
        if before[k - 1].text.lower() in _CLAUSE_OPENERS:
            return None  # "... and improves by 5%": the verb has no phrase of its own
        start = max(0, k - rule.max_words)
        for j in range(k - 1, start - 1, -1):  # back to where the clause opens
            if before[j].gap or (j and before[j - 1].text.lower() in _CLAUSE_OPENERS):
                start = j
                break
        else:
            if start:
                return None  # the phrase runs on past the reach: another clause's words
        phrase = before[start:k]
        while phrase and (
            phrase[-1].text.lower() in _ADVERBS or phrase[-1].text.lower().endswith("ly")
        ):
            phrase = phrase[:-1]  # "It also improves by", "accuracy consistently rises by"
        phrase = _drop_determiners(phrase)
        if not phrase or any(looks_like_number(w.text) for w in phrase):
            return None
        systems = self.finder.lists.get(rule.word_list or "", frozenset())
        head = phrase[-1].text.lower()
        if (
            phrase[0].text.lower() in _SUBJECT_PRONOUNS
            or head in _SUBJECT_PRONOUNS
            or head in systems
        ):
            return None
        if (
            len(phrase) == 1
            and phrase[0].text[:1].isupper()
            and not self.finder.lexicon.is_known_name(phrase[0].text)
            and not self.finder.lexicon.is_known_name(head)
        ):
            return None  # "Widgetron improves by 5%": a system
        span = (phrase[0].start, phrase[-1].end)
        return tidy(self.text[span[0] : span[1]]), span, {}

    def _metric_before_link(self, rule: FieldRule) -> Found | None:
        """'an F1 of 0.87', 'perplexity below 9.8', 'a loss that is 0.2 lower'."""
        before = self._before_qualifier()
        links = self.cues(rule)
        i = len(before)
        skipped = 0
        while i > 0 and skipped < 2 and before[i - 1].text.lower() in links:
            i -= 1
            skipped += 1
            if before[i].gap:
                break
        linked = i < len(before) or self._hedged  # "perplexity below 9.8"
        if not linked and not (before and self.acronym_metric(before[-1].text)):
            return None
        span = self.trim(phrase_left(before[:i], self.stop, rule.max_words))
        if span is None:
            return None
        if _compared(before, span):
            return None  # "than PPO (0.725 vs 0.689)": what is compared with
        changes = self.finder.lists.get(rule.word_list or "", frozenset())
        parts = self.between(span[0], span[1])
        if len(parts) > 1 and parts[-1].text.lower() in changes:
            span = (span[0], parts[-2].end)  # "accuracy gains of 4.1%": the change's metric
        text = tidy(self.text[span[0] : span[1]])
        if self.mention_at(span[0]) is not None or not self.names_metric(text):
            return None
        return text, span, {}

    def _metric_paren_before(self, rule: FieldRule) -> Found | None:
        """What a number in a bracket of its own is written after: 'creativity (4.02)',
        'results in Visual Understanding (79.9)' (the phrase before the bracket, whatever
        the lexicon knows of it)."""
        before = self._before_qualifier()
        if not before or not _OPEN_BRACKET.fullmatch(self.text, before[-1].end, self.value.start):
            return None
        closing = _CLOSE_PAIRED_BRACKET.match(self.text, self.value.end)
        if not closing:
            return None
        span = self.trim(phrase_left(before, self.stop, rule.max_words))
        if span is None or self.mention_at(span[0]) is not None or _compared(before, span):
            return None
        written = tidy(self.text[span[0] : span[1]])
        if any(c.isdigit() for c in written):
            return None  # "GPT-4o (31.5)": a system's score
        if (
            self.value.unit_key != "none"
            and not self.value.signed
            and closing["compared"] is None
            and self.finder.lexicon.lookup(written) is None
        ):
            # "ahead of full tuning (36.0%)": a system's level; but "efficacy (+1%)",
            # "probing (69% vs 72%)" and a metric the lexicon knows measure
            return None
        return written, span, {}

    def _metric_symbol(self, rule: FieldRule) -> Found | None:
        """The symbol a statistic is written with, right before "=" and the number: '(r =
        -0.81)' -> r, 'Spearman $\\rho=0.75$' -> Spearman rho, "Spearman's rho =0.85",
        'ICC(2,1) = 0.449'."""
        head = self.text[max(self.sentence[0], self.value.start - 30) : self.value.start]
        found = self.finder.symbols[rule.id].search(head.rstrip("$"))
        if found is None:
            return None
        start = self.value.start - len(head) + found.start("symbol")
        span = (start, start + len(found["symbol"]))
        written = found["symbol"].lstrip("\\").replace("ρ", "rho")
        if found["sub"]:  # "$\\rho_{partial}=-0.34$" -> rho_partial
            written += "_" + found["sub"]
        if found["lead"]:  # "Spearman's rho", "Spearman $\\rho" -> Spearman rho
            span = (self.value.start - len(head) + found.start("lead"), span[1])
            written = found["lead"].rstrip(" $") + " " + written
            return written, span, {}
        # (a coefficient named by letters, "ICC", names what it measures itself: only a
        # symbol, "R" or "rho", takes the phrase before its bracket)
        named = None if _NAMED_STATISTIC.match(written) else self._statistic_phrase(rule, span[0])
        if named is not None:
            return f"{tidy(self.text[named[0] : named[1]])} ({written})", named, {}
        return written, span, {}

    def _statistic_phrase(self, rule: FieldRule, symbol_at: int) -> Span | None:
        """The phrase a statistic in a bracket right after it measures, when a head noun
        of the rule's word list ends it or is followed by a short complement: "strong
        sim-to-real correlation (R = 0.96" -> sim-to-real correlation, "correlation with
        co-occurrence frequency (r = 0.06" (the bracket's own words are not read)."""
        opened = self.text.rfind("(", self.sentence[0], symbol_at)
        if opened < 0 or self.text[opened + 1 : symbol_at].strip(" $"):
            return None
        heads = self.finder.lists.get(rule.word_list or "", frozenset())
        before = self.between(self.sentence[0], opened)[-8:]
        for k in range(len(before) - 1, -1, -1):
            if before[k].text.lower() not in heads:
                continue
            if any(w.gap for w in before[k + 1 :]) or len(before) - k > 5:
                return None
            left = phrase_left(before[: k + 1], self.stop, 3)
            if left is None:
                return None
            taken = [w for w in before[: k + 1] if w.start >= left[0]]
            grades = self.finder.lists.get(_STATISTIC_GRADES, frozenset())
            while len(taken) > 1 and taken[0].text.lower() in grades:
                taken = taken[1:]  # "strong correlation": the grade is no part of it
            return taken[0].start, before[-1].end
        return None

    def _metric_implied(self, rule: FieldRule) -> Found | None:
        """The metric a cue names by itself: 'faster' -> speed, '2x speedups' -> speedup."""
        if not self.implied:
            return None
        return self.implied, None, {}

    def _metric_qualified_change(self, rule: FieldRule) -> Found | None:
        """A change the number states with a qualifier, when nothing else says what was
        measured: "a 16.28% relative improvement", "relative gains of 43.3%" -> relative
        improvement, relative gains (as "a 2x speedup" is a speedup; a bare "4% gain"
        says no more than its kind)."""
        changes = self.finder.lists.get(rule.word_list or "", frozenset())
        modifiers = self.finder.modifiers
        after = self.after
        k = 0
        while k < len(after) and not after[k].gap and after[k].text.lower() in modifiers:
            k += 1
        if k and k < len(after) and not after[k].gap and after[k].text.lower() in changes:
            span = (after[0].start, after[k].end)
            return tidy(self.text[span[0] : span[1]]), span, {}
        before = self.before
        if len(before) < 3 or before[-1].text.lower() != "of" or before[-1].gap:
            return None
        change = before[-2]
        if change.text.lower() not in changes or change.gap:
            return None
        k = len(before) - 2
        while k and before[k - 1].text.lower() in modifiers and not before[k].gap:
            k -= 1
        if k == len(before) - 2:
            return None
        span = (before[k].start, change.end)
        return tidy(self.text[span[0] : span[1]]), span, {}

    def _metric_verb_noun(self, rule: FieldRule) -> Found | None:
        """What the verb of the number's clause measures, named after it: "the best
        model passes on 27.9% of tasks" -> pass rate (the rule's TSV list maps verb forms
        to names). The nearest such verb within reach, in the clause, counts."""
        names = self.finder.maps.get(rule.word_list or "", {})
        before = self.before[-rule.reach :]
        for k in range(len(before) - 1, -1, -1):
            word = before[k]
            if looks_like_number(word.text) or _CLAUSE_END.search(
                self.text, word.end, self.value.start
            ):
                return None  # another number's words, or another clause
            name = names.get(word.text.lower())
            if name is not None:
                return name, None, {}
        return None

    def _metric_nearest(self, rule: FieldRule) -> Found | None:
        """The nearest metric phrase before the number in its clause."""
        before = self._before_qualifier()[-rule.reach :]
        for k in range(len(before) - 1, -1, -1):
            word = before[k]
            if k + 1 < len(before) and _CLAUSE_END.search(self.text, word.end, before[k + 1].start):
                return None  # "Quality degrades: erosion rises in 80%": another clause
            if self.stop(word) or self.mention_at(word.start) is not None:
                continue
            if k and self._labels_number(before[k - 1], word):
                continue
            if k and k < len(before) - 1 and self._counts_setup(before[k - 1], word):
                continue  # "After 600B tokens of pre-training, X gains +2.1": a size
                # (but "672 tokens, 8x fewer than X" speaks of those tokens)
            lowered = word.text.lower()
            if k == len(before) - 1 and lowered in ("scores", "scored"):
                continue  # "Widgetron scores 61.0": the verb, not a metric
            if k + 1 < len(before) and before[k + 1].text.lower() in _MODEL_NOUNS:
                continue  # "reward models", "the quality model": a model, not a metric
            if (
                k + 1 < len(before)
                and before[k + 1].text.lower() in self.cues(rule)
                and not self.finder.lexicon.is_entry(lowered)
            ):
                continue  # "on memory-heavy benchmarks": which sets, not what is measured
            known = self.finder.lexicon.lookup(lowered) is not None
            if (not known and not self.acronym_metric(word.text)) or lowered in self.cues(rule):
                continue
            if not known and self._names_system(before, k):
                continue  # "Lightning OPD reaches 69.9%", "improves over zero RL (+10.7)"
            if not known and any(
                w.text.lower() in self.finder.baseline_verbs for w in before[max(0, k - 6) : k]
            ):
                continue  # "outperforming GRPO and GEPA by +7.4": the baselines
            span = self.trim(phrase_left(before[: k + 1], self.stop, rule.max_words))
            if span is None:
                continue
            opens = next(i for i, w in enumerate(before) if w.start == span[0])
            if (
                opens
                and k < len(before) - 1
                and _COUNT.fullmatch(before[opens - 1].text)
                and self._counts_setup(before[opens - 1], before[opens])
            ):
                continue  # "with only 14M tunable parameters, X outperforms ...": a size
            # the rest of the noun phrase up to the number: "error rate (14.6%)"
            end = k + 1
            while (
                end < len(before)
                and not before[end].gap
                and not self.stop(before[end])
                and self.mention_at(before[end].start) is None
                and end - k <= 2
            ):
                end += 1
            # (only onto a word that is itself a metric's head: "error rate", not
            # "time decreasing")
            while end > k + 1 and self.finder.lexicon.lookup(before[end - 1].text) is None:
                end -= 1
            if end > k + 1:
                span = (span[0], before[end - 1].end)
            text = tidy(self.text[span[0] : span[1]])
            if self.names_metric(text):
                generic = self.finder.lists.get(rule.word_list or "", frozenset())
                if text.lower() in generic:
                    return self._previous(rule) or (text, span, {})
                return text, span, {}
        return None

    def _names_system(self, words_: list[Word], k: int) -> bool:
        """Whether an acronym at ``words_[k]`` names a system rather than a metric: it is
        part of the paper's name, stands before a result verb (a subject), or follows a
        comparison word (a baseline: "over X", "than X")."""
        word = words_[k]
        name = self.ctx.short_name
        if name:
            at = self.text.find(name, max(0, word.start - len(name)), word.end + len(name))
            if at >= 0 and at < word.end and word.start < at + len(name):
                return True
        if k + 1 < len(words_) and words_[k + 1].text.lower() in self.finder.result_verbs:
            return True
        j = k - 1
        while j >= 0 and not words_[j + 1].gap and not self.stop(words_[j]):
            j -= 1  # back over the rest of the name ("zero RL")
        marker = words_[j].text.lower() if j >= 0 else ""
        return marker in _COMPARED_WITH or marker in self.finder.baseline_verbs

    def _counts_setup(self, previous: Word, word: Word) -> bool:
        """Whether ``word`` is the noun of a number that is no result ("600B tokens",
        "20 benchmarks"): what it counts is not the metric of a later number."""
        return (
            not word.gap
            and looks_like_number(previous.text)
            and not any(s < previous.end and previous.start < e for s, e in self.ctx.claim_spans)
        )

    def _labels_number(self, previous: Word, word: Word) -> bool:
        """Whether ``word`` is a bracketed label of the number before it: "70.3 (X)"
        names the system or setting of 70.3, not a metric of later numbers (a space
        inside the brackets is a scraping artefact: "70.3 ( X )")."""
        return (
            looks_like_number(previous.text)
            and self.text[previous.end : word.start].strip() == "("
            and self.text[word.end : word.end + 3].lstrip().startswith(")")
        )

    # -- benchmark methods

    def _benchmark_respectively(self, rule: FieldRule) -> Found | None:
        """'12.1% and 8.4% on A and B, respectively': the i-th with the i-th."""
        s, e = self.sentence
        sentence = self.text[s:e]
        lowered = sentence.lower()
        if not any(w in lowered for w in self.cues(rule)):
            return None
        in_sentence = [c for c in self.ctx.claim_spans if s <= c[0] < e]
        names = _distinct(m for m in self.ctx.mentions if not m.in_title and s <= m.start < e)
        if len(in_sentence) < 2 or len(names) != len(in_sentence):
            # several numbers per benchmark ("+2.1 points and +3 solved tasks,
            # respectively" after two benchmarks): pair the list the number is in
            groups = _value_lists(self.text, in_sentence)
            group = next((g for g in groups if (self.value.start, self.value.end) in g), None)
            if group is None or len(group) < 2:
                return None
            in_sentence = group
        index = in_sentence.index((self.value.start, self.value.end))
        # "17.5%, 18.9% and 6.6% on A, B and real-world tasks, respectively": the items
        # listed after the numbers, one per number; the i-th number takes the benchmark
        # named in the i-th item, or none when that item names none
        items = self._listed_items(in_sentence[-1][1], e)
        if len(items) == len(in_sentence):
            start, end = items[index]
            inside = [m for m in self.ctx.mentions if not m.in_title and start <= m.start < end]
            shared = self._shared_benchmark(items)
            if shared is not None:
                inside = [shared]  # "on A for X and Y, respectively": A is every item's
            if inside:
                mention = inside[0]
                return mention.name, (mention.start, mention.end), _canonical(mention)
        if len(names) != len(in_sentence):
            return None if len(items) != len(in_sentence) else ("", None, {})
        # as many benchmarks in the sentence as numbers, none in the items: in order
        # ("On A and B, it gains 4.1% and 2.0%, respectively")
        mention = names[index]
        return mention.name, (mention.start, mention.end), _canonical(mention)

    def _shared_benchmark(self, items: list[Span]) -> Mention | None:
        """The benchmark written before the list proper, in its first item ("gains on
        WidgetQA for Gizmo-1 and Gizmo-2, respectively": a preposition follows it there
        and no other item names one): every item's benchmark."""
        first_start, first_end = items[0]
        found = [
            m for m in self.ctx.mentions if not m.in_title and first_start <= m.start < first_end
        ]
        if len(found) != 1 or any(
            m for m in self.ctx.mentions if not m.in_title and items[1][0] <= m.start < items[-1][1]
        ):
            return None
        return found[0] if _SHARED_AFTER.match(self.text, found[0].end, first_end) else None

    def _metric_respectively(self, rule: FieldRule) -> Found | None:
        """'by +7.4%, +5.5% and +7.8% for weighted F1, ROC-AUC and balanced accuracy,
        respectively': the i-th number of its list with the i-th metric listed after
        the numbers, when every item names a metric and none a benchmark."""
        s, e = self.sentence
        if not any(w in self.text[s:e].lower() for w in self.cues(rule)):
            return None
        spans, own, group = self._own_list()
        if group is None:
            return None
        items = self._listed_items(max(c[1] for c in spans), e)
        if len(items) != len(group):
            items = self._listed_before(group[0][0], len(group))
        if len(items) != len(group):
            return None
        found: list[tuple[str, Span]] = []
        for start, end in items:
            a, b = strip_span(self.text, start, end)
            text = tidy(self.text[a:b])
            if (
                not text
                or not self.names_metric(text)
                or (" " not in text and not self.known_metric(text))  # "over A and B"
                or any(w.lower() in _COMPARISON_WORDS for w in text.split())
                or any(not m.in_title and a <= m.start < b for m in self.ctx.mentions)
            ):
                return None
            found.append((text, (a, b)))
        text, span = found[group.index(own)]
        return text, span, {}

    def _benchmark_paired_lists(self, rule: FieldRule) -> Found | None:
        """'18.7% and 11.9% on A and B': a list of numbers right before a list of as many
        benchmarks pairs one to one, as a "respectively" list does; so do numbers and
        benchmarks written with slashes ('+20.2 / +17.1 points ... on A / B')."""
        s, e = self.sentence
        spans, own, group = self._own_list()
        slashed = self._slashed_pair(spans, own)
        if slashed is not None:
            return slashed
        if group is None:
            return None
        head = _PAIRED_HEAD.match(self.text, group[-1][1], e)
        if head is None:
            return self._paired_before(group, own)
        starts = {m.start: m for m in self.ctx.mentions if not m.in_title and s <= m.start < e}
        names: list[Mention] = []
        at = head.end()
        while len(names) <= len(group):
            mention = starts.get(at)
            if mention is None:
                break
            names.append(mention)
            join = _BENCHMARK_JOIN.match(self.text, mention.end, e)
            if join is None:
                break
            at = join.end()
        if len(names) != len(group):
            return None
        mention = names[group.index(own)]
        return mention.name, (mention.start, mention.end), _canonical(mention)

    def _paired_before(self, group: list[Span], own: Span) -> Found | None:
        """'improves A and B quality by 2.99 and 1.18 points', 'On A and B, it reaches
        72.1% and 65.3%': the list of as many benchmarks written last before the list
        of numbers pairs one to one, when no benchmark follows the numbers in their
        sentence (in 'trained on A and B, it reaches 70% and 80% on C' both are C's)."""
        s, e = self.sentence
        mentions = sorted(
            (m for m in self.ctx.mentions if not m.in_title and s <= m.start < e),
            key=lambda m: m.start,
        )
        before = [m for m in mentions if m.end <= group[0][0]]
        if not before or len(before) < len(mentions) or len(before) < len(group):
            return None
        names = [before[-1]]
        for earlier in reversed(before[:-1]):
            if not _BENCHMARK_JOIN.fullmatch(self.text, earlier.end, names[0].start):
                break
            names.insert(0, earlier)
        if len(names) != len(group):
            return None
        mention = names[group.index(own)]
        return mention.name, (mention.start, mention.end), _canonical(mention)

    def _own_list(self) -> tuple[list[Span], Span, list[Span] | None]:
        """(the claim spans of the number's sentence, the number's span, the list of
        two numbers or more it is in, or None)."""
        s, e = self.sentence
        spans = [c for c in self.ctx.claim_spans if s <= c[0] < e]
        own = (self.value.start, self.value.end)
        group = next((g for g in _value_lists(self.text, spans) if own in g), None)
        return spans, own, group if group is not None and len(group) > 1 else None

    def _slashed_pair(self, spans: list[Span], own: Span) -> Found | None:
        """The benchmark of a number in a list written with slashes ("+20.2 / +17.1"),
        from the first list of as many benchmarks written with slashes after it in its
        sentence ("on A / B")."""
        group = [own]
        k = spans.index(own) if own in spans else -1
        if k < 0:
            return None
        j = k
        while j > 0 and _SLASH.fullmatch(self.text, spans[j - 1][1], spans[j][0]):
            j -= 1
            group.insert(0, spans[j])
        j = k
        while j + 1 < len(spans) and _SLASH.fullmatch(self.text, spans[j][1], spans[j + 1][0]):
            j += 1
            group.append(spans[j])
        if len(group) < 2:
            return None
        mentions = sorted(
            (
                m
                for m in self.ctx.mentions
                if not m.in_title and group[-1][1] <= m.start < self.sentence[1]
            ),
            key=lambda m: m.start,
        )
        for i, first in enumerate(mentions):
            names = [first]
            for later in mentions[i + 1 :]:
                if not _SLASH.fullmatch(self.text, names[-1].end, later.start):
                    break
                names.append(later)
            if len(names) == len(group):
                mention = names[group.index(own)]
                return mention.name, (mention.start, mention.end), _canonical(mention)
        return None

    def _benchmark_paren(self, rule: FieldRule) -> Found | None:
        """'GadgetBench (61.0%), WidgetQA (70.2%)': the name right before the bracket, or
        the whole list it ends."""
        for mention in self.ctx.mentions:
            if mention.in_title or not self.sentence[0] <= mention.start < self.value.start:
                continue
            if _BEFORE_PAREN.fullmatch(self.text, mention.end, self.value.start):
                first = self._list_head(mention)
                if first is not mention:  # "on A, B, and C (34.55% higher on average)"
                    return self.text[first.start : mention.end], (first.start, mention.end), {}
                return mention.name, (mention.start, mention.end), _canonical(mention)
        return None

    def _benchmark_own(self, rule: FieldRule) -> Found | None:
        """'61.0 GadgetBench': a benchmark named right after the number is what it is on."""
        after = self.after
        if not after or after[0].gap:
            return None
        mention = self.mention_at(after[0].start)
        if mention is None:
            return None
        return mention.name, (mention.start, mention.end), _canonical(mention)

    def _benchmark_after(self, rule: FieldRule) -> Found | None:
        """'2.4% gain over X on GadgetBench', '+3.1 and +2.2 points on GadgetBench', and
        after the baseline of a pair written after its value ('71.0% vs. 56.7% on X')."""
        preps = self.cues(rule)
        set_nouns = self.finder.lists.get(rule.word_list or "", frozenset())
        end = self._end_of_list()
        base = self.value.baseline_text
        if base is not None:
            at = self.text.find(base, self.value.end, min(self.sentence[1], self.value.end + 40))
            end = max(end, at + len(base)) if at >= 0 else end
        after = self.between(end, self.sentence[1])[: rule.reach]
        for k, word in enumerate(after):
            if word.gap and ";" in self.text[after[k - 1].end if k else end : word.start]:
                return None  # "reduces X by 35.2% on A; on B, it ...": another clause's
            # a parenthesis after a task names the benchmark: "on recall (GizmoTQ)"
            if (
                k
                and word.gap
                and word.text.lower() not in preps
                and self.text[after[k - 1].end : word.start].strip() not in ("(", ", (")
            ):
                return None
            if looks_like_number(word.text) and (k or word.gap):
                return None  # another number's words ("at 80.8%), 88.7 on X")
            mention = self.mention_at(word.start)
            if mention is None:
                continue
            previous = after[k - 1].text.lower() if k else ""
            joined = self.text[after[k - 1].end if k else end : word.start]
            if previous in preps or "(" in joined or ("," in joined and k == 0):
                return mention.name, (mention.start, mention.end), _canonical(mention)
            if (previous in set_nouns or previous.removesuffix("s") in set_nouns) and any(
                w.text.lower() in preps for w in after[:k]
            ):
                # "on the SAR VQA benchmark GizmoVQA-Bench": the set described, then named
                return mention.name, (mention.start, mention.end), _canonical(mention)
        return None

    def _benchmark_before(self, rule: FieldRule) -> Found | None:
        """The nearest benchmark before the number in its sentence."""
        best = None
        for mention in self.ctx.mentions:
            if mention.in_title or not self.sentence[0] <= mention.start < self.value.start:
                continue
            if self._in_closed_aside(mention):
                continue
            if best is None or mention.start > best.start:
                best = mention
        if best is None or self._anothers_target(best):
            return None
        if best.form_of is not None and self.text[: best.start].rstrip().endswith("("):
            # "on IPhO (International Physics Olympiad) problems": the short name written
            # before the bracket that spells it out
            outer = [
                m
                for m in self.ctx.mentions
                if not m.in_title
                and m.end <= best.start
                and m.name == best.form_of
                and len(m.name) < len(best.name)
            ]
            if outer:
                best = max(outer, key=lambda m: m.start)
        first = self._list_head(best)
        if first is not best:
            # "on A, B, and C, it gains 40%": the number is reported on the whole list
            return self.text[first.start : best.end], (first.start, best.end), {}
        return best.name, (best.start, best.end), _canonical(best)

    def _anothers_target(self, mention: Mention) -> bool:
        """Whether a benchmark is what another number was reported on, in a list whose
        numbers each name their own ("0.97 on GenEval, 0.98 on OCR accuracy, and 24.05 on
        PickScore": neither GenEval nor PickScore is the 0.98's)."""
        if not _ON_TARGET.match(self.text, self.value.end):
            return False
        return any(
            start != self.value.start
            and _ON_TARGET.fullmatch(self.text, end, mention.start) is not None
            for start, end in self.ctx.claim_spans
        )

    def _in_closed_aside(self, mention: Mention) -> bool:
        """Whether a mention stands in a relative clause, or a bracket of results, that
        closes before the number: in "X, which reaches 74.4% on A, solves only 11.0% of
        the tasks" the 11.0% is not reported on A."""
        head = self.text[self.sentence[0] : mention.start]
        if self._in_closed_results(head, mention):
            return True
        opened = max(head.rfind(", which "), head.rfind(", who "))
        if opened < 0:
            return False
        closed = self.text.find(",", mention.end, self.value.start)
        if closed < 0:
            return False
        # (", yielding 30 points on B" goes on with the relative clause: not closed)
        rest = self.text[closed + 1 : self.value.start].split()
        return not (rest and rest[0].lower().endswith("ing"))

    def _in_closed_results(self, head: str, mention: Mention) -> bool:
        """Whether a mention stands in a bracket of other results that closes before the
        number: in "(66.7% on A, 90.1% on B) and captioning (R@1 of 0.584 ...)" the 0.584
        is not reported on B."""
        opened = head.rfind("(")
        if opened < 0 or ")" in head[opened:]:
            return False
        closed = self.text.find(")", mention.end, self.value.start)
        if closed < 0:
            return False
        start = self.sentence[0] + opened
        return _RESULT_NUMBER.search(self.text, start, closed) is not None

    def _list_head(self, last: Mention) -> Mention:
        """The first benchmark of the list that ``last`` ends ("A, B,
        and C"), or ``last`` itself."""
        by_end = {m.end: m for m in self.ctx.mentions if not m.in_title}
        items = [last]
        while True:
            previous = next(
                (
                    m
                    for end, m in by_end.items()
                    if end < items[0].start
                    and _BENCHMARK_JOIN.fullmatch(self.text, end, items[0].start)
                ),
                None,
            )
            if previous is None:
                break
            items.insert(0, previous)
        return items[0]

    def _benchmark_later(self, rule: FieldRule) -> Found | None:
        """The first benchmark later in the same clause ('4% over A and 1% over B on C')."""
        end = self.sentence[1]
        cut = self.finder.clause_breaks[rule.id].search(self.text, self.value.end, end)
        if cut:
            end = cut.start()
        for mention in self.ctx.mentions:
            if not mention.in_title and self.value.end <= mention.start < end:
                if self._anothers_target(mention):
                    return None
                if self._later_numbers_target(mention):
                    return "", None, {}  # the sentence's benchmark is another number's
                return mention.name, (mention.start, mention.end), _canonical(mention)
        return None

    def _later_numbers_target(self, mention: Mention) -> bool:
        """Whether a later benchmark is what a later number of another phrase was
        reported on: in "reduces tokens by 4x-100x and ... achieves superior results
        (e.g., 67.0% on VideoMME)", VideoMME is the 67.0%'s, not the 4x-100x's (a number
        of the same list, "41.2 and 38.5 on X", is no other phrase's)."""
        return any(
            self.value.end < start
            and _ON_TARGET.fullmatch(self.text, end, mention.start) is not None
            and len(self.between(self.value.end, start)) > 2
            for start, end in self.ctx.claim_spans
        )

    def _benchmark_paper(self, rule: FieldRule) -> Found | None:
        """A paper that names a single benchmark, or introduces a single one, reports its
        numbers on it; not a speedup, which is measured on hardware or a workload, unless
        its sentence names the benchmark ("2.3x speedup on an RTX 5090") or the paper
        introduces it (a benchmark of kernels scores speedups)."""
        names = _distinct(self.ctx.mentions)
        if len(names) != 1:
            names = _distinct(m for m in self.ctx.mentions if m.introduced)
        if len(names) != 1:
            return None
        if (
            self.kind == "speedup"
            and not names[0].introduced
            and not any(
                self.sentence[0] <= m.start < self.sentence[1]
                for m in self.ctx.mentions
                if not m.in_title
            )
        ):
            return None
        setting = _OWN_SETTING.match(self.text, self.sentence[0])
        if setting and not names[0].introduced and setting["first"] not in self.cues(rule):
            return None  # "On online text classification, X improves ...": reported there
        same = [m for m in self.ctx.mentions if not m.in_title and _same(m, names[0])]
        # the name as found rather than its other form ("KWBench", not "Knowledge Work Bench")
        mention = min(same, key=lambda m: m.form_of is not None, default=names[0])
        span = None if mention.in_title else (mention.start, mention.end)
        return mention.name, span, _canonical(mention)

    def _benchmark_previous_sentence(self, rule: FieldRule) -> Found | None:
        """A number whose sentence names no benchmark is reported on the one benchmark
        the nearest sentence before it that names any names ahead of its own numbers:
        "On WidgetQA, X gains 3.9 points. The 4B agent reaches 27.3%"."""
        if any(
            self.sentence[0] <= m.start < self.sentence[1]
            for m in self.ctx.mentions
            if not m.in_title
        ):
            return None
        found = self._earlier_sentence_mentions(rule.reach)
        if found is None:
            return None
        (start, _), named = found
        if len(_distinct(named)) != 1:
            return None
        mention = named[0]
        if any(start <= at < mention.start for at, _ in self.ctx.claim_spans):
            return None  # "... +6.6 pp WER on FLEURS-Te.": a number of its own sentence's
        if any(w.text.lower() in self.cues(rule) for w in self.between(*self.sentence)):
            return None  # "outperforms baselines across four benchmarks": other sets
        return mention.name, (mention.start, mention.end), _canonical(mention)

    def _earlier_sentence_mentions(
        self, reach: int
    ) -> tuple[tuple[int, int], list[Mention]] | None:
        """The nearest of the ``reach`` sentences before the number's that names a
        benchmark, with the benchmarks it names."""
        start = self.sentence[0]
        for _ in range(reach):
            if start <= 0 or self.ctx.sentences is None:
                return None
            bounds = self.ctx.sentences.bounds(start - 1)
            if bounds[0] >= start:
                return None
            named = [
                m for m in self.ctx.mentions if not m.in_title and bounds[0] <= m.start < bounds[1]
            ]
            if named:
                return bounds, named
            start = bounds[0]
        return None

    # -- subject, baseline, task

    def _subject_respectively(self, rule: FieldRule) -> Found | None:
        """'models including A, B, and C reach 30.4%, 26.4%, and 10.4% respectively':
        the i-th number of the list with the i-th name listed before it (names that
        are benchmarks are left to the benchmark rule)."""
        s, e = self.sentence
        after = self.text[self.value.end : e].lower()
        if not any(w in after for w in self.cues(rule)):
            return None
        in_sentence = [c for c in self.ctx.claim_spans if s <= c[0] < e]
        groups = _value_lists(self.text, in_sentence)
        group = next((g for g in groups if (self.value.start, self.value.end) in g), None)
        if group is None or len(group) < 2:
            return None
        listed = None
        for match in _NAME_LIST.finditer(self.text, s, group[0][0]):
            listed = match
        if listed is None:
            return None
        # the list is the subject of a result verb that leads to the numbers ("A, B
        # and C reach 30.4%, ..."), not the object of a comparison ("outperforming A
        # and B by 5% and 11%")
        verb = self.text[listed.end() : group[0][0]].lower().split()
        if len(verb) > 4 or not any(w in self.finder.result_verbs for w in verb):
            return None
        if any(w in self.finder.baseline_verbs or w in _COMPARED_WITH for w in verb):
            return None
        names = list(_NAME_ITEM.finditer(self.text, listed.start(), listed.end()))
        if len(names) != len(group) or any(self.mention_at(m.start()) for m in names):
            return None
        name = names[group.index((self.value.start, self.value.end))]
        return name.group(), name.span(), {}

    def _subject_for_after(self, rule: FieldRule) -> Found | None:
        """'71.0% for Widgetron-XL'."""
        after = self.after
        if len(after) < 2 or after[0].gap or after[0].text.lower() not in self.cues(rule):
            return None
        if looks_like_number(after[1].text):
            return None  # "70% with 0.5m tokens", "22.5% for 700x less": a quantity
        span = _name_right(after[1:], rule.max_words)
        if span is None or self.mention_at(span[0]) is not None:
            return None  # "45.1% for WidgetQA": a benchmark, not a system
        name = tidy(self.text[span[0] : span[1]])
        if self._names_benchmark(name) or any(
            m.name.startswith(name + " ") for m in self.ctx.mentions
        ):
            return None  # "4.51 for CALVIN" after "experiments on CALVIN ABC-D"
        if _PLAIN_WORDS.fullmatch(name):
            families = self.finder.lists.get(rule.word_list or "", frozenset())
            if not any(name.lower().startswith(f) for f in families):
                return None  # "49.71 for Kazakh", "+51.9pp for Healthcare": no system
        return name, span, {}

    def _subject_possessive(self, rule: FieldRule) -> Found | None:
        """The name whose result the number is, written as its owner: "71% of Claude's
        failures", "Claude Sonnet 4.5's performance from 33.3% to 47.7%" (a capitalised
        name and "'s", then the metric's words and a link to the number)."""
        found = _OWNER_AFTER.match(self.text, self.value.end, self.sentence[1])
        if found is None:
            head_start = max(self.sentence[0], self.value.start - 120)
            found = _OWNER_BEFORE.search(self.text, head_start, self.value.start)
        if found is None or self.mention_at(found.start("name")) is not None:
            return None
        if self.finder.lexicon.is_entry(f"{found['name']}'s {found['next']}"):
            return None  # "Spearman's rho = 0.85": a metric's name, not an owner
        span = found.span("name")
        return tidy(found["name"]), span, {}

    def _subject_compared(self, rule: FieldRule) -> Found | None:
        """The systems a comparison names, whose level the bracket after them gives:
        "exceeds top human-designed agent frameworks (71.8% and 52.0%)" -> top
        human-designed agent frameworks (not the paper's system, which they are
        compared with)."""
        at = self.text.rfind("(", self.sentence[0], self.value.start)
        if at < 0:
            return None
        words_ = self.between(self.sentence[0], at)
        stems = tuple(self.cues(rule))  # "outperform" for "outperforming", ...
        for k in range(len(words_) - 1, max(-1, len(words_) - 9), -1):
            if words_[k].text.lower().startswith(stems):
                inner = [w for w in words_[k + 1 :] if w.text.lower() not in _COMPARED_LEADS]
                if not inner or len(inner) > rule.max_words or any(w.gap for w in inner[1:]):
                    return None
                span = (inner[0].start, inner[-1].end)
                self.ctx.rivals.add(self.value.start)
                return tidy(self.text[span[0] : span[1]]), span, {}
            if words_[k].gap:
                return None
        return None

    def _subject_paren(self, rule: FieldRule) -> Found | None:
        """'surpassing Gizmo-7B (36.0%) and Gadget 2 (31.5%)': the name right before the
        bracket that holds the number (not a benchmark: 'WidgetQA (61.0%)')."""
        at = self.text.rfind("(", self.sentence[0], self.value.start)
        if at < 0 or _HEDGE_MARKS.sub("", self.text[at + 1 : self.value.start]).strip():
            return None
        items = self.between(self.sentence[0], at)
        span = _name_left(items, rule.max_words)
        if span is None or self.mention_at(span[0]) is not None:
            return None
        name = tidy(self.text[span[0] : span[1]])
        families = self.finder.lists.get(rule.word_list or "", frozenset())
        lowered = name.lower()
        if families and not any(lowered.startswith(f) for f in families):
            return None  # "Xbench (82.0%)": a name of no model family may be a benchmark
        return name, span, {}

    def _subject_clause_subject(self, rule: FieldRule) -> Found | None:
        """The name before a result verb in the sentence: 'Widgetron achieves ...'."""
        return self._named_subject(self._clause_before(), self.cues(rule), rule)

    def _subject_pronoun(self, rule: FieldRule) -> Found | None:
        """'X achieves ... on N benchmarks: (1) on A, it obtains 56.5': the "it" of a
        clause after a ":" or ";" is the name an earlier clause of the sentence made the
        subject of a result verb (not when the clause speaks of "we" or "our")."""
        clause = self._clause_before()
        lowered = {w.text.lower() for w in clause}
        if not lowered & self.cues(rule) or lowered & _SELF_WORDS:
            return None
        earlier = self.before[: len(self.before) - len(clause)]
        if not earlier:
            return None
        return self._named_subject(earlier, self.finder.result_verbs, rule)

    def _named_subject(
        self, before: list[Word], verbs: frozenset[str], rule: FieldRule
    ) -> Found | None:
        """The name right before the last verb of ``verbs`` in ``before`` that has one."""
        for k in range(len(before) - 1, 0, -1):
            verb = before[k].text.lower()
            if verb not in verbs:
                continue
            if verb.endswith("ing") and before[k].gap:
                # "with X reaching 74.2%": a participle's own subject is written right
                # before it; after a comma it speaks for the clause ("..., achieving")
                continue
            if k + 1 < len(before) and before[k + 1].text.lower() == "of":
                continue  # "FG-ARI gains of +6.8": a noun, not a verb
            end = k
            while end > 1 and _ADVERB.fullmatch(before[end - 1].text) and not before[end].gap:
                end -= 1  # "X consistently improves"
            relative = end > 1 and before[end - 1].gap and before[end - 1].text.lower() in _RELATIVE
            if relative:
                end -= 1  # "X, which achieves": the name the relative clause is about
            span = _name_left(before[:end], rule.max_words)
            if span is None and not relative:
                span = _name_before_participle(before[:end], rule.max_words)
            if span is None or self.mention_at(span[0]) is not None:
                continue
            text = tidy(self.text[span[0] : span[1]])
            first = next(i for i, w in enumerate(before) if w.start == span[0])
            previous = before[first - 1].text.lower() if first and not before[first].gap else ""
            if looks_like_number(previous):
                continue  # "+8.6 AP, surpasses": what the number measures
            if " " not in text and self.stop(before[first]):
                continue  # "To enhance ...", "Its recommended pools improve": no name
            if (
                " " not in text
                and previous in _PREPOSITIONS
                and not verb.endswith("ing")
                and self.names_metric(text)
            ):
                continue  # "rewriting with QC yields": an acronym the lexicon does not
                # know is taken for a system only where a clause's subject stands
            if _COMPOUND_METRIC.fullmatch(text):
                continue  # "PickScore increases from 20.46 to 23.81": a metric
            if _PARTICIPLE_COMPOUND.fullmatch(text):
                continue  # "a Holm-corrected increase", "Pre-trained models": a modifier
            # a word in capitals is a name unless the gazetteers know it as a metric's
            # name ("SPEED reaches", but "FID improves")
            metric_word = (
                self.finder.lexicon.is_known_name(text)
                if text.isupper() and len(text) > 2
                else self.known_metric(text)
            )
            if self._bracketed_at(span, aside=not relative) or (
                " " not in text and (metric_word or text.lower() in self.finder.not_metrics)
            ):
                continue  # "memory (HBM) accelerates", "Fidelity is preserved", "RL improves"
            if (
                not relative
                and _EXAMPLES.search(self.text, max(self.sentence[0], span[0] - 80), span[0])
                and not _EXAMPLE_CLAUSE.search(self.text, max(0, span[0] - 20), span[0])
            ):
                continue  # "frontier models, such as X and Y, achieve": X is an example
                # (but "models such as X, which achieves" speaks of X, and so does a
                # bracket that opens with its example's own clause: "(e.g., X achieves")
            return self._paired_subject(before, span, rule) or (text, span, {})
        return None

    def _paired_subject(self, before: list[Word], span: Span, rule: FieldRule) -> Found | None:
        """'A and B achieve 62.4% and 66.0%': a list of names before the verb and a list
        of numbers after it, as long as each other, pair one to one."""
        names = [span]
        j = next((i for i, w in enumerate(before) if w.start == span[0]), None)
        while j is not None and j >= 2:
            joined = before[j - 1].text.lower() == "and"
            if not joined and (len(names) == 1 or not before[j].gap):
                break  # the last two names are joined by "and" ("A, B and C")
            if joined and self.text[before[j - 1].end : before[j].start].strip():
                break
            end = j - 1 if joined else j
            left = _name_left(before[:end], rule.max_words)
            if left is None or self.mention_at(left[0]) is not None:
                break
            names.insert(0, left)
            j = next((i for i, w in enumerate(before) if w.start == left[0]), None)
            if not joined and j is not None and before[j].gap:
                continue
            if joined and not (j is not None and before[j].gap):
                break
        if len(names) < 2:
            return None
        s, e = self.sentence
        in_sentence = [c for c in self.ctx.claim_spans if s <= c[0] < e]
        value = (self.value.start, self.value.end)
        group = next((g for g in _value_lists(self.text, in_sentence) if value in g), None)
        if group is None or len(group) != len(names):
            return None
        start, end = names[group.index(value)]
        return tidy(self.text[start:end]), (start, end), {}

    def _listed_items(self, start: int, end: int) -> list[Span]:
        """The items of the list that follows a preposition between ``start`` and the
        word "respectively" ("on A, B and real-world tasks, respectively")."""
        stop = self.text.find("respectively", start, end)
        if stop < 0:
            return []
        head = _LIST_HEAD.search(self.text, start, stop)
        if head is None:
            return []
        items: list[Span] = []
        at = head.end()
        for sep in _LIST_SEP.finditer(self.text, at, stop):
            items.append((at, sep.start()))
            at = sep.end()
        items.append((at, stop))
        return [(a, b) for a, b in items if self.text[a:b].strip(" ,")]

    def _listed_before(self, first: int, count: int) -> list[Span]:
        """The ``count`` phrases listed right before the number at ``first`` and its
        linking words ("precision, recall and F1 are 81%, 77% and 79%"), or none."""
        before = self.between(self.sentence[0], first)
        while before and before[-1].text.lower() in _LIST_LINKS:
            before.pop()
        items: list[Span] = []
        while before and len(items) < count:
            span = phrase_left(before, self.stop, 4)
            if span is None:
                return []
            items.insert(0, span)
            k = next(i for i, w in enumerate(before) if w.start == span[0])
            opens_with_gap = before[k].gap
            before = before[:k]
            if len(items) == count:
                break
            if before and before[-1].text.lower() == "and":
                before.pop()
            elif not opens_with_gap:
                return []
        return items

    def _names_benchmark(self, name: str) -> bool:
        """Whether the paper's name is a benchmark it reports on (a benchmark paper),
        with or without an article before it ("The Widget Race" and "Widget Race")."""
        key = canonical_key(_ARTICLE_OPENING.sub("", name))
        return any(
            canonical_key(_ARTICLE_OPENING.sub("", m.name)) == key for m in self.ctx.mentions
        )

    def _clause_before(self, own_subject: bool = False) -> list[Word]:
        """The words before the number in its own clause: not before a ";", ": " or a
        ", while" that comes between ("A reaches 46%, while B remains below 40%").
        With ``own_subject``, only a clause that has a subject of its own counts: not
        one after ": ", nor a participle after ", while" ("X gains 10%, while reducing
        cost by 2x" is still X's)."""
        clause = self._clause.get(own_subject)
        if clause is None:
            clause = self._clause[own_subject] = self._clause_of(own_subject)
        return clause

    def _clause_of(self, own_subject: bool) -> list[Word]:
        before = self.before
        for k in range(len(before) - 1, 0, -1):
            between = self.text[before[k - 1].end : before[k].start]
            if ";" in between or (": " in between and not own_subject):
                return before[k:]
            if (
                "," in between
                and before[k].text.lower() in _CONTRAST
                and not (
                    own_subject
                    and (k + 1 == len(before) or before[k + 1].text.lower().endswith("ing"))
                )
            ):
                return before[k + 1 :]
        return before

    def _bracketed_at(self, span: Span, aside: bool = False) -> bool:
        """Whether a name stands alone in a bracket ("memory (HBM) accelerates"), or,
        with ``aside``, anywhere inside one that closes right after it ("X (open SOTA)
        achieves")."""
        if not self.text[span[1] :].lstrip().startswith(")"):
            return False
        head = self.text[self.sentence[0] : span[0]]
        if not aside:
            return head.rstrip().endswith("(")
        return head.rfind("(") > head.rfind(")")

    def _subject_short_name(self, rule: FieldRule) -> Found | None:
        """The paper's own name, when its sentence mentions it before the number, in
        the number's clause ("X cuts 48%, while the best baseline cuts 6%": not the 6%)."""
        name = self.ctx.short_name
        if not name or self._names_benchmark(name):
            return None
        clause = self._clause_before(own_subject=True)
        opening = clause[0].start if clause else self.value.start
        at = self.text.find(name, self.sentence[0], self.value.start)
        if 0 <= at < opening:
            at = self.text.find(name, opening, self.value.start)
        while at >= 0 and not _whole_word(self.text, at, at + len(name)):
            at = self.text.find(name, at + 1, self.value.start)
        if at < 0:
            return None  # (not "X" inside "X-Nemotron-1.5B", a name of its own)
        return name, (at, at + len(name)), {}

    def _subject_clause_noun(self, rule: FieldRule) -> Found | None:
        """A noun phrase naming systems before a result verb: 'the best model achieves',
        'open-source models generally reach' (its head noun is in the rule's word list;
        a phrase that speaks of the paper's own method, "our model", is not taken)."""
        verbs = self.cues(rule)
        heads = self.finder.lists.get(rule.word_list or "", frozenset())
        before = self._clause_before()
        for k in range(len(before) - 1, 0, -1):
            if before[k].text.lower() not in verbs:
                continue
            end = k
            while (
                end > 0 and before[end - 1].text.lower().endswith("ly") and not before[end - 1].gap
            ):
                end -= 1  # an adverb between the subject and its verb
            if end == 0 or before[end - 1].text.lower() not in heads:
                continue
            start = end - 1
            while (
                start > 0
                and end - start < rule.max_words
                and not before[start].gap
                and not self.stop(before[start - 1])
                and before[start - 1].text.lower() not in _DETERMINERS
                and before[start - 1].text.lower() not in verbs
            ):
                start -= 1
            if end - start < rule.min_words:
                continue
            if start > 0 and before[start - 1].text.lower() in _PREPOSITIONS:
                continue  # "combining X with domain-specific fine-tuning yields": the
                # phrase is a preposition's object, the verb's subject stands before it
            if start > 0 and before[start - 1].text.lower() in ("no", "none"):
                return "", None, {}  # "no model exceeds 50%": a ceiling of all, no system
            words_ = [w.text.lower() for w in before[max(0, start - 2) : end]]
            name = self.ctx.short_name
            if name and _made_here(words_[-3:]) and not self._names_benchmark(name):
                return self._paper_name(name), None, {}  # "the resulting model achieves"
            if any(w in _SELF_WORDS for w in words_) or _refers_back(words_[-2:]):
                # "our method achieves": the paper's own (subject.ours), unless the
                # paper has no name: then what the phrase calls it ("the proposed
                # self-learning system achieves" -> self-learning system)
                own = [w for w in before[start:end] if w.text.lower() not in _SELF_WORDS]
                if self.ctx.short_name or len(own) < 2 or own[0] is before[start]:
                    return None
                span = (own[0].start, before[end - 1].end)
                return tidy(self.text[span[0] : span[1]]), span, {}
            if words_[0] in _NEGATIONS or _CLAUSE_END.search(
                self.text, before[end - 1].end, self.value.start
            ):
                return None  # "no model solves ...; the best rate is 17.2%"
            span = (before[start].start, before[end - 1].end)
            return tidy(self.text[span[0] : span[1]]), span, {}
        return None

    def _subject_clause_phrase(self, rule: FieldRule) -> Found | None:
        """Any noun phrase that opens the number's clause right before its verb, when no
        name is written: 'co-evolution yields an 18-point gain', 'removing the planner
        causes a 23.5% drop', 'Transfer learning yields gains of 1-4%'; past an adverb
        and a bracketed aside before the verb. A phrase, not a name (fewer than half its
        words written as names: those are subject.clause_subject's); not the paper's own
        ('our method': subject.ours), not a pronoun or a word that reports or measures
        (the rule's word list), not what the lexicon knows as a metric ('accuracy
        improves')."""
        verbs = self.cues(rule)
        before = self._clause_before()
        not_heads = self.finder.lists.get(rule.word_list or "", frozenset())
        # the verb nearest the number: "self-play improves X, and co-evolution yields"
        verb_at = next(
            (k for k in range(len(before) - 1, -1, -1) if before[k].text.lower() in verbs), None
        )
        if verb_at is None:
            return None
        end = verb_at
        while (
            end > 0
            and not before[end].gap
            and (_ADVERB.fullmatch(before[end - 1].text) or before[end - 1].text in _PLAIN_ADVERBS)
        ):
            end -= 1  # an adverb between the subject and its verb
        aside = self._aside_before(before, end)
        if aside is not None:
            end = aside  # "strong weight decay ($\lambda=1.0$) reduces": read past the aside
        start = end
        while (
            start > 0
            and end - start < rule.max_words
            and (not before[start].gap or (start == end and aside is not None))
        ):
            previous = before[start - 1].text.lower()
            if previous in _CLAUSE_WORDS or previous in verbs:
                break
            start -= 1
        phrase = before[start:end]
        opens = start == 0 or before[start].gap or before[start - 1].text.lower() in _CLAUSE_WORDS
        if not phrase or not opens or (start > 0 and before[start - 1].text.lower() in verbs):
            return None
        lowered = [w.text.lower() for w in phrase]
        head = lowered[-1]
        # a phrase, not a name: fewer than half its words written as names ("Full NL
        # rewriting with QC yields", "restricting NAG to the final layer incurs")
        named = sum(
            1
            for k, w in enumerate(phrase)
            if any(c.isupper() for c in w.text[1:]) or (k > 0 and w.text[:1].isupper())
        )
        if (
            named * 2 >= len(phrase)
            or any(w.gap for w in phrase[1:])
            or lowered[0] in _PREPOSITIONS
            or head in _DETERMINERS
            or head in _PREPOSITIONS
            or self.stop(phrase[-1])
            # (a gerund opens a phrase: "increasing retrieval depth further improves")
            or (
                self.stop(phrase[0])
                and lowered[0] not in _DETERMINERS
                and not (lowered[0].endswith("ing") and len(phrase) > 1)
            )
            or any(w in _SELF_WORDS or w in not_heads or w in _NEGATIONS for w in lowered)
            # "the system achieves": the paper's own; not "the gate contributes", a part
            or _refers_back(lowered[-2:], self.finder.lists.get(_SYSTEM_NOUNS))
            or _made_here(lowered[-3:])
        ):
            return None
        span = (phrase[0].start, phrase[-1].end)
        text = tidy(self.text[span[0] : span[1]])
        # "accuracy improves by 4%", "the error rate drops", "robustness under attack
        # improves": what is measured, not what measures; a metric's word before the head
        # is no such thing ("the memory module")
        cut = next((k for k, w in enumerate(lowered) if k and w in _PREPOSITIONS), len(lowered))
        is_entry = self.finder.lexicon.is_entry
        if self.names_metric(phrase[cut - 1].text) or any(
            is_entry(" ".join(lowered[k:cut])) for k in range(max(0, cut - 4), cut)
        ):
            return None
        return text, span, {}

    def _aside_before(self, words_: list[Word], at: int) -> int | None:
        """The index of the first word of a bracket that closes right before word ``at``
        ("A minimal hint (e.g., naming the object) recovers"), or None."""
        if at == 0 or self.text[words_[at - 1].end : words_[at].start].strip() != ")":
            return None
        for k in range(at - 1, 0, -1):
            between = self.text[words_[k - 1].end : words_[k].start]
            if ")" in between:
                return None  # another bracket closes first: not one aside
            if "(" in between:
                return k
        return None

    def _subject_clause_start(self, rule: FieldRule) -> Found | None:
        """A noun phrase naming systems that opens the number's clause: 'the top two
        models agree on only 31.7%', 'on held-out checks, models are near-perfect (>
        99%)' (its head noun is in the rule's word list; not the paper's own method)."""
        heads = self.finder.lists.get(rule.word_list or "", frozenset())
        before = self.before
        if not any(w.text.lower() in heads for w in before):
            return None  # (a phrase must end at a head noun: none is before the number)
        found: Span | None = None
        for k, word in enumerate(before):
            # ", with top models achieving only 14.39%": a clause of its own
            absolute = k > 0 and before[k - 1].text.lower() == "with" and before[k - 1].gap
            opens = (
                k == 0
                or absolute
                or before[k - 1].text.lower() in _CLAUSE_WORDS
                or _CLAUSE_OPEN.search(self.text, before[k - 1].end, word.start)
            )
            if not opens:
                continue
            taken: list[Word] = []
            for item in before[k : k + rule.max_words]:
                if taken and item.gap:
                    break
                lowered = item.text.lower()
                if lowered in heads:
                    taken.append(item)
                    break
                if self.stop(item) and lowered not in _DETERMINERS:
                    taken = []
                    break
                taken.append(item)
            else:
                taken = []
            if not taken or taken[-1].text.lower() not in heads:
                continue
            head_at = k + len(taken) - 1
            following = before[head_at + 1] if head_at + 1 < len(before) else None
            if following is not None and self.finder.lexicon.lookup(following.text):
                continue  # "Model accuracies are 14%": the head is the metric
            if absolute and (following is None or not following.text.endswith("ing")):
                continue  # ", with models trained on X, ...": no verb of its own
            if _CLAUSE_END.search(self.text, taken[-1].end, self.value.start):
                continue  # its clause ended before the number
            words_ = [w.text.lower() for w in taken]
            if (
                set(words_) & (_SELF_WORDS | _NEGATIONS)
                or _refers_back(words_)
                or _made_here(words_)
            ):
                continue
            if words_[0].endswith("ing") and len(words_) > 1 and _opens_object(words_[1]):
                # "exceeding the strongest baseline by ...", "Evaluating three agent
                # frameworks, the best ...": a verb and its object
                continue
            named = self._apposed_name(before, head_at)
            parts = _drop_determiners(taken)
            if named is not None:
                found = named  # "the strongest model Widgetron-7B reinvents": the name
            elif parts:
                found = (parts[0].start, parts[-1].end)  # the last clause start wins
        if found is None:
            return None
        return tidy(self.text[found[0] : found[1]]), found, {}

    def _apposed_name(self, before: list[Word], head_at: int) -> Span | None:
        """The system's name written right after a head noun ("the strongest model
        Widgetron-7B"), or set off after it by a comma or a bracket ("the best model,
        Widgetron-7B, solves", "the best model (Widgetron-7B) reaches"), when it is
        shaped like one (a digit, a hyphen or an inner capital) and is no benchmark."""
        j = head_at + 1
        if j >= len(before) or not _SYSTEM_SHAPE.fullmatch(before[j].text):
            return None
        if before[j].gap and self.text[before[head_at].end : before[j].start].strip() not in (
            ",",
            "(",
        ):
            return None
        if self.mention_at(before[j].start) is not None:
            return None
        end = j
        while (
            end + 1 < len(before)
            and end - j < 3
            and not before[end + 1].gap
            and before[end + 1].text[:1].isupper()
            and _NAME_WORD.fullmatch(before[end + 1].text)
        ):
            end += 1
        return before[j].start, before[end].end

    def _previous(self, rule: FieldRule) -> Found | None:
        """The field of the claim before this one in its sentence, when no other word
        names it: 'X reaches 70.1 accuracy; with hints, it improves to 74.2' (X)."""
        earlier = self._last_read(self.sentence[0], rule.field)
        if earlier is None or (rule.field == "subject" and earlier in self.ctx.rivals):
            return None
        return self._read_field(earlier, rule.field)

    def _list_previous(self, rule: FieldRule) -> Found | None:
        """The field of the previous item of the list the number is in, when the items
        each say where they hold and this one names none: 'accelerates inference by 2.5x
        on X and 4.4x in Y' (inference, for both)."""
        if self.placed_start is None:
            return None
        earlier = self._last_read(self.placed_start, rule.field)
        if earlier is None or self.ctx.units.get(earlier) != self.value.unit_key:
            return None  # "a 2.3x speedup and 19.7 FPS": another quantity
        return self._read_field(earlier, rule.field)

    def _last_read(self, since: int, name: str) -> int | None:
        """The start of the last claim read between ``since`` and this number that has
        the field ``name``."""
        earlier = [
            start
            for start, row in self.ctx.read.items()
            if since <= start < self.value.start and row.get(name)
        ]
        return max(earlier) if earlier else None

    def _baseline_previous_comparison(self, rule: FieldRule) -> Found | None:
        """What the claim before this one in its sentence was compared with, for a
        saving or a speedup that names no comparison of its own and is written in the
        same comparison: "improves over X by 7.7 points while using 4x fewer tokens"
        (X). Not past a ";" or ":", a contrast ("whereas prior methods ..."), or a
        comparison of its own ("matching full fine-tuning with 4,700x fewer ...")."""
        earlier = self._last_read(self.sentence[0], rule.field)
        if earlier is None:
            return None
        row = self.ctx.read[earlier]
        start = max(earlier, row.get(f"{rule.field}_end") or earlier)
        for word in self.between(start, self.value.start):
            lowered = word.text.lower()
            if word.gap and _CLAUSE_END.search(self.text, start, word.start):
                return None
            if lowered in self.cues(rule) or lowered in self.finder.baseline_verbs:
                return None
            if lowered in self.finder.result_verbs:
                return None  # "..., and speedup variance reaches 21.4x": a clause of its own
            start = word.end
        return self._read_field(earlier, rule.field)

    def _read_field(self, start: int, name: str) -> Found:
        """The field ``name`` of the claim read at ``start``, with its offsets."""
        row = self.ctx.read[start]
        begin, end = row.get(f"{name}_start"), row.get(f"{name}_end")
        span = (begin, end) if begin is not None and end is not None else None
        return str(row[name]), span, {}

    def _subject_ours(self, rule: FieldRule) -> Found | None:
        """The paper's own name, when the number's clause speaks of the paper's method
        ("our model reaches", "we obtain", "it improves") and the paper names a method
        (not a benchmark it introduces)."""
        name = self.ctx.short_name
        cues = self.cues(rule)
        if cues and not any(w.text.lower() in cues for w in self.before):
            return None
        baselines = self._our_baselines()
        if baselines is not None:
            return baselines  # "our 2D widget baselines improve ...": not the method
        if name and self._names_benchmark(name):
            return None
        if not name:
            # a paper that names no method: what "our" calls it, when more than a bare
            # noun ("our DAC-style framework surpasses CoT by 8.6%")
            return self._our_phrase(self.finder.lists.get(rule.word_list or "", frozenset()))
        return self._paper_name(name), None, {}

    def _our_baselines(self) -> Found | None:
        """ "our (...) baselines" when the number's clause speaks of them: the paper's own
        baselines are not its method ("our baselines match fully-trained models")."""
        heads = self.finder.lists.get("subject_nouns.txt", frozenset())
        before = self._clause_before()
        for k in range(len(before) - 2, -1, -1):
            if before[k].text.lower() != "our":
                continue
            for j in range(k + 1, min(k + 5, len(before))):
                if before[j].gap:
                    break
                head = before[j].text.lower()
                if head in heads:  # the phrase's head: "our method", "our baselines"
                    if head not in ("baseline", "baselines"):
                        break
                    span = (before[k].start, before[j].end)
                    return tidy(self.text[span[0] : span[1]]), span, {}
            return None
        return None

    def _paper_name(self, name: str) -> str:
        """The paper's name as its results speak of it: the acronym the abstract defines
        for it ("Late-to-Early Training (LET)" gives LET), else the name itself."""
        known = self.ctx.own_names.get(name)
        if known is None:
            known = self.ctx.own_names[name] = self._written_name(name)
        return known

    def _written_name(self, name: str) -> str:
        folded = name.casefold()
        for short, long in self.ctx.defined.items():
            if long.casefold() == folded and short != name:
                return short
        if " " in name:
            # an acronym of the name the abstract uses twice or more, defined or not
            # ("Widget Cache: ..." and "we introduce WC ... WC reaches")
            counts: dict[str, int] = {}
            for word in _CAPITALS_WORD.findall(self.text):
                counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                if count > 1 and word not in name and is_acronym_of(word, name):
                    return word
        return name

    def _our_phrase(self, nouns: frozenset[str]) -> Found | None:
        """The last "our <modifiers> <method noun>" of the number's clause, without
        "our" and words that only praise ("proposed", "novel")."""
        before = self._clause_before()
        for k in range(len(before) - 2, -1, -1):
            if before[k].text.lower() != "our":
                continue
            words_ = before[k + 1 : k + 6]
            end = next(
                (
                    j
                    for j, w in enumerate(words_)
                    if w.text.lower() in nouns or w.text.lower().rstrip("s") in nouns
                ),
                None,
            )
            if end is None or any(w.gap for w in words_[: end + 1]):
                return None
            taken = list(words_[: end + 1])
            while taken and taken[0].text.lower() in _PRAISE:
                taken = taken[1:]
            if len(taken) < 2:
                return None  # "our method": the paper's, but no name
            span = (taken[0].start, taken[-1].end)
            return tidy(self.text[span[0] : span[1]]), span, {}
        return None

    def _baseline_after(self, rule: FieldRule) -> Found | None:
        """'... over the best prior system', 'than Widgetron', 'compared to X'; a number
        with a baseline of its own ("3.4% over A and 6.3% over B") is not read past it."""
        markers = self.finder.markers[rule.id]
        own = self.after[:1]
        starts = {marker[0] for marker in markers if marker}
        end = self.value.end
        if not own or own[0].gap or own[0].text.lower() not in starts:
            end = self._end_of_list()
        sentence = self.between(end, self.sentence[1])
        after = sentence[: rule.reach]
        # (a marker that starts within the reach may end past it)
        lowered = [w.text.lower() for w in sentence[: rule.reach + 2]]
        for k in range(len(after)):
            # (a comparison may open a bracket: "26.7% collapse (vs Widgetron 33.3%)")
            aside = (
                after[k].gap
                and self.text[after[k - 1].end if k else end : after[k].start].strip() == "("
            )
            if (after[k].gap and not aside) or looks_like_number(after[k].text):
                return None
            for marker in markers:
                if lowered[k : k + len(marker)] == marker:
                    n = len(marker)
                    if aside and marker[0] not in ("vs", "vs.", "versus", "compared"):
                        return None
                    # (a marker may end at the reach: what it compares with lies past it)
                    rest = sentence[k + n :]
                    if not rest or rest[0].gap:
                        return None
                    if looks_like_number(rest[0].text):
                        # (not after "over" or "than", which may hedge the number: "while
                        # keeping over 98% of ...", "in fewer than 7% of trials")
                        if marker[0] in ("over", "than"):
                            return None
                        return self._compared_number(rest, rule)
                    if self._entry_ending(after, range(max(0, k - 3), k), rest[0]):
                        continue  # "a 35% gain in Intersection over Union": no baseline
                    if marker[0] == "over" and _spans_a_period(
                        rest, self.finder.lists.get(rule.word_list or "", frozenset())
                    ):
                        return None  # "160% excess return over four years": a period
                    # (what is compared with is a name or a noun phrase, not its setting:
                    # "compared to state-of-the-art VLAs in real robot experiments")
                    span = phrase_right(
                        _drop_determiners(rest), self.stop, rule.max_words, joins=("of",)
                    )
                    if span is None or self.mention_at(span[0]) is not None:
                        return None
                    extra = {}
                    if aside:
                        # "(vs Widgetron 33.3%)": the baseline's own number, in the unit
                        number = self._number_in_unit(span[1], self.text.find(")", span[1]))
                        if number is not None:
                            extra["baseline_value"] = number
                    written = self.text[span[0] : span[1]]
                    if written.endswith(("'s", "’s")):
                        span = (span[0], span[1] - 2)  # "(vs the commercial trio's 86%)"
                    return tidy(self.text[span[0] : span[1]]), span, extra
            if aside:
                return None
        return None

    def _compared_number(self, rest: list[Word], rule: FieldRule) -> Found | None:
        """'76.15% ... compared with 66.50% for full-frame training': whose the number
        compared with is, and that number, in the claim's unit."""
        if len(rest) < 3 or rest[1].gap or rest[1].text.lower() not in ("for", "by"):
            return None
        number = self._number_in_unit(rest[0].start, rest[1].start)
        if number is None:
            return None
        span = phrase_right(rest[2:], self.stop, rule.max_words, joins=("of",))
        if span is None or self.mention_at(span[0]) is not None:
            return None
        return tidy(self.text[span[0] : span[1]]), span, {"baseline_value": number}

    def _number_in_unit(self, start: int, end: int) -> float | None:
        """The one number written in ``[start, end)``, when it has the claim's unit and
        the claim has no baseline value of its own (a pair's first number)."""
        if self.value.baseline_value is not None or end < start:
            return None
        found = scan(self.text[start:end])
        if len(found) != 1 or found[0].unit_key != self.value.unit_key:
            return None
        return found[0].value

    def _baseline_verb_object(self, rule: FieldRule) -> Found | None:
        """'outperforms Widgetron by 4.2%', 'surpassing X by ...', 'outperform X by
        average margins of 10.4%'; a bracket after the object is an aside ('beating
        xz -9e (LZMA2) by 8.7%')."""
        before = self._before_qualifier()
        by = len(before) - 1
        while by > 0 and before[by].text.lower() in _MARGIN_WORDS and not before[by].gap:
            by -= 1  # "by average margins of", "by a wide margin of"
        if by < 0 or before[by].text.lower() != "by":
            return None
        before = before[: by + 1]
        verbs = self.cues(rule)
        for k in range(len(before) - 2, max(-1, len(before) - 2 - rule.reach), -1):
            if before[k].text.lower() in verbs:
                inner = _drop_determiners(before[k + 1 : -1])
                aside = next(
                    (
                        i
                        for i, w in enumerate(inner)
                        if i and self.text[inner[i - 1].end : w.start].strip() == "("
                    ),
                    None,
                )
                if aside is not None:
                    inner = inner[:aside]
                if not inner or len(inner) > rule.max_words or any(w.gap for w in inner[1:]):
                    return None
                span = (inner[0].start, inner[-1].end)
                return tidy(self.text[span[0] : span[1]]), span, {}
            if before[k].gap and not (k and "(" in self.text[before[k - 1].end : before[k].start]):
                return None  # (an aside in brackets is read past: "xz -9e (LZMA2) by")
        return None

    def _baseline_earlier_comparison(self, rule: FieldRule) -> Found | None:
        """What the sentence's comparison names, for a gain written after it: "SAGE
        consistently outperforms GRPO, on average +2.0 on ...", "improves average
        performance over existing baselines, achieving gains of up to 4.37 points"
        (the last comparison verb before the number in its clause, or "over" after a
        verb of improving; its object, up to a preposition or a comma); a reduction too
        ("outperforms X, reducing RMSE by 32%"), and a level reached from a baseline's
        ("outperform X, improving pass rates from 21.1% to 33.3%")."""
        if self.kind not in ("improvement", "speedup", "reduction") and not (
            self.kind == "score" and self.value.baseline_value is not None
        ):
            return None
        before = self._clause_before()
        verbs = self.cues(rule)
        improving = self.finder.lists.get(rule.word_list or "", frozenset())
        # the number's own starting level ("from 21.1% to 33.3%") is no other number
        own_from = (
            self.text.rfind(self.value.baseline_text, self.sentence[0], self.value.start)
            if self.value.baseline_text
            else -1
        )
        for k in range(len(before) - 2, -1, -1):
            word = before[k].text.lower()
            if looks_like_number(word) and not 0 <= own_from <= before[k].start:
                return None  # another number's comparison
            if word == "over":
                if not any(w.text.lower() in improving for w in before[max(0, k - 4) : k]):
                    continue
            elif word not in verbs:
                continue
            rest = _drop_determiners(before[k + 1 :])
            span = phrase_right(rest, self.stop, rule.max_words, joins=("of",))
            if span is None or self.mention_at(span[0]) is not None:
                return None
            taken = [w for w in rest if span[0] <= w.start < span[1]]
            after = rest[len(taken) :]
            if after and after[0].text.lower() in ("and", "or") and not after[0].gap:
                # "outperforms strong sequential and SID-based generative baselines":
                # both sides of the coordination, or the object is cut in the middle
                more = phrase_right(after[1:], self.stop, rule.max_words, joins=("of",))
                if more is None:
                    return None
                span = (span[0], more[1])
                taken = [w for w in rest if span[0] <= w.start < span[1]]
                after = rest[len(taken) :]
            while len(taken) > 1 and taken[-1].text.lower().endswith(("ed", "ing")):
                taken.pop()  # "reasoning reward models trained on ...": the participle goes
            span = (taken[0].start, taken[-1].end)
            if not after and span[1] <= self.value.start <= span[1] + 3:
                return None  # "outperforming the best active model's 27.6%": its own number
            written = tidy(self.text[span[0] : span[1]])
            if " " not in written and written.islower():
                return None  # "improves over time": one plain word names no system
            return written, span, {}
        return None

    def _baseline_opening_comparison(self, rule: FieldRule) -> Found | None:
        """What the number's sentence, or its clause, opens by comparing with:
        "Compared to X, our model improves accuracy by 5%", "...; relative to the dense
        model, it cuts latency by 40%" (the phrase up to the comma, without its article)."""
        s = self.sentence[0]
        found = None
        for match in self.finder.openings[rule.id].finditer(self.text, s, self.value.start):
            found = match
        if found is None or _RELATIVE_OPENING.match(self.text, found.end()):
            return None  # "Compared to X, which reports 61.0%, ...": X's own number
        words = _drop_determiners(self.between(found.start("compared"), found.end("compared")))
        if not words or len(words) > rule.max_words or self.mention_at(words[0].start):
            return None
        span = (words[0].start, words[-1].end)
        return tidy(self.text[span[0] : span[1]]), span, {}

    def _baseline_pair_paren(self, rule: FieldRule) -> Found | None:
        """'from 58% (the old parser) to 81%'."""
        if self.value.baseline_text is None:
            return None
        base_at = self.text.rfind(self.value.baseline_text, self.sentence[0], self.value.start)
        if base_at < 0:
            return None
        between = self.text[base_at + len(self.value.baseline_text) : self.value.start]
        match = _PAREN.search(between)
        if not match:
            return None
        offset = base_at + len(self.value.baseline_text)
        span = (offset + match.start(1), offset + match.end(1))
        return tidy(match.group(1)), span, {}

    def _task_after(self, rule: FieldRule) -> Found | None:
        """'6.1% on multi-hop reasoning tasks', '0.91 AUC on X for zero-shot detection'."""
        after = self.after[: rule.reach]
        preps = self.cues(rule)
        for k, word in enumerate(after):
            if k and word.gap:
                return None
            if word.text.lower() not in preps or k + 1 >= len(after):
                continue
            rest = after[k + 1 :]
            if rest[0].gap or self.mention_at(rest[0].start) is not None:
                continue
            span = phrase_right(_drop_determiners(rest), self.stop, rule.max_words)
            if span is None:
                continue
            text = tidy(self.text[span[0] : span[1]])
            if _TASKS.search(text) or (word.text.lower() == "for" and text.islower()):
                return text, None, {}
        return None

    # -- helpers

    def _governing_verb(self, before: list[Word], reach: int) -> str | None:
        """The nearest verb-like cue word before a 'by' phrase ("lowers X by ...")."""
        for word in reversed(before[-reach:]):
            lowered = word.text.lower()
            if lowered in self.finder.verbs:
                return lowered
        return None

    def _bracketed(self, word: Word) -> bool:
        """A word in brackets right after the previous one: 'Time to Answer (TTA)'."""
        return self.text[: word.start].rstrip().endswith("(") and self.text.startswith(
            ")", word.end
        )

    def _before_qualifier(self) -> list[Word]:
        """Words before the number, without a hedge right before it ("by up to");
        ``_hedged`` says whether there was one."""
        if self._qualified is None:
            before = list(self.before)
            while before and before[-1].text.lower() in self.finder.hedge_words:
                before.pop()
                self._hedged = True
            self._qualified = before
        return self._qualified

    def _drop_benchmark_tail(self, inner: list[Word]) -> list[Word]:
        for k in range(len(inner) - 1, 0, -1):
            if inner[k - 1].text.lower() in ("on", "in") and self.mention_at(inner[k].start):
                return inner[: k - 1]
        return inner

    def _after_bare_list(self) -> list[Word] | None:
        """The words after the list this number opens, when nothing but a comma or "and"
        stands between its numbers and they share a unit ("41.2 and 38.5 BLEU")."""
        if self._bare is not None:
            return self._bare or None
        end = self.value.end
        unit = _unit_mark(self.value.text)
        spans = self.ctx.claim_spans  # (in text order)
        for s, e in spans[bisect_left(spans, (end, 0)) :]:
            if not _BARE_JOIN.fullmatch(self.text, end, s) or _unit_mark(self.text[s:e]) != unit:
                break
            end = e
        self._bare = [] if end == self.value.end else self.between(end, self.sentence[1])
        return self._bare or None

    def _end_of_list(self) -> int:
        """End of the list of numbers this one belongs to ("+9.2 and +7.4 points")."""
        if self._list_end is None:
            self._list_end = self._list_end_of()
        return self._list_end

    def _list_end_of(self) -> int:
        end = self.value.end
        spans = self.ctx.claim_spans  # (in text order)
        for s, e in spans[bisect_left(spans, (end, 0)) :]:
            if s - end <= max_width(_LIST_JOIN) and _LIST_JOIN.fullmatch(self.text, end, s):
                if any(end <= m.start < s for m in self.ctx.mentions if not m.in_title):
                    break  # "0.97 on A, 0.98 on B": each number has its own benchmark
                end = e
        return end


# the owner written before a metric: "the baseline's ", "Whisper 's ", "GPT-4o’s "
_OWNER = re.compile(r"[^'’]{1,60}?\s?['’]s\s+")
_BARE_JOIN = re.compile(r"\s?(?:,|,?\s(?:and|or))\s?[+]?", re.I)


# a number written as a result ("66.7%", "0.584"), not one inside a name ("AIME-120")
_RESULT_NUMBER = re.compile(r"(?<![\w.\-])\d+(?:\.\d+)?\s?\\?%|(?<![\w.\-])\d+\.\d+(?![\w.])")
_JOINS = frozenset({"in", "of"})
#: adverbs between a phrase and its verb ("it also improves")
_ADVERBS = frozenset({"also", "further", "still", "even", "only", "then", "thus", "now"})
#: words that open a clause a phrase may start after ("..., with X reduced by 45%")
_CLAUSE_OPENERS = frozenset({"with", "and", "while", "whereas", "where", "as"})
_EQUALS_SIGNS = frozenset({"=", "≈", "~"})


def _unit_mark(text: str) -> str:
    """How a number's text ends: '%', 'x', or '' (no unit sign)."""
    last = text.rstrip()[-1:].lower()
    return last if last in ("%", "x", "×") else ""


_LIST_JOIN = re.compile(r"(?:\s?[A-Za-z@\-/]{1,15}){0,2}\s?(?:,|,?\s(?:and|or))\s?[+]?", re.I)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "this",
        "these",
        "those",
        "his",
        "her",
        "all",
        "both",
        "each",
    ]
)
_COUNT_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "twelve",
        "several",
        "multiple",
        "many",
        "various",
    ]
)


def _opens_object(word: str) -> bool:
    """Whether a word after a verb in -ing starts its object: a determiner or a count."""
    return word in _DETERMINERS or word in _COUNT_WORDS or word[:1].isdigit()


#: words after which a name is what a result is compared with
_COMPARED_WITH = frozenset(["over", "than", "versus", "vs", "vs.", "against", "with", "using"])


def _drop_determiners(items: list[Word]) -> list[Word]:
    i = 0
    while i < len(items) and items[i].text.lower() in _DETERMINERS:
        i += 1
    return items[i:]


def _plain_phrase(parts: list[Word], after: list[Word]) -> list[Word]:
    """The words of a phrase that may name a metric no lexicon knows: all in lower case
    and without digits, and not ending in a participle or in a verb (a word that a
    determiner follows: "the 4.4pp gap reflects a trade-off" -> gap); empty when they
    may not."""
    if any(not w.text.islower() or any(c.isdigit() for c in w.text) for w in parts):
        return []
    following = {w.start: after[k + 1] for k, w in enumerate(after[:-1])}
    while parts:
        last, next_word = parts[-1], following.get(parts[-1].start)
        verb = next_word is not None and next_word.text.lower() in ("a", "an", "the")
        if last.text.lower().endswith(("ed", "ing")) or verb:
            parts = parts[:-1]
            continue
        break
    return parts


def phrase_right(
    items: list[Word], stop: Any, max_words: int, joins: tuple[str, ...] = ("of", "in", "per")
) -> Span | None:
    """A noun-like phrase at the start of ``items``: up to a stop word or punctuation.

    The ``joins`` ("of", "in" and "per") may join two parts ("count of active experts",
    "time per query") when a word that is not a stop word follows them.
    """
    items = _drop_determiners(items)
    taken: list[Word] = []
    k = 0
    while k < len(items) and len(taken) < max_words:
        word = items[k]
        if taken and word.gap:
            break
        if word.text.lower() in joins and taken:
            if k + 1 < len(items) and not items[k + 1].gap and not stop(items[k + 1]):
                taken.append(word)
                k += 1
                continue
            break
        if stop(word):
            break
        taken.append(word)
        k += 1
    while taken and taken[-1].text.lower() in joins:
        taken.pop()
    if not taken:
        return None
    return taken[0].start, taken[-1].end


#: present participles that open a phrase after a system's name ("X using only ...");
#: other "-ing" words after a name are mostly the head of a noun ("S0 tuning improves")
_PARTICIPLES = frozenset(["using", "leveraging", "employing", "utilizing", "with"])


def _name_before_participle(items: list[Word], max_words: int) -> Span | None:
    """The name a participle phrase follows, right before the verb: "SPEED using only
    75% of layers reaches", "Gizmo trained on half the data reaches" (the phrase, two to
    eight words, holds no comma or bracket; a participle right before the verb is
    the head of a noun: "Transfer learning yields")."""
    for k in range(len(items) - 2, max(0, len(items) - 9), -1):
        if items[k].gap or items[k + 1].gap:
            return None
        word = items[k].text
        if word in _PARTICIPLES or (word.islower() and word.endswith("ed") and len(word) > 4):
            if word not in _PARTICIPLES and k + 2 == len(items) and items[k + 1].text.islower():
                return None  # "Compiled structured directives achieve": an adjective
                # and the noun the verb agrees with, no phrase after a name
            span = _name_left(items[:k], max_words)
            if span is None:
                return None
            start = next(i for i, w in enumerate(items) if w.start == span[0])
            if start and items[start - 1].text.lower() in _PREPOSITIONS:
                return None  # "on WidgetQA trained with ...": a preposition's object
            return span
    return None


def phrase_left(items: list[Word], stop: Any, max_words: int) -> Span | None:
    """A noun-like phrase at the end of ``items`` (read right to left)."""
    taken: list[Word] = []
    k = len(items) - 1
    while k >= 0 and len(taken) < max_words:
        word = items[k]
        if word.text.lower() in ("of", "in", "per") and taken and k > 0:
            previous = items[k - 1]
            if not stop(previous) and not taken[0].gap and not word.gap:
                taken.insert(0, word)
                k -= 1
                continue
            break
        if stop(word) or word.text.lower() in _DETERMINERS:
            break
        if taken and taken[0].gap:
            break
        taken.insert(0, word)
        k -= 1
    while taken and taken[0].text.lower() in ("of", "in", "per"):
        taken.pop(0)
    if not taken:
        return None
    return taken[0].start, taken[-1].end


_NAME_WORD = re.compile(r"[A-Z0-9][\w.\-+'^]*|[a-z]+[A-Z][\w.\-+'^]*")
# a capitalised word joined to a participle: a modifier, not a name ("Holm-corrected",
# "Pre-trained", "Self-supervised"; a name capitalises its parts, "Self-Refine")
_PARTICIPLE_COMPOUND = re.compile(r"[A-Z][a-z]+-[a-z]+(?:ed|ing)")
# a word shaped like a system's name: capitalised, with a digit, a hyphen or an inner
# capital ("Widgetron-7B", "Gizmo3", "GadgetLM")
_SYSTEM_SHAPE = re.compile(r"[A-Z][\w.+]*(?:\d|-[\w]|[a-z][A-Z])[\w.\-+]*")


def _name_right(items: list[Word], max_words: int) -> Span | None:
    taken: list[Word] = []
    for word in items[:max_words]:
        if (taken and word.gap) or not _NAME_WORD.fullmatch(word.text):
            break
        taken.append(word)
    return (taken[0].start, taken[-1].end) if taken else None


def _name_left(items: list[Word], max_words: int) -> Span | None:
    taken: list[Word] = []
    window = items[-max_words:]
    for i in range(len(window) - 1, -1, -1):
        word = window[i]
        # a version number inside a name ("Gemini 3 Pro"), or a "v" version ending
        # one ("Widgetron v4")
        # (or ends one: "V-JEPA 2 dominates", not "Table 2 shows")
        version = _VERSION.fullmatch(word.text) is not None and (
            bool(taken) or (i > 0 and window[i - 1].text not in _NUMBERED_NOUNS)
        )
        version = version or V_VERSION.fullmatch(word.text) is not None
        inner = (
            version
            and i > 0
            and not word.gap
            and window[i - 1].text[:1].isupper()
            and _NAME_WORD.fullmatch(window[i - 1].text) is not None
        )
        if not inner and (not _NAME_WORD.fullmatch(word.text) or looks_like_number(word.text)):
            break
        taken.insert(0, word)
        if word.gap:
            break
    if not taken:
        return None
    # a capitalised first word of a sentence is not part of a name ("Our Widgetron")
    while taken and taken[0].text.istitle() and taken[0].text.lower() in _COMMON_STARTS:
        taken.pop(0)
    if not taken:
        return None
    return taken[0].start, taken[-1].end


#: words that praise a method rather than name it ("our proposed method")
_PRAISE = frozenset(["proposed", "novel", "new", "simple", "final", "full", "best", "own"])
#: capitalised nouns a number follows that are not names ("Table 2", "Stage 3")
_NUMBERED_NOUNS = frozenset(
    [
        "Table",
        "Figure",
        "Fig",
        "Section",
        "Sec",
        "Stage",
        "Phase",
        "Step",
        "Level",
        "Task",
        "Round",
        "Experiment",
        "Setting",
        "Part",
        "Eq",
        "Equation",
        "Appendix",
        "Version",
        "Tier",
        "Track",
        "Split",
        "Case",
        "Study",
        "Test",
    ]
)
_COMMON_STARTS = frozenset(
    [
        "we",
        "it",
        "this",
        "our",
        "the",
        "these",
        "they",
        "experiments",
        "results",
        "evaluations",
        "moreover",
        "furthermore",
        "specifically",
        "even",
        "notably",
        "empirically",
        "finally",
        "overall",
        "additionally",
        "in",
        "on",
        "for",
        "not",
    ]
)


#: a sentence that opens by saying, in lower-case words, where its numbers hold ("On
#: online text classification, ..."); its first word is checked against the rule's
#: discourse openers ("In particular, ...")
_OWN_SETTING = re.compile(
    r"(?:On|In|For|Across)\s+(?:the\s+)?(?P<first>[a-z][\w-]*)(?:\s+[a-z][\w-]*){0,5},\s"
)
#: words that grade a statistic rather than name it ("strong correlation")
_STATISTIC_GRADES = "statistic_grades.txt"
#: a statistic written with two capitals or more ("ICC", "ICC(2,1)"): a name, not a symbol
_NAMED_STATISTIC = re.compile(r"[A-Z]{2,}")
#: the symbols of a statistic: a word list of the pipeline folder
STATISTIC_SYMBOLS = "statistic_symbols.txt"


def statistic_pattern(symbols: Sequence[str], leads: Sequence[str] = ()) -> str:
    """A regex of a statistic's symbol and what joins it to its number, ending where the
    number starts: "(r = ", "Spearman $\\rho=", "ICC(2,1) = ", "$\\rho \\approx ",
    "$r{=}{-}". Groups: ``lead`` (a name of ``leads`` before the symbol), ``symbol``
    (with an ICC's model), ``sub`` (its subscript)."""
    alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    lead = "|".join(re.escape(w) for w in leads)
    return (
        r"(?:^|[\s($,;])"
        + (r"(?P<lead>(?:" + lead + r")(?:['’]s?)?\s\$?)?" if lead else r"(?P<lead>(?!))?")
        + r"(?P<symbol>(?:"
        + (alternatives or "(?!)")
        + r")(?:\(\d,\s?\d\))?)"
        + r"(?:_\{?(?P<sub>[A-Za-z]+)\}?)?"
        + r"\s?(?:\{=\}|=|\\approx|≈)\s?(?:\{?[-−]\}?)?"
    )


#: what joins a number to what it was reported on ("0.97 on GenEval"); matched right
#: after a number, it says the number names its own target
_ON_TARGET = re.compile(r"\s*(?:%|\\%|pp|points?)?\s+on\s+(?:the\s+)?")

#: words before the systems a comparison names ("outperforming both full adaptation")
_COMPARED_LEADS = frozenset(["both", "all", "the", "a", "an", "most", "many", "several"])

#: a capitalised name and its possessive "'s" (up to four words: "Claude Sonnet 4.5's")
_POSSESSOR = r"(?P<name>[A-Z][\w.\-]*(?:\s[A-Z0-9][\w.\-]*){0,3})['’]s\s"
#: "71% of Claude's failures": the owner right after the number and "of"
_OWNER_AFTER = re.compile(r"\s*(?:\\?%)?\s+of\s+" + _POSSESSOR + r"(?P<next>[\w\-]+)")
#: "Claude's performance from 33.3% to": the owner, the metric's words, a link
_OWNER_BEFORE = re.compile(
    _POSSESSOR
    + r"(?P<next>[a-z][\w\-]*)\s(?:[a-z][\w\-]*\s){0,3}?"
    + r"(?:from\s\S+\sto|of|is|was|reaches|reached|=)\s*$"
)

#: a clause ends at a semicolon or a colon
_CLAUSE_END = re.compile(r";|:\s")
#: what may open a clause: a sentence start, a semicolon, a colon, a comma, a bracket
_CLAUSE_OPEN = re.compile(r"[;:,(]|\)")
_NEGATIONS = frozenset(["no", "none", "neither", "nor", "not"])
_ADVERB = re.compile(r"[a-z]+ly")
#: adverbs without -ly that stand between a subject and its verb ("X further improves")
_PLAIN_ADVERBS = frozenset(["further", "also", "still", "often", "even", "then", "alone"])
#: hedges written inside a bracket before its number ("(~45%)", "($\approx$45%)")
_HEDGE_MARKS = re.compile(r"\$?\\approx\$?|\$?\\sim\$?|[~≈]")
#: a version number inside a name ("Gemini 3 Pro", "Claude 3.5 Sonnet")
_VERSION = re.compile(r"\d{1,2}(?:\.\d{1,2})?")
#: the preposition that opens a list of settings after numbers, and its separators
# ranking metrics that take a cut-off, and the cut-off written after one ("at 10", "@ 5")
_CUTOFF_METRIC = re.compile(r"(?i)\b(?:n?dcg|recall|precision|hits?|hit rate|mrr|map|pass)$")
_CUTOFF = re.compile(r"\s?(?:at|@)\s?\d{1,3}\b(?![.,]\d)")
# "in 80% of the runs": the share of cases in which something holds
_FREQUENCY = frozenset(["in", "on", "across"])
# between two benchmarks of a list: "A, B, and C"
# (a name's kind may come between: "on the A benchmark and B simulation")
_BENCHMARK_JOIN = re.compile(
    r"(?:\s(?:benchmark|dataset|suite|simulation|simulator|environment|test set)s?)?"
    r"(?:\s?,\s?(?:and\s)?|\s(?:and|or)\s)"
)
# a bracketed aside right after a number, or the rest of the bracket the number is in:
# "6.0 points (36.4% relative) in", "19.6% relative) in"
_ASIDE = re.compile(r"\s?\([^()]{1,60}\)\s|(?:\s(?:absolute|relative|overall))?\s?\)\s")
#: words after a number that say how a change is counted ("15% absolute in F1")
_COUNTED = frozenset(["absolute", "relative", "overall"])
#: a count or a size written as a number ("14M", "600B", "1,200"), not "3D"
_COUNT = re.compile(r"\d[\d,.]*[KMBT]?")
#: nouns a metric's word may modify without being a metric there ("reward model")
_MODEL_NOUNS = frozenset(["model", "models"])
#: words between a list of metrics and the numbers that follow it ("F1 are 81% ...")
_LIST_LINKS = frozenset(["by", "of", "is", "are", "was", "were", "to", "at", "reach", "reaches"])
#: words after which a phrase names what a result is compared with, not its metric
_COMPARISON_WORDS = frozenset(["than", "over", "versus", "vs", "vs.", "against"])


def _compared(before: list[Word], span: Span) -> bool:
    """Whether the phrase at ``span`` follows a comparison word: "than X", "over X"."""
    first = next((k for k, w in enumerate(before) if w.start == span[0]), 0)
    return first > 0 and before[first - 1].text.lower() in _COMPARISON_WORDS


def _before_comparison(inner: list[Word]) -> list[Word]:
    """A metric phrase cut where a comparison ("over X") or a model's name ("of
    Widget-7B") begins."""
    for k in range(1, len(inner)):
        lowered = inner[k].text.lower()
        if lowered in _COMPARISON_WORDS:
            return inner[:k]
        if lowered == "of" and k + 1 < len(inner) and inner[k + 1].text[:1].isupper():
            return inner[:k]
    return inner


_LIST_HEAD = re.compile(r"\b(?:on|in|across|for)\s+(?:the\s+)?")
# a slash between two items of a paired list ("+20.2 / +17.1", "A / B")
_SLASH = re.compile(r"\s?/\s?")
# what opens the benchmarks a list of numbers is paired with: "18.7% and 11.9% on A and B"
_PAIRED_HEAD = re.compile(r"\s(?:on|in|across)\s+(?:the\s+)?")
_LIST_SEP = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
#: a name after these is an example of the subject, not the subject
_EXAMPLES = re.compile(r"\b(?:such as|including|e\.g\.,?)\s[^,;:()]*$")
#: a bracket that opens with an example, the name right after the marker
_EXAMPLE_CLAUSE = re.compile(r"\((?:e\.g\.|for example|for instance),?\s$")
#: words after which a clause opens ("we find that X ...", "while X ...")
_CLAUSE_WORDS = frozenset(["that", "while", "whereas", "but", "and", "where"])
#: words that open a contrasting clause after a comma
_CONTRAST = frozenset(["while", "whereas", "but", "although", "though"])
#: a name of a list of systems: words that are capitalised, hold a digit or are
#: camelCase ("Gemini-3-Pro", "Claude Opus 4.5", "GPT-OSS-120B")
_NAME_ITEM = re.compile(
    r"(?<![\w\-])(?:[A-Z0-9][\w.\-+]*[\w+]|[a-z]+[A-Z][\w.\-+]*|[A-Z])"
    r"(?:\s(?:[A-Z0-9][\w.\-+]*[\w+]|[a-z]+[A-Z][\w.\-+]*)){0,3}(?![\w\-])"
)
#: a list of such names: "A, B, and C", "A and B"
_NAME_LIST = re.compile(
    "(?:" + _NAME_ITEM.pattern + r")(?:\s?,\s?(?:" + _NAME_ITEM.pattern + r"))*"
    r"\s?,?\s(?:and|or)\s(?:" + _NAME_ITEM.pattern + ")"
)
#: a noun that names a quality or a measure by its ending ("reproduction", "fidelity",
#: "robustness", "agreement")
_NOMINAL = re.compile(r"[a-z]{3,}(?:tion|sion|ity|ness|ance|ence|ancy|ency|ment|age)")
#: prepositions: a noun phrase after one is its object, not a clause's subject
_PREPOSITIONS = frozenset(
    ["with", "of", "in", "on", "for", "by", "from", "to", "at", "into", "over", "under",
     "across", "through", "via", "without", "between", "among", "against", "beyond"]
)  # fmt: skip
#: a name built on what it measures: "PickScore", "EditReward", "HPSRate"
_COMPOUND_METRIC = re.compile(r"[A-Z][\w\-]*?(?:Score|Reward|Rate|Index|Accuracy|Loss|Error)")
#: pronouns that stand for a metric named before ("increase it by 60%")
_PRONOUNS = frozenset(["it", "them", "this", "these", "those", "that"])
#: ... and those that stand as a clause's subject ("It also improves by 3.9%")
_SUBJECT_PRONOUNS = _PRONOUNS | {"they", "we"}
#: relative pronouns after a comma: "X, which speeds up ..." speaks of X
_RELATIVE = frozenset(["which", "who"])
#: words by which an abstract speaks of its own method
_SELF_WORDS = frozenset(["our", "ours", "proposed", "we", "this"])


def _with_long_form(context: Context, name: str, span: Span) -> tuple[str, Span]:
    """An acronym written in brackets after the long form it stands for is read with
    it, as written: "an Information Coefficient (IC) of 0.15" -> "Information
    Coefficient (IC)"."""
    long = context.defined.get(name)
    if not long:
        return name, span
    head = context.text[: span[0]].rstrip()
    if not head.endswith("(") or not context.text[span[1] :].lstrip().startswith(")"):
        return name, span
    head = head[:-1].rstrip()
    if not head.lower().endswith(long.lower()):
        return name, span
    start = len(head) - len(long)
    end = context.text.index(")", span[1]) + 1
    return tidy(context.text[start:end]), (start, end)


def _bracket_closed(text: str, name: str, span: Span) -> tuple[str, Span]:
    """A name that opens a bracket ends with it when the text closes it right after:
    "Time-to-First-Token (TTFT" -> "Time-to-First-Token (TTFT)"."""
    if name.count("(") <= name.count(")"):
        return name, span
    rest = text[span[1] : span[1] + 3]
    if not rest.lstrip().startswith(")"):
        return name, span
    end = text.index(")", span[1]) + 1
    return tidy(text[span[0] : end]), (span[0], end)


def _whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer word or hyphenated name."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_")


def _refers_back(words: list[str], nouns: frozenset[str] | None = None) -> bool:
    """'the system', 'the model': a definite singular noun alone refers back to the
    system the abstract is about (its own), not to others; with ``nouns``, only one of
    those names a system ('the gate' is a part of one)."""
    return (
        len(words) == 2
        and words[0] == "the"
        and not words[1].endswith("s")
        and (nouns is None or words[1] in nouns)
    )


#: the word list of the nouns that name a system or method ("the framework")
_SYSTEM_NOUNS = "method_nouns.txt"


def _made_here(words: list[str]) -> bool:
    """'the resulting model', 'the final model': the system the paper made."""
    return len(words) == 3 and words[1] in _MADE and _refers_back([words[0], words[2]])


#: words that say a system is what the paper made ("the resulting model")
_MADE = frozenset(["resulting", "final", "trained", "fine-tuned", "distilled", "learned"])


def method_of(rule: FieldRule) -> Any:
    """The reader method a field rule names: ``_<field>_<method>``, else ``_<method>``."""
    method = getattr(_Reader, f"_{rule.field}_{rule.method}", None)
    if method is None:
        method = getattr(_Reader, f"_{rule.method}", None)
    return method


def _check_rule(rule: FieldRule, path: Path) -> str | None:
    """Why a field rule cannot run (checked when the pipeline loads), or None."""
    if method_of(rule) is None:
        return f"method: no method '{rule.method}' reads the field '{rule.field}'"
    if rule.word_list and not (path.parent.parent / "gazetteers" / rule.word_list).is_file():
        return f"word_list: no file gazetteers/{rule.word_list} in the pipeline folder"
    return None


def _with_cutoff(text: str, metric: str, span: Span) -> tuple[str, Span]:
    """A ranking metric with the cut-off written after it: 'NDCG at 10', 'Recall @ 5'
    (the cut-off is part of the metric's name; ``claim.not.metric_cutoff`` keeps its
    number from being a claim)."""
    if not _CUTOFF_METRIC.search(metric):
        return metric, span
    cutoff = _CUTOFF.match(text, span[1])
    if cutoff is None:
        return metric, span
    return text[span[0] : cutoff.end()], (span[0], cutoff.end())


def _canonical(mention: Mention) -> dict[str, Any]:
    return {"benchmark_canonical": mention.canonical}


# "NAME (" right before a number: the number is reported on NAME
_BEFORE_PAREN = re.compile(r"\s?\(\s?(?:\$?\\approx\$?\s?|~\s?|≈\s?)?")
_PAREN = re.compile(r"\(\s*([^()]{1,60}?)\s*\)")
_TASKS = re.compile(r"\btasks?$")


def _key(mention: Mention) -> str:
    return canonical_key(mention.canonical or mention.form_of or mention.name)


def _same(a: Mention, b: Mention) -> bool:
    return _key(a) == _key(b)


def _spans_a_period(words: list[Word], periods: frozenset[str]) -> bool:
    """Whether the words after "over" count a span of time or of training ("four
    years", "the last ten epochs"; ``periods``: the nouns of such spans): what a number
    is measured over, not what it is compared with."""
    opening = words[:4]
    return any(w.text.lower() in periods for w in opening) and not any(
        w.text[:1].isupper() for w in opening
    )


#: a number alone in its bracket: "creativity (4.02)"
_OPEN_BRACKET = re.compile(r"\s?\(\s?")
#: what a benchmark's own score is called after its name ("PaperBench score")
_BENCHMARK_SCORE_WORDS = frozenset(["score", "scores"])
#: capitalised words and nothing else: a language, a domain, a class ("Kazakh", "Software
#: Engineering"), unless a model family opens them
_PLAIN_WORDS = re.compile(r"[A-Z][a-z]+(?:\s[A-Za-z][a-z]+)*")
#: a bracket's end, past what its number is compared with ("(0.87 vs 0.90)")
_CLOSE_PAIRED_BRACKET = re.compile(r"\s?(?P<compared>(?:vs\.?|versus)\s+[^()\s]{1,12}\s?)?\)")
#: a relative clause after a comma: what it says is of the phrase before the comma
_RELATIVE_OPENING = re.compile(r"(?:which|who|that|where)\b", re.IGNORECASE)
#: an article opening a name ("The Widget Race")
_ARTICLE_OPENING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
#: a word in capitals, an acronym's shape ("WC", "RL-W2")
_CAPITALS_WORD = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?(?![\w-])")

#: a list's own first item after a benchmark named before it: "on A for X(, Y ...)"
_SHARED_AFTER = re.compile(r"\s+(?:for|with|using|under)\s+\S")


def _distinct(mentions: Any) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for mention in mentions:
        k = _key(mention)
        if k not in seen:
            seen.add(k)
            out.append(mention)
    return out


def _value_lists(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Numbers of a sentence grouped into lists ("+2.1 points and +3 solved tasks")."""
    groups: list[list[tuple[int, int]]] = []
    for span in sorted(spans):
        end = groups[-1][-1][1] if groups else 0
        if (
            groups
            and span[0] - end <= max_width(_LIST_JOIN)
            and _LIST_JOIN.fullmatch(text[end : span[0]])
        ):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups
