"""extract.nlp.affixes: the tokenizer's affix and URL searches give the matches of
spaCy's own regexes, and the same tokens."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from extract.nlp.affixes import (
    InfixFinditer,
    PrefixSearch,
    SuffixSearch,
    UrlMatch,
    speed_up,
)
from extract.nlp.text import required_literals

_ENGLISH = spacy.blank("en").tokenizer
_PREFIX = _ENGLISH.prefix_search.__self__  # type: ignore[union-attr]
_SUFFIX = _ENGLISH.suffix_search.__self__  # type: ignore[union-attr]
_INFIX = _ENGLISH.infix_finditer.__self__  # type: ignore[union-attr]
_URL = _ENGLISH.url_match.__self__  # type: ignore[union-attr]

# characters the English affix rules speak of, letters, digits and a few others
_CHARS = "ab.-'s%$()[],:;!?…’\"0123456789xX/=+*^~<>_#&@°€é—–kmgKB\n"
_CHUNKS = st.text(alphabet=st.sampled_from(_CHARS), min_size=0, max_size=14)

_suffix = SuffixSearch(_SUFFIX)
_prefix = PrefixSearch(_PREFIX)
_infix = InfixFinditer(_INFIX)
_url_needs = required_literals(_URL)
assert _url_needs is not None
_url = UrlMatch(_URL, _url_needs)


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match is not None else None


@given(_CHUNKS)
def test_the_searches_find_what_the_regexes_find(chunk: str) -> None:
    assert _span(_suffix.search(chunk)) == _span(_SUFFIX.search(chunk))
    assert _span(_prefix.search(chunk)) == _span(_PREFIX.search(chunk))
    assert [m.span() for m in _infix.finditer(chunk)] == [m.span() for m in _INFIX.finditer(chunk)]
    assert _span(_url.match(chunk)) == _span(_URL.match(chunk))


@pytest.mark.parametrize(
    "chunk",
    [
        "results.",  # a full stop after a word
        "model's",  # a possessive
        "10km",  # a unit after a number
        "...",  # an ellipsis, which may be as long as it likes
        "word...",
        "(GSM8K)",  # brackets on both sides
        "state-of-the-art",  # hyphens between words
        "3.5x",
        "e.g.",
        "https://github.com/x/y",
        "a\n",  # "$" matches before a line break too
        "☺️",  # a symbol
        "",
    ],
)
def test_chunks_that_each_branch_speaks_of(chunk: str) -> None:
    assert _span(_suffix.search(chunk)) == _span(_SUFFIX.search(chunk))
    assert _span(_prefix.search(chunk)) == _span(_PREFIX.search(chunk))
    assert [m.span() for m in _infix.finditer(chunk)] == [m.span() for m in _INFIX.finditer(chunk)]
    assert _span(_url.match(chunk)) == _span(_URL.match(chunk))


def test_a_tokenizer_sped_up_gives_the_same_tokens() -> None:
    text = (
        "We introduce Widget-Bench (WB), a 10k-item suite; GPT-4o scores 61.2% (+3.5pp) "
        "vs. 57.7%... on https://example.org/wb, i.e. 1.2x faster -- at 224x224 and 5°C!"
    )
    plain = spacy.blank("en")
    fast = spacy.blank("en")
    speed_up(fast.tokenizer)
    assert [t.text for t in fast(text)] == [t.text for t in plain(text)]
    assert [t.whitespace_ for t in fast(text)] == [t.whitespace_ for t in plain(text)]


def test_the_regex_as_written_is_kept_for_serialisation() -> None:
    nlp = spacy.blank("en")
    speed_up(nlp.tokenizer)
    again = spacy.blank("en")
    again.tokenizer.from_bytes(nlp.tokenizer.to_bytes(exclude=["vocab"]), exclude=["vocab"])
    text = "It rose 3.5% (from 10km)."
    assert [t.text for t in again(text)] == [t.text for t in nlp(text)]
