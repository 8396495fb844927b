"""``run()``: the whole flow, read -> split -> extract -> validate -> merge -> write.

Read this file to see how data moves.

1. **Plan.** Inputs are discovered and sorted. A :class:`~extract.shards.Planner` hashes
   each, detects its format and cuts it into shards: a large JSON Lines or CSV file
   into byte ranges at line starts, anything else whole.
2. **Per shard, anywhere** (:func:`process_shard`): read the shard's records, run them
   through the spaCy pipeline in batches, validate every row, and write the rows into
   the shard's Arrow files. An engine (:mod:`extract.engines`: this process, a pool of
   processes, a Dask cluster) maps this function over the shards and hands the results
   back in input order, a few in flight at a time.
3. **Phase 1, here, in input order:** each shard's counts go to its input's manifest
   entry; each valid record gets its group from the :class:`~extract.merge.Merger` (is
   it a paper seen before?); the rows of a record that joins an earlier paper are kept
   for the merge.
4. **Phase 2, here, in input order:** the shards' rows are written: a paper seen once as
   it is, a paper seen several times merged from all its appearances at its first one.
   Positions, line numbers and character offsets of a shard that is not the first of
   its input are shifted by what came before it in the file.
5. **Publish:** the writer moves the tables and the manifest into place atomically.

Every input record is counted once, as a paper, a merged appearance or a reject. The
tables do not depend on the number of workers, the engine, the shard size or what an
incremental run found already done.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import __version__
from .engines import Engine, available_cores, make_engine
from .errors import ExtractError
from .formats import ByteRange, Format, ReadOptions, get
from .merge import Merger, merge_group, title_key
from .models import Appearance, Counts, InputEntry, LinkKind, Manifest, RunInfo, SkippedEntry
from .progress import Progress
from .read import SkippedInput, Source, discover, left_out
from .records import FieldLink, InputRejectedError, RawRecord, RecordProblem
from .resources import (
    DEFAULT_PIPELINE,
    SAMPLE_LISTING,
    pipeline_name,
    pipeline_path,
    pipeline_version,
)
from .shards import (
    CHANGED,
    REC,
    SHARD_BYTES,
    TITLE_KEY,
    Identity,
    Offsets,
    Piece,
    PieceResult,
    Planner,
    ShardResult,
    ShardTask,
    ShardWriter,
    default_cache_dir,
    load_result,
    placed_tables,
    prune,
    read_table,
    results_folder,
)
from .validate import RecordRows, file_reject, problem_row, record_rows

if TYPE_CHECKING:
    # A worker process imports this module: spaCy is imported where records are
    # extracted, pyarrow where rows are read back and written, never both in one process.
    import pyarrow as pa

    from .nlp import Extraction, Pipeline
    from .write import DatasetWriter

#: Records sent through the spaCy pipeline at a time.
BATCH_SIZE = 256
DEFAULT_MAX_REJECT_RATE = 0.05
CHILD_TABLES = ("links", "benchmarks", "claims")


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
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = "local"
    processes: int = 1
    shards: int = 0
    reused_shards: int = 0
    #: entries of input folders left out on purpose (links out of the folder): no rejects
    skipped: list[SkippedEntry] = field(default_factory=list)

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
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "engine": self.engine,
            "processes": self.processes,
            "shards": self.shards,
            "reused_shards": self.reused_shards,
            "inputs": [entry.model_dump() for entry in self.inputs],
            "skipped": [entry.model_dump() for entry in self.skipped],
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
    workers: int | None = 1,
    engine: str = "local",
    address: str | None = None,
    incremental: bool = False,
    cache_dir: str | Path | None = None,
    shard_bytes: int = SHARD_BYTES,
    progress: bool = False,
) -> RunSummary:
    """Convert listings into a dataset at ``output`` and return what was written.

    With no inputs, the sample listing bundled with the package is converted. Raises
    :class:`~extract.errors.ExtractError` for mistakes the user can fix (a missing input,
    an existing output without ``overwrite``); nothing is written then.

    ``workers`` processes share the work (None: every core); ``engine="dask"`` sends it
    to a Dask cluster (``address``, or a local one). With ``incremental``, shards whose
    result an earlier run stored in the cache (``cache_dir``, by default a hidden folder
    beside the output) are not processed again. ``progress`` shows a progress bar on
    standard error when it is a terminal.
    """
    started = time.monotonic()
    clock = Stopwatch()
    inputs = list(inputs)
    out = Path(output) if output is not None else default_output(inputs)
    cache = Path(cache_dir) if cache_dir else default_cache_dir(out)
    # the run's own output and cache are never inputs, even inside an input folder
    # (staging folders are hidden, and hidden entries are never read)
    sources, left = left_out(
        discover(inputs, stdin=stdin, exclude=[out, cache])
        if inputs
        else [Source(name="sample.txt", path=SAMPLE_LISTING)]
    )
    skipped = [SkippedEntry(path=s.name, reason=s.reason, detail=s.detail) for s in left]
    forced = get(format) if format else None
    pipe_dir = pipeline_path(pipeline)
    if not (pipe_dir / "config.cfg").is_file():
        raise ExtractError("not a pipeline folder (no config.cfg)", where=str(pipe_dir))
    # once: it hashes every file of the pipeline folder, and the shards' names and the
    # manifest must name the same version
    version = pipeline_version(pipe_dir)
    options = ReadOptions(year=year, columns=dict(columns or {}))
    workers = workers or available_cores()
    if workers < 1:
        raise ExtractError("--workers must be at least 1")

    from .write import DatasetWriter

    counts = Counter[str]()
    reasons = Counter[str]()
    committed: list[Committed] = []
    with DatasetWriter(out, overwrite=overwrite) as writer:
        folder = cache if incremental else writer.scratch_path("shards")
        merger = Merger(writer.scratch_path("merge.sqlite"))
        with (
            results_folder(folder, cache=incremental) as results,
            make_engine(engine, workers, address, _most_shards(sources, shard_bytes)) as eng,
            Progress(_input_bytes(sources), enabled=progress) as bar,
        ):
            planner = Planner(
                sources,
                forced=forced,
                options=options,
                pipeline=pipe_dir,
                pipeline_version=version,
                results=results,
                scratch=writer.scratch_path("input"),
                shard_bytes=shard_bytes,
                reuse=incremental,
            )
            planner.scratch.mkdir()  # standard input is copied here; removed below
            # Read, extract, validate every shard (anywhere), in input order; phase 1.
            shards = eng.map(clock.timed("read", planner.items()))
            for ready in _complete(shards, planner, eng, bar.advance):
                for result, offsets in _placed(ready):
                    with clock("merge"):
                        committed.append(_commit(result, offsets, planner.entries, merger, counts))
                    for piece in result.pieces:
                        reasons.update(piece.reasons)
                    if not result.cached:
                        clock.add(result.timings)
            counts["rejected_files"] = sum(e.outcome == "rejected" for e in planner.entries)
            # Phase 2: one row per paper, in order of first appearance; every appearance.
            bar.writing()
            with clock("write"):
                for shard in committed:
                    _write_shard(shard, merger, writer)
            merger.close()
            shutil.rmtree(planner.scratch, ignore_errors=True)
            processes = eng.processes
        with clock("write"):
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
        run_info = RunInfo(
            engine="dask" if engine == "dask" else "local",
            processes=processes,
            shards=len(committed),
            reused_shards=sum(1 for shard in committed if shard.result.cached),
            incremental=incremental,
        )
        elapsed = time.monotonic() - started
        manifest = Manifest(
            tool_version=__version__,
            pipeline=pipeline_name(pipe_dir),
            pipeline_version=version,
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            elapsed_seconds=round(elapsed, 3),
            inputs=planner.entries,
            skipped=skipped,
            tables=tables,
            counts=totals,
            options={
                "year": year,
                "format": format,
                "columns": dict(sorted((columns or {}).items())),
                "max_reject_rate": max_reject_rate,
            },
            run=run_info,
            timings=clock.rounded(),
        )
        writer.publish(manifest)
    if incremental:
        prune(cache, planner.used)
    return RunSummary(
        output=out,
        pipeline=manifest.pipeline,
        counts=totals,
        inputs=planner.entries,
        elapsed_seconds=elapsed,
        rejects_by_reason=dict(reasons),
        max_reject_rate=max_reject_rate,
        timings=clock.totals(),
        engine=run_info.engine,
        processes=processes,
        shards=run_info.shards,
        reused_shards=run_info.reused_shards,
        skipped=skipped,
    )


# --- per shard: read, extract, validate (runs in any process) ----------------------------


def process_shard(task: ShardTask) -> ShardResult:
    """Read one shard's records, extract and validate them, and write the rows to the
    shard's folder; the counts and the folder come back. Bad records become reject rows,
    never exceptions. Runs in any process that can read the inputs and the folder."""
    done = load_result(task.folder)
    if done is not None:  # an earlier attempt at this very task finished it
        return done
    while True:
        try:
            return _attempt(task)
        except _ChangedWhileReadError as changed:
            # its rows are of no single version of the file: read the shard again
            # without them, the file a reject (never reused, see _TRANSIENT)
            task = changed.without(task)


def _attempt(task: ShardTask) -> ShardResult:
    clock = Stopwatch()
    result = ShardResult(key=task.key)
    out = ShardWriter(Path(task.results), task.key)
    try:
        extractor = _Extractor(task, out, clock)
        for piece in task.pieces:
            read = _process_piece(piece, task, extractor)
            result.pieces.append(read)
            if read.file_reject is not None and read.file_reject[0] in _TRANSIENT:
                result.reusable = False
        result.timings = clock.totals()
        return out.commit(result)
    except BaseException:
        out.abort()
        raise


#: Outcomes that depend on the file system at the time, not the content: not reused.
_TRANSIENT = {"vanished", "unreadable", "read_error", "changed", "not_a_regular_file"}


def _process_piece(piece: Piece, task: ShardTask, extractor: _Extractor) -> PieceResult:
    """Read one input (or range of one) and hand its records to the extractor."""
    result = PieceResult()

    def rejected(reason: str, detail: str) -> dict[str, Any]:
        result.file_reject = result.file_reject or (reason, detail)
        return file_reject(piece.source, reason, detail)

    if piece.reject is not None:  # rejected when the run was planned
        extractor.out.write("rejects", [rejected(*piece.reject)])
    else:
        assert piece.path is not None and piece.format is not None
        source = piece.opened or Source(name=piece.source, path=Path(piece.path))
        try:
            with source.pinned() as pinned:
                if _changed(piece, pinned):
                    raise InputRejectedError("changed", CHANGED)
                fmt = get(piece.format)
                span = ByteRange(piece.start, piece.end) if piece.end is not None else None

                def records(fmt: Format = fmt, span: ByteRange | None = span) -> Iterable[Any]:
                    if span is not None and fmt.read_range is not None:
                        return fmt.read_range(pinned, task.options, span)
                    return fmt.read(pinned, task.options)

                extractor.process(_guarded(records, rejected), result)
                if _changed(piece, pinned):
                    raise _ChangedWhileReadError(piece.input)
                if span is not None:
                    result.span = {
                        "records": span.records,
                        "lines": span.lines,
                        "chars": span.chars,
                        "stop": span.stop,
                    }
        except FileNotFoundError:
            extractor.out.write("rejects", [rejected("vanished", "the file disappeared")])
        except InputRejectedError as exc:
            extractor.out.write("rejects", [rejected(exc.reason, exc.detail)])
        except OSError as exc:
            extractor.out.write("rejects", [rejected("unreadable", exc.strerror or str(exc))])
    if result.file_reject is not None:
        reason = result.file_reject[0]
        result.reasons[reason] = result.reasons.get(reason, 0) + 1
    return result


def _changed(piece: Piece, pinned: Source) -> bool:
    """Whether the file is no longer the one the run planned (and hashed): written to,
    or, opened again by name, replaced. Checked before and after it is read, by every
    engine."""
    if piece.identity is None or pinned.fd is None:
        return False
    return Identity.of(pinned.fd) != piece.identity


class _ChangedWhileReadError(Exception):
    """An input of a shard changed while its records were read."""

    def __init__(self, input: int):
        super().__init__(input)
        self.input = input

    def without(self, task: ShardTask) -> ShardTask:
        """The task with that input's pieces turned into its reject."""
        pieces = tuple(
            replace(p, reject=("changed", CHANGED), opened=None) if p.input == self.input else p
            for p in task.pieces
        )
        return replace(task, pieces=pieces)


