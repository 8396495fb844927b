"""Numeric result claims: "0.77 FAD on AudioCaps", "improves ... by 15.6%", "2.8x speedup".

How a claim is found, in order (each step is a rule type of ``rules/claims.jsonl``):

1. **pair** rules find before/after pairs ("from 35.6% to 46.7%", "54.1 vs. 80.8"): one
   claim, the second number its value and the first its ``baseline_value``;
2. every other number is scanned with its unit (:mod:`.values`);
3. **veto** rules drop numbers that are not results: sizes, resolutions, years,
   versions, settings ("175B parameters", "224 x 224", "Gemini 1.0");
4. numbers with a result unit (%, x, percentage points) are candidates; a number
   without one needs an **accept** rule (a sign, "points", a comparison, a metric name
   beside it, or a place in a list of claims);
5. **kind** rules read the words around a candidate: a cue just after it ("96%
   reduction", "3x speedup", "95% of the full model's accuracy") outranks one before it
   ("improves ... by 15.6%"), and a nearer cue outranks a farther one; when none
   applies, the rule marked ``default`` for its unit decides;
6. the claim's metric, benchmark, subject, baseline and task are read by the field
   rules of ``rules/claim_fields.jsonl`` (:mod:`.claim_fields`).

Each claim row records the id of the rule that decided its kind (or of its pair rule);
every rule that fired is also listed in the trace, for tests and debugging.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .claim_fields import Context, FieldFinder, Mention, statistic_pattern
from .fragments import CLAIM_PLACEHOLDERS
from .metrics import MetricLexicon, is_acronym_metric
from .rule_models import (
    CLAIM_RULES,
    AcceptRule,
    AnchoredRule,
    KindRule,
    PairRule,
    QualifierRule,
    VetoRule,
    WordsRule,
)
from .rules import PLACEHOLDER, load_gazetteer, load_rules, load_words
from .text import (
    Sentences,
    Word,
    anchor_spans,
    anchored_matches,
    edge_past_spaces,
    first_char_alternation,
    max_width,
    phrase_regex,
    required_literals,
    strip_span,
)
from .values import NUMBER, SIGN, Value, parse_number, scan, unit_of

# the parser of regular expressions gives the longest text a pattern matches (no public
# API does); it moved in Python 3.11
if sys.version_info >= (3, 11):
    import re._constants as _sre
    import re._parser as _regex_parser
else:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _regex_parser


_WINDOW = 80
# a word of letters (a bracket that holds one before its number names what it measures)
_WORD = re.compile(r"[A-Za-z]{2,}")
# A clause boundary inside a sentence: cues before it do not speak of numbers after it.
_CLAUSE_BREAK = re.compile(r";|:\s|,\s(?:while|whereas|but|although|though)\b")


def _cue_key(cue: str) -> str:
    return " ".join(cue.lower().split())


def _compile_anchor(
    rule: AnchoredRule | KindRule, expand: Callable[[str], str]
) -> tuple[Any, Any, Any]:
    """A rule's patterns compiled, their placeholders written out by ``expand``."""

    def compiled(pattern: str | None, ends: bool = False) -> re.Pattern[str] | None:
        if not pattern:
            return None
        pattern = expand(pattern)
        return re.compile("(?:" + pattern + ")$" if ends else pattern)

    return compiled(rule.before, ends=True), compiled(rule.after), compiled(rule.value)


def _reach(pattern: re.Pattern[str] | None) -> int:
    """How far before a number a ``before`` pattern (which ends at the number) can
    start: the longest text it matches, at most the window. A short pattern ("(",
    "p < ") is then tried at a few places, not at each of the window's 80."""
    if pattern is None:
        return _WINDOW
    longest = int(_regex_parser.parse(pattern.pattern).getwidth()[1])
    return min(longest, _WINDOW)


def _one_word(pattern: re.Pattern[str]) -> bool:
    """Whether every match of a ``before`` pattern is characters other than spaces and
    then spaces ("\\b[A-Z][\\w\\-]*[a-z][\\w\\-]*\\s"): such a match starts after the last
    space before the word that ends at the number, so the search need not start
    earlier (80 characters back for an unbounded pattern)."""
    return _word_shape(_regex_parser.parse(pattern.pattern, pattern.flags).data) is not None


#: what a part of a regex matches: nothing (zero width), characters other than spaces
#: ("word"), spaces, or the two in that order ("word spaces")
_ZERO, _WORD_CHARS, _SPACES, _WORD_THEN_SPACES = "zero", "word", "spaces", "word spaces"


def _word_shape(items: Any) -> str | None:
    """The shape of a parsed regex sequence (see :func:`_one_word`), or None when it may
    match spaces before other characters."""
    shape = _ZERO
    for op, av in items:
        part = _item_shape(op, av)
        if part is None:
            return None
        if part == _ZERO:
            continue
        if shape == _ZERO:
            shape = part
        elif shape == _WORD_CHARS:
            shape = _WORD_CHARS if part == _WORD_CHARS else _WORD_THEN_SPACES
        elif part != _SPACES:
            return None  # (after spaces, only spaces)
    return shape


def _item_shape(op: Any, av: Any) -> str | None:
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _ZERO  # (a lookaround's text lies outside the match)
    if op is _sre.LITERAL:
        return _SPACES if chr(av).isspace() else _WORD_CHARS
    if op is _sre.IN:
        kinds = {_class_shape(kind, item) for kind, item in av}
        return kinds.pop() if len(kinds) == 1 else None
    if op is _sre.SUBPATTERN:
        return _word_shape(av[3].data)
    if op is _sre.BRANCH:
        shapes = {_word_shape(branch.data) for branch in av[1]} - {_ZERO}
        if None in shapes:
            return None
        if len(shapes) <= 1:
            return shapes.pop() if shapes else _ZERO
        return _WORD_THEN_SPACES  # (word, spaces, or the two: each is a word then spaces)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        inner = _word_shape(av[2].data)
        return None if inner == _WORD_THEN_SPACES else inner
    return None  # (any character, a negated literal, a back-reference...)


def _class_shape(kind: Any, item: Any) -> str | None:
    """The shape of one member of a character class."""
    if kind is _sre.LITERAL:
        return _SPACES if chr(item).isspace() else _WORD_CHARS
    if kind is _sre.RANGE:
        low, high = item
        spaces = sum(chr(c).isspace() for c in range(low, high + 1))
        return _WORD_CHARS if not spaces else _SPACES if spaces == high - low + 1 else None
    if kind is _sre.CATEGORY:
        if item in (_sre.CATEGORY_SPACE, _sre.CATEGORY_UNI_SPACE):
            return _SPACES
        if item in (
            _sre.CATEGORY_WORD,
            _sre.CATEGORY_UNI_WORD,
            _sre.CATEGORY_DIGIT,
            _sre.CATEGORY_UNI_DIGIT,
        ):
            return _WORD_CHARS
    return None  # (a negated class, a class of non-digits...)


def _word_start(text: str, start: int, end: int) -> int:
    """Where the characters other than spaces that end at ``end`` (past the spaces that
    end there) start; not before ``start``."""
    at = end
    while at > start and text[at - 1].isspace():
        at -= 1
    while at > start and not text[at - 1].isspace():
        at -= 1
    return at


