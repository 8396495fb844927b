"""Abbreviations defined in a text: "Long Name (LN)" and "LN (Long Name)".

A definition binds a short form to a long form for the rest of the document, so any
later component (benchmarks, claims) can treat "LN" and "Long Name" as one name. The
algorithm is the one of Schwartz and Hearst (2003): a short form in brackets is a word
or two with a capital letter; its long form is the shortest run of words just before
the bracket in which every letter and digit of the short form is found in order, right
to left, the first one at the start of a word. The reverse order, a short form followed
by its long form in brackets, is tried when the brackets hold more words than a short
form can.

It reads the Doc's tokens (the brackets, the words before them) and returns plain data
with character offsets, so results survive multiprocessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

#: a short form is at most this many words and characters
MAX_SHORT_WORDS = 2
MAX_SHORT_CHARS = 20
#: how far a closing bracket may be from its opening one, in tokens
_MAX_INSIDE = 12
_STOPS = frozenset({".", ";", "(", ")", "[", "]", ":", "!", "?"})


@dataclass(frozen=True)
class Abbreviation:
    """A short form and the long form it stands for, with character offsets."""

    short: str
    short_start: int
    short_end: int
    long: str
    long_start: int
    long_end: int

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
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while at >= 0 and (
            candidate[at].lower() != char or (s == 0 and at > 0 and candidate[at - 1].isalnum())
        ):
            at -= 1
        if at < 0:
            return None
        at -= 1
        s -= 1
    return candidate.rfind(" ", 0, at + 1) + 1


def find_abbreviations(doc: Doc) -> list[Abbreviation]:
    """Every abbreviation the text defines, in order of the definitions."""
    text = doc.text
    found: list[Abbreviation] = []
    for token in doc:
        if token.text != "(":
            continue
        close = _closing(doc, token.i)
        if close is None or close == token.i + 1 or token.i == 0:
            continue
        inside_start = doc[token.i + 1].idx
        inside_end = doc[close - 1].idx + len(doc[close - 1])
        inside = text[inside_start:inside_end]
        if is_short_form(inside):
            long = _long_before(doc, token.i, inside)
            if long is not None:
                start, end = long
                found.append(
                    Abbreviation(inside, inside_start, inside_end, text[start:end], start, end)
                )
                continue
        # "LN (Long Name)": the word before the bracket is the short form
        before = doc[token.i - 1]
        if (
            len(inside.split()) > 1
            and is_short_form(before.text)
            and long_form_start(before.text, inside) == 0
            and _fits(before.text, inside)
        ):
            found.append(
                Abbreviation(
                    before.text,
                    before.idx,
                    before.idx + len(before),
                    inside,
                    inside_start,
                    inside_end,
                )
            )
    return found


def _closing(doc: Doc, open_at: int) -> int | None:
    for i in range(open_at + 1, min(len(doc), open_at + _MAX_INSIDE)):
        if doc[i].text == ")":
            return i
        if doc[i].text == "(":
            return None
    return None


def _long_before(doc: Doc, open_at: int, short: str) -> tuple[int, int] | None:
    """The long form of ``short`` in the words just before the bracket at ``open_at``."""
    letters = sum(c.isalnum() for c in short)
    most = min(letters + 5, letters * 2)
    first = open_at
    words = 0
    while first > 0:
        previous = doc[first - 1]
        if previous.text in _STOPS or previous.is_space:
            break
        # a token after a space starts a new word ("Video-Text" is one word)
        if first == open_at or previous.whitespace_:
            words += 1
            if words > most:
                break
        first -= 1
    if first == open_at:
        return None
    text = doc.text
    start = doc[first].idx
    end = doc[open_at - 1].idx + len(doc[open_at - 1])
    candidate = text[start:end]
    at = long_form_start(short, candidate)
    if at is None:
        return None
    long = candidate[at:]
    if not _fits(short, long):
        return None
    return start + at, end


def _fits(short: str, long: str) -> bool:
    """A long form is longer than its short form and not too many words for it."""
    letters = sum(c.isalnum() for c in short)
    words = len(long.split())
    return (
        len(long) > len(short)
        and words <= min(letters + 5, letters * 2)
        and short.casefold() not in long.casefold().split()
    )
