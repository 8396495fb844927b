"""Stage 3, extract: build the spaCy pipeline from a pipeline folder and run it on records.

A pipeline folder holds ``config.cfg`` (a spaCy config naming the rule components and
their data files), ``rules/*.jsonl`` and ``gazetteers/*.tsv``. Building it validates
every rule file; running it turns each record into plain rows for the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from thinc.api import Config

from ..annotate import Finisher
from ..errors import ExtractError
from ..records import FieldLink, RawRecord
from ..resources import pipeline_version
from . import affixes
from . import components as _components  # (importing it registers the factories)

#: Text chunks (what lies between spaces) whose tokens spaCy's tokenizer remembers.
#: spaCy keeps 10,000 by default, a bound meant for long-running services; a batch run
#: over many abstracts meets the same chunks far more often than that. 200,000 entries
#: cost about 5 MB and make tokenising 3,934 distinct real abstracts 10-15% faster
#: (tokenising is two fifths of extraction); the tokens are the same.
TOKENIZER_CACHE = 200_000
#: The lexical attributes the components read: LOWER, which the benchmarks' PhraseMatcher
#: matches on (a component that reads another must add it). spaCy works out every
#: attribute its language defines for each new word, in Python (shape, like_num,
#: like_url, is_stop...): with LOWER alone, fresh abstracts cost 8% fewer instructions
#: to extract; the tokens and every table are the same.
LEXICAL_ATTRS = frozenset([LOWER])


@dataclass
class Pipeline:
    """A built pipeline and what identifies it in a manifest."""

    name: str
    path: Path
    version: str  #: changes whenever the tool or any file of the pipeline changes
    nlp: Language
    #: canonical names and confidence for the rows (from the folder's gazetteers and
    #: ``confidence.json``)
    finisher: Finisher | None = None
    #: the components that only annotate the Doc, which :func:`extract` leaves out
    doc_only: list[str] = field(default_factory=list)


def load_pipeline(path: Path) -> Pipeline:
    config_path = path / "config.cfg"
    if not config_path.is_file():
        raise ExtractError("not a pipeline folder (no config.cfg)", where=str(path))
    try:
        config = Config().from_disk(config_path, overrides={"paths.pipeline": str(path)})
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except ExtractError:
        raise
    except Exception as exc:  # spaCy's config errors: report them on one line
        message = " ".join(str(exc).split())
        raise ExtractError(f"invalid pipeline config: {message}", where=str(config_path)) from None
    if hasattr(nlp.tokenizer, "max_cache_size"):
        nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
    affixes.speed_up(nlp.tokenizer)
    vocab: Any = nlp.vocab  # (spaCy's type stub leaves lex_attr_getters out)
    vocab.lex_attr_getters = {
        attr: get for attr, get in vocab.lex_attr_getters.items() if attr in LEXICAL_ATTRS
    }
    name = str(config.get("extract", {}).get("name") or path.name)
    finisher = Finisher.from_pipeline(path)
    doc_only = [n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in _components.DOC_ONLY]
    return Pipeline(
        name=name,
        path=path,
        version=pipeline_version(path),
        nlp=nlp,
        finisher=finisher,
        doc_only=doc_only,
    )


@dataclass
class Extraction:
    """What the pipeline found in one record, as plain rows without record ids."""

    short_name: tuple[str, str] | None
    links: list[dict[str, Any]]
    benchmarks: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    #: every rule that fired, with what it matched (not written to the tables)
    trace: list[dict[str, Any]] = field(default_factory=list)
    #: the links the record's fields gave, with the kinds the link rules decided
    field_links: list[FieldLink] = field(default_factory=list)
    #: the features each claim's and benchmark's confidence was computed from, by table
    features: dict[str, list[dict[str, float]]] = field(default_factory=dict)


def extract(pipeline: Pipeline, records: Iterable[RawRecord]) -> Iterator[Extraction]:
    """Run the pipeline over records, one :class:`Extraction` per record, in order (the
    rows only: the components that annotate the Doc for people reading it are left out)."""
    nlp = pipeline.nlp

    def docs() -> Iterator[Any]:
        for record in records:
            doc = nlp.make_doc(record.abstract or "")
            state = _components.state_of(doc)
            state.title = record.title
            state.text = record.abstract or ""
            state.field_links = record.links
            yield doc

    for doc in nlp.pipe(docs(), disable=pipeline.doc_only):
        state = _components.state_of(doc)
        extraction = Extraction(
            short_name=state.short_name,
            links=state.links or [],
            benchmarks=state.benchmarks or [],
            claims=state.claims or [],
            trace=state.trace or [],
            field_links=state.field_links or [],
        )
        if pipeline.finisher is not None:
            extraction.features = pipeline.finisher.finish(
                # the text kept on the Doc: ``doc.text`` would join its tokens again
                extraction.claims,
                extraction.benchmarks,
                extraction.trace,
                _components.text_of(doc, state),
            )
        yield extraction


def rows_by_rule(extraction: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Every extracted row, grouped by the id of the rule that produced it."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in (*extraction.links, *extraction.benchmarks, *extraction.claims):
        grouped.setdefault(str(row["rule_id"]), []).append(row)
    for fired in extraction.trace:
        rows = grouped.setdefault(str(fired["rule_id"]), [])
        # a claim row already stands for the rule that decided its kind
        if not any(r.get("start") == fired.get("start") and r is not fired for r in rows):
            rows.append(fired)
    if extraction.short_name is not None:
        name, rule_id = extraction.short_name
        grouped.setdefault(rule_id, []).append({"short_name": name})
    return grouped


def extract_text(pipeline: Pipeline, abstract: str, title: str = "") -> Extraction:
    """Run the pipeline on one abstract (and title): for rule examples and notebooks."""
    record = RawRecord(source="-", position=1, title=title, abstract=abstract, start=0, end=0)
    return next(extract(pipeline, [record]))