def _case_folded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same regex without IGNORECASE, for the lower-cased text of an ASCII text, or
    None when the two might match differently.

    sre runs an IGNORECASE pattern several times slower than an exact one. For ASCII
    text, lower-casing the text is what IGNORECASE does, provided that the pattern's
    case-insensitive parts hold no capital letter, its case-sensitive parts no letter
    at all ("\\b(?i:with|using)\\s+\\d": yes; "\\bv(?i:ersion)": no), and it has no
    back-reference. The rewritten pattern ("(?i:" read as "(?:") must parse to the
    same regex but for the flag.
    """
    source = pattern.pattern.replace("(?i:", "(?:")
    flags = pattern.flags & ~re.IGNORECASE
    if source == pattern.pattern or "(?i" in source or pattern.flags & re.IGNORECASE:
        return None  # (only inline case-insensitive groups are rewritten)
    try:
        folded = re.compile(source, flags)
        original = _regex_parser.parse(pattern.pattern, pattern.flags).data
        rewritten = _regex_parser.parse(source, flags).data
    except re.error:  # pragma: no cover
        return None
    if _shape(original) != _shape(rewritten) or not _foldable(original, False):
        return None
    return folded


def _shape(items: list[Any]) -> Any:
    """A parsed regex as nested tuples, without its IGNORECASE flags."""
    shaped: list[Any] = []
    for op, av in items:
        if op is _sre.SUBPATTERN:
            group, add, remove, inner = av
            add, remove = add & ~re.IGNORECASE, remove & ~re.IGNORECASE
            if group is None and not add and not remove:
                shaped.extend(_shape(inner.data) or [None])  # as the parser reads "(?:"
                continue
            av = (group, add, remove, _shape(inner.data))
        elif op is _sre.BRANCH:
            av = tuple(_shape(branch.data) for branch in av[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            av = (av[0], av[1], _shape(av[2].data))
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            av = (av[0], _shape(av[1].data))
        elif op is _sre.IN:
            av = tuple(av)
        elif op not in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.AT, _sre.ANY, _sre.CATEGORY):
            return None  # (anything else: a back-reference, an atomic group...)
        shaped.append((op, av))
    return tuple(shaped)


def _foldable(items: list[Any], folded: bool) -> bool:
    """Whether matching ``items`` on lower-cased ASCII text without IGNORECASE is the
    same as matching them on the text (``folded``: under IGNORECASE)."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            if not _foldable_range(av, av, folded):
                return False
        elif op is _sre.IN:
            for kind, item in av:
                if kind is _sre.LITERAL and not _foldable_range(item, item, folded):
                    return False
                if kind is _sre.RANGE and not _foldable_range(item[0], item[1], folded):
                    return False
                if kind not in (_sre.LITERAL, _sre.RANGE, _sre.CATEGORY, _sre.NEGATE):
                    return False
        elif op is _sre.SUBPATTERN:
            _, add, remove, inner = av
            inner_folded = (folded or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            if not _foldable(inner.data, inner_folded):
                return False
        elif op is _sre.BRANCH:
            if not all(_foldable(branch.data, folded) for branch in av[1]):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _foldable(av[2].data, folded):
                return False
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if not _foldable(av[1].data, folded):
                return False
        elif op not in (_sre.AT, _sre.ANY, _sre.CATEGORY):
            return False
    return True


def _foldable_range(low: int, high: int, folded: bool) -> bool:
    if high >= 128:
        # beyond ASCII only characters without case are safe under IGNORECASE (the
        # Kelvin sign matches "k"); case-sensitively none of them matches ASCII text
        if not folded:
            return True
        return high - low < 256 and all(
            chr(c).lower() == chr(c).upper() == chr(c) for c in range(max(low, 128), high + 1)
        )
    capitals = low <= ord("Z") and high >= ord("A")
    small = low <= ord("z") and high >= ord("a")
    return not capitals and (folded or not small)


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str] | None:
    if not cues:
        return None
    alternatives = (phrase_regex(c) for c in _cue_order(cues))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


def _cue_order(cues: Sequence[str]) -> list[str]:
    """Cues in the order an alternation tries them: the longest regex first (cues of
    one length in the reverse of their order: the order the cue patterns have had)."""
    return sorted(cues, key=lambda c: len(phrase_regex(c)))[::-1]


@dataclass(frozen=True)
class _CueSearch:
    """Where cue phrases occur in a text, whatever their case.

    Matching with IGNORECASE costs about five times more than matching exactly, so an
    ASCII text is searched lower-cased with the same alternation of lower-case cues
    (the same matches: for ASCII, lower-casing is what IGNORECASE does); other texts
    are searched with IGNORECASE.
    """

    any_case: re.Pattern[str]
    lowered: re.Pattern[str] | None

    @classmethod
    def of(cls, cues: Sequence[str]) -> _CueSearch | None:
        any_case = _cue_pattern(cues)
        if any_case is None:
            return None
        if not all(c.isascii() for c in cues):
            return cls(any_case, None)
        lowered = first_char_alternation(_cue_order([c.lower() for c in cues]))
        return cls(any_case, re.compile(r"(?<![\w-])(?:" + lowered + r")(?![\w-])"))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.lowered is not None and text.isascii():
            return [m.span() for m in self.lowered.finditer(text.lower())]
        return [m.span() for m in self.any_case.finditer(text)]


@dataclass
class _Compiled:
    rule: Any
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    value: re.Pattern[str] | None = None
    after_cues: re.Pattern[str] | None = None
    before_cues: re.Pattern[str] | None = None
    pattern: re.Pattern[str] | None = None
    #: how far before the number ``before`` can start (see :func:`_reach`)
    reach: int = _WINDOW
    #: the words a veto rule's ``word_before`` list holds
    words: frozenset[str] | None = None
    #: literals one of which every match of ``before`` holds (see :func:`~.text.required_literals`)
    before_needs: tuple[str, ...] | None = None
    #: ... or, when it has none, lower-case literals one of which the lower-cased text of
    #: every match holds, for an ASCII text ("exceed" for "\\b(?i:exceed|surpass)\\s+")
    before_needs_lowered: tuple[str, ...] | None = None
    #: ``pattern`` and ``after`` for lower-cased ASCII text (see :func:`_case_folded`),
    #: when both can be read so
    folded: tuple[re.Pattern[str], re.Pattern[str] | None] | None = None
    #: every match of ``before`` is one word and the spaces after it (see :func:`_one_word`)
    before_one_word: bool = False
    #: the ASCII characters the first character past the spaces a match of ``after``
    #: opens with can be, and the last before the spaces a match of ``before`` ends with
    #: (see :func:`~.text.edge_past_spaces`), or None
    after_opens: frozenset[str] | None = None
    before_closes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.after is not None:
            self.after_opens = edge_past_spaces(self.after)
        if self.before is not None:
            self.before_closes = edge_past_spaces(self.before, last=True)
            self.before_needs = required_literals(self.before)
            if self.before_needs is None:
                self.before_needs_lowered = required_literals(self.before, lowered=True)
            self.before_one_word = _one_word(self.before)

    def before_search(
        self, text: str, end: int, lowered: str | None = None
    ) -> re.Match[str] | None:
        """The match of ``before`` that ends at ``end``, if any (``lowered``: the text
        lower-cased, when it is ASCII)."""
        assert self.before is not None
        start = max(0, end - self.reach)
        needs, where = self.before_needs, text
        if needs is None and lowered is not None:
            needs, where = self.before_needs_lowered, lowered
        if needs is not None:
            window = where[start:end]  # (one slice, then substring tests without offsets)
            for literal in needs:
                if literal in window:
                    break
            else:
                return None  # (a few substring tests cost less than the search)
        if self.before_one_word:
            start = _word_start(text, start, end)
        return self.before.search(text, start, end)


