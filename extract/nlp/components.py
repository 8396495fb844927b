"""The spaCy components of an extract pipeline: thin shells around the rule modules.

Each component reads what it needs from the Doc (its text, ``doc._.title``, earlier
components' results) and writes plain rows (dicts of text, numbers and offsets) to one
``doc._`` attribute, so a processed Doc can be turned into table rows without keeping
spaCy objects around. ``doc._.trace`` collects every rule that fired (including the
ones that dropped a number), for tests and debugging; it is not written to the tables.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens.underscore import Underscore

from .abbreviations import find_abbreviations
from .benchmarks import BenchmarkFinder
from .claims import ClaimFinder
from .links import LinkClassifier, classify_field_links, link_rows
from .short_name import ShortNameFinder

for _name, _default in (
    ("title", ""),
    ("text", None),
    ("links", None),
    ("field_links", None),
    ("short_name", None),
    ("benchmarks", None),
    ("benchmark_mentions", None),
    ("claims", None),
    ("trace", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _abbreviations(doc: Doc) -> list[dict[str, object]]:
    """Every abbreviation the abstract defines (plain dicts, see :mod:`.abbreviations`),
    found when first asked for and kept."""
    kept = doc.user_data.get("extract.abbreviations")
    if kept is None:
        kept = doc.user_data["extract.abbreviations"] = [
            a.as_dict() for a in find_abbreviations(text_of(doc))
        ]
    return list(kept)


if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", getter=_abbreviations)


def text_of(doc: Doc, ext: Underscore | None = None) -> str:
    """The text of a Doc, kept once: ``doc.text`` rebuilds it from the tokens each time.

    ``ext`` is the Doc's ``doc._`` when the caller has it: every ``doc._`` builds a new
    accessor object, which a component called on every record should do once.
    """
    ext = ext or doc._
    text = ext.text
    if text is None:
        text = ext.text = doc.text
    return str(text)


class LinksComponent:
    """URLs in the abstract (``doc._.links``), and the kinds of the links the record's
    fields gave (``doc._.field_links``, set before the pipeline runs)."""

    def __init__(self, rules: Path):
        self.classifier = LinkClassifier.from_file(rules)

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        ext.links = link_rows(text_of(doc, ext), self.classifier)
        if ext.field_links:
            ext.field_links = classify_field_links(ext.field_links, self.classifier)
        return doc


class ShortNameComponent:
    def __init__(self, rules: Path, not_names: Path | None, models: Path | None):
        self.finder = ShortNameFinder.from_file(rules, not_names, models)

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        ext.short_name = self.finder.find(ext.title, text_of(doc, ext))
        return doc


class BenchmarksComponent:
    """Writes ``doc._.benchmarks`` (one row per benchmark), ``doc._.benchmark_mentions``
    (every mention, for the claims) and ``doc.spans["benchmarks"]``: one span per mention in the
    abstract, labelled with the kind of evidence (``gazetteer``, ``shape``, ``context``,
    ``title``, ``abbreviation``), with the id of the rule that found it as ``span.id_``
    and ``span.kb_id_``."""

    def __init__(
        self,
        nlp: Language,
        rules: Path,
        gazetteers: list[Path],
        models: Path | None,
        not_benchmarks: Path | None,
        task_words: Path | None = None,
        variant_words: Path | None = None,
    ):
        self.finder = BenchmarkFinder.from_files(
            rules, gazetteers, models, not_benchmarks, task_words, variant_words
        )
        self.finder.matcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        named = ext.short_name
        short = named[0] if named else None
        found = self.finder.find_all(doc, ext.title, short, text_of(doc, ext))
        ext.benchmarks, ext.benchmark_mentions = found.rows, found.mentions
        spans = []
        for start, end, label, rule_id in found.spans:
            span = doc.char_span(
                start, end, label=label, kb_id=rule_id, span_id=rule_id, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans["benchmarks"] = spans
        return doc


class ClaimsComponent:
    def __init__(self, rules: Path, fields: Path, metrics: list[Path], metric_terms: list[Path]):
        self.finder = ClaimFinder.from_files(rules, fields, metrics, metric_terms)

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        named = ext.short_name
        short = named[0] if named else None
        ext.claims, trace = self.finder.find(text_of(doc, ext), ext.benchmark_mentions or [], short)
        ext.trace = (ext.trace or []) + trace
        return doc


@Language.factory("extract_links")
def make_links(nlp: Language, name: str, rules: str) -> LinksComponent:
    return LinksComponent(Path(rules))


@Language.factory("extract_short_name", default_config={"not_names": None, "models": None})
def make_short_name(
    nlp: Language, name: str, rules: str, not_names: str | None, models: str | None
) -> ShortNameComponent:
    return ShortNameComponent(
        Path(rules), Path(not_names) if not_names else None, Path(models) if models else None
    )


@Language.factory(
    "extract_benchmarks",
    default_config={
        "models": None,
        "not_benchmarks": None,
        "task_words": None,
        "variant_words": None,
    },
)
def make_benchmarks(
    nlp: Language,
    name: str,
    rules: str,
    gazetteers: list[str],
    models: str | None,
    not_benchmarks: str | None,
    task_words: str | None,
    variant_words: str | None,
) -> BenchmarksComponent:
    return BenchmarksComponent(
        nlp,
        Path(rules),
        [Path(g) for g in gazetteers],
        Path(models) if models else None,
        Path(not_benchmarks) if not_benchmarks else None,
        Path(task_words) if task_words else None,
        Path(variant_words) if variant_words else None,
    )


@Language.factory("extract_claims", default_config={"metric_terms": []})
def make_claims(
    nlp: Language,
    name: str,
    rules: str,
    fields: str,
    metrics: list[str],
    metric_terms: list[str],
) -> ClaimsComponent:
    return ClaimsComponent(
        Path(rules), Path(fields), [Path(m) for m in metrics], [Path(t) for t in metric_terms]
    )
