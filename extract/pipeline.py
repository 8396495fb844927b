"""``run()``: the whole flow, read -> split -> extract -> validate -> merge -> write.

Read this file to see how data moves. Inputs are discovered and sorted; each is read by
the format that recognises it into records; records go through the spaCy pipeline in
batches and their rows are validated (:func:`process_source`, everything that is done
per input and could run in another process). Then the global part: every valid record
goes to the :class:`~extract.merge.Merger`, which folds the appearances of one paper
into one row, and the writer publishes the tables and the manifest. Every input record
is counted once, as a paper, a merged appearance or a reject.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .errors import ExtractError
from .formats import Format, ReadOptions, detect, get
from .merge import Merger
from .models import Counts, InputEntry, LinkKind, Manifest
from .nlp import Extraction, Pipeline, extract, load_pipeline
from .nlp.components import LinksComponent
from .read import SkippedInput, Source, discover, fingerprint, head
from .records import FieldLink, InputRejectedError, RawRecord, RecordProblem
from .resources import DEFAULT_PIPELINE, SAMPLE_LISTING, pipeline_path
from .validate import RecordRows, file_reject, problem_row, record_rows
from .write import DatasetWriter

#: Records sent through the spaCy pipeline at a time.
BATCH_SIZE = 256
DEFAULT_MAX_REJECT_RATE = 0.05


@dataclass
class RunSummary:
    """What a run wrote, returned by :func:`run` and printed by ``extract run``."""

    output: Path
    pipeline: str
    counts: Counts
    inputs: list[InputEntry]
    elapsed_seconds: float
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    max_reject_rate: float = DEFAULT_MAX_REJECT_RATE

    @property
    def reject_rate(self) -> float:
        """The share of input units rejected: records rejected, plus files that could
        not be read at all, over all records read plus those files."""
        c = self.counts
        seen = c.records_in + c.rejected_files
        return (c.rejected_records + c.rejected_files) / seen if seen else 0.0

    @property
    def too_many_rejects(self) -> bool:
        return self.reject_rate > self.max_reject_rate

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "pipeline": self.pipeline,
            "counts": self.counts.model_dump(),
            "rejects_by_reason": dict(sorted(self.rejects_by_reason.items())),
            "reject_rate": round(self.reject_rate, 6),
            "max_reject_rate": self.max_reject_rate,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "inputs": [entry.model_dump() for entry in self.inputs],
        }


def default_output(inputs: Sequence[str]) -> Path:
    """``output/<name>``: the sample, the one input's name, or 'dataset' for several."""
    if not inputs:
        return Path("output") / "sample"
    if len(inputs) == 1:
        given = inputs[0]
        name = "stdin" if given == "-" else Path(given.rstrip("/")).stem or "dataset"
        return Path("output") / name
    return Path("output") / "dataset"


