"""Text helpers the rule modules share: word spans, names, web-page artefacts (and the
sentence bounds of :mod:`extract.sentences`).

Everything here is a pure function over a string and character offsets, so the rule
modules can look at the neighbourhood of a candidate without segmenting or parsing the
whole document (which would cost more than the rules themselves).

Web-page artefacts: abstracts copied from a rendered page carry a space before
punctuation that followed a highlighted term ("the judge ; then", "( OPD )") and, more
rarely, a lone letter split off a highlighted word ("error rate s"). The stored
abstract keeps them (offsets index it as stored); :func:`tidy` repairs a span of it
into the text the author wrote, for values such as a metric or benchmark name.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

# the parser of regular expressions (no public API reads a pattern's parts); it moved in
# Python 3.11
if sys.version_info >= (3, 11):
    import re._constants as _sre
    import re._parser as _regex_parser
else:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _regex_parser

# the project's one sentence splitter, re-exported for the rule modules
from ..sentences import Sentences as Sentences
from ..sentences import sentence_bounds as sentence_bounds
from ..sentences import sentence_spans as sentence_spans
from ..sentences import sentence_starts as sentence_starts

#: a version written with a "v" ("v2", "v4.1"): the one lower-case word a name may hold
V_VERSION = re.compile(r"v\d{1,2}(?:\.\d{1,2})*")


class Word(NamedTuple):
    """A word of the text with its offsets; ``gap`` is True when punctuation that
    separates phrases (, ; : brackets, quotes, a sentence period) comes before it."""

    start: int
    end: int
    text: str
    gap: bool


_NOT_KEY = re.compile(r"[\W_]+")


# (names and words, asked for again and again: the same few thousand keys)
@lru_cache(maxsize=1 << 16)
def canonical_key(name: str) -> str:
    """Case, spacing and punctuation folded: 'CIFAR100' and 'cifar-100' share a key."""
    return _NOT_KEY.sub("", name.casefold())


# a relation written against its number ("rho =0.85", "(<1%)", "~46%") is a word of its
# own, so that the number's words end with it
_RELATION = r"[=<>~≈≤≥](?=[-+−]?\.?\d)|"
_TOKEN = re.compile(
    r"(?P<word>" + _RELATION + r"[^\s,;:()\[\]{}\"“”]+)|(?P<punct>[,;:()\[\]{}\"“”])"
)
# ... the same for an ASCII text, its characters written out: sre tests a class of plain
# characters about twice as fast as one that holds \s and characters beyond ASCII
# (" \t\n\x0b\x0c\r\x1c-\x1f" is what \s matches among the ASCII characters)
_ASCII_TOKEN = re.compile(
    r"(?P<word>[=<>~](?=[-+]?\.?\d)|[^ \t\n\x0b\x0c\r\x1c-\x1f,;:()\[\]{}\"]+)"
    r"|(?P<punct>[,;:()\[\]{}\"])"
)
# the same where a dash between words, "--" or "—", separates phrases as a comma does
# (slower: used only on a text that holds one)
_DASHED_TOKEN = re.compile(
    r"(?P<word>" + _RELATION + r"(?:[^\s,;:()\[\]{}\"“”—-]|-(?!-))+)"
    r"|(?P<punct>[,;:()\[\]{}\"“”—]|--+)"
)
# ... and so is the name before it ("R^2=0.98", "F1=0.91"): the word is cut there
_EQUALS_NUMBER = re.compile(r"(?<=[^\s=])=(?=[-+−]?\.?\d)")


_PHRASE_ACRONYM = re.compile(r"\((?=[A-Z])[A-Za-z0-9@\-]{2,10}\)(?=\s[a-z])")


def _abbreviates(acronym: str, before: list[Word]) -> bool:
    """Whether ``acronym`` abbreviates the last one to four of the words ``before``."""
    return any(
        is_acronym_of(acronym, " ".join(w.text for w in before[-k:]))
        for k in range(1, min(4, len(before)) + 1)
    )


#: ``Word(start, end, text, gap)`` without the Python-level ``__new__`` a NamedTuple
#: class is given (a sentence of words is made for every sentence that holds a claim)
_new_word = tuple.__new__


def words(text: str, start: int, end: int) -> list[Word]:
    """The words of ``text[start:end]``; a word's trailing sentence punctuation is cut."""
    found: list[Word] = []
    add = found.append
    size = len(text)
    gap = False
    dashed = text.find("--", start, end) >= 0 or text.find("—", start, end) >= 0
    skip_to = -1
    tokens = _DASHED_TOKEN if dashed else _ASCII_TOKEN if text.isascii() else _TOKEN
    for match in tokens.finditer(text, start, end):
        s, e = match.span()
        if s < skip_to:
            continue
        word = match.group()
        if match.lastgroup == "punct":
            if word == "(" and found and not gap and found[-1].text[:1].isupper():
                # the acronym of a capitalised name, in brackets inside a phrase, is part
                # of it: "Fail-to-Pass (F2P) rates"
                inner = _PHRASE_ACRONYM.match(text, s, end)
                if inner is not None and _abbreviates(inner.group()[1:-1], found):
                    add(_new_word(Word, (inner.start(), inner.end(), inner.group(), False)))
                    skip_to = inner.end()
                    continue
            gap = True
            continue
        gap_after = word[-1] in ".!?" and (e == size or text[e].isspace())
        if gap_after:
            word = word.rstrip(".!?")
            e = s + len(word)
        if "=" in word and (cut := _EQUALS_NUMBER.search(text, s, e)) is not None:
            at = cut.start()
            add(_new_word(Word, (s, at, text[s:at], gap)))
            add(_new_word(Word, (at, at + 1, "=", False)))
            s, word, gap = at + 1, text[at + 1 : e], False
        if word:
            add(_new_word(Word, (s, e, word, gap)))
        gap = gap_after
    return found


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]}%])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")
_SPLIT_LETTER = re.compile(r"(?<=[a-z])\s(s)\b")
_SPACES = re.compile(r"\s+")
# (whether a span needs tidying: each branch opens with a few characters, so sre skips
# to them; "[a-z]\ss\b" is read from its space, with the letter looked back at)
_NEEDS_TIDY = re.compile(r"\s(?:[,.;:!?)\]}%]|\s|(?<=[a-z]\s)s\b)|[(\[{]\s|[\t\n]")


