"""``run()``: the whole flow, read -> split -> extract -> validate -> write.

Read this file to see how data moves: inputs are discovered and sorted, each is read by
the format that recognises it into records, records go through the spaCy pipeline in
batches, their rows are validated, and the writer publishes the tables and the manifest.
Every input record is counted once, as a paper, a merged duplicate or a reject.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .errors import ExtractError
from .formats import Format, ReadOptions, detect, get
from .models import Counts, InputEntry, Manifest
from .nlp import Extraction, Pipeline, extract, load_pipeline
from .read import SkippedInput, Source, discover, fingerprint, head
from .records import RawRecord, RecordProblem
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
        """Rejected records and files over all records and files seen."""
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
    options = ReadOptions(year=year)

    counts = Counter[str]()
    reasons = Counter[str]()
    entries: list[InputEntry] = []
    seen_ids: set[str] = set()
    with DatasetWriter(out, overwrite=overwrite) as writer:
        for source in sources:
            entry, file_rows = _read_source(source, forced, options, pipe)
            entries.append(entry)
            if entry.outcome == "rejected":
                counts["rejected_files"] += 1
            for item in file_rows:
                if isinstance(item, dict):  # a rejected file or record
                    reasons[item["reason"]] += 1
                    writer.add("rejects", [item])
                    continue
                rows = item
                counts["records_in"] += 1
                for reject in rows.rejects:
                    reasons[reject["reason"]] += 1
                writer.add("rejects", rows.rejects)
                if rows.rejected:
                    counts["rejected_records"] += 1
                elif rows.record_id in seen_ids:
                    counts["merged_records"] += 1
                else:
                    seen_ids.add(rows.record_id)
                    assert rows.paper is not None
                    writer.add("papers", [rows.paper])
                    for table, table_rows in rows.children.items():
                        writer.add(table, table_rows)
        tables = writer.close_tables()
        totals = Counts(
            papers=writer.counts["papers"],
            claims=writer.counts["claims"],
            benchmarks=writer.counts["benchmarks"],
            links=writer.counts["links"],
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
            options={"year": year, "format": format, "max_reject_rate": max_reject_rate},
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


def _read_source(
    source: Source | SkippedInput,
    forced: Format | None,
    options: ReadOptions,
    pipe: Pipeline,
) -> tuple[InputEntry, Iterator[RecordRows | dict[str, Any]]]:
    """The manifest entry of one input and its stream of record rows and rejects."""
    if isinstance(source, SkippedInput):
        entry = InputEntry(
            path=source.name,
            sha256=None,
            bytes=0,
            format=None,
            records=0,
            outcome="rejected",
            reason=source.reason,
        )
        return entry, iter([file_reject(source.name, source.reason, source.detail)])
    try:
        sha256, size = fingerprint(source)
        first = head(source)
    except OSError as exc:
        reason = "vanished" if isinstance(exc, FileNotFoundError) else "unreadable"
        entry = InputEntry(
            path=source.name,
            sha256=None,
            bytes=0,
            format=None,
            records=0,
            outcome="rejected",
            reason=reason,
        )
        return entry, iter([file_reject(source.name, reason, exc.strerror or str(exc))])
    fmt, why = (forced, "") if forced else detect(first, source.file_name)
    entry = InputEntry(
        path=source.name,
        sha256=sha256,
        bytes=size,
        format=fmt.name if fmt else None,
        records=0,
        outcome="read" if fmt else "rejected",
        reason=None if fmt else "unrecognised",
    )
    if fmt is None:
        return entry, iter([file_reject(source.name, "unrecognised", why)])
    return entry, _records(source, fmt, options, pipe, entry)


def _records(
    source: Source, fmt: Format, options: ReadOptions, pipe: Pipeline, entry: InputEntry
) -> Iterator[RecordRows | dict[str, Any]]:
    items = _guarded(fmt.read(source, options), source)
    while batch := list(islice(items, BATCH_SIZE)):
        records = [r for r in batch if isinstance(r, RawRecord)]
        extractions = iter(_extract_batch(pipe, records))
        for item in batch:
            if isinstance(item, dict):
                yield item
                continue
            entry.records += 1
            if isinstance(item, RecordProblem):
                yield _ProblemRows(item)
                continue
            extraction = next(extractions)
            if isinstance(extraction, RecordProblem):
                yield _ProblemRows(extraction)
            else:
                yield record_rows(item, extraction)


def _ProblemRows(problem: RecordProblem) -> RecordRows:  # noqa: N802 - reads as a constructor
    rows = RecordRows(record_id=problem.record_id or "", paper=None)
    rows.rejects.append(problem_row(problem))
    return rows


def _guarded(
    items: Iterable[RawRecord | RecordProblem], source: Source
) -> Iterator[RawRecord | RecordProblem | dict[str, Any]]:
    """A reader's records; an I/O error part-way ends the file with a reject row."""
    try:
        yield from items
    except OSError as exc:
        yield file_reject(source.name, "read_error", f"reading stopped: {exc.strerror or exc}")


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


__all__ = ["ExtractError", "RunSummary", "default_output", "run"]
