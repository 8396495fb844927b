"""The tokenizer's affix searches, made to try only the branches that can match.

spaCy splits each new chunk of text (what lies between spaces) with three regexes, each
an alternation of some eighty branches: the prefix one (every branch opens with ``^``),
the suffix one (every branch ends with ``$``) and the infix one. sre tries every branch
at every position of the chunk: these searches were a fifth of a run's instructions (the
suffix search alone an eighth), though most chunks are plain words no branch matches.

Which branches can match is known from the chunk's characters: a suffix branch only if
its last character can be the chunk's last ("s" for "'s$", not "e"), and then only
from as many characters before the end as its matches span; a prefix branch only if
its first character can be the chunk's first; an infix branch only if its first
character can be one of the chunk's. Each branch is compiled on its own when the
pipeline is built, and a chunk is searched with the branches that can match it: the
match is the one the whole regex finds (the leftmost, and at one place the earliest
branch's), so the tokens are the same. A branch whose edge cannot be read from its
parsed regex (a back-reference, inline flags, a branch that may match nothing) is
always tried.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from .text import ZERO_WIDTH, edge_items, required_literals

# the parser and compiler of regular expressions (no public API compiles a parsed
# regex or reads its parts); they moved in Python 3.11
if sys.version_info >= (3, 11):
    import re._compiler as _regex_compiler
    import re._constants as _sre
    import re._parser as _regex_parser
else:  # pragma: no cover
    import sre_compile as _regex_compiler
    import sre_constants as _sre
    import sre_parse as _regex_parser

_AT_START = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
_AT_END = (_sre.AT_END, _sre.AT_END_STRING)


def _branches(parsed: Any) -> list[Any]:
    """The branches of a parsed regex that is one alternation, each with the zero-width
    items that stand before the alternation (sre's parser takes the "^" every branch of
    "^a|^b" opens with out of them: "^(?:a|b)"); else the regex itself."""
    *head, last = parsed.data or [(None, None)]
    if last[0] is not _sre.BRANCH or any(op not in ZERO_WIDTH for op, _ in head):
        return [parsed]
    return [_regex_parser.SubPattern(parsed.state, [*head, *branch.data]) for branch in last[1][1]]


def _compile(parsed: Any, items: list[tuple[Any, Any]], flags: int) -> re.Pattern[str]:
    """A parsed sequence of items, compiled."""
    return _regex_compiler.compile(_regex_parser.SubPattern(parsed.state, items), flags)


class _Branch:
    """One branch of an alternation: its regex, whether it is anchored at the edge (a
    match starts at the text's start, or ends at its end), the test of the character
    at its edge (None: any character) and the most characters its matches span."""

    def __init__(self, parsed: Any, flags: int, last: bool, anchors: tuple[Any, ...] | None):
        """``anchors``: the zero-width items one of which must open (``last``: end) the
        branch for its first (last) character to be the text's; None when that character
        may be any of the text's."""
        self.regex = _compile(parsed, parsed.data, flags)
        self.width = int(parsed.getwidth()[1])
        edge = (parsed.data[-1] if last else parsed.data[0]) if parsed.data else (None, None)
        self.anchored = edge[0] is _sre.AT and anchors is not None and edge[1] in anchors
        edges = edge_items(parsed.data, last)
        if (anchors is not None and not self.anchored) or edges is None or edges[1]:
            edges = None  # (a match may start, or end, anywhere; or be empty)
        #: the one-character items one of which the edge character matches
        self.items = edges[0] if edges is not None else None
        self.test = (
            _compile(parsed, [(_sre.BRANCH, (None, [_one(parsed, i) for i in self.items]))], flags)
            if self.items
            else None
        )

    def may_match(self, char: str) -> bool:
        return self.test is None or self.test.fullmatch(char) is not None


def _one(parsed: Any, item: tuple[Any, Any]) -> Any:
    return _regex_parser.SubPattern(parsed.state, [item])


def _parsed_branches(
    pattern: re.Pattern[str], last: bool, anchors: tuple[Any, ...] | None
) -> list[_Branch]:
    parsed = _regex_parser.parse(pattern.pattern, pattern.flags)
    return [_Branch(branch, pattern.flags, last, anchors) for branch in _branches(parsed)]


def _first(found: re.Match[str] | None, match: re.Match[str] | None) -> re.Match[str] | None:
    """The match that starts first (``found``, of an earlier branch, on a tie)."""
    if match is None:
        return found
    return match if found is None or match.start() < found.start() else found


class SuffixSearch:
    """``pattern.search`` for the tokenizer's suffix regex: for a chunk that does not end
    with a line break (before which ``$`` matches too), only the branches that can end
    with its last character, each tried from as far before the end as it can reach."""

    def __init__(self, pattern: re.Pattern[str]):
        #: the regex as written (spaCy's serialisation reads ``search.__self__.pattern``)
        self.pattern = pattern.pattern
        self._regex = pattern
        self._branches = _parsed_branches(pattern, last=True, anchors=_AT_END)
        #: (regex, how far before the end its matches start at most: None for anywhere)
        #: of the branches that can end with a character, by the character
        self._by_char: dict[str, list[tuple[re.Pattern[str], int | None]]] = {}

    def search(self, string: str) -> re.Match[str] | None:
        if not string or string[-1] == "\n":
            return self._regex.search(string)
        char = string[-1]
        kept = self._by_char.get(char)
        if kept is None:
            kept = self._by_char[char] = [
                (b.regex, b.width if b.anchored else None)
                for b in self._branches
                if b.may_match(char)
            ]
        found = None
        size = len(string)
        for regex, reach in kept:
            start = size - reach if reach is not None else 0
            found = _first(
                found, regex.search(string, start) if start > 0 else regex.search(string)
            )
        return found


class PrefixSearch:
    """``pattern.search`` for the tokenizer's prefix regex: only the branches that can
    start with the chunk's first character (a branch that opens with ``^`` is matched
    at the start alone)."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern.pattern
        self._regex = pattern
        self._branches = _parsed_branches(pattern, last=False, anchors=_AT_START)
        #: (regex, whether it matches only at the start) of the branches that can start
        #: with a character, by the character
        self._by_char: dict[str, list[tuple[re.Pattern[str], bool]]] = {}

    def search(self, string: str) -> re.Match[str] | None:
        if not string:
            return self._regex.search(string)
        char = string[0]
        kept = self._by_char.get(char)
        if kept is None:
            kept = self._by_char[char] = [
                (b.regex, b.anchored) for b in self._branches if b.may_match(char)
            ]
        found = None
        for regex, anchored in kept:
            found = _first(found, regex.match(string) if anchored else regex.search(string))
            if found is not None and found.start() == 0:
                break  # (no later branch's match starts before it)
        return found


class InfixFinditer:
    """``pattern.finditer`` for the tokenizer's infix regex: only the branches that can
    start with one of the chunk's characters (found by one character class; for an
    ASCII chunk, a class of the ASCII characters alone, which sre tests at once where
    the whole class has it walk through hundreds of ranges)."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern.pattern
        self._regex = pattern
        self._branches = _parsed_branches(pattern, last=False, anchors=None)
        self._firsts = _one_class(pattern, self._branches)
        self._ascii_firsts = _ascii_class(self._firsts, pattern.flags) if self._firsts else None
        #: the regexes of the branches that can start with one of a set of characters
        self._by_chars: dict[frozenset[str], list[re.Pattern[str]]] = {}

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        if self._firsts is None or self._ascii_firsts is None:
            return self._regex.finditer(string)
        firsts = self._ascii_firsts if string.isascii() else self._firsts
        found = firsts.findall(string)
        if not found:
            return iter(())
        chars = frozenset(found)
        kept = self._by_chars.get(chars)
        if kept is None:
            kept = self._by_chars[chars] = [
                b.regex for b in self._branches if any(b.may_match(c) for c in chars)
            ]
        if not kept:
            return iter(())
        if len(kept) == 1:
            return kept[0].finditer(string)
        return _merged(kept, string)


