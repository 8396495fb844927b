"""Shards: the unit of work every engine maps, and the files a shard's rows wait in.

An input is one shard; when its format can be cut (JSON Lines, CSV), it is UTF-8 and it
is larger than the shard size, it is several shards of about that many bytes, cut at
line starts, so one large dump keeps every worker busy. The plan depends only on the
inputs and the shard size, never on the number of workers, and the output does not
depend on the plan (see :mod:`extract.pipeline`).

A shard is processed anywhere (this process, a pool worker, a Dask worker) by
:func:`extract.pipeline.process_shard`, which writes its rows as Arrow IPC files into a
folder named by a digest of everything that decides them: the input's content and
name, the byte range, the format, the read options, the pipeline version and the tool
version. The folder is written under a temporary name and renamed when complete, so a
retried task finds the result of an earlier attempt, a killed run leaves no half
result under a real name, and an incremental run finds what the last run computed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import __version__
from .errors import ExtractError
from .formats import Format, ReadOptions, detect
from .models import Benchmark, Claim, InputEntry, Link, Paper, Reject, Row
from .read import SkippedInput, Source, fingerprint, head, text_encoding
from .records import InputRejectedError
from .schema import arrow_schema
from .validate import file_reject

#: Bytes per shard of a file that can be cut. Small enough that the last shards of a
#: run do not leave a worker idle for long, large enough that a shard's fixed costs
#: (a task, six small files) do not matter.
SHARD_BYTES = 1 << 20
#: Changes whenever what a shard folder holds changes, so old cached results are unused.
RESULT_VERSION = "1"
META = "meta.json"
#: The tables a shard writes, and their models.
SHARD_MODELS: dict[str, type[Row]] = {
    "papers": Paper,
    "links": Link,
    "benchmarks": Benchmark,
    "claims": Claim,
    "rejects": Reject,
}
#: Columns a shard adds to the published ones: the valid record a child row belongs to
#: (its index among the shard's papers rows), and the title key the merge looks up.
REC = "_rec"
TITLE_KEY = "_title_key"
_TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class Identity:
    """What the planner saw of a file; a worker reading it by path checks it is the same."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, fd: int) -> Identity:
        st = os.fstat(fd)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class ShardTask:
    """One shard to process: a whole input, or the records of a byte range of it."""

    key: str  #: digest of everything that decides the result; names its folder
    input: int  #: the input's index in sorted input order
    part: int  #: this shard's number within the input
    parts: int  #: how many shards the input has
    source: str  #: the input as the user gave it (the rows' ``source``)
    path: str  #: the file to read
    format: str
    year: int | None
    columns: tuple[tuple[str, str], ...]
    pipeline: str  #: the pipeline folder
    pipeline_version: str
    results: str  #: the folder shard results are written to
    start: int = 0
    end: int | None = None  #: None: the whole file
    size: int = 0  #: bytes this shard covers
    identity: Identity | None = None
    #: the planner's open file, for a shard processed in the planning process
    opened: Source | None = field(default=None, compare=False, repr=False)

    @property
    def options(self) -> ReadOptions:
        return ReadOptions(year=self.year, columns=dict(self.columns))

    @property
    def folder(self) -> Path:
        return Path(self.results) / self.key

    def portable(self) -> ShardTask:
        """This task without the open file, to send to another process."""
        return replace(self, opened=None)


