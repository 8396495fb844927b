"""Sentence bounds: the one sentence splitter of the project.

The claim rules read a number's sentence, and the audit flags sentences that claim
superiority with no number; both split an abstract here, so a sentence is the same
thing wherever the project speaks of one. Pure functions over a string (no spaCy), so
the audit and other processes that never load a pipeline can use them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# A sentence ends at . ! or ? followed by space and an upper-case letter, a digit or an
# opening bracket or quote; a period after a common abbreviation does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“$\\])")
# The same ends with the punctuation inside the match, for a scan of a whole text: a
# pattern that opens with a lookbehind is tried at every character, one that opens with
# a character class only where that class matches (four times cheaper on an abstract).
_PUNCT_AND_SPACE = re.compile(r"[.!?]\s+(?=[A-Z0-9(\"“$\\])")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|cf|etc|al|approx|resp|Fig|Figs|Eq|Eqs|Sec|No|Tab|ca)|\b[A-Z])\.$"
)


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Offsets of the sentence holding ``text[start:end]``, without surrounding spaces."""
    end = start if end is None else end
    left = 0
    # (up to one character past ``start``: the end of the sentence before one that opens
    # right at ``start`` looks ahead at that character)
    for match in _SENTENCE_END.finditer(text, max(0, start - 1500), min(len(text), start + 1)):
        if match.end() > start:
            break
        if not _ABBREVIATIONS.search(text, max(0, match.start() - 8), match.start()):
            left = match.end()
    right = len(text)
    for match in _SENTENCE_END.finditer(text, end):
        if not _ABBREVIATIONS.search(text, max(0, match.start() - 8), match.start()):
            right = match.start()
            break
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (the first at 0)."""
    starts = [0]
    for match in _sentence_ends(text):
        space = match.start() + 1  # where _SENTENCE_END's match starts
        # (only a period can end an abbreviation)
        if text[match.start()] != "." or not _ABBREVIATIONS.search(text, max(0, space - 8), space):
            starts.append(match.end())
    return starts


def _sentence_ends(text: str) -> list[re.Match[str]]:
    """What ``_PUNCT_AND_SPACE.finditer(text)`` gives: every match opens with one of
    three characters, found with ``str.find`` (in C) far faster than sre tries the
    pattern at every character; the pattern is tried only there."""
    marks: list[int] = []
    for mark in ".!?":
        at = text.find(mark)
        while at >= 0:
            marks.append(at)
            at = text.find(mark, at + 1)
    marks.sort()
    found = []
    end = 0
    for at in marks:
        if at < end:
            continue
        match = _PUNCT_AND_SPACE.match(text, at)
        if match:
            found.append(match)
            end = match.end()
    return found


class Sentences:
    """The sentence boundaries of one text, found once and looked up by position.

    ``starts`` are boundaries already found for the text (the pipeline's sentences
    component keeps them on the Doc); without them they are found when first needed.
    """

    def __init__(self, text: str, starts: list[int] | None = None):
        self.text = text
        self._starts = starts

    def starts(self) -> list[int]:
        """Where each sentence starts (the first at 0), computed once."""
        if self._starts is None:
            self._starts = sentence_starts(self.text)
        return self._starts

    def bounds(self, start: int, end: int | None = None) -> tuple[int, int]:
        """Like :func:`sentence_bounds`, from boundaries computed once for the text."""
        starts = self.starts()
        end = start if end is None else end
        i = bisect_right(starts, start) - 1
        left = starts[i]
        j = bisect_right(starts, end)
        right = starts[j] if j < len(starts) else len(self.text)
        text = self.text
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        return left, right


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of every sentence of ``text``, without surrounding spaces."""
    sentences = Sentences(text)
    spans: list[tuple[int, int]] = []
    for start in sentences.starts():
        span = sentences.bounds(start)
        if span[0] < span[1] and (not spans or span != spans[-1]):
            spans.append(span)
    return spans
