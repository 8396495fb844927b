"""The spaCy components of an extract pipeline: thin shells around the rule modules.

Each component reads what it needs from the Doc (its text, ``doc._.title``, earlier
components' results) and writes plain rows (dicts of text, numbers and offsets) to one
``doc._`` attribute, so a processed Doc can be turned into table rows without keeping
spaCy objects around (the attributes are kept in one plain :class:`DocState` per Doc,
which the components read and write directly). ``doc._.trace`` collects every rule that
fired (including the ones that dropped a number), for tests and debugging; it is not
written to the tables.

The last component, ``extract_doc_spans``, makes what the others found into spaCy
annotations for people reading a Doc: sentence starts (``doc.sents``) and labelled
spans (``doc.spans``). The tables are made from the plain rows alone, so a run leaves
it out (see :data:`DOC_ONLY`): making them took 2% of a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from ..canonical import LazyMapping
from ..records import FieldLink
from .abbreviations import Abbreviation, find_abbreviations
from .benchmarks import BenchmarkFinder
from .claim_fields import Mention
from .claims import ClaimFinder
from .links import LinkClassifier, classify_field_links, link_rows
from .short_name import ShortNameFinder
from .text import Sentences


@dataclass
class DocState:
    """What the components read and write for one Doc, as plain attributes.

    ``doc._.links`` and the others read and write the attribute of the same name here:
    each ``doc._`` access goes through spaCy's ``Underscore`` (an attribute look-up
    that fails, then a dict look-up: about 2 µs), and the components, called on every
    record, made some 40 of them per record. They use :func:`state_of` instead.
    """

    title: str = ""
    text: str | None = None
    links: list[dict[str, object]] | None = None
    field_links: list[FieldLink] | None = None
    short_name: tuple[str, str] | None = None
    benchmarks: list[dict[str, Any]] | None = None
    benchmark_mentions: list[Mention] | None = None
    benchmark_spans: list[tuple[int, int, str, str]] | None = None
    claims: list[dict[str, Any]] | None = None
    trace: list[dict[str, Any]] | None = None
    number_spans: list[tuple[int, int, str, str]] | None = None
    #: the sentence bounds of the text (``doc._.sentence_starts`` gives where each
    #: sentence starts): found when a component first reads one (see :func:`sentences_of`)
    sentences: Sentences | None = field(default=None, metadata={"extension": False})
    #: every abbreviation the abstract defines (``doc._.abbreviations`` gives them as
    #: dicts): found once, read by the benchmarks and the claims components
    abbreviations: list[Abbreviation] | None = None


#: the key of a Doc's :class:`DocState` in ``doc.user_data``
_STATE = "extract.state"


def state_of(doc: Doc) -> DocState:
    """The :class:`DocState` of a Doc, made when first asked for."""
    state = doc.user_data.get(_STATE)
    if state is None:
        state = doc.user_data[_STATE] = DocState()
    return cast(DocState, state)


def _state_extension(name: str) -> tuple[Any, Any]:
    def get(doc: Doc) -> Any:
        return getattr(state_of(doc), name)

    def set_(doc: Doc, value: Any) -> None:
        setattr(state_of(doc), name, value)

    return get, set_


def abbreviations_of(doc: Doc, state: DocState | None = None) -> list[Abbreviation]:
    """Every abbreviation the abstract defines, found when first asked for and kept
    (``state`` is the Doc's :class:`DocState` when the caller has it)."""
    state = state or state_of(doc)
    if state.abbreviations is None:
        state.abbreviations = find_abbreviations(text_of(doc, state))
    return state.abbreviations


def _short_forms(doc: Doc, state: DocState) -> LazyMapping:
    """Short form -> long form of every abbreviation a Doc's text defines, found when
    first looked at (the claim rules look only at a record that holds a number)."""
    return LazyMapping(lambda: {a.short: a.long for a in abbreviations_of(doc, state)})


def _abbreviations(doc: Doc) -> list[dict[str, object]]:
    """Every abbreviation the abstract defines, as plain dicts (see :mod:`.abbreviations`)."""
    return [a.as_dict() for a in abbreviations_of(doc)]


def sentences_of(doc: Doc, state: DocState | None = None) -> Sentences:
    """The sentence bounds of a Doc's text, kept once; they are found when first looked
    up (a record without a number needs none). ``state`` is the Doc's
    :class:`DocState` when the caller has it."""
    state = state or state_of(doc)
    if state.sentences is None:
        state.sentences = Sentences(text_of(doc, state))
    return state.sentences


def _sentence_starts(doc: Doc) -> list[int]:
    """Where each sentence of the Doc's text starts (the first at 0)."""
    return sentences_of(doc).starts()


def _set_sentence_starts(doc: Doc, starts: list[int]) -> None:
    state = state_of(doc)
    state.sentences = Sentences(text_of(doc, state), starts)


# (set before the DocState fields' extensions, which leave a taken name alone: the field
# holds the objects, ``doc._.abbreviations`` gives plain dicts; ``doc._.sentence_starts``
# gives the offsets the ``sentences`` field finds)
if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", getter=_abbreviations)
if not Doc.has_extension("sentence_starts"):
    Doc.set_extension("sentence_starts", getter=_sentence_starts, setter=_set_sentence_starts)

for _field in fields(DocState):
    if _field.metadata.get("extension", True) and not Doc.has_extension(_field.name):
        _get, _set = _state_extension(_field.name)
        Doc.set_extension(_field.name, getter=_get, setter=_set)


def text_of(doc: Doc, state: DocState | None = None) -> str:
    """The text of a Doc, kept once: ``doc.text`` rebuilds it from the tokens each time
    (``state`` is the Doc's :class:`DocState` when the caller has it)."""
    state = state or state_of(doc)
    if state.text is None:
        state.text = doc.text
    return state.text


class SentencesComponent:
    """Sentence bounds, by the project's one splitter (:mod:`extract.sentences`):
    ``doc._.sentence_starts``, character offsets the claim rules read (the tokens'
    ``is_sent_start`` are set from them by :class:`DocSpansComponent`). They are found
    when a component first looks one up (:func:`sentences_of`): a third of abstracts
    hold no number, and no rule then reads a sentence."""

    def __call__(self, doc: Doc) -> Doc:
        sentences_of(doc)
        return doc


class LinksComponent:
    """URLs in the abstract (``doc._.links``), and the kinds of the links the record's
    fields gave (``doc._.field_links``, set before the pipeline runs)."""

    def __init__(self, rules: Path):
        self.classifier = LinkClassifier.from_file(rules)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        state.links = link_rows(text_of(doc, state), self.classifier)
        if state.field_links:
            state.field_links = classify_field_links(state.field_links, self.classifier)
        return doc


class ShortNameComponent:
    def __init__(self, rules: Path, not_names: Path | None, models: Path | None):
        self.finder = ShortNameFinder.from_file(rules, not_names, models)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        state.short_name = self.finder.find(
            state.title, text_of(doc, state), lambda: abbreviations_of(doc, state)
        )
        return doc


class BenchmarksComponent:
    """Writes ``doc._.benchmarks`` (one row per benchmark), ``doc._.benchmark_mentions``
    (every mention, for the claims) and ``doc._.benchmark_spans``: (start, end, label,
    rule id) of each mention in the abstract, labelled with the kind of evidence
    (``gazetteer``, ``shape``, ``context``, ``title``, ``abbreviation``), which
    :class:`DocSpansComponent` makes ``doc.spans["benchmarks"]``."""

    def __init__(
        self,
        nlp: Language,
        rules: Path,
        gazetteers: list[Path],
        models: Path | None,
        not_benchmarks: Path | None,
        task_words: Path | None = None,
        variant_words: Path | None = None,
        edition_names: Path | None = None,
    ):
        self.finder = BenchmarkFinder.from_files(
            rules, gazetteers, models, not_benchmarks, task_words, variant_words, edition_names
        )
        self.finder.matcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        named = state.short_name
        short = named[0] if named else None
        found = self.finder.find_all(
            doc, state.title, short, text_of(doc, state), lambda: abbreviations_of(doc, state)
        )
        state.benchmarks, state.benchmark_mentions = found.rows, found.mentions
        state.benchmark_spans = found.spans
        return doc


class ClaimsComponent:
    """Writes ``doc._.claims`` (one row per claim) and ``doc._.number_spans``: (start,
    end, label, rule id) of each number a veto rule said is not a result, labelled with
    what it is instead (``size``, ``year``, ``version``...)."""

    def __init__(self, rules: Path, fields: Path, metrics: list[Path], metric_terms: list[Path]):
        self.finder = ClaimFinder.from_files(rules, fields, metrics, metric_terms)
        self.vetoes = self.finder.veto_labels()

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        named = state.short_name
        short = named[0] if named else None
        text = text_of(doc, state)
        sentences = sentences_of(doc, state)
        defined = _short_forms(doc, state)
        state.claims, trace = self.finder.find(
            text, state.benchmark_mentions or [], short, sentences, defined
        )
        state.trace = (state.trace or []) + trace
        vetoes = self.vetoes
        state.number_spans = [
            (fired["start"], fired["end"], vetoes[fired["rule_id"]], fired["rule_id"])
            for fired in trace
            if fired["rule_id"] in vetoes
        ]
        return doc


class DocSpansComponent:
    """What the other components found, as spaCy annotations for people reading a Doc
    (the rows never read them):

    - the tokens' ``is_sent_start``, so ``doc.sents`` gives ``doc._.sentence_starts``;
    - ``doc.spans["benchmarks"]``: each mention of a benchmark, labelled with the kind of
      evidence, with the id of the rule that found it as ``span.id_`` and ``span.kb_id_``;
    - ``doc.spans["claims"]``: each claim's number, labelled with its kind;
    - ``doc.spans["claim_fields"]``: the metric, benchmark, subject and baseline each
      claim took, labelled with the field;
    - ``doc.spans["numbers"]``: the numbers a veto rule said are not results, labelled
      with what they are instead.

    Every span carries the id of the rule that found it (``span.id_``).
    """

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        if len(doc):
            _mark_sentence_starts(doc, sentences_of(doc, state).starts())
        doc.spans["benchmarks"] = _spans(doc, state.benchmark_spans or [])
        claims = state.claims or []
        doc.spans["claims"] = _spans(
            doc, [(c["start"], c["end"], c["kind"], c["rule_id"]) for c in claims]
        )
        doc.spans["claim_fields"] = _spans(doc, [f for c in claims for f in _field_spans(c)])
        doc.spans["numbers"] = _spans(doc, state.number_spans or [])
        return doc


def _mark_sentence_starts(doc: Doc, starts: list[int]) -> None:
    """Mark the tokens at which the sentences starting at these offsets start."""
    offsets = doc.to_array(IDX)
    at = numpy.searchsorted(offsets, starts)
    flags = numpy.full(len(doc), -1, dtype="int64")
    flags[at[at < len(doc)]] = 1
    flags[0] = 1
    # (as a column: from_array takes one column per attribute)
    doc.from_array([SENT_START], cast(Ints2d, flags.view("uint64").reshape(-1, 1)))


def _field_spans(claim: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, field, field rule id) of each field a claim row gives offsets for."""
    read_by = dict(part.split("=", 1) for part in (claim.get("field_rules") or "").split())
    found = []
    for name in _SPAN_FIELDS:
        start = claim.get(f"{name}_start")
        if start is not None:
            found.append((start, claim[f"{name}_end"], name, read_by.get(name, "")))
    return found


#: the claim columns whose offsets become ``claim_fields`` spans
_SPAN_FIELDS = ("metric", "benchmark", "subject", "baseline")


def _spans(doc: Doc, found: list[tuple[int, int, str, str]]) -> list[Span]:
    """The tokens covering each ``(start, end, label, rule id)``, labelled, with the
    rule's id."""
    spans = []
    for start, end, label, rule_id in found:
        span = doc.char_span(
            start, end, label=label, kb_id=rule_id, span_id=rule_id, alignment_mode="expand"
        )
        if span is not None:
            spans.append(span)
    return spans


#: the factories of components that only annotate the Doc: a run, which writes the
#: rows, disables them
DOC_ONLY = frozenset({"extract_doc_spans"})


@Language.factory("extract_doc_spans")
def make_doc_spans(nlp: Language, name: str) -> DocSpansComponent:
    return DocSpansComponent()


@Language.factory("extract_sentences")
def make_sentences(nlp: Language, name: str) -> SentencesComponent:
    return SentencesComponent()


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
        "edition_names": None,
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
    edition_names: str | None,
) -> BenchmarksComponent:
    return BenchmarksComponent(
        nlp,
        Path(rules),
        [Path(g) for g in gazetteers],
        Path(models) if models else None,
        Path(not_benchmarks) if not_benchmarks else None,
        Path(task_words) if task_words else None,
        Path(variant_words) if variant_words else None,
        Path(edition_names) if edition_names else None,
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
