"""Canonical benchmark and metric names: what groups results across papers.

A benchmark written ``the WidgetBench-v2 benchmark``, ``WidgetBench v2`` or
``widgetbench V2`` is one benchmark, ``WidgetBench``, at version ``v2``. The canonical
name of a benchmark is, in order of preference:

1. the gazetteer's canonical name of the name as written, or of its base once the
   version and split are cut off (``CIFAR100`` -> ``CIFAR-100``);
2. for an abbreviation the abstract defines ("Massive Widget Understanding (MWU)"),
   the gazetteer's name of either form, else the long form's key: ``MWU`` and the long
   form group together (across papers, :func:`joins` adds the papers that write only
   the short form);
3. otherwise the name's key: letters and digits, case folded (``widgetbench``). A key is
   the same for every spelling that differs only in case, hyphens and spaces, so rows
   of different papers group without a table shared between them.

Versions (``v2``, ``2.0``, ``V3.1``) and splits (``test-dev``, ``Level-3``, ``hard
subset``, ``Verified``) are kept apart: they go to ``benchmark_version`` and ``split``,
never into the canonical name, while ``benchmark`` keeps the name as written.

Metrics: the claims stage gives the gazetteer's canonical metric when it knows one; any
other metric is folded to lower-case words (``Success-Rate`` -> ``success rate``).

Everything here is pure functions over strings and small tables read from the pipeline
folder; nothing imports spaCy, so the leaderboard can use it too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Abbreviations",
    "BenchmarkName",
    "Names",
    "abbreviations",
    "fold_metric",
    "key",
    "split_name",
]

_NOT_KEY = re.compile(r"[\W_]+")

#: names whose key and parts are kept: a run meets the same benchmark names in record
#: after record, and each record's rows ask for them several times
_KEPT_NAMES = 65_536


@lru_cache(maxsize=_KEPT_NAMES)
def key(name: str) -> str:
    """Letters and digits, case folded: 'Widget-Bench', 'widget bench' -> 'widgetbench'.

    A '+' is read as 'plus': HumanEval+ is another benchmark than HumanEval.
    """
    folded = unicodedata.normalize("NFKC", name).casefold().replace("+", "plus")
    return _NOT_KEY.sub("", folded)


# "the WidgetBench benchmark", "WidgetBench dataset", "WidgetBench test set"
#: a name written with the acronym it defines: "Entity Hit Rate (EHR)"
_DEFINED_ACRONYM = re.compile(r".+\s?\(\s?([A-Za-z][\w\-@]*)\s?\)")


def acronym_of(name: str) -> str | None:
    """The acronym a name is written with ("Entity Hit Rate (EHR)" -> "EHR"): such a
    metric is filed under its acronym, as the abstract's numbers written "EHR" are."""
    defined = _DEFINED_ACRONYM.fullmatch(name)
    return defined[1] if defined else None


_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|our|its|their)\s+", re.IGNORECASE)
_TRAILING_KIND = re.compile(
    r"[\s\-]+(?:benchmarks?|datasets?|data\s+set|suite|corpus|leaderboard|evaluation)$",
    re.IGNORECASE,
)
# A version at the end: "v2", "V2.1", "v 2", "2.0" after a space, a hyphen or LaTeX's
# tie ("TB~2.0"), "-v3".
_VERSION = re.compile(
    r"(?:[\s\-_~]*\b[vV]\s?(?P<v>\d+(?:\.\d+)*)|[\s\-_~]+(?P<n>\d+\.\d+))$"
    r"|(?<=[A-Za-z])[vV](?P<glued>\d+(?:\.\d+)*)$"
)
# A resolution a generation benchmark is run at, as a split: "256x256", "256 $\\times$ 256".
RESOLUTION = r"\d{2,4}\s?(?:x|×|\$?\\times\$?|times)\s?\d{2,4}"
# A split or subset at the end. Order matters: longer forms first.
_SPLIT = re.compile(
    r"[\s\-_(]+(?P<split>"
    r"(?:test|dev)[\s\-_]?(?:dev|std|challenge|clean|other)"
    r"|" + RESOLUTION + r"|(?:level|lvl|tier)[\s\-_]?\d+"
    r"|(?:hard|easy|medium|extreme|challenge)(?:\s+(?:subset|split|set))?"
    r"|(?:test|dev|val|validation|train|held[\s\-]out)(?:\s+(?:subset|split|set))?"
    r"|verified|lite|diamond|full|mini"
    r"|\w+\s+(?:subset|split)"
    r")\)?$",
    re.IGNORECASE,
)
_TIMES = re.compile(r"\s?(?:×|\$?\\times\$?|times)\s?|\s?x\s?")
# A yearly edition: a name, then the year or its last two digits ("AIME 2024", "WMT14").
_EDITION = re.compile(r"(?P<base>.+?)[\s\-_]?(?P<year>(?:19|20)\d\d|\d\d)")
_SET_WORD = re.compile(r"^(?P<word>test|dev|val|validation|train)\s+(?:set|split)$")
# A name made only of a split word is not a benchmark with a split.
_MIN_BASE = 2


