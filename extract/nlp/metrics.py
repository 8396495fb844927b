"""Metric names: a lexicon from the gazetteers, and what reads as a metric in a phrase.

The lexicon merges ``gazetteers/metrics.tsv`` (metric names and aliases from leaderboard
data) with ``gazetteers/metric_terms.tsv`` (head nouns of measured quantities: "rate",
"latency", "cost"...). Each entry is ``canonical<TAB>higher|lower|<TAB>alias...``. A
phrase names a metric when it holds a lexicon entry or an acronym-like token
("BLEU", "Recall@5", "Hits@k"); the longest entry nearest the end of the phrase gives
its canonical name and the direction in which it is better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .rules import load_gazetteer

Direction = str  # 'higher' | 'lower'

_KEY_SPACES = re.compile(r"[\s\-_]+")
# "BLEU", "AUC", "F1", "Recall@5", "Hits@k", "mAP@0.5", "R-squared".
_ACRONYM = re.compile(r"(?:[A-Z][A-Z0-9]{1,5}|[A-Za-z][\w.\-]*@[\w.]+|[A-Z]-squared|FLOPs)")
# An acronym ending in a lower-case "s" is a plural noun ("LLMs", "GPUs"), not a metric.
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
# A hyphenated adjective: "loss-based selection", "high-fidelity control", "token-level
# F1". It qualifies what follows; the quantity it is built on ("loss", "fidelity") is no
# metric of the phrase.
_ADJECTIVE = re.compile(
    r"(?i)[\w.]+-(?:based|aware|driven|guided|free|like|level|specific|centric|oriented"
    r"|intensive|efficient|sensitive|conditioned|dependent|agnostic|friendly|only)"
    r"|(?:high|low)-[\w\-]+"
)
# A known metric's acronym behind one lower-case letter naming what it measures:
# "rFID" (of reconstructions), "gFID" (of generations), "gFVD".
_PREFIXED = re.compile(r"(?:[a-z]|[A-Z]{2,5}-)(?P<base>[A-Z][A-Za-z0-9]{1,5})")


#: :meth:`MetricLexicon.lookup` keeps at most this many phrases' answers
_MOST_FOUND = 100_000
_UNKNOWN = object()


#: a plural's ending, whose singular the lexicon may know ("speedups")
_PLURAL = re.compile(r"[^su]s$")


# (metric phrases and words, asked for again and again: the same few thousand keys)
@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Lookup key: lower case, hyphens and spaces folded ("F1-score" ~ "f1 score")."""
    return _KEY_SPACES.sub(" ", text.lower().strip(" .,;:()'’$"))


@dataclass
class MetricLexicon:
    """Known metric names and head nouns, by lookup key."""

    entries: dict[str, tuple[str, Direction | None]] = field(default_factory=dict)
    #: keys that came from the metric-name gazetteer (not the head-noun list)
    names: set[str] = field(default_factory=set)
    longest: int = 1
    #: what :meth:`lookup` found for each phrase: the claim rules ask for the same few
    #: thousand phrases ("accuracy", "success rate") hundreds of thousands of times
    _found: dict[str, tuple[str, Direction | None] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_files(cls, gazetteers: list[Path], terms: list[Path]) -> MetricLexicon:
        lexicon = cls()
        for path in gazetteers:
            lexicon._add(path, is_name=True)
        for path in terms:
            lexicon._add(path, is_name=False)
        return lexicon

    def _add(self, path: Path, is_name: bool) -> None:
        for canonical, rest in load_gazetteer(path):
            direction = rest[0] if rest and rest[0] in ("higher", "lower") else None
            aliases = [a for a in rest if a not in ("higher", "lower")]
            for alias in (canonical, *aliases):
                k = key(alias)
                if not k or k in self.entries:
                    continue
                self.entries[k] = (canonical, direction)
                self._found.clear()
                if is_name:
                    self.names.add(k)
                self.longest = max(self.longest, len(k.split()))

    def lookup(self, phrase: str) -> tuple[str, Direction | None] | None:
        """Canonical name and direction of a phrase: the whole phrase, else the longest
        known part nearest its end ("mean top-1 accuracy" -> accuracy)."""
        found = self._found.get(phrase, _UNKNOWN)
        if found is _UNKNOWN:
            if len(self._found) >= _MOST_FOUND:
                self._found.clear()  # (a bound on memory over millions of records)
            found = self._found[phrase] = self._lookup(phrase)
        return found  # type: ignore[return-value]

    def _lookup(self, phrase: str) -> tuple[str, Direction | None] | None:
        folded = key(phrase)
        whole = self.entries.get(folded)
        if whole:
            return whole
        words = phrase.split()
        prefixed = self._prefixed(words[-1]) if words else None
        if prefixed:
            return prefixed  # "the state-of-the-art gFID"
        tokens = key(" ".join(w for w in words if not _ADJECTIVE.fullmatch(w))).split()
        # the longest parts first, each length from the end: the first part known wins
        for n in range(min(self.longest, len(tokens)), 0, -1):
            for i in range(len(tokens) - n, -1, -1):
                entry = self.entries.get(" ".join(tokens[i : i + n]))
                if entry:
                    return entry
        if len(tokens) > 1 and _PLURAL.search(tokens[-1]) and tokens[-1][:-1] in self.names:
            # a phrase that ends with a metric's name in the plural ("inference
            # speedups"); a lone plural is left to the rules that name it as the
            # lexicon writes it ("2.8x speedups": speedup)
            return self.entries[tokens[-1][:-1]]
        return None

    def is_entry(self, phrase: str) -> bool:
        """Whether a phrase is written as a name or a term of the lexicon, whole."""
        return key(phrase) in self.entries

    def is_known_name(self, phrase: str) -> bool:
        return key(phrase) in self.names or self._prefixed(phrase) is not None

    def _prefixed(self, phrase: str) -> tuple[str, Direction | None] | None:
        """A known metric name behind a one-letter qualifier ("rFID"): a metric of its
        own (its own canonical name, so boards do not mix it with FID), measured in the
        same direction."""
        match = _PREFIXED.fullmatch(phrase.strip(" .,;:()'’"))
        if match is None or key(match["base"]) not in self.names:
            return None
        return match.group(), self.entries[key(match["base"])][1]


def is_acronym_metric(word: str) -> bool:
    """Whether a word is shaped like a metric's acronym. Letters and digits without a
    cut-off ("GPT2", "BM25", "L9") name models, methods and settings far more often than
    metrics: those count only when the lexicon knows them ("F1")."""
    word = word.strip(".,;:()'’")
    if not _ACRONYM.fullmatch(word) or _PLURAL_ACRONYM.fullmatch(word):
        return False
    return "@" in word or not any(c.isdigit() for c in word)