class _Extractor:
    """Extracts and validates records batch by batch and writes the shard's rows."""

    def __init__(self, task: ShardTask, out: ShardWriter, clock: Stopwatch):
        self.task = task
        self.out = out
        self.clock = clock
        self._pipe: Pipeline | None = None

    @property
    def pipe(self) -> Pipeline:
        # built on the first record to extract: a shard of rejected files needs none
        if self._pipe is None:
            self._pipe = _worker_pipeline(self.task.pipeline, self.task.pipeline_version)
        return self._pipe

    def process(
        self, items: Iterator[RawRecord | RecordProblem | dict[str, Any]], result: PieceResult
    ) -> None:
        clock = self.clock
        reasons: Counter[str] = Counter()
        while True:
            with clock("read"):
                batch = list(islice(items, BATCH_SIZE))
            if not batch:
                break
            records = [item for item in batch if isinstance(item, RawRecord)]
            extractions: Iterator[Extraction | RecordProblem] = iter(())
            if records:
                with clock("extract"):
                    classify = _field_link_classifier(self.pipe)
                    for record in records:
                        record.links = [classify(link) for link in record.links]
                    extractions = iter(_extract_batch(self.pipe, records))
            rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("papers", *CHILD_TABLES)}
            rejects: list[dict[str, Any]] = []
            rec = self.out.rec  # a child row's REC is its paper's row in the segment
            with clock("validate"):
                for item in batch:
                    if isinstance(item, dict):  # the reader gave up on the file
                        rejects.append(item)
                        continue
                    result.records += 1
                    if isinstance(item, RecordProblem):
                        checked = _problem_rows(item)
                    else:
                        extraction = next(extractions)
                        if isinstance(extraction, RecordProblem):
                            checked = _problem_rows(extraction)
                        else:
                            checked = record_rows(item, extraction)
                    rejects.extend(checked.rejects)
                    reasons.update(reject["reason"] for reject in checked.rejects)
                    if checked.paper is None:
                        result.rejected += 1
                        continue
                    paper = checked.paper
                    rows["papers"].append({**paper, TITLE_KEY: title_key(paper["title"])})
                    for table, table_rows in checked.children.items():
                        rows[table].extend({**row, REC: rec} for row in table_rows)
                    rec += 1
                    result.valid += 1
            with clock("write"):
                for table, table_rows in rows.items():
                    self.out.write(table, table_rows)
                self.out.write("rejects", rejects)
                self.out.end_batch()
        for reason, count in reasons.items():
            result.reasons[reason] = result.reasons.get(reason, 0) + count