@dataclass(frozen=True)
class BenchmarkName:
    """A benchmark name as written, cut into its canonical name, version and split."""

    written: str
    base: str  #: the name without article, kind word, version and split
    canonical: str
    version: str | None = None
    split: str | None = None


@lru_cache(maxsize=_KEPT_NAMES)
def split_name(written: str) -> tuple[str, str | None, str | None]:
    """(base, version, split) of a benchmark name as written.

    >>> split_name("the WidgetBench v2 benchmark")
    ('WidgetBench', 'v2', None)
    >>> split_name("WidgetBench Level-3")
    ('WidgetBench', None, 'level-3')
    """
    name = " ".join(written.split())
    name = _LEADING_ARTICLE.sub("", name)
    name = _TRAILING_KIND.sub("", name)
    version: str | None = None
    split: str | None = None
    for _ in range(2):  # "X v2 test-dev" and "X test-dev v2"
        if split is None:
            found = _SPLIT.search(name)
            if found and len(key(name[: found.start()])) >= _MIN_BASE:
                split = " ".join(found["split"].lower().replace("_", "-").split())
                split = _SET_WORD.sub(r"\g<word>", split)  # "test set" is the test split
                split = {"validation": "val", "validation set": "val"}.get(split, split)
                if split[0].isdigit():  # "256 $\\times$ 256" is "256x256"
                    split = _TIMES.sub("x", split)
                name = name[: found.start()].rstrip(" -_(")
                name = _TRAILING_KIND.sub("", name)
        if version is None:
            found = _VERSION.search(name)
            if found and len(key(name[: found.start()])) >= _MIN_BASE:
                number = found["v"] or found["n"] or found["glued"]
                version = f"v{number}"
                name = name[: found.start()].rstrip(" -_")
    return name.strip(), version, split


# "Long Name Words (LNW)": the short form in parentheses after its long form.
_BRACKETED = re.compile(r"\(\s*(?P<short>[^()\s;,]{2,20})\s*\)")
_WORD = re.compile(r"[\w'’\-]+")
_WORD_TAIL = re.compile(r"[\w'’\-]+$")
#: the most words a long form has, and how far back (in characters) they are first looked for
_MOST_WORDS = 10
_LOOK_BACK = 300
_SMALL_WORDS = frozenset({"of", "the", "a", "an", "and", "for", "in", "on", "to", "with", "by"})


_PIECE = re.compile(r"[A-Z][a-z]*|[a-z]+|\d+")


def _initials(word: str) -> list[str]:
    """The initials a word can give a short form: each part's capital, digits whole
    ("Multi-Task" -> M, T; "GPT4" -> G, P, T, 4)."""
    parts = _PIECE.findall(word.replace("-", " ").replace("'", ""))
    return [p[0].upper() if not p[0].isdigit() else p for p in parts]


def _initials_match(short: str, words: list[str]) -> bool:
    """Whether the capitals and digits of ``short`` are, in order, the initials (or the
    inner capitals) of ``words``, using every word that is not a small word."""
    target = "".join(c for c in short if c.isupper() or c.isdigit())
    if len(target) < 2:
        return False
    small = [w.lower() in _SMALL_WORDS for w in words]
    return _spells(target, [_initials(w) for w in words], small)


