"""The spaCy components of an extract pipeline: thin shells around the rule modules.

Each component reads what it needs from the Doc (its text, ``doc._.title``, earlier
components' results) and writes plain rows (dicts of text, numbers and offsets) to one
``doc._`` attribute, so a processed Doc can be turned into table rows without keeping
spaCy objects around.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .benchmarks import BenchmarkFinder
from .claims import ClaimFinder
from .links import LinkClassifier, link_rows
from .short_name import ShortNameFinder

for _name, _default in (
    ("title", ""),
    ("links", None),
    ("short_name", None),
    ("benchmarks", None),
    ("claims", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class LinksComponent:
    def __init__(self, rules: Path):
        self.classifier = LinkClassifier.from_file(rules)

    def __call__(self, doc: Doc) -> Doc:
        doc._.links = link_rows(doc.text, self.classifier)
        return doc


class ShortNameComponent:
    def __init__(self, rules: Path):
        self.finder = ShortNameFinder.from_file(rules)

    def __call__(self, doc: Doc) -> Doc:
        doc._.short_name = self.finder.find(doc._.title, doc.text)
        return doc


class BenchmarksComponent:
    def __init__(self, nlp: Language, rules: Path, gazetteers: list[Path]):
        self.finder = BenchmarkFinder.from_files(rules, gazetteers)
        self.finder.matcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        doc._.benchmarks = self.finder.find(doc, doc._.title)
        return doc


class ClaimsComponent:
    def __init__(self, rules: Path, metrics: Path):
        self.finder = ClaimFinder.from_files(rules, metrics)

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = self.finder.find(doc.text, doc._.benchmarks or [])
        return doc


@Language.factory("extract_links")
def make_links(nlp: Language, name: str, rules: str) -> LinksComponent:
    return LinksComponent(Path(rules))


@Language.factory("extract_short_name")
def make_short_name(nlp: Language, name: str, rules: str) -> ShortNameComponent:
    return ShortNameComponent(Path(rules))


@Language.factory("extract_benchmarks")
def make_benchmarks(
    nlp: Language, name: str, rules: str, gazetteers: list[str]
) -> BenchmarksComponent:
    return BenchmarksComponent(nlp, Path(rules), [Path(g) for g in gazetteers])


@Language.factory("extract_claims")
def make_claims(nlp: Language, name: str, rules: str, metrics: str) -> ClaimsComponent:
    return ClaimsComponent(Path(rules), Path(metrics))