def tidy(span: str) -> str:
    """A span of the abstract as the author wrote it: page artefacts and outer
    punctuation removed, runs of spaces made one ("( WIDGET )" -> "(WIDGET)"), a
    LaTeX math sign the span cut in two left out."""
    if not _NEEDS_TIDY.search(span):
        text = span.strip().strip(" ,;:.")
    else:
        text = _SPACES.sub(" ", span.strip())
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
        text = _SPACE_AFTER_OPEN.sub(r"\1", text)
        text = _SPLIT_LETTER.sub(r"\1", text)
        text = text.strip(" ,;:.")
    if text.count("$") % 2:  # the span cut LaTeX math: "$R^2" of "$R^2 = 0.98$"
        text = text.strip("$")
    return text


def strip_span(text: str, start: int, end: int, chars: str = " ,;:.") -> tuple[int, int]:
    """Shrink ``[start, end)`` past spaces and the given punctuation at both ends."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


# A name token: starts with a capital or a digit (or is LaTeX), and is not all
# lower case; "CIFAR-100", "ImageNet", "Gizmo-10k", "$\alpha$-bench", "nuScenes".
NAME_TOKEN = (
    r"(?<![\w$\\'’.\-])"  # only at the start of a word: keeps the search linear
    r"(?:\$[^$\s=]{1,30}\$[\w\-+.]*"  # LaTeX math (no formula: "="), optionally with a suffix
    r"|[A-Z][\w+\-.'’^]*(?:\\&[A-Z][\w+\-.'’^]*)*[\w+'](?:/\d\d(?![\w.]))?"  # Capitalised,
    # possibly with inner punctuation ("BrowseComp-V^3", LaTeX's "Tanks\&Gizmos"), and
    # the two editions a slash joins: "AIME24/25"
    r"|[A-Z]\*(?=\s[A-Z])"  # a starred letter before a capitalised word: "V* Bench"
    r"|[A-Z]"
    r"|[a-z]+[A-Z][\w+\-.]*[\w+]"  # camelCase: nuScenes, iNaturalist
    r"|\d+[A-Za-z][\w+\-.]*[\w+]"  # digits then letters: 20NewsGroups, 3DMatch
    r"|[\u0370-\u03ff][\w+\-.^]*[\w+])"  # a Greek letter first: δ-mem, τ^2-bench
)


#: the words a digit of an acronym may stand for at the start of its long form
NUMBER_WORDS = {
    "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
    "8": "eight", "9": "nine",
}  # fmt: skip


def is_acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates ``long`` ("SRA" / "Self-Representation Alignment").

    Each capital (or digit) of the short form must be found, in order, at the start
    of a word or word part of the long form, or inside it after such a start. A digit
    the long form does not hold may stand for "to" ("L2P" / "Latent-to-Pixel") or count
    the letter before it ("R3" / "Reason-Reflect-Refine").
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2:
        return False
    parts = [p for p in re.split(r"[\s\-/]+", long) if p]
    if not parts:
        return False
    flat = " ".join(parts).lower()
    # The first letter must begin the long form; the rest may follow within words. A
    # leading digit may be the number word the long form opens with ("3WT" / "Three-Way
    # Widget Tuning").
    at = 1
    if letters[0] != flat[0]:
        word = NUMBER_WORDS.get(letters[0])
        if not word or not flat.startswith(word):
            return False
        at = len(word)
    for k, letter in enumerate(letters[1:], 1):
        found = flat.find(letter, at)
        if found < 0 and letter.isdigit():
            found = _digit_read(flat, at, letter, letters[k - 1])
        if found < 0:
            return False
        at = found + 1
    return True


_TO = re.compile(r"\bto\b")


def _digit_read(flat: str, at: int, digit: str, before: str) -> int:
    """Where a digit of an acronym ends in a long form that does not write it: "2" read
    as the word "to", or n read as n times the letter before it; -1 if neither fits."""
    if digit == "2":
        word = _TO.search(flat, at)
        if word is not None:
            return word.end() - 1
    if not before.isalpha() or digit in "01":
        return -1
    found = at - 1
    for _ in range(int(digit) - 1):
        found = flat.find(" " + before, found + 1)
        if found < 0:
            return -1
        found += 1
    return found


def phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex, any run of spaces matching where it has a space."""
    return re.escape(phrase).replace(r"\ ", r"\s+")