def _spells(target: str, pieces: list[list[str]], small: list[bool]) -> bool:
    """Whether the words (their initials ``pieces``; ``small`` words may be skipped)
    spell ``target``, each content word giving one or more of its parts in order."""
    size = len(pieces)

    def walk(i: int, j: int) -> bool:
        if j == len(target):
            return all(small[i:])
        if i == size:
            return False
        if small[i] and walk(i + 1, j):
            return True
        parts = pieces[i]
        for n in range(1, len(parts) + 1):
            chunk = "".join(parts[:n])
            if target.startswith(chunk, j) and walk(i + 1, j + len(chunk)):
                return True
        return False

    return walk(0, 0)


def _definitions(text: str) -> Iterator[tuple[str, list[str]]]:
    """(short form, the words before it) for each "Long Form (SF)": the two to ten
    words of letters, digits, hyphens and apostrophes that run up to the bracket.

    Found from each bracket backwards: a pattern that looked for the words first would
    be tried at every character of the text.
    """
    floor = 0  # the words of a definition never reach back into the previous one
    for match in _BRACKETED.finditer(text):
        end = match.start()
        chunks = text[max(floor, end - _LOOK_BACK) : end].split()
        if end - _LOOK_BACK > floor and len(chunks) <= _MOST_WORDS:
            chunks = text[floor:end].split()  # long words: look further back
        words: list[str] = []
        for chunk in reversed(chunks):
            if len(words) == _MOST_WORDS:
                break
            if _WORD.fullmatch(chunk):
                words.append(chunk)
                continue
            tail = _WORD_TAIL.search(chunk)
            if tail:
                words.append(tail.group())
            break
        if len(words) >= 2:
            floor = match.end()
            yield match["short"], words[::-1]


def abbreviations(text: str) -> dict[str, str]:
    """Short form -> long form for every "Long Form (SF)" the text defines.

    The long form is the fewest words before the parenthesis whose initials spell the
    short form's capitals ("Massive Widget Understanding (MWU)",
    "Widget Question Answering (WidgetQA)" is not one: its letters are not initials).
    """
    found: dict[str, str] = {}
    for short, words in _definitions(text):
        if short in found or not any(c.isupper() for c in short):
            continue  # the first definition of a short form stands
        target = "".join(c for c in short if c.isupper() or c.isdigit())
        if len(target) < 2:
            continue
        # each word's initials once, for every run of words tried
        pieces = [_initials(w) for w in words]
        small = [w.lower() in _SMALL_WORDS for w in words]
        content = 0
        for at in range(len(words) - 1, -1, -1):  # the fewest words first
            if small[at]:
                continue
            content += 1
            if content > len(target):
                break  # each content word gives a letter: longer runs cannot match
            if _spells(target, pieces[at:], small[at:]):
                found[short] = " ".join(words[at:])
                break
    return found


class LazyMapping(Mapping[str, str]):
    """A mapping read from ``load`` when first looked at (what most records never ask
    for is never worked out)."""

    def __init__(self, load: Callable[[], dict[str, str]]):
        self._load = load
        self._found: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._found is None:
            self._found = self._load()
        return self._found

    def __getitem__(self, short: str) -> str:
        return self._read()[short]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


class Abbreviations(LazyMapping):
    """:func:`abbreviations` of a text, read when first looked at: most rows find their
    canonical name without them."""

    def __init__(self, text: str):
        super().__init__(lambda: abbreviations(text))


#: Shortest short form joined across papers: two letters name too many things ("TB").
MIN_JOINED_SHORT = 3


