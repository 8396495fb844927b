"""Work: one shard's records -> checked rows in the shard's folder, in any process.

:func:`process_shard` is the function every engine maps over the shards. It sends the
shard's records through the spaCy pipeline a batch at a time, validates every row
against its model, and writes the rows as it goes (Arrow files, each batch built against
its table's Arrow schema, see :class:`~extract.shards.ShardWriter`); only counts, the
merge keys and the folder's name go back. A record that cannot be extracted or
validated becomes a reject row, never an exception.

A worker process imports spaCy here, and pyarrow for the row files.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .merge import title_key
from .plan import TRANSIENT
from .records import FileRejected, Item, RawRecord, RecordProblem
from .shards import (
    CHILD_TABLES,
    REC,
    TITLE_KEY,
    PieceResult,
    ShardResult,
    ShardTask,
    ShardWriter,
    load_result,
)
from .summary import Stopwatch
from .validate import RecordRows, file_reject, problem_row, record_rows

if TYPE_CHECKING:
    from .nlp import Extraction, Pipeline

#: Records sent through the spaCy pipeline at a time.
BATCH_SIZE = 256


def process_shard(task: ShardTask) -> ShardResult:
    """Extract and validate one shard's records and write its rows to the shard's
    folder; the counts and the folder come back. Runs in any process that can write to
    the results folder."""
    done = load_result(task.folder)
    if done is not None:  # an earlier attempt at this very task finished it
        return done
    clock = Stopwatch()
    result = ShardResult(key=task.key)
    out = ShardWriter(Path(task.results), task.key)
    try:
        extractor = _Extractor(task, out, clock, result)
        for piece, items in zip(task.pieces, task.items, strict=True):
            read = PieceResult(input=piece.input)
            extractor.process(items, read)
            result.pieces.append(read)
            if read.file_reject is not None and read.file_reject[0] in TRANSIENT:
                result.reusable = False
        result.timings = clock.totals()
        return out.commit(result)
    except BaseException:
        out.abort()
        raise


class _Extractor:
    """Extracts and validates records batch by batch and writes the shard's rows."""

    def __init__(self, task: ShardTask, out: ShardWriter, clock: Stopwatch, result: ShardResult):
        self.task = task
        self.out = out
        self.clock = clock
        self.keys = result.keys
        self._pipe: Pipeline | None = None

    @property
    def pipe(self) -> Pipeline:
        # built on the first record to extract: a shard of rejected files needs none
        if self._pipe is None:
            self._pipe = _worker_pipeline(self.task.pipeline, self.task.pipeline_version)
        return self._pipe

    def process(self, items: Sequence[Item], result: PieceResult) -> None:
        clock = self.clock
        reasons: Counter[str] = Counter()
        for begin in range(0, len(items), BATCH_SIZE):
            batch = items[begin : begin + BATCH_SIZE]
            records = [item for item in batch if isinstance(item, RawRecord)]
            extractions: list[Extraction | RecordProblem] = []
            if records:
                with clock("extract"):
                    extractions = _extract_batch(self.pipe, records)
            done = iter(extractions)
            rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("papers", *CHILD_TABLES)}
            rejects: list[dict[str, Any]] = []
            rec = self.out.rec  # a child row's REC is its paper's row in the segment
            with clock("validate"):
                for item in batch:
                    if isinstance(item, FileRejected):  # the input could not be read on
                        result.file_reject = result.file_reject or (item.reason, item.detail)
                        reasons[item.reason] += 1
                        rejects.append(file_reject(item))
                        continue
                    result.records += 1
                    checked = _checked(item, done)
                    rejects.extend(checked.rejects)
                    reasons.update(reject["reason"] for reject in checked.rejects)
                    if checked.paper is None:
                        result.rejected += 1
                        continue
                    paper = checked.paper  # rows are this record's own: extended in place
                    key = paper[TITLE_KEY] = title_key(paper["title"])
                    rows["papers"].append(paper)
                    self.keys.append((paper["arxiv_id"], key))
                    for table, table_rows in checked.children.items():
                        for row in table_rows:
                            row[REC] = rec
                        rows[table].extend(table_rows)
                    rec += 1
                    result.valid += 1
            with clock("write"):
                for table, table_rows in rows.items():
                    self.out.write(table, table_rows)
                self.out.write("rejects", rejects)
                self.out.end_batch()
        for reason, count in reasons.items():
            result.reasons[reason] = result.reasons.get(reason, 0) + count


def _checked(
    item: RawRecord | RecordProblem, extractions: Iterator[Extraction | RecordProblem]
) -> RecordRows:
    """The rows of one record, or its reject."""
    if isinstance(item, RecordProblem):
        return _problem_rows(item)
    extraction = next(extractions)
    if isinstance(extraction, RecordProblem):
        return _problem_rows(extraction)
    return record_rows(item, extraction)


def _problem_rows(problem: RecordProblem) -> RecordRows:
    rows = RecordRows(record_id=problem.record_id or "", paper=None)
    rows.rejects.append(problem_row(problem))
    return rows


def _extract_batch(pipe: Pipeline, records: list[RawRecord]) -> list[Extraction | RecordProblem]:
    """Extractions for a batch; a record that breaks a rule is rejected, not fatal."""
    from .nlp import extract

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


_local = threading.local()
#: Strings a worker's vocabulary may hold before its pipeline is built afresh: spaCy keeps
#: every token string it has seen, which over millions of abstracts is a lot of memory.
MAX_VOCAB_STRINGS = 500_000


def prepare(path: str) -> None:
    """Build the pipeline at ``path`` for this process ahead of its first shard (the fork
    server does, so that the workers it forks start with it)."""
    from .resources import pipeline_version

    _worker_pipeline(path, pipeline_version(Path(path)))


def _worker_pipeline(path: str, version: str) -> Pipeline:
    """The pipeline of this process (and thread), built once per version, built afresh
    when its vocabulary has grown past :data:`MAX_VOCAB_STRINGS`."""
    from .nlp import load_pipeline

    cached: dict[tuple[str, str], Pipeline] = _local.__dict__.setdefault("pipelines", {})
    pipe = cached.get((path, version))
    if pipe is None or len(pipe.nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        gc.unfreeze()  # (so that a pipeline built before can be collected)
        cached.clear()
        pipe = cached[(path, version)] = load_pipeline(Path(path))
        # The pipeline, the modules and their data live as long as the process: out of
        # the collector's reach, its full passes walk only what records create (it
        # spent 0.38 of its 0.55 s in an 8,000-record one-worker run walking them again
        # and again; 0.09 s frozen).
        gc.freeze()
    return pipe


__all__ = ["BATCH_SIZE", "prepare", "process_shard"]