def run(
    inputs: Sequence[str] = (),
    output: str | Path | None = None,
    *,
    pipeline: str = DEFAULT_PIPELINE,
    overwrite: bool = False,
    year: int | None = None,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    max_reject_rate: float = DEFAULT_MAX_REJECT_RATE,
    stdin: BinaryIO | None = None,
) -> RunSummary:
    """Convert listings into a dataset at ``output`` and return what was written.

    With no inputs, the sample listing bundled with the package is converted. Raises
    :class:`~extract.errors.ExtractError` for mistakes the user can fix (a missing input,
    an existing output without ``overwrite``); nothing is written then.
    """
    started = time.monotonic()
    inputs = list(inputs)
    out = Path(output) if output is not None else default_output(inputs)
    sources: list[Source | SkippedInput] = (
        discover(inputs, stdin=stdin)
        if inputs
        else [Source(name="sample.txt", path=SAMPLE_LISTING)]
    )
    forced = get(format) if format else None
    pipe = load_pipeline(pipeline_path(pipeline))
    options = ReadOptions(year=year, columns=dict(columns or {}))

    counts = Counter[str]()
    reasons = Counter[str]()
    entries: list[InputEntry] = []
    with DatasetWriter(out, overwrite=overwrite) as writer:
        merger = Merger(writer.scratch_path("merge.sqlite"))
        try:
            # Per input: read, extract, validate. Valid records wait in the merger.
            for source in sources:
                entry, items = process_source(source, forced, options, pipe)
                entries.append(entry)
                for item in items:
                    if isinstance(item, dict):  # a rejected file
                        reasons[item["reason"]] += 1
                        writer.add("rejects", [item])
                        continue
                    counts["records_in"] += 1
                    for reject in item.rejects:
                        reasons[reject["reason"]] += 1
                    writer.add("rejects", item.rejects)
                    if item.paper is None:
                        counts["rejected_records"] += 1
                        entry.rejected += 1
                    else:
                        merger.add(item.paper, item.children)
                if entry.outcome == "rejected":
                    counts["rejected_files"] += 1
            # Global: one row per paper, every appearance kept.
            by_source = {entry.path: entry for entry in entries}
            for paper in merger.merged():
                writer.add("papers", [paper.paper])
                for table, table_rows in paper.children.items():
                    writer.add(table, table_rows)
                writer.add("appearances", paper.appearances)
                for appearance in paper.appearances:
                    seen = by_source[appearance["source"]]
                    if appearance["primary"]:
                        seen.papers += 1
                    else:
                        seen.merged += 1
                        counts["merged_records"] += 1
        finally:
            merger.close()
        tables = writer.close_tables()
        totals = Counts(
            papers=writer.counts["papers"],
            claims=writer.counts["claims"],
            benchmarks=writer.counts["benchmarks"],
            links=writer.counts["links"],
            appearances=writer.counts["appearances"],
            rejects=writer.counts["rejects"],
            records_in=counts["records_in"],
            rejected_records=counts["rejected_records"],
            merged_records=counts["merged_records"],
            rejected_files=counts["rejected_files"],
        )
        elapsed = time.monotonic() - started
        manifest = Manifest(
            tool_version=__version__,
            pipeline=pipe.name,
            pipeline_version=pipe.version,
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            elapsed_seconds=round(elapsed, 3),
            inputs=entries,
            tables=tables,
            counts=totals,
            options={
                "year": year,
                "format": format,
                "columns": dict(sorted((columns or {}).items())),
                "max_reject_rate": max_reject_rate,
            },
        )
        writer.publish(manifest)
    return RunSummary(
        output=out,
        pipeline=pipe.name,
        counts=totals,
        inputs=entries,
        elapsed_seconds=elapsed,
        rejects_by_reason=dict(reasons),
        max_reject_rate=max_reject_rate,
    )


def process_source(
    source: Source | SkippedInput,
    forced: Format | None,
    options: ReadOptions,
    pipe: Pipeline,
) -> tuple[InputEntry, Iterator[RecordRows | dict[str, Any]]]:
    """The manifest entry of one input and its stream of record rows and file rejects.

    The entry is filled in as the stream is consumed (format, checksum, counts); a
    problem with the input as a whole makes it a rejected file, never an exception.
    """
    entry = InputEntry(
        path=source.name, sha256=None, bytes=0, format=None, records=0, outcome="read"
    )
    if isinstance(source, SkippedInput):
        entry.outcome, entry.reason = "rejected", source.reason
        return entry, iter([file_reject(source.name, source.reason, source.detail)])
    return entry, _process(source, forced, options, pipe, entry)


