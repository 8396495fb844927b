"""From sightings to gazetteer entries: group, clean, choose canonicals, classify, write.

The steps, in order (each a function below):

1. ``_groups``: the names each source ties together (a SciREX cluster, a name and its
   parenthesised acronym), reduced to one *base* name and the members that are spellings
   or abbreviations of it; a leaderboard title loses its qualifiers ('Set5 - 4x
   upscaling' -> 'Set5', 'KITTI Cars Easy' -> 'KITTI') when a shorter name is written in
   running text.
2. ``_merge``: names that share a key (case, spaces and punctuation folded) are one
   entry; the groups join entries together; curated facts add, merge and drop.
3. ``_classify``: each name is *plain* (safe for a case-insensitive matcher), *cased*
   (a common word unless written in its own case: MATH, RACE) or dropped (too short, a
   task, a model, a metric, a description, a common word).
4. ``_entries``: the canonical of an entry is the seed's spelling, else the spelling
   written most often in running text, else the leaderboard's; spelling variants are
   added for the token matcher; an alias is never given to two entries.
5. ``render``: sorted TSV with a header that says what made the file and from what.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from wordfreq import zipf_frequency

from .curated import Fact
from .names import (
    GENERIC_BENCHMARK_WORDS,
    GENERIC_METRIC_WORDS,
    SCORE_WORDS,
    canonical_key,
    is_acronym_of,
    repair_hyphenation,
    strip_generic,
    strip_leading_article,
    variants,
)
from .sources import Sighting

Kind = Literal["benchmarks", "metrics"]
Class = Literal["plain", "cased", "drop"]

#: A word at or above this Zipf frequency (about 3 uses per million words of general
#: English, by wordfreq) is a common word: 'math', 'race', 'spider', 'general'.
COMMON_ZIPF = {"benchmarks": 3.5, "metrics": 4.0}
#: Longer names are descriptions, not names.
MAX_WORDS = {"benchmarks": 6, "metrics": 5}
_SMALL = {"of", "the", "in", "on", "for", "and", "a", "an", "to", "at", "with", "from", "by"}
#: Words in front of a metric that say which split it was measured on.
_METRIC_SPLITS = re.compile(r"^(?:test|testing|validation|valid|val|dev|development)\s+", re.I)
_LANGUAGE = (
    "English|German|French|Romanian|Russian|Czech|Chinese|Japanese|Finnish|Turkish|Thai|"
    "Vietnamese|Spanish|Italian|Arabic|Hindi|Korean|Portuguese|Dutch|Latvian|Estonian|"
    "Lithuanian|Gujarati|Kazakh|Polish|Hungarian|En|De|Fr|Ro|Ru|Cs|Zh|Ja|Fi|Tr|Vi"
)
_LANGUAGE_PAIR = re.compile(rf"\b(?:{_LANGUAGE})\s*(?:-|–|to|→|\s)\s*(?:{_LANGUAGE})\b", re.I)


_KIND_WORDS = {
    "benchmarks": GENERIC_BENCHMARK_WORDS,
    "metrics": GENERIC_METRIC_WORDS + SCORE_WORDS,
}


@dataclass
class Entry:
    """One gazetteer line: a canonical name, its aliases, and (metrics) a direction."""

    canonical: str
    aliases: list[str]
    direction: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Table:
    """The entries of one gazetteer, split by how they may be matched."""

    kind: Kind
    plain: list[Entry]
    cased: list[Entry]
    dropped: Counter[str] = field(default_factory=Counter)  #: reason -> names dropped
    conflicts: list[str] = field(default_factory=list)


# --- keys --------------------------------------------------------------------------------


_SERIES_YEAR = re.compile(
    r"\b(WMT|IWSLT|CoNLL|SemEval|TAC|DUC|NIST|MUC|Senseval)[\s\-]*['’]?(\d\d)\b", re.I
)
_LANGUAGE_CODES = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "ro": "romanian",
    "ru": "russian",
    "cs": "czech",
    "zh": "chinese",
    "ja": "japanese",
    "fi": "finnish",
    "tr": "turkish",
    "vi": "vietnamese",
    "es": "spanish",
    "it": "italian",
    "ar": "arabic",
}


@functools.cache
def key_of(name: str, kind: Kind) -> str:
    """The grouping key: `canonical_key` after kind words, a leading article, a version
    'v', a split word and a plural (metrics) are removed, a two-digit year of a shared
    task series is read as four ('WMT'14' = 'WMT 2014') and a language pair is spelled
    out ('EN-DE' = 'English-German')."""
    name = strip_leading_article(name.strip())
    if kind == "metrics":
        name = _METRIC_SPLITS.sub("", strip_generic(name, GENERIC_METRIC_WORDS))
        short = strip_generic(name, SCORE_WORDS)
        if short != name and len(canonical_key(short)) >= 2 and _abbreviation(short):
            name = short
        name = re.sub(r"(?<=[a-z])ies$", "y", name)
        name = re.sub(r"(?<=[a-zA-Z]{3})(?<![sS])[sS]$", "", name)
    else:
        name = strip_generic(name, GENERIC_BENCHMARK_WORDS)
        name = _SERIES_YEAR.sub(
            lambda m: f"{m.group(1)} {'19' if int(m.group(2)) > 80 else '20'}{m.group(2)}", name
        )
        pair = _LANGUAGE_PAIR.search(name)
        if pair:
            words = re.findall(r"[A-Za-z]+", pair.group())
            words = [_LANGUAGE_CODES.get(w.lower(), w.lower()) for w in words if w != "to"]
            name = name[: pair.start()] + " " + "-".join(words) + name[pair.end() :]
    name = re.sub(r"(?<=[A-Za-z\s\-])[vV](?=\d)|\bversion\s+(?=\d)", "", name)
    name = re.sub(r"(?<=\d)\.0\b", "", name)  # 'VQA v2.0' = 'VQAv2'
    return canonical_key(name)


def _abbreviation(name: str) -> bool:
    """'BLEU', 'F1', 'ROUGE-L': a name written in capitals or with a digit."""
    letters = re.sub(r"[^A-Za-z]", "", name)
    return bool(re.search(r"\d", name)) or (letters.isupper() and len(letters) >= 2)


@functools.cache
def clean_mention(name: str, kind: Kind) -> str:
    """A name as it may be listed: no quotes, article, trailing kind word, leading
    'English' (the default language), or words a PDF split at a line end."""
    name = name.strip().strip("\"'“”‘’").strip()
    if name.count("(") != name.count(")"):
        name = name.replace("(", " ").replace(")", " ").strip()
    name = strip_leading_article(repair_hyphenation(name, _is_word))
    words = GENERIC_BENCHMARK_WORDS if kind == "benchmarks" else GENERIC_METRIC_WORDS
    short = strip_generic(name, words)
    if (
        short != name
        and kind == "benchmarks"
        and all(
            _is_common(t, kind) and not _marked_case(t)
            for t in _tokens(short)
            if t.lower() not in _SMALL
        )
    ):
        short = name  # 'British National Corpus' is a name; 'British National' is not
    return re.sub(r"\s+", " ", short).strip(" .,;:")


def _is_word(text: str) -> bool:
    return zipf_frequency(text.lower(), "en") >= 3.0


# --- 1. groups ---------------------------------------------------------------------------


@dataclass
class Group:
    base: str
    members: list[Sighting]
    head: Sighting


#: The EFF AI progress file names measurements, not datasets ('librispeech WER
#: testclean', 'CIFAR-10 Image Recognition'): its names count only as leaderboard titles
#: to shorten, never as evidence on their own.
_DESCRIPTIVE_LISTS = ("pwc_sota_extractor/data/tasks/eff.json",)


def _attested(sightings: Iterable[Sighting], kind: Kind) -> tuple[set[str], set[str]]:
    """Keys of established names, and of names a shorter title may be cut back to.

    A name is established when papers write it twice, or a leaderboard or knowledge
    base lists it; a name is known when it is established or a source names a group
    with it (a SciREX entity: 'ADE20K' for 'ADE20K Labels-to-Photos').
    """
    written: Counter[str] = Counter()
    listed: set[str] = set()
    heads: set[str] = set()
    for s in sightings:
        key = key_of(clean_mention(s.name, kind), kind)
        if s.in_text:
            written[key] += 1
        elif s.where not in _DESCRIPTIVE_LISTS and (s.head or not s.group):
            (heads if s.source == "scirex" else listed).add(key)
    established = {k for k, n in written.items() if n >= 2} | listed
    return established, established | heads | set(written)


def base_name(title: str, attested: tuple[set[str], set[str]], kind: Kind) -> str:
    """The name a leaderboard title or a qualified mention stands for.

    Qualifiers after ' - ' and in a closing parenthesis go; then, when the rest is not
    an established name, the longest run of leading words that is a known one
    ('KITTI Cars Easy' -> 'KITTI', 'COCO train2014' -> 'COCO'). A language pair is part
    of a translation benchmark and stays ('WMT2014 English-German').
    """
    established, known = attested
    name = clean_mention(title, kind)
    if kind == "metrics":
        name = re.sub(r"\s+on\s+\S.*$", "", name)  # 'Accuracy on RACE-h'
    if " - " in name and not _LANGUAGE_PAIR.search(name.split(" - ", 1)[1]):
        name = name.split(" - ", 1)[0]
    name = re.sub(r"\s*\([^()]*\)$", "", name).strip() or name
    # a split of a dataset is the dataset: 'COCO train2014', 'COCO test-dev'
    name = re.sub(r"(?<=\S)\s+(?:train|val|test|trainval|minival|test-dev|test-std)\d*$", "", name)
    if name.startswith("English ") and key_of(name[8:], kind) in known:
        return name[8:]
    if key_of(name, kind) in established or kind == "metrics":
        return name
    words = name.split(" ")
    pair = _LANGUAGE_PAIR.search(name)
    for n in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:n])
        if pair and len(prefix) <= pair.start():
            break
        if key_of(prefix, kind) in known and len(canonical_key(prefix)) >= 3:
            return prefix
    return name


def _groups(sightings: list[Sighting], kind: Kind) -> list[Group]:
    attested = _attested(sightings, kind)
    by_group: dict[str, list[Sighting]] = defaultdict(list)
    groups: list[Group] = []
    for s in sightings:
        if s.group:
            by_group[s.group].append(s)
        else:
            groups.append(Group(base_name(s.name, attested, kind), [s], s))
    for members in by_group.values():
        heads = [m for m in members if m.head]
        head = heads[0] if heads else members[0]
        base = base_name(head.name, attested, kind)
        base_key = key_of(base, kind)
        kept = [head]
        for m in members:
            if m is head:
                continue
            text = clean_mention(m.name, kind)
            if (
                key_of(text, kind) == base_key
                or is_acronym_of(text, base)
                or is_acronym_of(base, text)
            ):
                kept.append(m)
            elif m.in_text and kind == "benchmarks":
                # a dataset name written in a paper, of something else than the group's
                # name ('Oxford5k' in the cluster of 'Oxf105k'): it stands on its own.
                # Metric clusters are too loose for that ('learning rate' under 'Error').
                groups.append(Group(base_name(m.name, attested, kind), [m], m))
        groups.append(Group(base, kept, head))
    return groups


# --- 2. merge ----------------------------------------------------------------------------


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Name:
    """Everything known about one key: its spellings and who wrote them."""

    spellings: Counter[str] = field(default_factory=Counter)  #: in running text
    listed: Counter[str] = field(default_factory=Counter)  #: in leaderboards and KBs
    sources: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    directions: Counter[str] = field(default_factory=Counter)
    heads: int = 0  #: times it is the name a source gives a group
    descriptive: int = 0  #: times it comes from a list of measurements (eff.json)
    seed: str | None = None  #: a curated canonical spelling
    curated: bool = False


def _merge(
    groups: list[Group], facts: list[Fact], kind: Kind
) -> tuple[dict[str, _Name], _Union, set[str]]:
    names: dict[str, _Name] = defaultdict(_Name)
    union = _Union()

    def note(text: str, s: Sighting | None) -> str:
        key = key_of(text, kind)
        if not key:
            return key
        union.find(key)
        info = names[key]
        if s is None:
            info.curated = True
            info.listed[text] += 1
            return key
        (info.spellings if s.in_text else info.listed)[text] += 1
        info.sources.add(s.source)
        info.places.add(s.where)
        if s.direction:
            info.directions[s.direction] += 1
        return key

    for g in groups:
        base_key = note(g.base, g.head)
        if base_key:
            names[base_key].heads += 1
            if g.head.where in _DESCRIPTIVE_LISTS:
                names[base_key].descriptive += 1
        for m in g.members:
            if m is g.head:
                continue
            key = note(clean_mention(m.name, kind), m)
            if key and base_key:
                union.join(base_key, key)

    dropped: set[str] = set()
    for fact in facts:
        if fact.table != kind:
            continue
        key = key_of(fact.name, kind)
        if fact.action == "add":
            note(fact.name, None)
            for alias in fact.aliases:
                union.join(key, note(alias, None))
            names[key].seed = fact.name
            if fact.direction:
                names[key].directions[fact.direction] += 100
        elif fact.action == "alias":
            assert fact.of is not None
            note(fact.name, None)
            union.join(key_of(fact.of, kind), key)
        elif fact.action == "canonical":
            note(fact.name, None)
            names[key].seed = fact.name
        elif fact.action == "direction":
            assert fact.direction is not None
            note(fact.name, None)
            names[key].directions[fact.direction] += 100
        elif fact.action == "drop":
            dropped.add(key)
    return names, union, dropped


# --- 3. classify -------------------------------------------------------------------------

_TOKENS = re.compile(r"[^\s/]+")


def _tokens(name: str) -> list[str]:
    """Tokens as the matcher's tokenizer splits them: at spaces and slashes, and at a
    hyphen before a letter ('MT-Bench', 'RTE3-derived'; not 'CIFAR-10')."""
    out: list[str] = []
    for chunk in _TOKENS.findall(name):
        out += [t for t in re.split(r"(?<=[A-Za-z0-9])-(?=[A-Za-z])", chunk) if t]
    return out


def _is_common(word: str, kind: Kind) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters or letters != re.sub(r"[^\w]", "", word):
        return False  # has digits: 'Set5', 'WN18' are not words
    return zipf_frequency(letters.lower(), "en") >= COMMON_ZIPF[kind]


def _marked_case(word: str) -> bool:
    """Written in a case no sentence gives an ordinary word: 'MATH', 'SQuAD', 'bAbI'."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) >= 2 and (letters.isupper() or bool(re.search(r"[a-z][A-Z]", letters)))


@functools.cache
def classify(name: str, kind: Kind) -> tuple[Class, str]:
    """Whether a name is safe for a case-insensitive matcher, and if not, why.

    'plain': safe in any case. 'cased': a common word unless written in this case
    ('MATH', 'RACE', 'mAP'), or a name made only of capitalised common words ('One
    Billion Word'). 'drop': too short, a description, or a common word in any case.
    """
    if len(canonical_key(name)) < (3 if kind == "benchmarks" else 2):
        return "drop", "too short"
    if not re.search(r"[A-Za-z]", name):
        return "drop", "too short"
    if re.search(r"[^\w\s\-+.,@%/'’&!*]", name):
        return "drop", "a symbol no name has"
    tokens = _tokens(name)
    if (
        len(tokens) > MAX_WORDS[kind]
        or re.search(r"[:;\"“”()\[\]]|\s(?:and|or|per|vs\.?|of the)\s|\s-|-\s", name)
        or name != name.strip()
    ):
        return "drop", "a description, not a name"
    if name.endswith("@") or re.search(r"@[kKN]\b", name):
        return "drop", "a family of metrics, not one"
    if kind == "benchmarks" and re.search(r"-to-|\s(?:to|→|↔)\s", name):
        return "drop", "a transfer setting, not a name"
    if kind == "benchmarks" and re.fullmatch(
        rf"(?:{_LANGUAGE})[\s\-–→]*(?:to\s+)?(?:{_LANGUAGE})", name, re.I
    ):
        return "drop", "a language pair, not a name"
    content = [t for t in tokens if t.lower() not in _SMALL and re.search(r"[A-Za-z]", t)]
    # in a name of several words, a short word in capitals is an acronym ('MT-Bench',
    # 'AG News', 'CNN / Daily Mail'), not the common word it spells
    common = [
        t
        for t in content
        if _is_common(t, kind) and not (len(content) > 1 and re.fullmatch(r"[A-Z]{1,3}", t))
    ]
    kind_words = {w for w in GENERIC_BENCHMARK_WORDS if " " not in w}
    if kind == "benchmarks" and any(
        t == t.lower() and (_is_word(t) or t in kind_words) for t in content
    ):
        # a lower-case word inside a benchmark name makes it a description:
        # 'movie review', 'TriviaQA web', 'RTE3-derived'
        return "drop", "a description, not a name"
    if kind == "metrics" and len(content) > 1:
        return "plain", ""  # 'word error rate', 'Peak Signal-to-Noise Ratio'
    if content and len(common) == len(content):
        if any(_marked_case(t) for t in content):
            return "cased", "a common word unless written in this case"
        if kind == "metrics":
            return "plain", ""  # 'accuracy', 'recall': kept when written often, below
        if len(content) > 1 and all(t[:1].isupper() for t in content):
            return "cased", "common words unless capitalised as a name"
        return "drop", "a common word"
    return "plain", ""


# --- 4. entries --------------------------------------------------------------------------


def _text_count(info: _Name) -> int:
    return sum(info.spellings.values())


def _rank(info: _Name) -> tuple[int, int, int, int, int]:
    """Order of the keys of an entry, the first giving the canonical: a curated
    spelling, then a name a leaderboard lists (by how many sources list or write it),
    then the name written most in text."""
    return (
        0 if info.seed else 1,
        0 if info.listed else 1,
        -len(info.sources),
        -_text_count(info),
        -info.heads,
    )


def _best_spelling(info: _Name, kind: Kind) -> str:
    """The seed's spelling; else the leaderboards' most common one that papers also write
    (spaces aside: 'Human3.6M' for 'Human3.6 M'); else the one papers write most; else the
    leaderboards'. Ties go to one with capitals (a name), then the shortest. A metric
    is named as papers write it most ('accuracy', not the leaderboards' 'Accuracy')."""
    if info.seed:
        return info.seed
    if kind == "metrics" and info.spellings:
        # a metric that is a word is written in lower case ('accuracy'); an abbreviation
        # as papers and leaderboards write it most ('BLEU-2', not 'BLEU-2 scores')
        lower = Counter({s: n for s, n in info.spellings.items() if s == s.lower()})
        if lower and any(_is_word(t) for t in re.findall(r"[a-z]+", min(lower))):
            return min(lower, key=lambda s: (-lower[s], len(s), s))
        pool = info.spellings + info.listed
        return min(pool, key=lambda s: (-pool[s], len(s), s))
    written = {re.sub(r"\s", "", s) for s in info.spellings}
    confirmed = Counter({s: n for s, n in info.listed.items() if re.sub(r"\s", "", s) in written})
    pool = confirmed or info.spellings or info.listed
    return min(pool, key=lambda s: (-pool[s], s == s.lower(), len(s), s))


def _distinctive(name: str) -> bool:
    """A name no one writes by accident: with a digit, an inner capital or capitals."""
    return bool(re.search(r"\d|[a-z][A-Z]|[A-Z]{3}|^[a-z]+-[a-z]+$", name))


def _supported(keys: list[str], names: dict[str, _Name], kind: Kind) -> bool:
    """Enough evidence that an entry names a benchmark or a metric: curated, written
    twice in text, or written once and listed; for a benchmark also listed by two
    sources, or by a leaderboard with a name no one writes by accident ('ogbn-arxiv',
    'QAngaroo')."""
    infos = [names[k] for k in keys]
    text = sum(_text_count(i) for i in infos)
    listed = [s for i in infos for s in i.listed]
    sources = set().union(*(i.sources for i in infos))
    leaderboard = [
        s for i in infos for s in i.listed if i.sources & {"pwc", "tdms"} and not i.descriptive
    ]
    if any(i.curated or i.seed for i in infos) or text >= 2 or (text >= 1 and bool(listed)):
        return True
    # The metric columns of PwC's NLP tables and of the NLP-TDMS knowledge base come from
    # the same NLP-progress pages, so for metrics they are one source, not two.
    return kind == "benchmarks" and (len(sources) >= 2 or any(_distinctive(s) for s in leaderboard))


def build_table(
    sightings: list[Sighting], facts: list[Fact], kind: Kind, exclude: dict[str, str]
) -> Table:
    """The entries of one gazetteer from the sightings of its kind and the curated facts.

    `exclude` maps keys of names to the reason they may not be listed (a task, a model,
    a name of the other table).
    """
    mine = [s for s in sightings if s.table == kind]
    groups = _groups(mine, kind)
    names, union, dropped = _merge(groups, facts, kind)
    forced = {
        key_of(f.name, kind): f.action
        for f in facts
        if f.table == kind and f.action in ("cased", "plain")
    }
    components: dict[str, list[str]] = defaultdict(list)
    for key in sorted(names):
        components[union.find(key)].append(key)

    table = Table(kind, [], [])
    candidates: list[tuple[list[tuple[str, Class]], _Name, int]] = []
    for keys in components.values():
        if not _supported(keys, names, kind):
            table.dropped["too little evidence"] += len(keys)
            continue
        spelled: list[tuple[str, Class, _Name]] = []
        for k in sorted(keys, key=lambda k: (_rank(names[k]), k)):
            info = names[k]
            if k in dropped:
                table.dropped["curated drop"] += 1
                continue
            if k in exclude and not (info.curated or info.seed):
                table.dropped[exclude[k]] += 1
                continue
            spelling = _best_spelling(info, kind)
            cls, why = classify(spelling, kind)
            if k in forced:
                cls = "cased" if forced[k] == "cased" else "plain"
            elif (
                kind == "metrics"
                and cls == "plain"
                and len(_tokens(spelling)) == 1
                and _is_common(spelling, kind)
                and _text_count(info) < 3
                and not info.seed
            ):
                cls, why = "drop", "a common word written fewer than 3 times"
            if cls == "drop":
                table.dropped[why] += 1
                continue
            spelled.append((spelling, cls, info))
        if not spelled:
            continue
        merged = _Name()
        for _, _, info in spelled:
            merged.sources |= info.sources
            merged.places |= info.places
            merged.spellings.update(info.spellings)
            merged.directions.update(info.directions)
        # every spelling of the entry, with the separator variants a token matcher needs
        out: list[tuple[str, Class]] = []
        for spelling, cls, info in spelled:
            for text in [spelling, *sorted(set(info.spellings) | set(info.listed))]:
                # a spelling with a kind word ('BLEU scores') needs no variants: the
                # matcher finds the name inside it
                kinded = strip_generic(text, _KIND_WORDS[kind]) != text
                for form in [text, *([] if kinded else variants(text))]:
                    if form != spelling:
                        form = clean_mention(form, kind)
                    form_cls = cls
                    if form != spelling and key_of(form, kind) not in forced:
                        form_cls = classify(form, kind)[0]
                    if form != text and form_cls != classify(text, kind)[0]:
                        continue  # a variant is only as safe as the spelling it varies
                    if form_cls != "drop" and all(form != f for f, _ in out):
                        out.append((form, form_cls))
        candidates.append((out, merged, _text_count(merged) + len(merged.places)))

    # An alias belongs to the entry with most support; ties go to the alphabetically first.
    owners: dict[str, str] = {}
    candidates.sort(key=lambda c: (-c[2], c[0][0][0]))
    for out, merged, _ in candidates:
        canonical = out[0][0]
        if owners.get(canonical_key(canonical), canonical) != canonical:
            table.conflicts.append(
                f"{canonical!r}: already a name of {owners[canonical_key(canonical)]!r}"
            )
            continue
        kept: list[tuple[str, Class]] = []
        for form, cls in out:
            k = canonical_key(form)
            if owners.get(k, canonical) != canonical:
                table.conflicts.append(f"{form!r}: kept for {owners[k]!r}, not {canonical!r}")
                continue
            owners[k] = canonical
            kept.append((form, cls))
        direction = _direction(merged.directions) if kind == "metrics" else None
        sources = sorted(merged.sources)
        plain = [f for f, c in kept if c == "plain"]
        cased = [f for f, c in kept if c == "cased"]
        if plain:
            # the entry's canonical is its best name that is safe in any case, so the
            # main file covers the entry; its case-sensitive names go beside it
            if kept[0][1] != "plain":
                bare = [f for f in plain if strip_generic(f, _KIND_WORDS[kind]) == f]
                canonical = (bare or plain)[0]
                plain.remove(canonical)
                plain.insert(0, canonical)
            canonical = plain[0]
            table.plain.append(
                Entry(canonical, _one_per_case(canonical, plain[1:]), direction, sources)
            )
            if cased:
                table.cased.append(Entry(canonical, sorted(cased), direction, sources))
        else:
            table.cased.append(
                Entry(canonical, sorted(set(cased) - {canonical}), direction, sources)
            )
    table.plain.sort(key=lambda e: (e.canonical.casefold(), e.canonical))
    table.cased.sort(key=lambda e: (e.canonical.casefold(), e.canonical))
    return table


def _one_per_case(canonical: str, forms: list[str]) -> list[str]:
    """Aliases for a case-insensitive matcher: one spelling per lower-cased form."""
    seen = {canonical.lower()}
    out = []
    for form in forms:
        if form.lower() not in seen:
            seen.add(form.lower())
            out.append(form)
    return sorted(out)


def _direction(votes: Counter[str]) -> str | None:
    if not votes:
        return None
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def exclusions(sightings: list[Sighting], kind: Kind) -> dict[str, str]:
    """Keys a `kind` gazetteer may not list: names seen more often as something else."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sightings:
        name = clean_mention(s.name, kind)
        table = s.table
        counts[key_of(name, kind)][table] += 1
    out: dict[str, str] = {}
    reasons = {
        "tasks": "a task name",
        "methods": "a model or method name",
        "metrics": "a metric name",
        "benchmarks": "a benchmark name",
    }
    for key, tally in counts.items():
        mine = tally[kind]
        other, n = max(((t, c) for t, c in tally.items() if t != kind), default=("", 0))
        if other and n > mine:
            out[key] = reasons[other]
    return out


# --- 5. render ---------------------------------------------------------------------------


def render(entries: list[Entry], kind: Kind, header: list[str]) -> str:
    """The TSV text of a gazetteer, '#' header lines first, one entry per line."""
    lines = [f"# {h}" if h else "#" for h in header]
    for e in entries:
        if kind == "metrics":
            cells = [e.canonical, e.direction or "", *e.aliases]
        else:
            cells = [e.canonical, *e.aliases]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"