class UrlMatch:
    """``pattern.match`` for the tokenizer's URL regex, whose every match holds one of a
    few literals ("." for spaCy's): a chunk without them is not tried."""

    def __init__(self, pattern: re.Pattern[str], needs: tuple[str, ...]):
        self.pattern = pattern.pattern
        self._regex = pattern
        self._needs = needs

    def match(self, string: str) -> re.Match[str] | None:
        for literal in self._needs:
            if literal in string:
                return self._regex.match(string)
        return None


def _merged(regexes: list[re.Pattern[str]], string: str) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` of the alternation of ``regexes`` gives, when none of them
    matches nothing: from each place, the match that starts first (the earliest
    regex's, on a tie), then on from its end."""
    at = [regex.search(string) for regex in regexes]
    while True:
        found = None
        for match in at:
            found = _first(found, match)
        if found is None:
            return
        yield found
        end = found.end()
        at = [
            regexes[k].search(string, end) if match is not None and match.start() < end else match
            for k, match in enumerate(at)
        ]


def _one_class(pattern: re.Pattern[str], branches: list[_Branch]) -> re.Pattern[str] | None:
    """One character class of every branch's edge items (sre scans a text for a class
    fast), or None when a branch's edge cannot be read or an item is a negated class."""
    members: list[tuple[Any, Any]] = []
    for branch in branches:
        for op, av in branch.items or [(None, None)]:
            if op is _sre.LITERAL:
                members.append((op, av))
            elif op is _sre.IN and not any(kind is _sre.NEGATE for kind, _ in av):
                members.extend(av)
            else:
                return None  # (no edge items, any character, a negated class...)
    parsed = _regex_parser.parse("", pattern.flags)
    return _compile(parsed, [(_sre.IN, members)], pattern.flags)


def _ascii_class(whole: re.Pattern[str], flags: int) -> re.Pattern[str] | None:
    """The ASCII characters of a character class, as a class of their own (None when
    the class holds none: a class that never matches stands for it)."""
    chars = [chr(c) for c in range(128) if whole.fullmatch(chr(c))]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]" if chars else "(?!)", flags)


def speed_up(tokenizer: Any) -> None:
    """Give a spaCy tokenizer the searches of this module for its own affix and URL
    regexes (those it holds as compiled regexes); the tokens are the same."""
    # each affix setter loads every special case again (thousands: a tenth of a second
    # each time); without them while the setters run, they are loaded once, at the end
    rules = tokenizer.rules
    tokenizer.rules = {}
    for name, kind in (
        ("prefix_search", PrefixSearch),
        ("suffix_search", SuffixSearch),
        ("infix_finditer", InfixFinditer),
    ):
        pattern = getattr(getattr(tokenizer, name, None), "__self__", None)
        if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
            wrapper = kind(pattern)
            setattr(tokenizer, name, getattr(wrapper, name.split("_")[1]))
    url = getattr(getattr(tokenizer, "url_match", None), "__self__", None)
    if isinstance(url, re.Pattern) and isinstance(url.pattern, str):
        needs = required_literals(url)
        if needs:
            tokenizer.url_match = UrlMatch(url, needs).match
    tokenizer.rules = rules