def _process(
    source: Source, forced: Format | None, options: ReadOptions, pipe: Pipeline, entry: InputEntry
) -> Iterator[RecordRows | dict[str, Any]]:
    def rejected(reason: str, detail: str) -> dict[str, Any]:
        entry.outcome, entry.reason = "rejected", reason
        return file_reject(source.name, reason, detail)

    try:
        with source.pinned() as pinned:
            entry.sha256, entry.bytes = fingerprint(pinned)
            fmt, why = (forced, "") if forced else detect(head(pinned), pinned.file_name)
            if fmt is None:
                yield rejected("empty" if entry.bytes == 0 else "unrecognised", why)
                return
            entry.format = fmt.name
            yield from _records(pinned, fmt, options, pipe, entry, rejected)
    except FileNotFoundError:
        yield rejected("vanished", "the file disappeared before it could be read")
    except InputRejectedError as exc:
        yield rejected(exc.reason, exc.detail)
    except OSError as exc:
        yield rejected("unreadable", exc.strerror or str(exc))


def _records(
    source: Source,
    fmt: Format,
    options: ReadOptions,
    pipe: Pipeline,
    entry: InputEntry,
    rejected: Callable[[str, str], dict[str, Any]],
) -> Iterator[RecordRows | dict[str, Any]]:
    items = _guarded(fmt.read(source, options), rejected)
    classify = _field_link_classifier(pipe)
    while batch := list(islice(items, BATCH_SIZE)):
        records = [r for r in batch if isinstance(r, RawRecord)]
        for record in records:
            record.links = [classify(link) for link in record.links]
        extractions = iter(_extract_batch(pipe, records))
        for item in batch:
            if isinstance(item, dict):
                yield item
                continue
            entry.records += 1
            if isinstance(item, RecordProblem):
                yield _problem_rows(item)
                continue
            extraction = next(extractions)
            if isinstance(extraction, RecordProblem):
                yield _problem_rows(extraction)
            else:
                yield record_rows(item, extraction)


def _problem_rows(problem: RecordProblem) -> RecordRows:
    rows = RecordRows(record_id=problem.record_id or "", paper=None)
    rows.rejects.append(problem_row(problem))
    return rows


def _guarded(
    items: Iterable[RawRecord | RecordProblem], rejected: Callable[[str, str], dict[str, Any]]
) -> Iterator[RawRecord | RecordProblem | dict[str, Any]]:
    """A reader's records; a reader that stops on a problem ends the file with a reject."""
    try:
        yield from items
    except InputRejectedError as exc:
        yield rejected(exc.reason, exc.detail)
    except OSError as exc:
        yield rejected("read_error", f"reading stopped: {exc.strerror or exc}")
    except Exception as exc:  # a reader's bug must not cost the rest of the run
        yield rejected("reader_error", f"the reader failed: {type(exc).__name__}: {exc}")


def _field_link_classifier(pipe: Pipeline) -> Callable[[FieldLink], FieldLink]:
    """Decides the kind of links from free-text fields with the pipeline's link rules."""
    component = next(
        (c for _, c in pipe.nlp.pipeline if isinstance(c, LinksComponent)),
        None,
    )

    def classify(link: FieldLink) -> FieldLink:
        if link.kind is not None:
            return link
        if component is None:
            return replace(link, kind="other")
        kind: LinkKind
        kind, rule_id = component.classifier.classify(link.url, link.context)
        return replace(link, kind=kind, rule_id=rule_id)

    return classify


def _extract_batch(pipe: Pipeline, records: list[RawRecord]) -> list[Extraction | RecordProblem]:
    """Extractions for a batch; a record that breaks a rule is rejected, not fatal."""
    try:
        return list(extract(pipe, records))
    except Exception:
        results: list[Extraction | RecordProblem] = []
        for record in records:
            try:
                results.extend(extract(pipe, [record]))
            except Exception as exc:
                results.append(
                    RecordProblem(
                        record.source,
                        record.position,
                        "extract_error",
                        f"the pipeline failed on this record: {type(exc).__name__}: {exc}",
                        stage="extract",
                        line=record.line,
                        record_id=record.record_id,
                    )
                )
        return results


__all__ = ["ExtractError", "RunSummary", "default_output", "process_source", "run"]