def joins(abstracts: Iterable[str]) -> dict[str, str]:
    """A short form, exactly as written -> the key of its long form, for the
    abbreviations the abstracts define, when every abstract that defines the short form
    gives it the same long form.

    A paper that writes only "MWU" has the canonical name ``mwu``; another that defines
    "Massive Widget Understanding (MWU)" has ``massivewidgetunderstanding``; this map
    lets a leaderboard put both together. The short form must match with its case
    ("scBench" is not "SCBench").
    """
    seen: dict[str, set[str]] = {}
    for text in abstracts:
        for short, long_form in abbreviations(text).items():
            if len(key(short)) >= MIN_JOINED_SHORT:
                seen.setdefault(short, set()).add(key(split_name(long_form)[0]))
    return {short: next(iter(longs)) for short, longs in seen.items() if len(longs) == 1}


def joined(written: str, canonical: str, short_forms: Mapping[str, str]) -> str:
    """The canonical name of a benchmark once short forms are joined (see :func:`joins`):
    a name written exactly as a short form other abstracts define, and whose canonical
    name is its own key (the gazetteer did not know it), takes the long form's."""
    base = split_name(written)[0]
    if base in short_forms and canonical == key(base):
        return short_forms[base]
    return canonical


def fold_metric(metric: str) -> str:
    """A metric name with case, hyphens and spaces folded: 'Success-Rate' -> 'success rate'."""
    text = unicodedata.normalize("NFKC", metric).casefold()
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    text = re.sub(r"(?<=[a-z])[\-_](?=[a-z])", " ", text)
    return " ".join(text.split())


@dataclass
class Names:
    """The gazetteers that canonical names are read from (benchmarks and metrics)."""

    benchmarks: dict[str, str] = field(default_factory=dict)  #: key -> canonical
    metrics: dict[str, str] = field(default_factory=dict)  #: key -> canonical
    directions: dict[str, str] = field(default_factory=dict)  #: canonical -> higher|lower
    #: names of yearly editions ("AIME", "WMT"), or their last words ("DL" of "TREC
    #: DL"): a year after one is its version
    editions: frozenset[str] = frozenset()

    @classmethod
    def from_pipeline(cls, folder: Path) -> Names:
        """Read ``gazetteers/benchmarks*.tsv`` and ``gazetteers/metric*.tsv`` of a pipeline."""
        names = cls()
        gazetteers = folder / "gazetteers"
        for path in sorted(gazetteers.glob("benchmarks*.tsv")):
            for canonical, aliases in _entries(path):
                for alias in (canonical, *aliases):
                    names.benchmarks.setdefault(key(alias), canonical)
        for path in sorted(gazetteers.glob("metric*.tsv")):
            for canonical, rest in _entries(path):
                direction = rest[0] if rest else ""
                if direction in ("higher", "lower"):
                    names.directions.setdefault(canonical, direction)
                for alias in (canonical, *rest[1:]):
                    names.metrics.setdefault(key(alias), canonical)
        editions = gazetteers / "edition_names.txt"
        if editions.is_file():
            lines = editions.read_text(encoding="utf-8").splitlines()
            names.editions = frozenset(
                line.strip() for line in lines if line.strip() and not line.startswith("#")
            )
        return names

    def benchmark(self, written: str, defined: Mapping[str, str] | None = None) -> BenchmarkName:
        """The canonical name, version and split of a benchmark name as written.

        ``defined`` holds the abbreviations of the paper's abstract (:func:`abbreviations`,
        or :class:`Abbreviations` to read them only if needed).
        """
        whole = " ".join(written.split())
        known = self.benchmarks.get(key(whole))
        base, version, split = split_name(whole)
        edition = _EDITION.fullmatch(base) if version is None else None
        if edition and edition["base"].rsplit(None, 1)[-1] in self.editions:
            # "AIME 2024", "AIME24", "AIME 24": one benchmark, its 2024 edition
            base, year = edition["base"], edition["year"]
            version = year if len(year) == 4 else "20" + year
        if known is not None and version is None and split is None:
            return BenchmarkName(whole, base, known)
        canonical = self.benchmarks.get(key(base))
        if canonical is None and defined:
            canonical = self._abbreviated(base, defined)
        if canonical is None and known is not None:
            # a gazetteer entry that holds the version or split itself ("SQuAD2.0")
            return BenchmarkName(whole, base, known)
        return BenchmarkName(whole, base, canonical or key(base) or key(whole), version, split)

    def _abbreviated(self, base: str, defined: Mapping[str, str]) -> str | None:
        """The canonical name of a benchmark the abstract writes as "Long Form (SF)":
        the gazetteer's name of either form, else the long form's key (long forms are
        the more distinctive: two-letter short forms name many things)."""
        base_key = key(base)
        for short, long_form in sorted(defined.items()):
            long_base = split_name(long_form)[0]
            if base_key in (key(short), key(long_form), key(long_base)):
                return (
                    self.benchmarks.get(key(short))
                    or self.benchmarks.get(key(long_base))
                    or key(long_base)
                )
        return None

    def metric(self, written: str | None, canonical: str | None) -> str | None:
        """The canonical metric: the claims stage's, else the gazetteer's, else folded."""
        if canonical:
            return canonical
        if not written:
            return None
        written = acronym_of(written) or written
        return self.metrics.get(key(written)) or fold_metric(written) or None