def task_key(fields: Mapping[str, Any]) -> str:
    """A shard's name: a digest of the fields that decide its result."""
    text = json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class ShardResult:
    """What processing a shard gave: counts, and the folder its rows wait in.

    Everything but the run's own fields (``input``, ``part``, ``parts``, ``cached``)
    is stored beside the rows, so a later run can use the result without the work.
    """

    key: str
    records: int = 0  #: input records read
    rejected: int = 0  #: of them, records rejected (the rest have a papers row)
    rows: dict[str, int] = field(default_factory=dict)  #: rows written, by table
    reasons: dict[str, int] = field(default_factory=dict)  #: reject rows by reason
    #: (reason, detail) when the input as a whole could not be (fully) read
    file_reject: tuple[str, str] | None = None
    #: for a shard of a byte range: records, lines, chars read from its start, and stop
    span: dict[str, int] | None = None
    start: int = 0
    end: int | None = None
    #: seconds spent per stage (read, extract, validate, write)
    timings: dict[str, float] = field(default_factory=dict)
    reusable: bool = True
    # the run's own fields
    input: int = 0
    part: int = 0
    parts: int = 1
    size: int = 0
    folder: str | None = None  #: None: nothing was written (a file rejected in planning)
    cached: bool = False
    inline_rejects: list[dict[str, Any]] = field(default_factory=list)

    def placed(self, task: ShardTask, *, cached: bool = False) -> ShardResult:
        """This result as the answer to ``task`` of this run."""
        return replace(
            self,
            input=task.input,
            part=task.part,
            parts=task.parts,
            size=task.size,
            folder=str(task.folder),
            cached=cached,
        )

    def to_json(self) -> str:
        stored = {k: v for k, v in asdict(self).items() if k not in _RUN_FIELDS}
        return json.dumps(stored, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ShardResult:
        data = json.loads(text)
        if data.get("file_reject") is not None:
            data["file_reject"] = tuple(data["file_reject"])
        return cls(**data)


_RUN_FIELDS = {"input", "part", "parts", "size", "folder", "cached", "inline_rejects"}


def load_result(folder: Path) -> ShardResult | None:
    """The result stored in a shard folder, or None when there is none (or unreadable)."""
    try:
        return ShardResult.from_json((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None


# --- planning ---------------------------------------------------------------------------


class Planner:
    """Turns inputs into shard tasks, in input order, and the manifest entry of each.

    Each input is opened once (its descriptor stays open while its shards are handed
    out, so a shard processed here reads the very file that was hashed), hashed,
    its format detected and its cut points found. An input that cannot be read at all
    becomes a finished result holding its reject row. With a cache, a shard whose
    result a previous run stored is handed out as that result.
    """

    def __init__(
        self,
        sources: Sequence[Source | SkippedInput],
        *,
        forced: Format | None,
        options: ReadOptions,
        pipeline: Path,
        pipeline_version: str,
        results: Path,
        scratch: Path,
        shard_bytes: int = SHARD_BYTES,
        reuse: bool = False,
    ):
        self.sources = sources
        self.forced = forced
        self.options = options
        self.pipeline = pipeline
        self.pipeline_version = pipeline_version
        self.results = results
        self.scratch = scratch
        self.shard_bytes = max(1, shard_bytes)
        self.reuse = reuse
        self.entries: list[InputEntry] = []
        self.used: set[str] = set()  #: keys of every shard of this run
        self._first: dict[int, ShardTask] = {}  # the first task of inputs cut in parts

    def items(self) -> Iterator[ShardTask | ShardResult]:
        for index, source in enumerate(self.sources):
            yield from self._plan(index, source)

    def _plan(self, index: int, source: Source | SkippedInput) -> Iterator[ShardTask | ShardResult]:
        entry = InputEntry(
            path=source.name, sha256=None, bytes=0, format=None, records=0, outcome="read"
        )
        self.entries.append(entry)

        def rejected(reason: str, detail: str) -> ShardResult:
            entry.outcome, entry.reason = "rejected", reason
            row = file_reject(source.name, reason, detail)
            return ShardResult(
                key="",
                records=0,
                reasons={reason: 1},
                file_reject=(reason, detail),
                input=index,
                inline_rejects=[row],
                reusable=False,
            )

        if isinstance(source, SkippedInput):
            yield rejected(source.reason, source.detail)
            return
        if source.fd is not None:
            source = self._spooled(source)
        try:
            with source.pinned() as pinned:
                entry.sha256, entry.bytes = fingerprint(pinned)
                first = head(pinned)
                fmt, why = (self.forced, "") if self.forced else detect(first, pinned.file_name)
                if fmt is None:
                    yield rejected("empty" if entry.bytes == 0 else "unrecognised", why)
                    return
                entry.format = fmt.name
                identity = Identity.of(pinned.fd) if pinned.fd is not None else None
                bounds = self._bounds(pinned, fmt, entry.bytes, first)
                yield from self._tasks(index, pinned, fmt, entry, bounds, identity)
        except FileNotFoundError:
            yield rejected("vanished", "the file disappeared before it could be read")
        except InputRejectedError as exc:
            yield rejected(exc.reason, exc.detail)
        except OSError as exc:
            yield rejected("unreadable", exc.strerror or str(exc))

    def _spooled(self, source: Source) -> Source:
        """Standard input as a file in the run's folder, so any worker can read it."""
        path = self.scratch / "stdin"
        with source.open() as data, path.open("wb") as out:
            shutil.copyfileobj(data, out, 1 << 16)
        return Source(name=source.name, path=path)

    def _bounds(self, source: Source, fmt: Format, size: int, first: bytes) -> list[int]:
        """Where the input's shards start, and its end."""
        if (
            fmt.cut is None
            or fmt.read_range is None
            or size <= self.shard_bytes
            or text_encoding(first) != "utf-8"
        ):
            return [0, size]
        targets = list(range(self.shard_bytes, size, self.shard_bytes))
        cuts = [c for c in fmt.cut(source, size, targets) if 0 < c < size]
        return [0, *sorted(set(cuts)), size]

    def _tasks(
        self,
        index: int,
        source: Source,
        fmt: Format,
        entry: InputEntry,
        bounds: list[int],
        identity: Identity | None,
    ) -> Iterator[ShardTask | ShardResult]:
        base = {
            "result": RESULT_VERSION,
            "tool": __version__,
            "pipeline": self.pipeline_version,
            "source": source.name,
            "sha256": entry.sha256,
            "format": fmt.name,
            "year": self.options.year,
            "columns": sorted(self.options.columns.items()),
        }
        parts = len(bounds) - 1
        for part in range(parts):
            start, end = bounds[part], bounds[part + 1]
            whole = parts == 1
            key = task_key({**base, "start": start, "end": None if whole else end})
            task = ShardTask(
                key=key,
                input=index,
                part=part,
                parts=parts,
                source=source.name,
                path=str(source.path),
                format=fmt.name,
                year=self.options.year,
                columns=tuple(sorted(self.options.columns.items())),
                pipeline=str(self.pipeline),
                pipeline_version=self.pipeline_version,
                results=str(self.results),
                start=start,
                end=None if whole else end,
                size=end - start,
                identity=identity,
                opened=source,
            )
            self.used.add(key)
            if part == 0 and parts > 1:
                self._first[index] = task
            cached = load_result(task.folder) if self.reuse else None
            if cached is not None and cached.reusable:
                yield cached.placed(task, cached=True)
                continue
            if task.folder.exists():
                shutil.rmtree(task.folder, ignore_errors=True)
            yield task

    def whole_task(self, index: int) -> ShardTask:
        """The task that reads all of input ``index`` at once (when its parts disagree)."""
        task = self._first[index]
        entry = self.entries[index]
        fields = {
            "result": RESULT_VERSION,
            "tool": __version__,
            "pipeline": self.pipeline_version,
            "source": task.source,
            "sha256": entry.sha256,
            "format": task.format,
            "year": task.year,
            "columns": [list(c) for c in task.columns],
            "start": 0,
            "end": None,
        }
        key = task_key(fields)
        self.used.add(key)
        folder = Path(task.results) / key
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        return replace(task, key=key, part=0, parts=1, start=0, end=None, size=entry.bytes)


# --- shard files --------------------------------------------------------------------


def shard_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table in a shard folder: the published columns and ours."""
    schema = arrow_schema(SHARD_MODELS[table])
    if table == "papers":
        return schema.append(pa.field(TITLE_KEY, pa.int64(), nullable=False))
    if table == "rejects":
        return schema
    return schema.append(pa.field(REC, pa.int32(), nullable=False))


_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


class ShardWriter:
    """Writes one shard's rows, batch by batch, into a folder renamed when complete."""

    def __init__(self, results: Path, key: str):
        self.final = results / key
        self.tmp = results / f"{_TMP_PREFIX}{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.tmp.mkdir(parents=True)
        self._writers: dict[str, pa.ipc.RecordBatchFileWriter] = {}
        self.rows: dict[str, int] = dict.fromkeys(SHARD_MODELS, 0)

    def write(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        schema = shard_schema(table)
        writer = self._writers.get(table)
        if writer is None:
            writer = pa.ipc.new_file(self.tmp / f"{table}.arrow", schema, options=_IPC_OPTIONS)
            self._writers[table] = writer
        writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=schema))
        self.rows[table] += len(rows)

    def commit(self, result: ShardResult) -> ShardResult:
        """Close the files, store the result beside them, and give the folder its name.

        When another attempt at the same shard got there first, its result is kept:
        both computed the same rows.
        """
        for table in SHARD_MODELS:
            if table not in self._writers:
                self._writers[table] = pa.ipc.new_file(
                    self.tmp / f"{table}.arrow", shard_schema(table), options=_IPC_OPTIONS
                )
        for writer in self._writers.values():
            writer.close()
        result.rows = dict(self.rows)
        (self.tmp / META).write_text(result.to_json(), encoding="utf-8")
        try:
            os.rename(self.tmp, self.final)
        except OSError:
            existing = load_result(self.final)
            shutil.rmtree(self.tmp, ignore_errors=True)
            if existing is None:
                raise
            return existing
        return result

    def abort(self) -> None:
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass(frozen=True)
class Offsets:
    """What came before a shard in its input: added to its local counts."""

    records: int = 0
    lines: int = 0
    chars: int = 0

    @property
    def zero(self) -> bool:
        return not (self.records or self.lines or self.chars)


def read_table(result: ShardResult, table: str, columns: list[str] | None = None) -> pa.Table:
    """One table of a shard, as written (local positions)."""
    assert result.folder is not None
    path = Path(result.folder) / f"{table}.arrow"
    with pa.memory_map(str(path)) as source:
        loaded = pa.ipc.open_file(source).read_all()
    return loaded.select(columns) if columns is not None else loaded


def placed_tables(result: ShardResult, offsets: Offsets) -> dict[str, pa.Table]:
    """Every table of a shard with positions, lines and character offsets made whole-file."""
    tables = {table: read_table(result, table) for table in SHARD_MODELS}
    if offsets.zero:
        return tables
    papers = tables["papers"]
    for name, amount in (("position", offsets.records), ("start", offsets.chars)):
        papers = _shifted(papers, name, amount)
    tables["papers"] = _shifted(papers, "end", offsets.chars)
    rejects = _shifted(tables["rejects"], "position", offsets.records)
    tables["rejects"] = _shifted(rejects, "line", offsets.lines)
    return tables


def _shifted(table: pa.Table, column: str, amount: int) -> pa.Table:
    if not amount or table.num_rows == 0:
        return table
    import pyarrow.compute as pc

    index = table.schema.get_field_index(column)
    shifted = pc.add(table.column(index), pa.scalar(amount, table.schema.field(index).type))
    return table.set_column(index, table.schema.field(index), shifted)


# --- where results live -----------------------------------------------------------------


def default_cache_dir(output: Path) -> Path:
    """The incremental cache of a dataset: a hidden folder beside it, never inside it."""
    return output.parent / f".extract-cache-{output.name}"


@contextlib.contextmanager
def results_folder(folder: Path, *, cache: bool) -> Iterator[Path]:
    """The folder shard results are written to for one run.

    For a cache, the folder is locked for the run (a second run on the same cache waits
    for nothing: it stops with a message), and temporary folders of killed runs are
    removed; results are kept. Otherwise the folder is the run's own and removed after.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if not cache:
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    lock = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ExtractError(
                "another extract run is using this cache", where=str(folder)
            ) from None
        for stale in folder.glob(f"{_TMP_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield folder
    finally:
        os.close(lock)


def prune(folder: Path, keep: set[str]) -> int:
    """Remove cached results this run did not use (inputs gone or changed); how many."""
    removed = 0
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name in keep:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed
