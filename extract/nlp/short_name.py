"""The short name of a paper: the name before the title's colon, or one the abstract coins.

Pure functions over strings; the rules file (``rules/short_names.jsonl``) holds the cue
phrases for coined names and the title prefixes that are not names ("Position",
"A Survey").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from .rules import Rule, load_rules

# A name-like token: has a capital after its first letter, a digit, or a +, or is a
# single capitalised word ("Prepacking"). Checked on the text before a colon.
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][\w+\-.'’]*[\w+]|[A-Z0-9]")
_INNER_CAPITAL = re.compile(r".[A-Z]|\d|\+")
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


class ShortNameRule(Rule):
    """How a rule finds a name: the title prefix, or a cue phrase in the abstract."""

    source: Literal["title_prefix", "abstract_cue"]
    #: abstract cues: a regex with a named group ``name`` around the coined name
    pattern: str | None = None
    #: title prefixes that are a paper type, not a name ("Position", "Survey")
    not_names: list[str] = Field(default_factory=list)
    max_words: int = 4


@dataclass
class ShortNameFinder:
    rules: list[ShortNameRule]

    @classmethod
    def from_file(cls, path: Path) -> ShortNameFinder:
        return cls(load_rules(path, ShortNameRule))

    def __post_init__(self) -> None:
        self._cues = [
            (rule, re.compile(rule.pattern))
            for rule in self.rules
            if rule.source == "abstract_cue" and rule.pattern
        ]

    def find(self, title: str, abstract: str | None) -> tuple[str, str] | None:
        """(short name, rule id), or None when the paper has no name."""
        for rule in self.rules:
            if rule.source == "title_prefix":
                name = title_prefix_name(title, rule)
                if name:
                    return name, rule.id
        if not abstract:
            return None
        best: tuple[int, str, str] | None = None
        for rule, pattern in self._cues:
            for match in pattern.finditer(abstract):
                name = clean_name(match.group("name"))
                if (
                    name
                    and is_name(name, rule.max_words)
                    and (best is None or match.start() < best[0])
                ):
                    best = (match.start(), name, rule.id)
                    break
        return (best[1], best[2]) if best else None


def title_prefix_name(title: str, rule: ShortNameRule) -> str | None:
    head, colon, _ = title.partition(":")
    if not colon:
        return None
    head = clean_name(head)
    if not head or head.lower() in {n.lower() for n in rule.not_names}:
        return None
    return head if is_name(head, rule.max_words) else None


def clean_name(text: str) -> str:
    return text.strip().strip("\"'“”‘’`()[]{},.;:").strip()


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
        return words[0][0].isupper() or bool(_INNER_CAPITAL.search(words[0]))
    # Several words: a name when one of them is name-like ("Dyn-HaMR", "GPT-4"), or all
    # are capitalised ("Barlow Twins").
    return all(w[0].isupper() or w[0].isdigit() for w in words)