def _entries(path: Path) -> Iterator[tuple[str, list[str]]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0].strip():
            yield cells[0].strip(), [c.strip() for c in cells[1:]]


def surface_forms(rows: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Canonical name -> the surface forms written for it, from (written, canonical) pairs."""
    groups: dict[str, set[str]] = {}
    for written, canonical in rows:
        groups.setdefault(canonical, set()).add(written)
    return groups


def merges(directory: Path, pipeline: Path) -> dict[str, dict[str, int]]:
    """Canonical benchmark name -> the surface forms written for it, with their counts,
    over the claims (their stored ``benchmark_canonical``) and the benchmark rows (their
    names made canonical as the pipeline makes a claim's) of a dataset, short forms
    joined to the long forms other abstracts define (as the leaderboard does)."""
    import pyarrow.parquet as pq

    def table(name: str, columns: list[str]) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for part in sorted((directory / name).glob("*.parquet")):
            rows += pq.read_table(part, columns=columns).to_pylist()
        return rows

    names = Names.from_pipeline(pipeline)
    abstracts = {
        str(p["record_id"]): str(p["abstract"] or "")
        for p in table("papers", ["record_id", "abstract"])
    }
    short_forms = joins(abstracts.values())
    groups: dict[str, dict[str, int]] = {}
    for claim in table("claims", ["benchmark", "benchmark_canonical"]):
        if claim["benchmark"] and claim["benchmark_canonical"]:
            canonical = str(claim["benchmark_canonical"])
            canonical = joined(str(claim["benchmark"]), canonical, short_forms)
            forms = groups.setdefault(canonical, {})
            forms[str(claim["benchmark"])] = forms.get(str(claim["benchmark"]), 0) + 1
    for row in table("benchmarks", ["record_id", "name"]):
        written = str(row["name"])
        defined = abbreviations(abstracts.get(str(row["record_id"]), ""))
        canonical = joined(written, names.benchmark(written, defined).canonical, short_forms)
        forms = groups.setdefault(canonical, {})
        forms[written] = forms.get(written, 0) + 1
    return groups


def main(argv: list[str] | None = None) -> int:
    """``python -m extract.canonical DIR``: how surface forms collapse into canonical names."""
    import argparse

    from .resources import pipeline_path

    parser = argparse.ArgumentParser(prog="python -m extract.canonical", description=main.__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--pipeline", default="daily_papers")
    parser.add_argument("--merges", action="store_true", help="list every merged group")
    args = parser.parse_args(argv)
    groups = merges(args.directory, pipeline_path(args.pipeline))
    forms = sum(len(f) for f in groups.values())
    merged = {c: f for c, f in groups.items() if len(f) > 1}
    print(
        f"{forms} surface forms -> {len(groups)} canonical benchmark names; "
        f"{len(merged)} names gather {sum(len(f) for f in merged.values())} forms"
    )
    if args.merges:
        for canonical in sorted(merged, key=lambda c: (-len(merged[c]), c.casefold())):
            shown = ", ".join(f"{f} ({n})" for f, n in sorted(merged[canonical].items()))
            print(f"{canonical}: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