_local = threading.local()
#: Strings a worker's vocabulary may hold before its pipeline is built afresh: spaCy keeps
#: every token string it has seen, which over millions of abstracts is a lot of memory.
MAX_VOCAB_STRINGS = 500_000


def _worker_pipeline(path: str, version: str) -> Pipeline:
    """The pipeline of this process (and thread), built once per version, built afresh
    when its vocabulary has grown past :data:`MAX_VOCAB_STRINGS`."""
    from .nlp import load_pipeline

    cached: dict[tuple[str, str], Pipeline] = _local.__dict__.setdefault("pipelines", {})
    pipe = cached.get((path, version))
    if pipe is None or len(pipe.nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        cached.clear()
        pipe = cached[(path, version)] = load_pipeline(Path(path))
    return pipe


def _problem_rows(problem: RecordProblem) -> RecordRows:
    rows = RecordRows(record_id=problem.record_id or "", paper=None)
    rows.rejects.append(problem_row(problem))
    return rows


def _guarded(
    read: Callable[[], Iterable[RawRecord | RecordProblem]],
    rejected: Callable[[str, str], dict[str, Any]],
) -> Iterator[RawRecord | RecordProblem | dict[str, Any]]:
    """A reader's records; a reader that stops on a problem ends the file with a reject."""
    try:
        yield from read()
    except InputRejectedError as exc:
        yield rejected(exc.reason, exc.detail)
    except OSError as exc:
        yield rejected("read_error", f"reading stopped: {exc.strerror or exc}")
    except Exception as exc:  # a reader's bug must not cost the rest of the run
        yield rejected("reader_error", f"the reader failed: {type(exc).__name__}: {exc}")


def _field_link_classifier(pipe: Pipeline) -> Callable[[FieldLink], FieldLink]:
    """Decides the kind of links from free-text fields with the pipeline's link rules."""
    from .nlp.components import LinksComponent

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


# --- here: the shards of each input, checked, counted and merged ---------------------------


def _complete(
    shards: Iterable[ShardResult],
    planner: Planner,
    engine: Engine,
    seen: Callable[[ShardResult], None],
) -> Iterator[list[ShardResult]]:
    """Shard results in input order, the parts of an input cut in several together.

    The parts of an input must fit together: each ends where the next begins, and none
    gave up on the file. Otherwise (a record ran past a cut in a badly quoted CSV file,
    or the reader failed in one part) the input is read again in one piece, which
    handles it as it always does, so the result never depends on where it was cut.
    """
    parts: list[ShardResult] = []
    for result in shards:
        seen(result)
        if not result.split:
            yield [result]
            continue
        parts.append(result)
        piece = result.pieces[0]
        if piece.part < piece.parts - 1:
            continue
        pieces = [part.pieces[0] for part in parts]
        fits = all(p.span is not None and p.file_reject is None for p in pieces) and all(
            before.span is not None and before.span["stop"] == after.start
            for before, after in pairwise(pieces)
        )
        if fits:
            yield parts
        else:
            whole = planner.whole_task(piece.input)
            yield [engine.run(whole) if isinstance(whole, ShardTask) else whole]
        parts = []


def _placed(shards: list[ShardResult]) -> Iterator[tuple[ShardResult, Offsets]]:
    """Each shard with what came before it in its input (nothing, unless it is a part
    of an input cut in several)."""
    records = lines = chars = 0
    for result in shards:
        yield result, Offsets(records, lines, chars)
        span = result.pieces[0].span if result.split else None
        if span is not None:
            records += span["records"]
            lines += span["lines"]
            chars += span["chars"]


@dataclass
class Committed:
    """A shard after phase 1: where it sits in its input, and each valid record's group
    (``g`` for the first record of group ``g``, ``-1 - g`` for a later one), in order."""

    result: ShardResult
    offsets: Offsets
    groups: array[int]


def _commit(
    result: ShardResult,
    offsets: Offsets,
    entries: list[InputEntry],
    merger: Merger,
    counts: Counter[str],
) -> Committed:
    """Phase 1 for one shard: count it, and find every valid record's paper."""
    groups: array[int] = array("q")
    later: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # by segment
    keys = _keys(result)
    for piece in result.pieces:
        entry = entries[piece.input]
        entry.records += piece.records
        entry.rejected += piece.rejected
        counts["records_in"] += piece.records
        counts["rejected_records"] += piece.rejected
        if piece.file_reject is not None and entry.outcome != "rejected":
            entry.outcome, entry.reason = "rejected", piece.file_reject[0]
        for segment, index, arxiv_id, key in islice(keys, piece.valid):
            group, first = merger.assign(arxiv_id, key)
            if first:
                entry.papers += 1
                groups.append(group)
            else:
                entry.merged += 1
                counts["merged_records"] += 1
                later[segment].append((index, group, merger.seq))
                groups.append(-1 - group)
    for segment, appearances in later.items():  # kept until their paper is written
        papers, children = _rows_of(placed_tables(result, segment, offsets))
        for index, group, seq in appearances:
            merger.keep(group, seq, _appearance(index, papers, children))
    return Committed(result, offsets, groups)


def _keys(result: ShardResult) -> Iterator[tuple[int, int, str | None, int]]:
    """(segment, index in it, arXiv id, title key) of every valid record of a shard."""
    for segment, content in enumerate(result.segments):
        if content["valid"]:
            keys = read_table(result, segment, "papers", ["arxiv_id", TITLE_KEY])
            pairs = zip(keys.column(0).to_pylist(), keys.column(1).to_pylist(), strict=True)
            for index, (arxiv_id, key) in enumerate(pairs):
                yield segment, index, arxiv_id, key


def _rows_of(
    tables: dict[str, pa.Table],
) -> tuple[list[dict[str, Any]], dict[str, dict[int, list[dict[str, Any]]]]]:
    """A segment's papers rows, and its child rows by the index of their paper."""
    papers = tables["papers"].drop_columns([TITLE_KEY]).to_pylist()
    children: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for table in CHILD_TABLES:
        by_paper: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in tables[table].to_pylist():
            by_paper[row.pop(REC)].append(row)
        children[table] = by_paper
    return papers, children


def _appearance(
    index: int, papers: list[dict[str, Any]], children: dict[str, dict[int, list[dict[str, Any]]]]
) -> dict[str, Any]:
    return {
        "paper": papers[index],
        "children": {table: children[table].get(index, []) for table in CHILD_TABLES},
    }


def _write_shard(shard: Committed, merger: Merger, writer: DatasetWriter) -> None:
    """Phase 2 for one shard: its rejects, and the rows of every paper first seen in it."""
    start = 0
    for segment, content in enumerate(shard.result.segments):
        tables = placed_tables(shard.result, segment, shard.offsets)
        groups = shard.groups[start : start + content["valid"]]
        start += content["valid"]
        writer.add_table("rejects", tables["rejects"])
        _write_papers(tables, groups, merger, writer)


def _write_papers(
    tables: dict[str, pa.Table], groups: array[int], merger: Merger, writer: DatasetWriter
) -> None:
    """The rows of the papers first seen in a segment, each merged with its later
    appearances; a segment whose papers were all seen once is copied as it is."""
    if any(g >= 0 and merger.shared(g) for g in groups):
        _write_merged(tables, groups, merger, writer)
    else:
        _write_as_they_are(tables, groups, writer)


def _write_as_they_are(
    tables: dict[str, pa.Table], groups: array[int], writer: DatasetWriter
) -> None:
    """Papers seen once: their rows go out as they are (a later appearance of an earlier
    paper is left out), without a Python object per row."""
    import pyarrow as pa

    keep = pa.array([g >= 0 for g in groups], type=pa.bool_())
    everything = keep.false_count == 0
    papers = tables["papers"] if everything else tables["papers"].filter(keep)
    writer.add_table("papers", papers)
    for table in CHILD_TABLES:
        rows = tables[table]
        writer.add_table(table, rows if everything else rows.filter(keep.take(rows[REC])))
    writer.add_table("appearances", _single_appearances(papers))


def _write_merged(
    tables: dict[str, pa.Table], groups: array[int], merger: Merger, writer: DatasetWriter
) -> None:
    """Every paper through :func:`~extract.merge.merge_group`, with its later
    appearances when it has some."""
    papers, children = _rows_of(tables)
    out: dict[str, list[dict[str, Any]]] = {
        table: [] for table in ("papers", *CHILD_TABLES, "appearances")
    }
    for index, group in enumerate(groups):
        if group < 0:
            continue  # written with the first appearance of its paper
        first = _appearance(index, papers, children)
        merged = merger.merged(group, first) if merger.shared(group) else merge_group([first])
        out["papers"].append(merged.paper)
        for table in CHILD_TABLES:
            out[table].extend(merged.children.get(table, []))
        out["appearances"].extend(merged.appearances)
    for table, rows in out.items():
        writer.add(table, rows)


def _single_appearances(papers: pa.Table) -> pa.Table:
    """The appearances rows of papers seen once: each paper's own fields, primary."""
    import pyarrow as pa

    from .schema import arrow_schema

    schema = arrow_schema(Appearance)
    columns = [
        pa.array([True] * papers.num_rows, pa.bool_()) if name == "primary" else papers[name]
        for name in schema.names
    ]
    return pa.Table.from_arrays(columns, schema=schema)


# --- timing ------------------------------------------------------------------------------


class Stopwatch:
    """Seconds spent per stage, added up."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self._seconds[stage] += time.perf_counter() - began

    def timed(self, stage: str, items: Iterable[Any]) -> Iterator[Any]:
        """``items``, with the time spent producing them counted to ``stage``."""
        source = iter(items)
        while True:
            with self(stage):
                item = next(source, _END)
            if item is _END:
                return
            yield item

    def add(self, seconds: Mapping[str, float]) -> None:
        for stage, spent in seconds.items():
            self._seconds[stage] += spent

    def totals(self) -> dict[str, float]:
        return dict(self._seconds)

    def rounded(self) -> dict[str, float]:
        return {stage: round(spent, 3) for stage, spent in sorted(self._seconds.items())}


_END = object()


# --- sizing ---------------------------------------------------------------------------------


def _input_bytes(sources: Sequence[Source | SkippedInput]) -> int:
    total = 0
    for source in sources:
        if isinstance(source, Source) and source.path is not None:
            with suppress(OSError):
                total += source.path.stat().st_size
    return total


def _most_shards(sources: Sequence[Source | SkippedInput], shard_bytes: int) -> int:
    """At most how many shards the inputs make (from their sizes, before any is read)."""
    most = 0
    for source in sources:
        size = 0
        if isinstance(source, Source) and source.path is not None:
            try:
                size = source.path.stat().st_size
            except OSError:
                size = 0
        most += max(1, -(-size // max(1, shard_bytes)))
    return most


__all__ = ["ExtractError", "RunSummary", "default_output", "process_shard", "run"]
