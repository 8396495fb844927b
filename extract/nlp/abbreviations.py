"""Abbreviations defined in a text: "Long Name (LN)" and "LN (Long Name)".

A definition binds a short form to a long form for the rest of the document, so any
later component (benchmarks, claims) can treat "LN" and "Long Name" as one name. The
algorithm is the one of Schwartz and Hearst (2003): a short form in brackets is a word
or two with a capital letter; its long form is the shortest run of words just before
the bracket in which every letter and digit of the short form is found in order, right
to left, the first one at the start of a word. The reverse order, a short form followed
by its long form in brackets, is tried when the brackets hold more words than a short
form can.

It reads the text itself (a bracket, the words before it, split at spaces as the
algorithm defines them) and returns plain data with character offsets, so results
survive multiprocessing. Finding the brackets in the text costs far less than walking
the tokens of every abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import NUMBER_WORDS

#: a short form is at most this many words and characters
MAX_SHORT_WORDS = 2
MAX_SHORT_CHARS = 20
#: how far before a bracket its long form may start, in characters
_LOOK_BACK = 200
#: a bracket that holds a capital letter (a short form has one; a long form in
#: brackets after its short form, "WARE (Widget-Aware ...)", nearly always does)
#: (quotes around a short form are only its marking: 'Widget Means ("WM")')
_BRACKETS = re.compile(r"\([\"“]?(?P<inside>(?=[^()]{0,80}?[A-Z])[^()]{1,80}?)[\"”]?\)")
#: what ends the run of words a long form is taken from
#: everything up to the last stop: a sentence or clause mark, a comma included, followed
#: by a space ("v2.0" does not stop it) or a bracket. A long form holds no comma; without
#: this, a long short form ("Widget-PRs") finds its letters across a whole sentence.
_LAST_STOP = re.compile(r".*(?:[.,;:!?]\s|[()\[\]])", re.DOTALL)


@dataclass(frozen=True)
class Abbreviation:
    """A short form and the long form it stands for, with character offsets."""

    short: str
    short_start: int
    short_end: int
    long: str
    long_start: int
    long_end: int
    #: the offset of the opening bracket of the definition
    bracket: int

    @property
    def inside(self) -> str:
        """The form written in the brackets (the short one, or the long one after its
        short form)."""
        return self.short if self.short_start > self.bracket else self.long

    def as_dict(self) -> dict[str, object]:
        return {
            "short": self.short,
            "short_start": self.short_start,
            "short_end": self.short_end,
            "long": self.long,
            "long_start": self.long_start,
            "long_end": self.long_end,
        }


def is_short_form(text: str) -> bool:
    """A word or two, short, starting with a letter or digit, with a capital letter."""
    words = text.split()
    return (
        0 < len(words) <= MAX_SHORT_WORDS
        and 2 <= len(text) <= MAX_SHORT_CHARS
        and text[0].isalnum()
        and any(c.isupper() for c in text)
    )


def long_form_start(short: str, candidate: str) -> int | None:
    """Where, in ``candidate``, the long form of ``short`` starts (None: it has none).

    Every letter and digit of ``short`` is looked for right to left in ``candidate``;
    the first one must start a word. The long form runs from that word to the end.
    """
    s = len(short) - 1
    at = len(candidate) - 1
    # (an ASCII candidate is lowered once: each of its characters lowers to one, the
    # same as lowering it alone)
    folded = candidate.lower() if candidate.isascii() else None
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        if s == 0 and char in NUMBER_WORDS and char not in candidate[: at + 1]:
            # a leading digit the long form writes as the word it opens with
            # ("Three-Way Widget Tuning (3WT)")
            word = NUMBER_WORDS[char]
            found = _word_start(folded or candidate.lower(), word, at)
            return None if found is None else found
        if folded is not None:
            while at >= 0 and (
                folded[at] != char or (s == 0 and at > 0 and candidate[at - 1].isalnum())
            ):
                at -= 1
        else:
            while at >= 0 and (
                candidate[at].lower() != char or (s == 0 and at > 0 and candidate[at - 1].isalnum())
            ):
                at -= 1
        if at < 0:
            return None
        at -= 1
        s -= 1
    return candidate.rfind(" ", 0, at + 1) + 1


def _word_start(lowered: str, word: str, before: int) -> int | None:
    """The last place, at or before ``before``, where a word opening with ``word``
    starts in ``lowered``."""
    at = lowered.rfind(word, 0, before + 1)
    while at > 0 and lowered[at - 1].isalnum():
        at = lowered.rfind(word, 0, at)
    return None if at < 0 else at


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every abbreviation ``text`` defines, in order of the definitions."""
    found: list[Abbreviation] = []
    for bracket in _BRACKETS.finditer(text):
        raw = bracket.group("inside")
        inside = raw.strip()
        short = is_short_form(inside)
        if not short and len(inside.split()) < 2:
            continue
        inside_start = bracket.start("inside") + len(raw) - len(raw.lstrip())
        inside_end = inside_start + len(inside)
        start, window = _clause_before(text, bracket.start())
        if short:
            long = _long_form(window, inside)
            if long is not None:
                found.append(
                    Abbreviation(
                        inside,
                        inside_start,
                        inside_end,
                        window[long:],
                        start + long,
                        start + len(window),
                        bracket.start(),
                    )
                )
                continue
        # "LN (Long Name)": the word before the bracket is the short form
        last = window.rsplit(None, 1)[-1] if window.strip() else ""
        if (
            last
            and len(inside.split()) > 1
            and is_short_form(last)
            and long_form_start(last, inside) == 0
            and _fits(last, inside)
        ):
            at = start + len(window) - len(last)
            found.append(
                Abbreviation(
                    last, at, at + len(last), inside, inside_start, inside_end, bracket.start()
                )
            )
    return found


def _clause_before(text: str, bracket: int) -> tuple[int, str]:
    """(start, text) of what stands between the last stop before a bracket and it,
    trailing spaces off."""
    start = max(0, bracket - _LOOK_BACK)
    window = text[start:bracket].rstrip()
    stop = _LAST_STOP.match(window)
    if stop is not None:
        start, window = start + stop.end(), window[stop.end() :]
    stripped = window.lstrip()
    return start + len(window) - len(stripped), stripped


def _long_form(window: str, short: str) -> int | None:
    """Where, in ``window`` (the words just before its bracket), the long form of
    ``short`` starts."""
    letters = sum(c.isalnum() for c in short)
    most = min(letters + 5, letters * 2)
    words = window.rsplit(None, most)
    first = 0 if len(words) <= most else window.index(words[1], len(words[0]))
    at = long_form_start(short, window[first:])
    if at is None or not _fits(short, window[first + at :]):
        return None
    return first + at


def _fits(short: str, long: str) -> bool:
    """A long form is longer than its short form and not too many words for it."""
    letters = sum(c.isalnum() for c in short)
    words = len(long.split())
    return (
        len(long) > len(short)
        and words <= min(letters + 5, letters * 2)
        and short.casefold() not in long.casefold().split()
    )