def first_char_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases (:func:`phrase_regex`) tried in the order
    given, with the phrases that open with the same character behind one copy of it.

    sre tries the branches of an alternation one by one at each position; with one
    branch per first character it tries a few (an alternation of 186 cues: 2.6 times
    faster). The matches are those of the plain alternation: phrases that open with
    different characters never match at the same place, and those that share one keep
    their order."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        if not phrase or phrase[0].isspace():
            raise ValueError(f"a phrase of an alternation opens with a space: {phrase!r}")
        groups.setdefault(phrase[0], []).append(phrase_regex(phrase[1:]))
    return "|".join(
        re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()
    )


def find_words(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of whole-word occurrences of ``phrases`` in a text (case as given).

    ``str.find`` runs in C, so looking for a few dozen words this way is much cheaper
    than one regex alternation over the text.
    """
    spans = []
    size = len(text)
    for phrase in phrases:
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if (at == 0 or not text[at - 1].isalnum()) and (end == size or not text[end].isalnum()):
                spans.append((at, end))
            at = text.find(phrase, end)
    spans.sort()
    return spans


# (the character first, then what stands before it: a pattern that opens with a
# character class is tried only where the class matches, one that opens with a
# lookbehind at every character, two and a half times slower)
_NAME_START = re.compile(r"[A-Z0-9$(](?<![\w$\\'’.\-].)")


def anchored_matches(
    pattern: re.Pattern[str],
    text: str,
    hits: Iterable[tuple[int, int]] | None,
    window: tuple[int, int] = (120, 160),
    at: str = "inside",
    back: int = 0,
    requires: str | None = None,
) -> list[re.Match[str]]:
    """Matches of ``pattern`` that contain one of the anchor ``hits`` (start, end).

    Trying a complex pattern at every position of a text costs more than tokenising
    it; anchors (a word from a PhraseMatcher, a literal found by a simple regex) are
    found quickly, and the pattern is then tried only there:

    - ``at="start"``: the pattern starts where the anchor does (or up to ``back``
      characters before it, at a word start);
    - ``at="end"``: the pattern ends where the anchor does and starts at a word that
      may begin a name (a capital, a digit, ``$``) in the ``window[0]`` characters
      before it; the longest such match wins;
    - otherwise it is searched in ``window`` characters before and after the anchor.

    ``requires`` is a literal that must occur where a match can lie around the anchor
    (a cheap test that saves most regex calls). ``hits=None`` searches the whole text.
    """
    if hits is None:
        if requires and requires not in text:
            return []
        return list(pattern.finditer(text))
    if not hits:
        return []  # (most rules find no anchor in an abstract)
    found: dict[tuple[int, int], re.Match[str]] = {}
    before, after = window
    size = len(text)
    match_at = pattern.match
    for hit_start, hit_end in hits:
        start = hit_start - before if hit_start > before else 0
        end = hit_end + after if hit_end + after < size else size
        if requires:
            # (a match may start ``back`` characters before a "start" anchor)
            lo = start if at != "start" or hit_start - back >= start else max(0, hit_start - back)
            if text.find(requires, lo, end) < 0:
                continue
        if at == "start":
            first = hit_start - back if hit_start > back else 0
            for at_ in range(first, hit_start + 1):
                if at_ and (text[at_ - 1].isalnum() or text[at_ - 1] in "._"):
                    continue
                match = match_at(text, at_, end)
                if match:
                    found.setdefault(match.span(), match)
                    break
        elif at == "end":
            for candidate in _NAME_START.finditer(text, start, hit_start):
                match = match_at(text, candidate.start(), hit_end)
                if match and match.end() == hit_end:
                    found.setdefault(match.span(), match)
                    break
        else:
            for match in pattern.finditer(text, start, end):
                if match.start() <= hit_start and match.end() >= hit_end:
                    found.setdefault(match.span(), match)
    if len(found) < 2:  # (most anchors give no match)
        return list(found.values())
    return [found[k] for k in sorted(found)]


#: a set of more literals than this is not worth testing before a regex
_MOST_NEEDED = 16
#: ... in lower case, for a case-insensitive regex, which sre runs several times slower
_MOST_LOWERED = 24


def required_literals(pattern: re.Pattern[str], lowered: bool = False) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` holds, read from the parsed
    regex ("O(" for "\\bO\\([^)]*"; "CI" or "confidence" for an alternation of the
    two), or None when no short set is certain. Case-insensitive parts and lookarounds
    (whose text lies outside the match) are not read.

    ``lowered``: literals in lower case, case-insensitive parts read too, one of which
    the lower-cased text of every match holds when the text is ASCII ("exceed" for
    "\\b(?i:exceed|surpass)\\s+"; for ASCII, lower-casing is what IGNORECASE does)."""
    parsed = _regex_parser.parse(pattern.pattern, pattern.flags)
    return _required_in(parsed.data, bool(pattern.flags & re.IGNORECASE), lowered)


def _required_in(items: list[Any], folded: bool, lowered: bool = False) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    most = _MOST_LOWERED if lowered else _MOST_NEEDED

    def keep(found: tuple[str, ...] | None) -> None:
        nonlocal best
        if not found or len(found) > most:
            return
        # the set whose shortest literal is longest is the rarest
        if best is None or (min(map(len, found)), -len(found)) > (
            min(map(len, best)),
            -len(best),
        ):
            best = found

    run = ""
    for op, av in [*items, (None, None)]:
        if op is _sre.LITERAL and (not folded or (lowered and av < 128)):
            # (beyond ASCII, IGNORECASE may match an ASCII letter: "K", the Kelvin sign)
            run += chr(av).lower() if lowered else chr(av)
            continue
        if run:
            keep((run,))
            run = ""
        if op is _sre.SUBPATTERN:
            _, add, remove, inner = av
            inner_folded = (folded or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            keep(_required_in(inner.data, inner_folded, lowered))
        elif op is _sre.BRANCH:
            options = [_required_in(branch.data, folded, lowered) for branch in av[1]]
            if all(options):
                either = {literal for o in options if o for literal in o}
                # a literal that holds another is found wherever it is: "exceed" is
                # enough for "exceed" and "exceeds"
                keep(tuple(sorted(a for a in either if not any(b in a for b in either - {a}))))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            keep(_required_in(av[2].data, folded, lowered))
    return best


def leading_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` starts with ("Bench", "Eval"...
    for ``(?:Bench|Eval)\\b``; "times", "fold" for ``(?<=\\s)(?:times|fold)``), read from
    the parsed regex; None when they cannot be read (a character class or a
    case-insensitive part first) or include a single ASCII character (too common to be
    worth looking for)."""
    if pattern.flags & re.IGNORECASE:
        return None
    found = _leading(_regex_parser.parse(pattern.pattern, pattern.flags).data)
    if not found or any(len(literal) < 2 and literal.isascii() for literal in found):
        return None
    return found


def _leading(items: Any) -> tuple[str, ...] | None:
    run = ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if op is _sre.BRANCH:  # "v(?:s|ersus)": "vs" or "versus"
            found: list[str] = []
            for branch in av[1]:
                literals = _leading(branch.data)
                if not literals:
                    return (run,) if run else None
                found.extend(run + literal for literal in literals)
            return tuple(found)
        if run:
            break
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # (zero width: the match still starts at the literal after it)
        if op is _sre.SUBPATTERN:
            _, add, _, inner = av
            return None if add & re.IGNORECASE else _leading(inner.data)
        return None
    return (run,) if run else None


def literals_after_one(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` holds right after its first
    character, when that character is any of a class ("to" for ``\\sto\\s``): read as
    :func:`leading_literals` reads the rest of the pattern."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_regex_parser.parse(pattern.pattern, pattern.flags).data)
    if not items or items[0][0] is not _sre.IN:
        return None
    found = _leading(items[1:])
    if not found or any(len(literal) < 2 and literal.isascii() for literal in found):
        return None
    return found


def behind_literals(pattern: re.Pattern[str]) -> tuple[tuple[str, int], ...] | None:
    """(literal, offset) pairs one of which every match of ``pattern`` holds ``offset``
    characters after its start, when a branch opens with a lookbehind that holds a
    literal with punctuation: (";", -2) for the "(?<=;\\s)on" of "(?:On|(?<=;\\s)on)\\s",
    beside ("On", 0). Punctuation is rarer in a text than the letters after it ("on"
    stands in every other word ending in "-tion"). None when no branch has such a
    lookbehind, or a branch has no literal to read."""
    if pattern.flags & re.IGNORECASE:
        return None
    found = _marks(_regex_parser.parse(pattern.pattern, pattern.flags).data)
    if not found or not any(offset for _, offset in found):
        return None
    if any(len(literal) < 2 and literal.isascii() and literal.isalnum() for literal, _ in found):
        return None
    return found


def _has_punctuation(literal: str) -> bool:
    return any(not c.isalnum() and not c.isspace() for c in literal)


def _marks(items: Any) -> tuple[tuple[str, int], ...] | None:
    for op, av in items:
        if op is _sre.ASSERT and av[0] < 0:  # a lookbehind
            low, high = av[1].getwidth()
            inside = _leading(av[1].data)
            if low == high and inside and all(map(_has_punctuation, inside)):
                return tuple((literal, -high) for literal in inside)
            continue
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.BRANCH:
            found: list[tuple[str, int]] = []
            for branch in av[1]:
                marks = _marks(branch.data)
                if not marks:
                    return None
                found.extend(marks)
            return tuple(found)
        if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            return _marks(av[3].data)
        break
    plain = _leading(items)
    return tuple((literal, 0) for literal in plain) if plain else None


def starts_with_digit(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` starts with a digit (``\\d[\\d.,]*``, ``\\d+``;
    zero-width assertions before the digit allowed), read from the parsed regex."""
    return _digit_first(_regex_parser.parse(pattern.pattern, pattern.flags).data)


def _digit_first(items: Any) -> bool:
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, _, repeated = av
            return bool(low >= 1 and _digit_first(repeated.data))
        return bool(op is _sre.IN and av == [(_sre.CATEGORY, _sre.CATEGORY_DIGIT)])
    return False


#: the characters ``\\s`` matches (those ``str.isspace`` holds), beyond ASCII too
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ASCII = [chr(c) for c in range(128)]


def edge_past_spaces(pattern: re.Pattern[str], last: bool = False) -> frozenset[str] | None:
    """When every match of ``pattern`` opens with spaces (or none) and then a character
    other than a space, the ASCII characters that one can be, read from the parsed
    regex ("l", "b" for ``\\s+(?:larger|bigger)\\b``; "K", "M", "b" for
    ``\\s?(?:[KM]|bn)\\b``); with ``last``, the same for the character before the
    spaces a match ends with ("t", "f" for ``\\b(?:at|of)\\s+$``). Where the first
    character past the spaces (or the last before them) is another ASCII character, or
    there is none, the pattern cannot match. None when they cannot be read: a match may
    be nothing but spaces; a case-insensitive part, any character or a back-reference
    may stand there."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_regex_parser.parse(pattern.pattern, pattern.flags).data)
    tests = _past_spaces(items[::-1] if last else items, last)
    if tests is None or any(test(c) for test in tests for c in SPACES):
        return None  # (what stands past the spaces may be a space itself)
    return frozenset(c for c in _ASCII if any(test(c) for test in tests))


# (each test is of one character: the sequences are read in the order a match is, from
# its first item or, with ``last``, from its last)
def _past_spaces(items: list[Any], last: bool) -> list[Any] | None:
    """Tests of the first character past the spaces a sequence of items opens with."""
    for at, (op, av) in enumerate(items):
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT) or _only_spaces(op, av):
            continue
        rest = items[at + 1 :]
        if op is _sre.BRANCH:
            tests: list[Any] = []
            for branch in av[1]:
                found = _past_spaces([*_ordered(branch.data, last), *rest], last)
                if found is None:
                    return None
                tests.extend(found)
            return tests
        if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            return _past_spaces([*_ordered(av[3].data, last), *rest], last)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] == 0:
            # ("(?:of\s+|at\s+)?"): none of it, and what follows; or once, and what
            # its first time holds past the spaces (or, all spaces, what follows)
            without = _past_spaces(rest, last)
            within = _past_spaces([*_ordered(av[2].data, last), *rest], last)
            return None if without is None or within is None else [*without, *within]
        read = _edge(items[at:], last)
        return None if read is None or read[1] else read[0]
    return None  # (nothing but spaces)


def _ordered(items: Any, last: bool) -> list[Any]:
    return list(items)[::-1] if last else list(items)


#: zero-width items: they consume no character
ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
#: items that consume one character, whatever stands around it
_ONE_CHAR = (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY)
_REPEATS = tuple(
    op
    for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
    if op is not None
)

#: (the one-character items one of which matches the edge character of every match of a
#: parsed sequence, whether the sequence may match nothing), or None when unknown
_Edges = tuple[list[tuple[Any, Any]], bool] | None


def edge_items(items: list[Any], last: bool) -> _Edges:
    """The items one of which matches the first (``last``: the last) character of every
    match of a parsed sequence."""
    found: list[tuple[Any, Any]] = []
    for op, av in reversed(items) if last else items:
        if op in ZERO_WIDTH:
            continue
        if op in _ONE_CHAR:
            return [*found, (op, av)], False
        got: _Edges
        if op is _sre.SUBPATTERN:
            _, add, remove, inner = av
            got = None if add or remove else edge_items(inner.data, last)
        elif op is _sre.BRANCH:
            parts = [edge_items(branch.data, last) for branch in av[1]]
            known = [part for part in parts if part is not None]
            if len(known) < len(parts):
                return None
            got = [item for part in known for item in part[0]], any(part[1] for part in known)
        elif op in _REPEATS:
            low, _, inner = av
            got = edge_items(inner.data, last)
            if got is not None and low == 0:
                got = got[0], True
        else:
            return None  # (a back-reference, a conditional, an atomic group...)
        if got is None:
            return None
        found.extend(got[0])
        if not got[1]:
            return found, False
    return found, True


def _edge(items: list[Any], last: bool) -> tuple[list[Any], bool] | None:
    """(tests of the characters a sequence can open with, whether it may be empty);
    ``items`` come in the order a match reads them (from its end, with ``last``)."""
    found = edge_items(_ordered(items, last), last)
    if found is None:
        return None
    tests: list[Any] = []
    for op, av in found[0]:
        if op is _sre.LITERAL:
            tests.append(lambda c, av=av: ord(c) == av)
            continue
        test = _class_test(av) if op is _sre.IN else None
        if test is None:
            return None  # (any character, a negated literal, a class it cannot read)
        tests.append(test)
    return tests, found[1]


def _only_spaces(op: Any, av: Any) -> bool:
    """Whether a part of a regex matches spaces only (``\\s``, ``\\s+``, " ")."""
    if op is _sre.LITERAL:
        return chr(av).isspace()
    if op is _sre.IN:
        return all(
            (kind is _sre.CATEGORY and item in (_sre.CATEGORY_SPACE, _sre.CATEGORY_UNI_SPACE))
            or (kind is _sre.LITERAL and chr(item).isspace())
            for kind, item in av
        )
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        return all(_only_spaces(inner_op, inner_av) for inner_op, inner_av in av[2].data)
    return False


def _class_test(members: Any) -> Any:
    """A test of one character for a character class, or None when it cannot be read."""
    tests: list[Any] = []
    negated = False
    for kind, item in members:
        if kind is _sre.NEGATE:
            negated = True
        elif kind is _sre.LITERAL:
            tests.append(lambda c, item=item: ord(c) == item)
        elif kind is _sre.RANGE:
            tests.append(lambda c, low=item[0], high=item[1]: low <= ord(c) <= high)
        elif kind is _sre.CATEGORY and item in _CATEGORY_TESTS:
            tests.append(_CATEGORY_TESTS[item])
        else:
            return None
    return lambda c: any(test(c) for test in tests) != negated


# (what sre tests for each class of characters, the Unicode one: on the ASCII
# characters and the spaces the plain classes agree, or match fewer)
_CATEGORY_TESTS = {
    _sre.CATEGORY_SPACE: str.isspace,
    _sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    _sre.CATEGORY_DIGIT: str.isdecimal,
    _sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    _sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    _sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


#: the longest text each pattern can match, by the pattern's id (see :data:`_LEADING`)
_WIDEST: dict[int, tuple[re.Pattern[str], int]] = {}


def max_width(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can span (a huge number when a repeat
    is unbounded), read from the parsed regex once. A ``fullmatch`` of a longer span
    cannot succeed, and failing can cost much: sre tries every way the pattern's
    repeats could split the span ("(?:\\s?[A-Za-z]{1,15}){0,2}" before a comma)."""
    known = _WIDEST.get(id(pattern))
    if known is None or known[0] is not pattern:
        width = int(_regex_parser.parse(pattern.pattern, pattern.flags).getwidth()[1])
        known = _WIDEST[id(pattern)] = (pattern, width)
    return known[1]


#: ASCII digits as b"1", every other byte as b"0"
_DIGIT_MARKS = bytes(0x31 if 0x30 <= b <= 0x39 else 0x30 for b in range(256))
_DIGITS = re.compile(r"\d+")


def digit_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``re.finditer(r"\\d+", text)``. In an ASCII text (``\\d`` is then
    [0-9]) they are found by marking the digits with ``bytes.translate`` and jumping
    between marks with ``bytes.find``, both in C: several times cheaper than sre, which
    tries the pattern at every character."""
    if not text.isascii():
        return [m.span() for m in _DIGITS.finditer(text)]
    marks = text.encode("ascii").translate(_DIGIT_MARKS)
    runs = []
    at = marks.find(b"1")
    while at >= 0:
        end = marks.find(b"0", at)
        if end < 0:
            end = len(marks)
        runs.append((at, end))
        at = marks.find(b"1", end)
    return runs


#: how each pattern's matches start, by the pattern's id (hashing a pattern hashes its
#: compiled code, every time): (literal, offset) pairs one of which each match holds
#: that many characters after its start, and whether a match starts with a digit; the
#: pattern is kept with them, so an id is never reused
_LEADING: dict[int, tuple[re.Pattern[str], tuple[tuple[str, int], ...] | None, bool]] = {}


def anchor_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The spans of ``pattern.finditer(text)``, found faster when every match starts
    with one of a few literals (:func:`leading_literals`), with one character and then
    one of them (:func:`literals_after_one`), a few characters after one written in a
    lookbehind (:func:`behind_literals`) or with a digit (:func:`starts_with_digit`):
    those are looked for with ``str.find`` or :func:`digit_runs` (in C, far cheaper than
    trying the pattern at every character) and the pattern is tried only where one
    stands, skipping what an earlier match covered, as ``finditer`` does."""
    known = _LEADING.get(id(pattern))
    if known is None or known[0] is not pattern:
        marks = behind_literals(pattern)
        if marks is None:
            literals = leading_literals(pattern)
            if literals is not None:
                marks = tuple((literal, 0) for literal in literals)
        if marks is None:
            second = literals_after_one(pattern)
            if second is not None:
                marks = tuple((literal, 1) for literal in second)
        digit = marks is None and starts_with_digit(pattern)
        known = _LEADING[id(pattern)] = (pattern, marks, digit)
    if known[1] is not None:
        return [m.span() for m in _matches_at_marks(pattern, text, known[1])]
    if known[2]:
        return [m.span() for m in _matches_at_digits(pattern, text)]
    return [m.span() for m in pattern.finditer(text)]


def _matches_at_digits(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` gives when every match starts with a digit: the
    pattern is tried only at digits, skipping what an earlier match covered."""
    found: list[re.Match[str]] = []
    end = 0
    for run_start, run_end in digit_runs(text):
        for at in range(max(run_start, end), run_end):
            if at < end:
                continue  # inside the match before
            match = pattern.match(text, at)
            if match:
                found.append(match)
                end = match.end()
    return found


def matches_at(
    pattern: re.Pattern[str],
    text: str,
    literals: Iterable[str],
    haystack: str | None = None,
    offset: int = 0,
) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` gives when every match starts with one of
    ``literals`` (and so is never empty), or holds one ``offset`` characters after its
    start: the literals are found with ``str.find`` in ``haystack`` (``text``, or a copy
    with the same offsets, such as its lower-cased form) and the pattern is tried only
    there, skipping what an earlier match covered."""
    return _matches_at_marks(pattern, text, [(literal, offset) for literal in literals], haystack)


def _matches_at_marks(
    pattern: re.Pattern[str],
    text: str,
    marks: Iterable[tuple[str, int]],
    haystack: str | None = None,
) -> list[re.Match[str]]:
    """:func:`matches_at` with each literal's own offset (negative: the literal stands
    before the match, in a lookbehind)."""
    where = text if haystack is None else haystack
    ascii = where.isascii()
    starts: set[int] = set()
    for literal, offset in marks:
        if ascii and not literal.isascii():
            continue  # ("→" is in no ASCII text: no need to scan it for one)
        at = where.find(literal, max(offset, 0))
        while at >= 0:
            starts.add(at - offset)
            at = where.find(literal, at + 1)
    found: list[re.Match[str]] = []
    end = 0
    size = len(text)
    for at in sorted(starts):
        if at < end:
            continue  # inside the match before: the scan goes on after it
        if at > size:
            break  # (a lookbehind's literal at the very end: no match starts after it)
        match = pattern.match(text, at)
        if match:
            found.append(match)
            end = match.end()
    return found
