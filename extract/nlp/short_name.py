"""The short name of a paper: the name before the title's colon, or one the abstract coins.

Candidates come from the rules of ``rules/short_names.jsonl`` and are ranked:

1. a title prefix that is clearly a name ("Widgetron: ...", "Wid-GET++: ...");
2. a method or system name the abstract coins ("we propose X", "a framework, X,",
   "called X", "our model X", "Long Name (LN)" after such a cue: the acronym wins);
3. a title prefix of plain capitalised words ("Widget Forests: ..."), only when the
   abstract uses it too: such prefixes are as often topics as names;
4. a benchmark or dataset name the abstract coins ("we introduce X, a benchmark ...").

Within a rank the earliest candidate wins. Names are checked by :func:`is_name`: a
phrase of at most a few capitalised words, not a plural acronym ("LLMs"), not a generic
field acronym, not a model family ("GPT-4"). The patterns are tried only around cheap
literal anchors ("we ", "called"...), which keeps the cost of this step small.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import RuleFileError
from .abbreviations import Abbreviation, find_abbreviations
from .fragments import ACRONYM, SHORT_NAME_FRAGMENTS, SHORT_NAME_WORD_LISTS
from .rule_models import ShortNameRule
from .rules import PLACEHOLDER, load_rules, load_words
from .text import (
    V_VERSION,
    anchor_spans,
    anchored_matches,
    find_words,
    is_acronym_of,
    max_width,
    tidy,
)

# A name-like token: has a capital after its first letter, a digit, or a +, or is a
# single capitalised word ("Widgetron"). Checked on the text before a colon.
_NAME_TOKEN = re.compile(r"[A-Za-z0-9\u0370-\u03ff][\w+\-.'’^*&]*(?:[\w+*]|\^\{\w+\})|[A-Z0-9]")
_INNER_CAPITAL = re.compile(r".[A-Z]|\d|\+")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
_LOWER_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "towards",
        "via",
        "vs",
        "with",
        "without",
    ]
)
#: small words that may join the capitalised words of a title's name ("Graph of Skills")
_JOINING_WORDS = frozenset(["of", "with", "for", "and", "the", "to", "in", "on", "as"])
_PREPOSITIONS = frozenset(
    ["for", "of", "to", "in", "on", "with", "from", "by", "into", "over", "under", "about"]
)
_BENCHMARK_AFTER = re.compile(
    r"\s?,\s(?:a|an|the)\s(?:[\w\-]+,?\s(?:and\s)?){0,8}?"
    r"(?:benchmark|dataset|corpus|suite|testbed|leaderboard|collection)s?\b",
    re.IGNORECASE,
)

_ACRONYM_AFTER = re.compile(r"\s?\(\s?(?P<acronym>" + ACRONYM + r")\s?\)")


def word_list_fragments(folder: Path) -> dict[str, str]:
    """The regexes of the word-list fragments: the openers as lookbehinds (the pattern
    starts at the verb), the coining verbs with an optional -s, the method nouns."""
    lists = {
        name: load_words(folder / file) if (folder / file).is_file() else []
        for name, file in SHORT_NAME_WORD_LISTS.items()
    }
    openers = "|".join(f"(?<={opener} )" for opener in lists["{OPENER}"])
    verbs = "|".join(v.replace(" ", r"\s") for v in lists["{COINING_VERB}"])
    nouns = "|".join(lists["{METHOD_NOUN}"])
    return {
        "{OPENER}": f"(?:{openers or '(?!)'})",
        "{COINING_VERB}": f"(?:{verbs or '(?!)'})s?",
        "{METHOD_NOUN}": f"(?:{nouns or '(?!)'})",
    }


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """A pattern with its named fragments written out."""
    return PLACEHOLDER.sub(lambda m: fragments.get(m.group(), m.group()), pattern)


Rank = int
TITLE_STRONG, COINED, TITLE_WEAK, COINED_BENCHMARK, COINED_WEAK, TITLE_UNREPEATED = 1, 2, 3, 4, 5, 6


@dataclass
class ShortNameFinder:
    rules: list[ShortNameRule]
    #: generic words and field acronyms that are never a paper's name
    not_names: frozenset[str] = frozenset()
    #: model families: a name starting with one is a model, not the paper's
    models: tuple[str, ...] = ()
    #: the regexes of the named fragments the patterns use
    fragments: dict[str, str] = field(default_factory=lambda: dict(SHORT_NAME_FRAGMENTS))
    #: last words of a task's name (gazetteers/task_words.txt): a title prefix of
    #: several words ending in one names a task ("Widget Pose Estimation: ..."), not
    #: the paper's system
    task_words: frozenset[str] = frozenset()
    _compiled: list[tuple[ShortNameRule, re.Pattern[str], re.Pattern[str] | None]] = field(
        default_factory=list, init=False
    )
    #: every rule's anchor words, shortest first, each with a shorter one it holds (or
    #: None): a text that lacks "propose" lacks "proposes" and "proposed" too
    _anchor_words: list[tuple[str, str | None]] = field(default_factory=list, init=False)

    @classmethod
    def from_file(
        cls, path: Path, not_names: Path | None = None, models: Path | None = None
    ) -> ShortNameFinder:
        folder = path.parent.parent / "gazetteers"
        rules = load_rules(path, ShortNameRule)
        used = {f for r in rules if r.pattern for f in PLACEHOLDER.findall(r.pattern)}
        missing = [
            file
            for name, file in SHORT_NAME_WORD_LISTS.items()
            if name in used and not (folder / file).is_file()
        ]
        if missing:
            raise RuleFileError(
                f"no word list gazetteers/{missing[0]} for its fragment", where=str(path)
            )
        return cls(
            rules,
            frozenset(w.casefold() for w in load_words(not_names)) if not_names else frozenset(),
            tuple(w.casefold() for w in load_words(models)) if models else (),
            {**SHORT_NAME_FRAGMENTS, **word_list_fragments(folder)},
            frozenset(w.casefold() for w in load_words(folder / "task_words.txt"))
            if (folder / "task_words.txt").is_file()
            else frozenset(),
        )

    def __post_init__(self) -> None:
        families = "|".join(
            re.escape(m) for m in sorted(self.models, key=len, reverse=True) if m[:1] != "-"
        )
        self._model = re.compile(r"(?:" + (families or "(?!)") + r")(?![a-z])", re.IGNORECASE)
        # a coining verb after its opener, ending where a title's own words start (see
        # _coins)
        self._coining = re.compile(
            expand("{OPENER}{COINING_VERB}", self.fragments) + r"\s(?:the\s)?\Z"
        )
        for rule in self.rules:
            if rule.source == "abstract_cue" and rule.pattern:
                anchor = re.compile(rule.anchor) if rule.anchor else None
                pattern = re.compile(expand(rule.pattern, self.fragments))
                self._compiled.append((rule, pattern, anchor))
        shortest_first = sorted(
            {w for rule, _, _ in self._compiled for w in rule.anchor_words}, key=len
        )
        self._anchor_words = [
            (word, next((w for w in shortest_first[:k] if w in word), None))
            for k, word in enumerate(shortest_first)
        ]

    def find(
        self,
        title: str,
        abstract: str | None,
        defined: Callable[[], list[Abbreviation]] | None = None,
    ) -> tuple[str, str] | None:
        """(short name, rule id), or None when the paper has no name (``defined``: the
        abbreviations the abstract defines, asked for only when needed)."""
        candidates: list[tuple[Rank, int, str, str]] = []
        last_resorts: list[ShortNameRule] = []
        for rule in self.rules:
            if rule.source == "title_prefix":
                reported = reported_name(title, rule)
                if reported and reported.casefold() not in self.not_names:
                    return reported, rule.id
                found = title_prefix_name(title, rule)
                if found and self._names_task(found[0]):
                    found = None  # "Multi-View Widget Estimation: ...": a task
                # the title's own name may build on a model's ("BERT-as-a-Judge: ...",
                # "Widget-7B: ..."): the paper is about it, whatever family it is of
                if found and (
                    self.acceptable(found[0], models=not found[1])
                    # a name the abstract coins is the paper's, whatever family word
                    # opens it ("we introduce Flux Attention, a framework")
                    or (
                        abstract
                        and self.acceptable(found[0], models=False)
                        and self._coins(found[0], abstract)
                    )
                ):
                    name, strong = found
                    if strong and " " in name and self._shaped_by_field_acronyms(name):
                        strong = False  # "Intelligent AI Delegation": a topic's words
                    if abstract and ":" not in title:
                        # a whole title the abstract abbreviates ("We introduce Widget
                        # Policy Learning (WPL)") is known by its acronym
                        acronym = _acronym_for(name, defined() if defined else None, abstract)
                        if acronym:
                            return acronym, rule.id
                    if strong or (abstract and ":" in title and self._coins(name, abstract)):
                        return name, rule.id
                    # (repeated as written or joined: "Skin Tokens" as "SkinTokens")
                    repeats = [name, name.replace(" ", "")]
                    if name.startswith("The "):
                        repeats.append("the" + name[3:])  # "... through the Vision Wormhole"
                    if abstract and find_words(abstract, repeats):
                        if name.startswith("The ") and not _the_is_part(name, abstract):
                            name = name[4:]  # "we propose the Vision Wormhole"
                        candidates.append((TITLE_WEAK, 0, name, rule.id))
                    elif ":" in title and _unrepeated_name(name, rule.max_words):
                        candidates.append((TITLE_UNREPEATED, 0, name, rule.id))
            elif rule.source in ("title_acronym", "acronym_reused"):
                last_resorts.append(rule)
        if abstract:
            candidates.extend(self._coined(without_markup(abstract)))
        if not candidates and last_resorts and abstract:
            # the weakest candidates, in file order, looked for only when there is no other
            abbreviations = defined() if defined is not None else find_abbreviations(abstract)
            for rule in last_resorts:
                if rule.source == "title_acronym":
                    acronym = self._title_acronym(title, abstract, abbreviations)
                else:
                    acronym = self._reused_acronym(title, abstract, abbreviations)
                if acronym:
                    return acronym, rule.id
            return None
        if not candidates:
            return None
        rank, _, name, rule_id = min(candidates)
        # an acronym the abstract defines for the title prefix's own words is the same
        # name (a whole title, with no colon, is known by its acronym: see above)
        weak = [c for c in candidates if c[0] in (TITLE_WEAK, TITLE_UNREPEATED)]
        if (
            weak
            and ":" in title
            and rank < weak[0][0]
            and is_acronym_of(name, weak[0][2])
            and (weak[0][0] == TITLE_WEAK or _acronym_shaped(name))
        ):
            return weak[0][2], weak[0][3]
        return name, rule_id

    def _shaped_by_field_acronyms(self, name: str) -> bool:
        """Whether the only words that make a name look like one are field acronyms
        ("AI", "LLM": gazetteers' not-names), which any topic may hold."""
        return all(w.casefold() in self.not_names for w in name.split() if name_shaped(w))

    def _names_task(self, name: str) -> bool:
        """Whether a name of several words ends in a word of a task's name."""
        words = name.split()
        return len(words) > 1 and words[-1].casefold() in self.task_words

    def _coins(self, name: str, abstract: str) -> bool:
        """Whether the abstract coins the title's own words, set off as a name: "We
        present Chain of Widgets, a framework ...", "we introduce Chain of Widgets (CoW)"."""
        # (the words are looked for as written, and the regexes tried where they stand:
        # a regex of the words, new for every title, cost a millisecond to compile)
        reach = max_width(self._coining)
        at = abstract.find(name)
        while at >= 0:
            if _SET_OFF.match(abstract, at + len(name)) and self._coining.search(
                abstract, max(0, at - reach), at
            ):
                return True
            at = abstract.find(name, at + 1)
        return False

    def _coined(self, abstract: str) -> list[tuple[Rank, int, str, str]]:
        found = []
        anchors: dict[str, list[tuple[int, int]]] = {}  # rules share anchors
        words = self._anchor_word_spans(abstract)  # and anchor words
        for rule, pattern, anchor in self._compiled:
            hits = None
            if rule.anchor_words:
                hits = _word_spans(rule.anchor_words, words)
            elif anchor is not None:
                if anchor.pattern not in anchors:
                    anchors[anchor.pattern] = anchor_spans(anchor, abstract)
                hits = anchors[anchor.pattern]
            for match in anchored_matches(pattern, abstract, hits, rule.window, rule.anchor_at):
                name = self._name_of(match, rule)
                if name is None:
                    continue
                # "Long Name (LN)": the acronym is the name the paper uses
                after = _ACRONYM_AFTER.match(abstract, match.end("name_end"))
                if after and is_acronym_of(after["acronym"], name):
                    name = after["acronym"]
                benchmark = bool(_BENCHMARK_AFTER.match(abstract, match.end("name_end")))
                rank = COINED_WEAK if rule.weak else COINED_BENCHMARK if benchmark else COINED
                found.append((rank, match.start(), name, rule.id))
        return found

    def _anchor_word_spans(self, abstract: str) -> dict[str, list[tuple[int, int]]]:
        """The spans of the whole-word occurrences of each anchor word in the abstract
        (:func:`~.text.find_words`). Most anchor words are not in an abstract, and one
        that holds a shorter anchor word the abstract lacks is not looked for."""
        spans: dict[str, list[tuple[int, int]]] = {}
        absent: set[str] = set()
        for word, part in self._anchor_words:
            if (part is not None and part in absent) or word not in abstract:
                absent.add(word)
                spans[word] = []
            else:
                spans[word] = find_words(abstract, (word,))
        return spans

    def _title_acronym(self, title: str, abstract: str, defined: list[Abbreviation]) -> str | None:
        """The first acronym the abstract defines whose long form is two thirds or more
        words of the title ("Online Causal Kalman Filtering for Stable and Effective
        Policy Optimization (KPO)" in a paper of that title; "Visual Memory Injection
        (VMI)" in "Visual Memory Injection Attacks for ..."): the paper's name for
        its own subject, though no verb coins it. The long form is written as a name,
        half its words capitalised or more."""
        if _SURVEY.match(title):
            return None  # a survey names its field, not a method of its own
        title_words = _content_words(title)
        first_stop = _SENTENCE_END.search(abstract)
        opening = first_stop.start() if first_stop else len(abstract)
        for abbreviation in defined:
            if abbreviation.long_start < opening:
                continue  # the first sentence defines the field's terms ("Federated
                # learning (FL) is ...", "Widget Retrieval (WR) seeks ...")
            name = clean_name(abbreviation.short)
            if not is_name(name, 1) or not self.acceptable(name):
                continue
            long_words = _content_words(abbreviation.long)
            lead = abstract[max(0, abbreviation.long_start - 60) : abbreviation.long_start]
            if not _LEADS_NAME.search(lead) or _FIELD_AFTER.match(abstract, abbreviation.short_end):
                continue  # "Widget distillation (WD) has become a core technique": a field
            capitals = sum(1 for w in re.split(r"[^\w]+", abbreviation.long) if w[:1].isupper())
            if len(long_words) < 2 or capitals * 2 < len(long_words):
                continue  # "termed widget decay disorder (WDD)": a term, not a name
            shared = sum(1 for w in long_words if any(_same_word(w, t) for t in title_words))
            if shared * 3 >= len(long_words) * 2:
                return name
        return None

    def _reused_acronym(self, title: str, abstract: str, defined: list[Abbreviation]) -> str | None:
        """The first acronym the abstract defines after its first sentence and then
        makes the subject of a sentence or clause of its own ("... with simple
        self-distillation (SSD). SSD improves ..."): the paper's method, though no verb
        coins it. Not in a survey or tutorial, which names its field's methods, nor a
        term said to be established ("X (X) has become ...")."""
        if _SURVEY.match(title) or _TUTORIAL.search(title):
            return None
        first_stop = _SENTENCE_END.search(abstract)
        opening = first_stop.start() if first_stop else len(abstract)
        for abbreviation in defined:
            if abbreviation.long_start < opening or _FIELD_AFTER.match(
                abstract, abbreviation.short_end
            ):
                continue
            name = clean_name(abbreviation.short)
            if not is_name(name, 1) or not self.acceptable(name) or not _acronym_shaped(name):
                continue
            if _reused_as_subject(abstract, abbreviation.short, abbreviation.short_end):
                return name
        return None

    def _name_of(self, match: re.Match[str], rule: ShortNameRule) -> str | None:
        groups = match.groupdict()
        acronym = groups.get("acronym")
        if acronym:
            long_form = groups.get("long") or ""
            if not _defines(acronym, long_form):
                return None
            name = clean_name(acronym)
            return name if self.acceptable(name) and is_name(name, 1) else None
        raw = groups.get("name")
        if not raw:
            return None
        name = clean_name(raw)
        if not name or not is_name(name, rule.max_words) or not self.acceptable(name):
            return None
        several = rule.multiword and len(name.split()) > 1
        if rule.name_shaped and not name_shaped(name) and not several:
            return None
        return name

    def acceptable(self, name: str, models: bool = True) -> bool:
        """Not a generic word, a field acronym, a plural acronym, a number ("We release
        1,400 instances") or (``models``) a model's name."""
        if name.casefold() in self.not_names or _PLURAL_ACRONYM.fullmatch(name):
            return False
        if not any(c.isalpha() for c in name):
            return False
        return not (models and self._model.match(name))


def _acronym_for(name: str, defined: list[Abbreviation] | None, abstract: str) -> str | None:
    """The short form the abstract defines for exactly ``name``, if any."""
    wanted = _content_words(name)
    for abbreviation in defined if defined is not None else find_abbreviations(abstract):
        if _content_words(without_markup(abbreviation.long)) == wanted:
            return abbreviation.short
    return None


def _word_spans(
    phrases: list[str], known: dict[str, list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """``find_words(text, phrases)`` from the spans ``known`` of each phrase in the text."""
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        spans.extend(known[phrase])
    spans.sort()
    return spans


# what stands before a long form that names the paper's own subject: the start of a
# sentence or of a clause ("On top of this, Widget Data Evolution (WDE) runs ..."), or
# "our", "novel", "proposed" ("Our novel stealthy Widget Injection (WI) attack")
_LEADS_NAME = re.compile(
    r"(?:^|[.!?]\s+|,\s+|\b(?:[Oo]ur|novel|proposed)\s+(?:(?!of\b)[\w-]+\s+){0,2})$"
)
# what a field's term is said to be after its definition ("X (X) has emerged as ...")
_FIELD_AFTER = re.compile(
    r"\s*\)\s*(?:ha(?:s|ve)\s+(?:become|emerged|been|gained|attracted|shown)"
    r"|(?:is|are)\s+(?:an?\s+)?(?:widely|commonly|increasingly|popular|common|standard"
    r"|fundamental|key|critical|central|crucial|important|emerging|promising)|remains?)\b"
)
_SURVEY = re.compile(r"(?:an?\s+)?(?:survey|review|overview)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_TUTORIAL = re.compile(r"\b(?:tutorial|primer)\b", re.IGNORECASE)
# an acronym that opens a sentence or clause, a word in lower case (its verb, or an
# adverb before it) after it: "SSD improves", "; GARL has", ", and SBTM often matches"
# (the acronym may be bold: "**SSD** improves")
_SUBJECT_AFTER = re.compile(r"(?:\*\*)?\s[a-z]+\b")
_CLAUSE_JOINS = ("and", "while", "but", "whereas")


def _reused_as_subject(text: str, short: str, start: int) -> bool:
    """Whether ``short`` opens a sentence or a clause of ``text`` after ``start`` and a
    word in lower case follows it. (Read at each place the acronym is written, with
    one regex for what follows it: a regex of the acronym, new for every paper, cost
    more to compile than the rest of the rule.)"""
    at = text.find(short, start + 1)
    while at >= 0:
        if _SUBJECT_AFTER.match(text, at + len(short)) and _opens_clause(text, start, at):
            return True
        at = text.find(short, at + 1)
    return False


def _opens_clause(text: str, start: int, at: int) -> bool:
    """Whether what stands between ``start`` and ``at`` ends with a sentence's or a
    clause's opening: a sentence mark or ";" and spaces, " -- ", or ", and " (or
    "while", "but", "whereas"), then, if any, the "**" of bold."""
    end = at - 2 if at >= 2 and text.startswith("**", at - 2) else at
    if end <= start or not text[end - 1].isspace():
        return False
    opening = end
    while opening > start and text[opening - 1].isspace():
        opening -= 1
    if opening > start and text[opening - 1] in ".!?;":
        return True  # (the spaces after the mark are all the spaces before the acronym)
    if end - 4 >= start and text[end - 4].isspace() and text.startswith("--", end - 3):
        return True
    for word in _CLAUSE_JOINS:
        first = end - len(word) - 3
        if (
            first >= start
            and text[first] == ","
            and text[first + 1].isspace()
            and text.startswith(word, first + 2)
        ):
            return True
    return False


_SMALL = frozenset({"a", "an", "the", "of", "for", "and", "in", "on", "with", "to", "via", "by"})


def _content_words(text: str) -> list[str]:
    """The words of a phrase in lower case, hyphenated parts apart, small words out."""
    parts = re.split(r"[^\w]+", text.lower())
    return [p for p in parts if p and p not in _SMALL]


def _same_word(a: str, b: str) -> bool:
    """The same word up to its ending ("model" / "models", "filtering" / "filter")."""
    return a == b or (min(len(a), len(b)) >= 4 and a[:5] == b[:5])


def _defines(acronym: str, long_form: str) -> bool:
    """Whether ``acronym`` abbreviates the last words of ``long_form``, and the words
    before those hold no preposition ("a method for expanding Neural Networks (NNs)"
    defines a term, not a name)."""
    words = long_form.split()
    for k in range(1, min(8, len(words)) + 1):
        if is_acronym_of(acronym, " ".join(words[-k:])):
            before = {w.lower().strip(",:;") for w in words[:-k]}
            return not (before & _PREPOSITIONS)
    return False


# a title of at most this many words, with no colon, is read as its own prefix
_WHOLE_TITLE_WORDS = 3


def title_prefix_name(title: str, rule: ShortNameRule) -> tuple[str, bool] | None:
    """The name before the title's colon and whether it is clearly a name."""
    head, colon, _ = title.partition(":")
    if not colon:
        # a title of a few words is its own prefix ("Avey-B", "Neural Computers"), unless
        # it names an activity or a report, however its kind is spelled ("Regulating AI
        # Agents", "Widget-1.0 Techinical Report": the last word of a title ending)
        words = title.split()
        if (
            not words
            or len(words) > _WHOLE_TITLE_WORDS
            or words[0].endswith("ing")
            or any(words[-1] == ending.split()[-1] for ending in rule.title_endings)
        ):
            return None
    head = clean_name(_BEYOND.sub("", head))  # "Widget-RL and Beyond: ..."
    first, amp, _ = head.partition(" & ")
    if amp and name_shaped(first):
        head = first  # "Widget-Bench & Gizmo-Thought: ...": the first name leads
    if not head or head.lower() in _lowered(rule.not_names):
        return None
    if head.split()[0].lower() in _lowered(rule.not_first_words):
        return None
    if " " in head and head.split()[-1].lower() in _lowered(rule.not_last_words):
        return None  # "Learning Rate Matters", "Model Capability Dominates": a claim
    if _CLAUSE_SHAPED.search(head):
        return None  # "Widget-Models Beat Gizmos", "VLMs Need Words": a claim, not a name
    article, _, rest = head.partition(" ")
    if article == "The" and rest and is_name(rest, rule.max_words - 1):
        return head, False  # "The Vision Wormhole": weak, the abstract must repeat it
    if not is_name(head, rule.max_words):
        # "Chain of Mindset", "Thinking with Comics": capitalised words joined by small
        # ones read as a name only when the abstract repeats them (a weak prefix);
        # "Closing the Loop", "Back to Basics" are topics and are not repeated
        words = head.split()
        if (
            2 < len(words) <= rule.max_words
            and is_name(words[0], 1)
            and is_name(words[-1], 1)
            and all(is_name(w, 1) or w.lower() in _JOINING_WORDS for w in words[1:-1])
        ):
            return head, False
        return None
    return head, len(head.split()) == 1 or name_shaped(head)


#: what sets a coined name off after it: a comma, a bracket, or "a"/"an" (see _coins)
_SET_OFF = re.compile(r"\s?(?:,|\(|\s(?:a|an)\s)")
_BEYOND = re.compile(r"\s(?:and|&)\sBeyond$")
#: a title prefix that reads as a clause: a word in -s (a plural subject, or a verb)
#: followed by a capitalised word of small letters ("VLMs Need Words", "Micro-Defects
#: Expose Macro-Fakes", "Adam Improves Muon"), or a contraction
_CLAUSE_SHAPED = re.compile(r"(?:^|\s)[A-Z][\w\-]*[^\Ws]s\s[A-Z][a-z]+\b(?<!ing)|\w['’]t\b")


def _the_is_part(name: str, abstract: str) -> bool:
    """Whether the abstract writes "The" of a name capitalised inside a sentence ("we
    introduce The Widget Race"): the article is part of the name."""
    return re.search(r"[^.!?\s]\s+" + re.escape(name) + r"\b", abstract) is not None


def _unrepeated_name(prefix: str, max_words: int) -> bool:
    """Whether a title prefix the abstract does not repeat still reads as a name:
    capitalised words alone ("Reasoning Shift: How ..."), not joined by small ones, not
    "The ...", nor a clause: one with a contraction ("Seeing Isn't Believing") or with a
    word in -s before its last, a plural subject or a verb ("VLMs Need Words", "Adam
    Improves Muon"), nor an activity, a verb's -ing form and its object ("Nudging Hidden
    States", "Seeing Through Touch"; two words may be a noun's, "Reasoning Cache")."""
    words = prefix.split()
    return (
        not any(w.endswith("s") and not w.endswith("ss") for w in words[:-1])
        and not (len(words) > 2 and words[0].endswith("ing"))
        and is_name(prefix, max_words)
        and not prefix.startswith("The ")
        and "'" not in prefix
        and "\u2019" not in prefix
    )


def _acronym_shaped(name: str) -> bool:
    """'RC', 'MT-GRPO': capitals for the most part, not a blend ("AnisoAlign")."""
    letters = [c for c in name if c.isalpha()]
    return (
        " " not in name
        and len(letters) >= 2
        and sum(c.isupper() for c in letters) * 2 > len(letters)
    )


def reported_name(title: str, rule: ShortNameRule) -> str | None:
    """The name a report's title ends with its kind ("Widget-7B Technical Report")."""
    head = title.partition(":")[0].strip()
    for ending in rule.title_endings:
        if head.endswith(" " + ending):
            name = clean_name(head[: -len(ending)])
            if name and is_name(name, rule.max_words):
                return name
    return None


@lru_cache(maxsize=64)
def _lowered_tuple(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _lowered(words: list[str]) -> frozenset[str]:
    return _lowered_tuple(tuple(words))


# LaTeX that only styles a name ("we propose \textbf{Gizmo}"), innermost first
_STYLED = re.compile(
    r"\\(?:textbf|textit|texttt|textsc|textrm|textsf|emph|mathbf|mathrm|mathit|underline)"
    r"\{([^{}]*)\}"
)
# a Greek letter written as LaTeX math ("$\delta$-mem")
_GREEK = re.compile(r"\$\\([A-Za-z]+)\$")


def without_markup(text: str) -> str:
    r"""The abstract as a reader sees it, for the rules that coin a name: styling
    commands dropped ("\textbf{Gizmo}" -> "Gizmo") and Greek letters written as LaTeX
    math made letters ("$\delta$-mem" -> "δ-mem"). Only names are read from it, never
    offsets."""
    if "\\" not in text:
        return text
    previous = None
    while previous != text:
        previous, text = text, _STYLED.sub(r"\1", text)
    return _GREEK.sub(_greek_letter, text)


def _greek_letter(match: re.Match[str]) -> str:
    name = match[1]
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return match[0]


def _greek(letter: str) -> bool:
    """Whether a character is Greek: one opens a name as a capital does ("δ-mem")."""
    return "\u0370" <= letter <= "\u03ff"


def clean_name(text: str) -> str:
    name = tidy(text).strip("\"'“”‘’`()[]{},.;:").strip()
    return name + "}" if _OPEN_POWER.search(name) else name  # "WRC^{2}" keeps its brace


_OPEN_POWER = re.compile(r"\^\{\w+$")


def name_shaped(name: str) -> bool:
    """A name on its own: a word with an inner capital, a digit or a '+', capitals, or a
    Greek letter first ("δ-mem")."""
    return any(
        _INNER_CAPITAL.search(w) or (w.isupper() and len(w) > 1) or _greek(w[0])
        for w in name.split()
    )


def is_name(text: str, max_words: int) -> bool:
    """Whether ``text`` reads as a system or method name rather than a phrase."""
    words = text.split()
    if not words or len(words) > max_words:
        return False
    if any(w.lower() in _LOWER_WORDS for w in words):
        return False
    if not all(_NAME_TOKEN.fullmatch(w) for w in words):
        return False
    if len(words) == 1:
        first = words[0][0]
        return first.isupper() or _greek(first) or bool(_INNER_CAPITAL.search(words[0]))
    # Several words: all capitalised ("Widget Forests") or name-like ("Wid-GET Net"),
    # and a version after the first ("Widget v2").
    return all(
        w[0].isupper() or w[0].isdigit() or (i and V_VERSION.fullmatch(w))
        for i, w in enumerate(words)
    )