@dataclass
class Candidate:
    """A number on its way to becoming a claim."""

    value: Value
    rule_id: str = ""  #: the pair or kind rule that decided it
    kind: str = "score"
    cue: str | None = None  #: the cue word that decided the kind
    accepted_by: str | None = None
    qualifier: str | None = None
    qualifier_start: int | None = None
    implied_metric: str | None = None


@dataclass
class ClaimFinder:
    rules: list[Any]
    lexicon: MetricLexicon
    fields: FieldFinder
    _vetoes: list[_Compiled] = field(default_factory=list, init=False)
    _vetoes_by_unit: dict[str, list[_Compiled]] = field(default_factory=dict, init=False)
    #: the kind rules with a before or after pattern, by unit (see :meth:`_patterned_kinds`)
    _kinds_by_unit: dict[str, list[tuple[int, _Compiled]]] = field(default_factory=dict, init=False)
    _accepts: list[_Compiled] = field(default_factory=list, init=False)
    _pairs: list[_Compiled] = field(default_factory=list, init=False)
    _words: list[_Compiled] = field(default_factory=list, init=False)
    _kinds: list[_Compiled] = field(default_factory=list, init=False)
    _qualifier: re.Pattern[str] | None = field(default=None, init=False)
    #: the last word of every recorded hedge, lower-cased ("than" of "more than")
    _hedge_ends: tuple[str, ...] = field(default=(), init=False)
    _qualifier_words: dict[str, str] = field(default_factory=dict, init=False)
    #: every hedge phrase (recorded or not), lower-cased, and what is recorded for it
    _hedges: dict[str, str] = field(default_factory=dict, init=False)
    _pair_hedges: str = field(default="(?!)", init=False)
    #: {HEDGE} written out: any hedge of the list and the space after it, or nothing
    _hedge: str = field(default="", init=False)
    #: a unit of measure after a pair's number ("from 0.72 cm to 0.08 cm")
    _measure: str = field(default="(?!)", init=False)
    _by_end: re.Pattern[str] = field(default=re.compile("(?!)"), init=False)
    #: where the benchmark mentions of the abstract being read start
    _mention_starts: set[int] = field(default_factory=set, init=False)
    #: the accept rules that may hold for a number with decimals or without (the one that
    #: accepts a list's neighbours is tried last, apart: see :meth:`_neighbours`)
    _accepts_by_decimals: dict[bool, list[_Compiled]] = field(default_factory=dict, init=False)
    #: the rules of a list that may hold around a pair of characters (see :meth:`_possible`)
    _possible_rules: dict[tuple[int, str, str | None], list[_Compiled]] = field(
        default_factory=dict, init=False
    )
    _possible_kind_rules: dict[
        tuple[str, str, str, str | None], list[tuple[int, _Compiled, bool, bool, bool]]
    ] = field(default_factory=dict, init=False)

    @classmethod
    def from_files(
        cls, rules: Path, field_rules: Path, metrics: list[Path], metric_terms: list[Path]
    ) -> ClaimFinder:
        lexicon = MetricLexicon.from_files(metrics, metric_terms)
        loaded = load_rules(rules, CLAIM_RULES, check=_check_rule)
        folder = rules.parent.parent / "gazetteers"
        word_lists: dict[str, frozenset[str]] = {}
        for rule in loaded:
            if isinstance(rule, QualifierRule) and rule.list:
                for phrase, recorded in load_gazetteer(folder / rule.list):
                    rule.phrases.setdefault(phrase, recorded[0] if recorded else phrase)
            if isinstance(rule, VetoRule) and rule.word_before:
                word_lists[rule.word_before] = frozenset(load_words(folder / rule.word_before))
        finder = cls(loaded, lexicon, FieldFinder.from_file(field_rules, lexicon))
        for compiled in finder._vetoes:
            if compiled.rule.word_before:
                compiled.words = word_lists[compiled.rule.word_before]
        return finder

    def __post_init__(self) -> None:
        self._read_hedges()
        units = sorted(self.fields.units, key=len, reverse=True)
        self._measure = (
            r"\s(?:" + "|".join(re.escape(u) for u in units) + r")(?!\w)" if units else "(?!)"
        )
        # every placeholder of every kind of rule, as the pipeline's word lists write it
        # (the stand-ins of CLAIM_PLACEHOLDERS only check a pattern when its file loads)
        written = {
            **CLAIM_PLACEHOLDERS,
            "{QUAL}": self._pair_hedges,
            "{HEDGE}": self._hedge,
            "{STATISTIC}": statistic_pattern(self.fields.statistic_symbols),
            "{MEASURE}": self._measure,
        }

        def expand(pattern: str) -> str:
            return PLACEHOLDER.sub(lambda m: expand(written[m.group()]), pattern)

        for rule in self.rules:
            if isinstance(rule, VetoRule | AcceptRule):
                before, after, value = _compile_anchor(rule, expand)
                target = self._vetoes if isinstance(rule, VetoRule) else self._accepts
                target.append(_Compiled(rule, before, after, value, reach=_reach(before)))
            elif isinstance(rule, PairRule):
                anchor = re.compile(expand(rule.anchor)) if rule.anchor else None
                pattern = re.compile(expand(rule.pattern))
                self._pairs.append(_Compiled(rule, pattern=pattern, after=anchor))
            elif isinstance(rule, WordsRule):
                anchor = re.compile(expand(rule.anchor)) if rule.anchor else None
                compiled = _Compiled(rule, pattern=re.compile(expand(rule.pattern)), after=anchor)
                folded = _case_folded(compiled.pattern) if compiled.pattern else None
                folded_anchor = _case_folded(anchor) if anchor else None
                if folded is not None and (anchor is None or folded_anchor is not None):
                    compiled.folded = (folded, folded_anchor)
                self._words.append(compiled)
            elif isinstance(rule, KindRule):
                before, after, value = _compile_anchor(rule, expand)
                self._kinds.append(
                    _Compiled(
                        rule,
                        after=after,
                        before=before,
                        reach=_reach(before),
                        value=value,
                        after_cues=_cue_pattern(rule.after_cues),
                        before_cues=_cue_pattern(rule.before_cues),
                    )
                )

        self._before_map: dict[str, list[int]] = {}
        self._after_map: dict[str, list[int]] = {}
        for order, compiled in enumerate(self._kinds):
            for cue in compiled.rule.before_cues:
                self._before_map.setdefault(_cue_key(cue), []).append(order)
            for cue in compiled.rule.after_cues:
                self._after_map.setdefault(_cue_key(cue), []).append(order)
        self._yielding = [
            frozenset(_cue_key(cue) for cue in compiled.rule.yielding_cues)
            for compiled in self._kinds
        ]
        #: the kind rules that decide with no cue (a unit's default)
        self._defaults = frozenset(c.rule.id for c in self._kinds if c.rule.default)
        self._pair_ids = frozenset(c.rule.id for c in self._pairs)
        # the veto rules that may apply to a number of each unit, in file order
        self._vetoes_by_unit = {
            unit: [c for c in self._vetoes if c.rule.units is None or unit in c.rule.units]
            for unit in ("%", "x", "pp", "points", "none")
        }
        self._accepts_by_decimals = {
            decimals: [
                c
                for c in self._accepts
                if not c.rule.neighbour and (decimals or not c.rule.decimals)
            ]
            for decimals in (False, True)
        }
        self._before_any = _CueSearch.of(list(self._before_map))
        self._after_any = _CueSearch.of(list(self._after_map))
        if self._qualifier_words:
            phrases = sorted(self._qualifier_words, key=len, reverse=True)
            alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
            self._qualifier = re.compile(
                r"(?:(?<![\w-])|(?<=[$\\]))(?P<q>" + alternatives + r")\s*(?:a\s+|an\s+)?$",
                re.IGNORECASE,
            )
            self._hedge_ends = tuple(sorted({p.split()[-1].lower() for p in phrases}))

    def _read_hedges(self) -> None:
        """The one list of hedges (the qualifier rules): what the qualifier column
        records, the words the field rules skip before a number, the hedges
        a pair pattern allows (``{QUAL}``) and those allowed between "by" and a number."""
        for rule in self.rules:
            if isinstance(rule, QualifierRule):
                for phrase, recorded in rule.phrases.items():
                    self._hedges[phrase.lower()] = recorded
                    if recorded != NOT_RECORDED:
                        self._qualifier_words[phrase.lower()] = recorded
        self.fields.hedge_words = self.fields.hedge_words | {
            word for phrase in self._hedges for word in phrase.split()
        }
        allowed = [p for p, r in self._hedges.items() if r in _PAIR_HEDGES]
        if allowed:
            self._pair_hedges = "(?:" + _alternation(allowed) + ")"
        # (every hedge, recorded or not: "degrades by only 15%")
        every = list(self._hedges)
        by_hedges = "|".join([*_BY_PHRASES, _alternation(every)] if every else _BY_PHRASES)
        self._by_end = re.compile(r"\bby\s+(?:(?:" + by_hedges + r")\s*)?$", re.IGNORECASE)
        self._hedge = r"(?:(?:" + _alternation(every) + r")\s*)?" if every else ""

    def veto_labels(self) -> dict[str, str]:
        """What each veto rule says a number is instead of a result, by rule id: the
        last part of the id ("claim.not.year" -> "year")."""
        return {c.rule.id: c.rule.id.rsplit(".", 1)[-1] for c in self._vetoes}

    # ------------------------------------------------------------------ finding

    def find(
        self,
        text: str,
        mentions: list[Mention],
        short_name: str | None = None,
        sentences: Sentences | None = None,
        defined: Mapping[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(claim rows, trace of the rules that fired) for one abstract; ``sentences``
        are its sentence bounds when the pipeline has found them already, ``defined``
        the abbreviations it defines (short form -> long form)."""
        trace: list[dict[str, Any]] = []
        candidates: list[Candidate] = []
        self._mention_starts = {m.start for m in mentions if not m.in_title}
        pending: list[Value] = []
        sentences = sentences or Sentences(text)
        context = Context(
            text=text,
            mentions=mentions,
            short_name=short_name,
            lexicon=self.lexicon,
            sentences=sentences,
            defined=defined if defined is not None else {},
        )
        # (the case-insensitive rules look for their literals in it first)
        lowered = text.lower() if text.isascii() else None
        for value, pair_rule in self._values(text, lowered):
            veto = self._veto(text, value, lowered)
            if veto is not None:
                trace.append(_trace(veto, value))
                continue
            if isinstance(pair_rule, WordsRule) and pair_rule.kind is None:
                # the words say it is a result; the kind rules say which kind
                candidates.append(Candidate(value, accepted_by=pair_rule.id))
                trace.append(_trace(pair_rule.id, value))
                continue
            if pair_rule is not None:
                assert pair_rule.kind is not None
                candidates.append(Candidate(value, rule_id=pair_rule.id, kind=pair_rule.kind))
                continue
            accepted = self._accept(text, value, context, lowered)
            if accepted is None:
                pending.append(value)
                continue
            candidates.append(Candidate(value, accepted_by=accepted))
            if accepted != "unit":
                trace.append(_trace(accepted, value))
        candidates.extend(self._neighbours(text, candidates, pending, trace))
        candidates.sort(key=lambda c: c.value.start)

        context.claim_spans = [(c.value.start, c.value.end) for c in candidates]
        list_starts = _list_starts(text, context.claim_spans)
        # numbers of a list whose items each say where they hold ("80.0% against X
        # and 60.9% against Y"): a number no cue speaks of is of its previous item's kind
        placed = _list_starts(text, context.claim_spans, _LIST_GAP_PLACED)
        previous: Candidate | None = None
        list_ends = _bare_list_ends(text, context.claim_spans)
        rows = []
        for candidate in candidates:
            if self._qualify(text, candidate):
                trace.append(_trace("claim.qualifier", candidate.value))
            if not candidate.rule_id:
                self._kind(
                    text,
                    lowered,
                    sentences,
                    candidate,
                    list_starts.get(candidate.value.start),
                    list_ends.get(candidate.value.start),
                )
                if (
                    previous is not None
                    and candidate.value.start in placed
                    and candidate.value.unit_key == previous.value.unit_key
                    and (
                        candidate.rule_id in self._defaults
                        # "raises X from 6.2% to 52.0% with A, 55.0% with B": the
                        # levels after a pair's are reached too, whatever verb
                        # governs the list
                        or (
                            previous.rule_id in self._pair_ids
                            and previous.kind == "score"
                            and candidate.value.baseline_value is None
                        )
                    )
                ):
                    candidate.kind, candidate.rule_id = previous.kind, previous.rule_id
            previous = candidate
            trace.append(_trace(candidate.rule_id, candidate.value))
            start = candidate.value.start
            rows.append(
                self._row(
                    text, candidate, context, trace, list_starts.get(start), placed.get(start)
                )
            )
        by_start = {row["start"]: row for row in rows}
        for fired in trace:
            row = by_start.get(fired["start"])
            if row is not None:
                for name in _TRACED:
                    fired.setdefault(name, row.get(name))
        return rows, trace

    def _values(
        self, text: str, lowered: str | None
    ) -> list[tuple[Value, PairRule | WordsRule | None]]:
        """Pairs first, then numbers written as words, then every other number
        (``lowered``: the text lower-cased, when it is ASCII)."""
        found: list[tuple[Value, PairRule | WordsRule | None]] = []
        taken: list[tuple[int, int]] = []
        for compiled in self._pairs:
            assert compiled.pattern is not None
            # (for pair rules, ``after`` holds the anchor)
            hits = anchor_spans(compiled.after, text) if compiled.after else None
            for match in anchored_matches(compiled.pattern, text, hits, compiled.rule.window):
                s, e = match.span()
                if any(s < te and e > ts for ts, te in taken):
                    continue
                pair = _pair_value(match)
                if pair is None:
                    continue
                taken.append((s, e))
                found.append((pair, compiled.rule))
        folded = text.lower() if lowered is None else lowered
        for compiled in self._words:
            rule: WordsRule = compiled.rule
            if rule.requires and not any(r in folded for r in rule.requires):
                continue
            assert compiled.pattern is not None
            # (for words rules too, ``after`` holds the anchor)
            pattern, anchor, searched = compiled.pattern, compiled.after, text
            if lowered is not None and compiled.folded is not None:
                (pattern, anchor), searched = compiled.folded, lowered  # the same matches
            hits = anchor_spans(anchor, searched) if anchor else None
            for match in anchored_matches(pattern, searched, hits, rule.window):
                word = match["word"].lower()
                number = next((v for k, v in rule.numbers.items() if word.startswith(k)), None)
                start, end = match.span("text")
                if number is None or any(start < te and end > ts for ts, te in taken):
                    continue
                taken.append((start, end))
                unit_key = rule.unit or "none"
                written = text[start:end]
                value = Value(start, end, written, number, rule.unit, unit_key, False, False)
                found.append((value, rule))
        for value in scan(text):
            if not any(value.start < te and value.end > ts for ts, te in taken):
                found.append((value, None))
        found.sort(key=lambda item: item[0].start)
        return found

    def _veto(self, text: str, value: Value, lowered: str | None) -> str | None:
        vetoes = self._possible(self._vetoes_by_unit[value.unit_key], text, value)
        for compiled in _holding(vetoes, text, value, lowered):
            if compiled.rule.unless_metric_before and self._metric_word_before(text, value):
                continue
            return str(compiled.rule.id)
        return None

    def _possible(self, rules: list[_Compiled], text: str, value: Value) -> list[_Compiled]:
        """The veto or accept rules of ``rules`` (a list the finder keeps) that can hold
        for a number, judged by the characters around it alone: the first after it past
        the spaces, which a rule's ``after`` must be able to open with, and the last
        before it, which its ``before`` must be able to end with (see
        :func:`_may_open`, :func:`_may_close`). Worked out once for each such pair of
        characters: a number's rules are then found without trying each one."""
        start, end = value.start, value.end
        following = text[end : end + _WINDOW].lstrip()[:1]
        preceding: str | None = _last_before(text, start)
        if start and text[start - 1] in _LEADING:
            preceding = None  # (the words before the sign or "$" are read too: see _holding)
        key = (id(rules), following, preceding)
        found = self._possible_rules.get(key)
        if found is None:
            found = self._possible_rules[key] = [
                c for c in rules if _may_open(c, following) and _may_close(c, preceding)
            ]
        return found

    def _metric_word_before(self, text: str, value: Value) -> bool:
        word = _word_before(text, value.start)
        return word is not None and self.lexicon.is_entry(word.lstrip("(["))

    def _accept(self, text: str, value: Value, context: Context, lowered: str | None) -> str | None:
        if value.unit_key in ("%", "x", "pp"):
            return "unit"
        applicable = self._possible(self._accepts_by_decimals[value.decimals], text, value)
        for compiled in _holding(applicable, text, value, lowered):
            rule: AcceptRule = compiled.rule
            if rule.metric == "after" and not self._metric_after(context, value):
                continue
            if rule.metric == "before" and not self._metric_before(context, value, rule.links):
                continue
            if rule.benchmark == "after" and not _reported_on_benchmark(context, value, rule.links):
                continue
            if rule.benchmark == "before" and not _bracketed_after_benchmark(context, value):
                continue
            return rule.id
        return None

    def _metric_after(self, context: Context, value: Value) -> bool:
        """A metric name directly after the number ("38.2 BLEU", "0.912 AUC"), or after
        a modifier ("5.03 absolute NDCG@10 improvement")."""
        after = context.between(value.end, value.end + 60, anchor=value.start)[:4]
        after = self.fields.past_unit(after)[:3]  # "46.0 dB PSNR": the unit, then the metric
        if self._metric_words_after(after, value):
            return True
        modified = len(after) > 1 and after[0].text.lower() in self.fields.modifiers
        return modified and self._metric_words_after(after[1:], value)

    def _metric_words_after(self, after: list[Word], value: Value) -> bool:
        if not after or after[0].gap:
            return False
        first = after[0].text
        if self.lexicon.is_known_name(first):
            return True
        if (
            is_acronym_metric(first)
            and value.decimals
            and first.lower() not in self.fields.not_metrics
        ):
            return True
        phrase = " ".join(w.text for w in after[:2] if not w.gap)
        if self.lexicon.is_known_name(phrase):
            return True
        if value.decimals and self._headed_metric(after):
            return True  # "75.03 execution accuracy", "0.947 mean correlation"
        # A capitalised word after a decimal number, in a list of results.
        return value.decimals and first[:1].isupper() and first.isalpha()

    def _headed_metric(self, after: list[Word]) -> bool:
        """Whether two or three words after a number, in lower case or each capitalised,
        end with a metric's head noun the lexicon knows, none of them a word that names no
        metric ("0.947 mean value-order correlation", "0.947 mean Value-Order Correlation"),
        or with a metric's name the lexicon knows ("0.95 minority class F1")."""
        words: list[str] = []
        for word in after:
            text = word.text
            if words and word.gap:
                break
            if words and self.lexicon.is_known_name(text):
                words.append(text.lower())  # "0.95 minority class F1": a name ends it
                break
            if not text.replace("-", "").isalpha() or not (text.islower() or text.istitle()):
                break
            words.append(text.lower())
        not_metrics = self.fields.not_metrics
        return any(
            len(words) >= n
            and not any(w in not_metrics for w in words[:n])
            and self.lexicon.is_entry(words[n - 1])
            and self.lexicon.lookup(" ".join(words[:n])) is not None
            for n in (3, 2)
        )

    def _metric_before(self, context: Context, value: Value, links: list[str]) -> bool:
        """A known metric name right before the number, joined by a linking word."""
        start = value.start
        before = context.between(max(0, start - 70), start, anchor=start)
        if not before:
            return False
        # The number must not be followed by a noun of its own ("precision of 16 bits").
        after = self.fields.past_unit(
            context.between(value.end, value.end + 30, anchor=value.start)[:2]
        )[:1]  # ("a latency of 6.7 ms on ...": the unit is the number's own)
        follower = after[0].text.lower() if after else ""
        own_noun = follower not in self.fields.stops and follower not in self.fields.modifiers
        if after and not after[0].gap and own_noun:
            return False
        i = len(before)
        link_words = {w.lower() for w in links}
        skipped = 0
        while i > 0 and skipped < 2 and before[i - 1].text.lower() in link_words:
            i -= 1
            skipped += 1
        if i == 0:
            return False
        for n in (3, 2, 1):
            if i - n < 0:
                continue
            span = before[i - n : i]
            if any(w.gap for w in span[1:]):
                continue
            phrase = " ".join(w.text for w in span)
            if not value.decimals and not self.lexicon.is_known_name(phrase):
                continue  # "a pass rate of 1": a whole number needs a metric's name
            if self.lexicon.is_entry(phrase):
                return True  # "Spearman's rho = 0.85": written as the lexicon writes it
            if self.lexicon.lookup(phrase) is not None and (
                self.lexicon.is_known_name(span[-1].text)
                or self.lexicon.lookup(span[-1].text) is not None
            ):
                return True
        if not value.decimals and not skipped:
            return False  # "the China Securities Index 300 (CSI 300)", "ISO 3382": a name
        acronym = before[i - 1].text
        return is_acronym_metric(acronym) and acronym.lower() not in self.fields.not_metrics

    def _neighbours(
        self,
        text: str,
        candidates: list[Candidate],
        pending: list[Value],
        trace: list[dict[str, Any]],
    ) -> list[Candidate]:
        rule = next((c.rule for c in self._accepts if c.rule.neighbour), None)
        if rule is None or not candidates:
            return []
        added: list[Candidate] = []
        spans = [(c.value.start, c.value.end) for c in candidates]
        left = [v for v in pending if v.decimals or not rule.decimals]
        while left:  # a list grows from each number taken: "97.0, 95.8, and 98.5"
            taken = [v for v in left if _next_to(text, v, spans)]
            if not taken:
                break
            for value in taken:
                added.append(Candidate(value, accepted_by=rule.id))
                spans.append((value.start, value.end))
            left = [v for v in left if v not in taken]
        added.sort(key=lambda c: c.value.start)
        trace.extend(_trace(rule.id, c.value) for c in added)
        return added

    def _patterned_kinds(self, unit: str) -> list[tuple[int, _Compiled]]:
        """The kind rules with a ``before`` or ``after`` pattern that may speak of a number
        of this unit, with their places in the file (worked out once per unit: most kind
        rules have cue lists instead, or speak of other units)."""
        kinds = self._kinds_by_unit.get(unit)
        if kinds is None:
            kinds = self._kinds_by_unit[unit] = [
                (order, compiled)
                for order, compiled in enumerate(self._kinds)
                if (compiled.before is not None or compiled.after is not None)
                and (compiled.rule.units is None or unit in compiled.rule.units)
            ]
        return kinds

    def _possible_kinds(
        self, unit: str, following: str, preceding: str, listed: str | None
    ) -> list[tuple[int, _Compiled, bool, bool, bool]]:
        """The patterned kind rules of a unit (:meth:`_patterned_kinds`), each with
        whether its ``before`` can end where the number starts (the last character
        before it past the spaces is ``preceding``) and where its list starts
        (``listed``, or None for a number that opens no list), and whether its
        ``after`` can open after it (``following``); worked out once for each unit and
        characters, as :meth:`_possible` does for veto rules."""
        key = (unit, following, preceding, listed)
        found = self._possible_kind_rules.get(key)
        if found is None:
            found = self._possible_kind_rules[key] = [
                (order, c, at_own, at_list, after)
                for order, c in self._patterned_kinds(unit)
                for at_own, at_list, after in [
                    (
                        c.before is not None and _may_close(c, preceding),
                        c.before is not None and listed is not None and _may_close(c, listed),
                        c.after is not None and _may_open(c, following),
                    )
                ]
                if at_own or at_list or after
            ]
        return found

    def _qualify(self, text: str, candidate: Candidate) -> bool:
        if self._qualifier is None:
            return False
        start = candidate.value.start
        window = text[max(0, start - 30) : start]
        if window.isascii() and not self._may_end_with_hedge(window):
            return False
        match = self._qualifier.search(window)
        if match:
            phrase = " ".join(match["q"].lower().split())
            candidate.qualifier = self._qualifier_words.get(phrase, phrase)
            candidate.qualifier_start = start - len(window) + match.start("q")
            return True
        return False

    def _may_end_with_hedge(self, window: str) -> bool:
        """Whether an ASCII window can end with a hedge, an article after it or not
        ("nearly", "more than a"): the qualifier pattern, which tries its alternation of
        hedges at every character, runs only on a window that ends with a hedge's last
        word (for ASCII, lower-casing is what IGNORECASE does)."""
        tail = window.rstrip().lower()
        if tail.endswith(self._hedge_ends):
            return True
        for article in ("a", "an"):
            if tail.endswith(article) and tail[: -len(article)].rstrip().endswith(self._hedge_ends):
                return True
        return False

    def _kind(
        self,
        text: str,
        lowered: str | None,
        sentences: Sentences,
        candidate: Candidate,
        list_start: int | None,
        list_end: int | None = None,
    ) -> None:
        """Decide the kind; cues before a list of numbers ("by 5% and 3%") speak of all,
        and so do cues after a bare list ("26.2% and 16.2% relative improvements")."""
        value = candidate.value
        sentence_start, sentence_end = sentences.bounds(value.start, value.end)
        after_from = list_end if list_end is not None else value.end
        after_text = text[after_from : min(sentence_end, after_from + _WINDOW)]
        before_end = candidate.qualifier_start if candidate.qualifier_start else value.start
        if list_start is not None and list_start < before_end:
            before_end = list_start
            hedge = (
                self._qualifier.search(text, max(0, list_start - 30), list_start)
                if self._qualifier
                else None
            )
            if hedge:
                before_end = hedge.start("q")
        clause_start = sentence_start
        for match in _CLAUSE_BREAK.finditer(text, sentence_start, before_end):
            clause_start = match.end()
        # "(Recall@50 up to 0.611 versus ...)": a bracket that names what its number
        # measures is a scope of its own; cues outside it speak of other numbers
        opening = text.rfind("(", clause_start, before_end)
        if (
            opening >= 0
            and text.find(")", opening, before_end) < 0
            and _WORD.search(text, opening, before_end)
        ):
            clause_start = opening + 1
        before_text = text[clause_start:before_end]
        unit = value.unit_key
        # (priority, -distance, -order, compiled rule, cue): a cue after the number
        # outranks one before it; then the nearer cue; then the earlier rule
        best: tuple[int, int, int, _Compiled, str] | None = None

        def consider(priority: int, distance: int, order: int, cue: str) -> None:
            nonlocal best
            pattern = self._kinds[order].value
            if pattern is not None and not pattern.search(value.text):
                return  # the rule's ``value`` says which numbers it speaks of
            rank = (priority, -distance, -order)
            if best is None or rank > (best[0], best[1], best[2]):
                best = (priority, -distance, -order, self._kinds[order], cue)

        own_start = candidate.qualifier_start or value.start
        # (the characters around the number say which patterns can match: see _possible)
        following = after_text.lstrip()[:1]
        preceding = _last_before(text, own_start)
        listed = _last_before(text, before_end) if before_end < own_start else None
        for order, compiled, at_own, at_list, after in self._possible_kinds(
            unit, following, preceding, listed
        ):
            rule: KindRule = compiled.rule
            if at_own or at_list:
                label = compiled.before_search(text, own_start, lowered) if at_own else None
                if label is None and at_list:
                    # a list's later numbers: "no model exceeds 66% and 54%"
                    label = compiled.before_search(text, before_end, lowered)
                if label:
                    consider(1, 0, order, label.group())
            if after and compiled.after is not None:
                hit = compiled.after.match(after_text)
                if (
                    hit
                    and rule.after_benchmark
                    and after_from + hit.end() not in self._mention_starts
                ):
                    hit = None
                if hit and rule.qualifiers and candidate.qualifier not in rule.qualifiers:
                    hit = None
                if hit:
                    consider(1, 0, order, hit.group())
        cut = _BREAK_BEFORE.search(after_text)
        after_cut = after_text[: cut.start()] if cut else after_text
        number = _NEXT_NUMBER.search(after_cut)
        if number:
            after_cut = after_cut[: number.start()]  # its cues are the next number's
        if self._after_any is not None:
            hits: list[tuple[int, int, str, bool]] = []
            for start, end in self._after_any.spans(after_cut):
                distance = len(after_cut[:start].split())
                cue = after_cut[start:end]
                for order in self._after_map.get(_cue_key(cue), ()):
                    rule = self._kinds[order].rule
                    if distance <= rule.after_words and (rule.units is None or unit in rule.units):
                        hits.append((distance, order, cue, _cue_key(cue) in self._yielding[order]))
            # a yielding cue counts only when no other rule's cue is in reach
            firm = {order for _, order, _, yields in hits if not yields}
            for distance, order, cue, yields in hits:
                if not (yields and firm - {order}):
                    consider(1, distance, order, cue)
        if self._before_any is not None and (best is None or best[0] == 0):
            # "outperforming A, B and C by 40%": a number after "by" is the difference
            # its clause's verb speaks of, however long the object between them
            by_linked = self._by_end.search(before_text) is not None
            for start, end in reversed(self._before_any.spans(before_text)):
                distance = len(before_text[end:].split())
                if best is not None and -distance < best[1]:
                    break
                cue = before_text[start:end]
                for order in self._before_map.get(_cue_key(cue), ()):
                    rule = self._kinds[order].rule
                    reach = max(rule.before_words, _BY_REACH) if by_linked else rule.before_words
                    if (rule.by_only and not by_linked) or (rule.not_by and by_linked):
                        continue
                    if distance <= reach and (rule.units is None or unit in rule.units):
                        consider(0, distance, order, cue)
        if best is not None:
            rule = best[3].rule
            candidate.kind, candidate.rule_id, candidate.cue = rule.kind, rule.id, best[4]
            cue_key = " ".join(best[4].lower().split())
            candidate.implied_metric = rule.implies_metric.get(cue_key)
            return
        for compiled in self._kinds:
            rule = compiled.rule
            if not rule.default:
                continue
            if rule.units is not None and value.unit_key not in rule.units:
                continue
            if compiled.value is not None and not compiled.value.search(value.text):
                continue
            candidate.kind, candidate.rule_id = rule.kind, rule.id
            return
        candidate.kind, candidate.rule_id = "score", "claim.score"

    def _row(
        self,
        text: str,
        candidate: Candidate,
        context: Context,
        trace: list[dict[str, Any]],
        list_start: int | None,
        placed_start: int | None = None,
    ) -> dict[str, Any]:
        value = candidate.value
        sentences = context.sentences or Sentences(text)
        ev_start, ev_end = strip_span(text, *sentences.bounds(value.start, value.end))
        ev_start, ev_end = min(ev_start, value.start), max(ev_end, value.end)
        row: dict[str, Any] = {
            "value": value.value,
            "value_text": value.text,
            "unit": value.unit if value.unit is not None else _other_unit(value),
            "kind": candidate.kind,
            "qualifier": candidate.qualifier,
            "baseline_value": value.baseline_value,
            "evidence": text[ev_start:ev_end],
            "evidence_start": ev_start,
            "evidence_end": ev_end,
            "start": value.start,
            "end": value.end,
            "rule_id": candidate.rule_id,
        }
        row.update(
            self.fields.read(
                context,
                value,
                kind=candidate.kind,
                rule_id=candidate.rule_id,
                cue=candidate.cue,
                implied_metric=candidate.implied_metric,
                trace=trace,
                list_start=list_start,
                placed_start=placed_start,
            )
        )
        return row


#: Claim columns copied into the trace entries of the claim they concern.
_TRACED = ("value", "unit", "kind", "qualifier", "baseline_value", "metric", "benchmark")

_LIST_GAP = re.compile(r"(?:\s?[A-Za-z@\-/]{1,15}){0,2}\s?(?:,|,?\s(?:and|or))\s?", re.I)
# ... and with what each number is reported on, for or against, in a phrase or a
# bracket: "win rates of 80.0% against Gizmo 1.1 and 60.9% against Gadget 2.3", "by 12%
# in FID compared to X and 7% compared to Y", "+14.5% (Gizmo-3B) and +5.3% (Gizmo-4B)"
_LIST_GAP_PLACED = re.compile(
    r"(?:\s?[A-Za-z@\-/]{1,15}){0,2}"
    r"(?:\s?\([^()]{1,40}\)"
    r"|\s(?:on|in|for|against|over|across|via|with|compared\s(?:to|with)|relative\sto|than)"
    r"(?:\s(?!and\b|or\b)[\w.@\-/&~]+){1,4}){0,2}"
    r"\s?(?:,|,?\s(?:and|or))\s?(?:by\s)?",  # ("by 18.8% on X and by 7.6% on Y")
    re.I,
)
# ... and between two items that each give their number in a bracket after what it
# measures: "creativity (4.02), emotional resonance (4.06), and use of imagery (4.49)"
_BRACKETED_ITEM_GAP = re.compile(
    r"\s?\)\s?(?:,|,?\s(?:and|or))\s(?:[A-Za-z][\w\-]*\s){0,3}[A-Za-z][\w\-]*\s?\(\s?"
)
_NEIGHBOUR_REACH = max(max_width(_LIST_GAP), max_width(_BRACKETED_ITEM_GAP))
_NEXT_NUMBER = re.compile(r"(?<![\w.@])[+\-−]?\d")  # (not the cut-off of "NDCG@10")


def _next_to(text: str, value: Value, spans: list[tuple[int, int]]) -> bool:
    """Whether a number stands next to one of ``spans`` in a list ("81.2%, 0.77 AUC and",
    or each in a bracket after what it measures: "creativity (4.02), idiosyncrasy (3.95)")."""
    for s, e in spans:
        gap = value.start - e if e <= value.start else s - value.end
        if gap > _NEIGHBOUR_REACH:
            continue  # (too far apart to be a list's neighbours)
        between = text[e : value.start] if e <= value.start else text[value.end : s]
        if _LIST_GAP.fullmatch(between) or _BRACKETED_ITEM_GAP.fullmatch(between):
            return True
    return False


_BREAK_BEFORE = re.compile(r"[;:()]|,\s|\.\s|\b(?:and|or|but|while|whereas)\b")


#: "by" (and a hedge) right before a number; how far back its verb may stand, in words
#: what the qualifier column records for a hedge that only softens ("only 31%")
NOT_RECORDED = "-"
#: the recorded hedges a pair pattern allows ({QUAL}: "from about 40% to ~60%", "from
#: 32.5% to below 10%")
_PAIR_HEDGES = frozenset(
    [
        "approximately",
        "about",
        "around",
        "roughly",
        "nearly",
        "over",
        "more than",
        "under",
        "below",
        "above",
        "less than",
        "at least",
        "at most",
    ]
)
#: words between "by" and a number that are not hedges ("by an average of 3%")
_BY_PHRASES = [r"an\s+average\s+of", r"on\s+average"]
_BY_REACH = 25
_BARE_GAP = re.compile(r"\s?(?:,|,?\s(?:and|or))\s?[+]?", re.I)


def _bare_list_ends(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """For each number that opens or continues a bare list ("26.2% and 16.2% gains":
    nothing but commas and "and" between numbers of the same unit), where the list
    ends; the last number of a list is not in the result (its own end is the end)."""
    ends: dict[int, int] = {}
    ordered = sorted(spans)
    group: list[tuple[int, int]] = []
    for span in [*ordered, (-1, -1)]:
        if (
            span[0] >= 0
            and group
            and _BARE_GAP.fullmatch(text, group[-1][1], span[0])
            and _unit_sign(text[group[-1][0] : group[-1][1]]) == _unit_sign(text[span[0] : span[1]])
        ):
            group.append(span)
            continue
        for start, _ in group[:-1]:
            ends[start] = group[-1][1]
        group = [span]
    return ends


def _unit_sign(text: str) -> str:
    last = text.rstrip()[-1:].lower()
    return last if last in ("%", "x", "×") else ""


def _alternation(phrases: Sequence[str]) -> str:
    """A regex alternation of phrases, longest first, any run of spaces matching."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _check_rule(rule: Any, path: Path) -> str | None:
    """Why a claim rule cannot run (checked when the pipeline loads), or None."""
    folder = path.parent.parent / "gazetteers"
    listed = rule.word_before if isinstance(rule, VetoRule) else None
    if listed and not (folder / listed).is_file():
        return f"word_before: no file gazetteers/{rule.word_before} in the pipeline folder"
    if isinstance(rule, QualifierRule):
        if not rule.phrases and not rule.list:
            return "qualifier: give a hedge list ('list') or 'phrases'"
        if rule.list and not (path.parent.parent / "gazetteers" / rule.list).is_file():
            return f"list: no file gazetteers/{rule.list} in the pipeline folder"
    return None


def _list_starts(
    text: str, spans: list[tuple[int, int]], gap: re.Pattern[str] = _LIST_GAP
) -> dict[int, int]:
    """For each number in a list of numbers ("5%, 7% and 9%"), where the list starts."""
    starts: dict[int, int] = {}
    first: int | None = None
    previous_end: int | None = None
    widest = max_width(gap)
    for start, end in sorted(spans):
        if (
            previous_end is not None
            and first is not None
            and start - previous_end <= widest
            and gap.fullmatch(text[previous_end:start])
        ):
            starts[start] = first
        else:
            first = start
        previous_end = end
    return starts


def _last_before(text: str, start: int) -> str:
    """The last character before ``start`` past the spaces, within the reach of a
    ``before`` pattern ("" if there is none)."""
    return text[max(0, start - _WINDOW) : start].rstrip()[-1:]


def _may_open(compiled: _Compiled, following: str) -> bool:
    """Whether a rule's ``after`` can open with ``following``, the first character past
    the spaces after the number ("" where there is none; one beyond ASCII could be any)."""
    opens = compiled.after_opens
    return opens is None or following in opens or not following.isascii()


def _may_close(compiled: _Compiled, preceding: str | None) -> bool:
    """Whether a rule's ``before`` can end with ``preceding``, the last character before
    the number past the spaces ("" where there is none; None, or one beyond ASCII, could
    be any)."""
    closes = compiled.before_closes
    return closes is None or preceding is None or preceding in closes or not preceding.isascii()


def _holding(
    rules: Iterable[_Compiled], text: str, value: Value, lowered: str | None
) -> Iterator[_Compiled]:
    """The veto or accept rules whose conditions on the number and the text around it
    all hold, in order (a generator: a veto needs only the first; ``lowered``: the text
    lower-cased, when it is ASCII)."""
    unit, written, start, end = value.unit_key, value.text, value.start, value.end
    after_end = min(len(text), end + _WINDOW)
    # "by >10 points": the words before a bound sign are the number's too (not in
    # "p<0.001", where the sign is part of what comes before), and so are those before
    # the "$" that opens the LaTeX math holding it ("by $0.3$")
    lead = start - 1 if start and text[start - 1] in _LEADING else start
    for compiled in rules:
        units = compiled.rule.units
        if units is not None and unit not in units:
            continue
        if compiled.value is not None and not compiled.value.fullmatch(written):
            continue
        if compiled.words is not None and not _word_before_in(text, start, compiled.words):
            continue
        if compiled.after is not None and not compiled.after.match(text, end, after_end):
            continue
        if (
            compiled.before is not None
            and not compiled.before_search(text, start, lowered)
            and (lead == start or not compiled.before_search(text, lead, lowered))
        ):
            continue
        yield compiled


#: a bound written against a number, which the words before it read past
_BOUND_SIGNS = frozenset("><≥≤")
_LEADING = _BOUND_SIGNS | {"$"}


def _word_before(text: str, start: int) -> str | None:
    """The word written right before ``start``, one space between, if there is one."""
    if start < 2 or text[start - 1] != " ":
        return None
    begin = text.rfind(" ", 0, start - 1) + 1
    return text[begin : start - 1]


def _word_before_in(text: str, start: int, words: frozenset[str]) -> bool:
    """Whether the word written right before ``start``, one space between, is listed."""
    return _word_before(text, start) in words


def _pair_value(match: re.Match[str]) -> Value | None:
    """The claim of a before/after pair: the second number, the first as baseline."""
    after = match["value"]
    before = match["base"]
    span = _RANGE_LOW.match(after)  # "to 64-74%": a range, valued at its upper end
    value = _parse_with_unit(after[span.end() :] if span else after)
    low = _parse_with_unit(span["low"]) if span else None
    base = _parse_with_unit(before)
    if value is None or base is None:
        return None
    number, unit_text = value
    base_number, base_unit = base
    unit, unit_key = unit_of(unit_text)
    if unit is None and unit_key == "none" and base_unit:
        unit, unit_key = unit_of(base_unit)
    decimals = bool(_DECIMAL.search(after) or _DECIMAL.search(before))
    if unit_key in ("none", "points") and not decimals and not unit_text:
        return None  # "from 8 to 64": counts, not scores
    start, end = match.span("value")
    return Value(
        start=start,
        end=end,
        text=after,
        value=number,
        unit=unit,
        unit_key=unit_key if unit_key != "none" or not unit_text else "none",
        signed=after.startswith("+"),
        decimals=decimals,
        baseline_value=base_number,
        baseline_text=before,
        low=low[0] if low else None,
    )


_DECIMAL = re.compile(r"\.\d")
_RANGE_LOW = re.compile(r"(?P<low>" + SIGN + r"?" + NUMBER + r")[-–~](?=\d)")
_TRAILING_LETTERS = re.compile(r"[a-z]+$")
_NUMBER_WITH_UNIT = re.compile(r"(?P<sign>" + SIGN + r")?(?P<num>" + NUMBER + r")(?P<unit>.*)")


def _parse_with_unit(text: str) -> tuple[float, str] | None:
    match = _NUMBER_WITH_UNIT.fullmatch(text.strip())
    if not match:
        return None
    number = parse_number(match["num"])
    if match["sign"] in ("-", "−"):
        number = -number
    return number, match["unit"]


def _other_unit(value: Value) -> str | None:
    """A unit the scanner does not know but a pair rule kept ("1hr vs 50hrs")."""
    match = _TRAILING_LETTERS.search(value.text)
    return match.group() if match and value.unit_key == "none" else None


def _trace(rule_id: str, value: Value) -> dict[str, Any]:
    return {"rule_id": rule_id, "value_text": value.text, "start": value.start, "end": value.end}


__all__ = ["CLAIM_RULES", "Candidate", "ClaimFinder"]


def _bracketed_after_benchmark(context: Context, value: Value) -> bool:
    """A benchmark mention right before the bracket that opens at the number
    ("Terminal-Bench Hard (46.8)")."""
    head = context.text[max(0, value.start - 3) : value.start]
    if not head.rstrip().endswith("("):
        return False
    at = context.text.rfind("(", 0, value.start)
    return any(not m.in_title and not context.text[m.end : at].strip() for m in context.mentions)


def _reported_on_benchmark(context: Context, value: Value, links: list[str]) -> bool:
    """A benchmark mention right after the number and a linking word ("56.5 on X")."""
    after = context.between(value.end, value.end + 40, anchor=value.start)[:2]
    if len(after) < 2 or after[0].gap or after[1].gap:
        return False
    if after[0].text.lower() not in {w.lower() for w in links}:
        return False
    return any(not m.in_title and m.start == after[1].start for m in context.mentions)
