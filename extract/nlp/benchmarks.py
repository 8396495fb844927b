"""Benchmark and dataset names: a gazetteer of known names, and context rules for new ones.

Known names are matched with a spaCy PhraseMatcher built from ``gazetteers/*.tsv``
(canonical name, then aliases); names never seen before are found by the context rules of
``rules/benchmarks.jsonl`` ("on the X benchmark", "the X dataset").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .rules import Rule, load_gazetteer, load_rules


class BenchmarkRule(Rule):
    """A regex whose group ``name`` is a benchmark name, in the abstract or the title."""

    field: Literal["abstract", "title"] = "abstract"
    pattern: str


def canonical_key(name: str) -> str:
    """Case, spacing and punctuation folded: 'CIFAR100' and 'cifar-100' share a key."""
    return re.sub(r"[\W_]+", "", name.casefold())


@dataclass
class Gazetteer:
    """Known benchmark names: every alias maps to its canonical name."""

    canonical: dict[str, str]

    @classmethod
    def from_files(cls, paths: list[Path]) -> Gazetteer:
        mapping: dict[str, str] = {}
        for path in paths:
            for canonical, aliases in load_gazetteer(path):
                for name in (canonical, *aliases):
                    mapping.setdefault(canonical_key(name), canonical)
        return cls(mapping)

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(canonical_key(name))


@dataclass
class BenchmarkFinder:
    rules: list[BenchmarkRule]
    gazetteer: Gazetteer
    gazetteer_names: list[str]

    @classmethod
    def from_files(cls, rules: Path, gazetteers: list[Path]) -> BenchmarkFinder:
        names = sorted(
            {
                n
                for p in gazetteers
                for canonical, aliases in load_gazetteer(p)
                for n in (canonical, *aliases)
            }
        )
        return cls(load_rules(rules, BenchmarkRule), Gazetteer.from_files(gazetteers), names)

    def __post_init__(self) -> None:
        self._patterns = [(rule, re.compile(rule.pattern)) for rule in self.rules]
        self._matcher: PhraseMatcher | None = None

    def matcher(self, nlp: Language) -> PhraseMatcher:
        if self._matcher is None:
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            matcher.add("benchmark.gazetteer", [nlp.make_doc(n) for n in self.gazetteer_names])
            self._matcher = matcher
        return self._matcher

    def find(self, doc: Doc, title: str) -> list[dict[str, object]]:
        """Rows (name, canonical, start, end, field, rule_id), first mention first."""
        found: list[dict[str, object]] = []
        seen: set[str] = set()
        text = doc.text

        def add(name: str, start: int | None, end: int | None, field: str, rule_id: str) -> None:
            key = canonical_key(name)
            if not key or key in seen:
                return
            seen.add(key)
            found.append(
                {
                    "name": name,
                    "canonical": self.gazetteer.lookup(name),
                    "start": start,
                    "end": end,
                    "field": field,
                    "rule_id": rule_id,
                }
            )

        spans: list[tuple[int, int, str, str]] = []
        for _, start, end in self._require_matcher()(doc):
            span = doc[start:end]
            spans.append((span.start_char, span.end_char, "abstract", "benchmark.gazetteer"))
        for rule, pattern in self._patterns:
            target = title if rule.field == "title" else text
            for match in pattern.finditer(target):
                s, e = match.span("name")
                spans.append((s, e, rule.field, rule.id))
        for start, end, field, rule_id in sorted(
            spans, key=lambda s: (s[2] != "title", s[0], -s[1])
        ):
            source = title if field == "title" else text
            name = source[start:end]
            if field == "title":
                add(name, None, None, field, rule_id)
            else:
                add(name, start, end, field, rule_id)
        return found

    def _require_matcher(self) -> PhraseMatcher:
        if self._matcher is None:
            raise RuntimeError("BenchmarkFinder.matcher(nlp) must be called before find()")
        return self._matcher
