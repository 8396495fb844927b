"""Shards: the unit of work every engine maps, and the files a shard's rows wait in.

A shard is a run of records, cut after every input was read and split into records
(see :mod:`extract.plan`): the records of one large input make many shards, and small
inputs share one. A :class:`ShardTask` carries its records to whichever process does the
work (:func:`extract.work.process_shard`), which writes the shard's rows as Arrow
files into a folder named by a digest of everything that decides them: each piece's
content, name, format and record range, the read options, the pipeline version and the
tool version. The folder is written under a temporary name and renamed when complete,
so a retried task finds the result of an earlier attempt, a killed run leaves no half
result under a real name, and an incremental run finds what the last run computed.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExtractError, writing
from .models import Benchmark, Claim, Link, Paper, Reject, Row
from .records import Item

if TYPE_CHECKING:  # pyarrow is imported only where shard rows are written or read
    import pyarrow as pa

#: At most this many inputs share a shard.
MAX_PIECES = 64
#: Changes whenever what a shard folder holds changes, so old cached results are unused.
RESULT_VERSION = "5"
META = "meta.json"
#: The tables a shard writes, and their models.
SHARD_MODELS: dict[str, type[Row]] = {
    "papers": Paper,
    "links": Link,
    "benchmarks": Benchmark,
    "claims": Claim,
    "rejects": Reject,
}
#: The tables whose rows belong to a paper row.
CHILD_TABLES = ("links", "benchmarks", "claims")
#: Columns a shard adds to the published ones: the valid record a child row belongs to
#: (its index among the segment's papers rows), and the title key the merge looks up.
REC = "_rec"
TITLE_KEY = "_title_key"
_TMP_PREFIX = ".tmp-"
#: The detail of a file rejected because it was written to while the run read it.
CHANGED = "the file changed while the run was reading it; run again once it is no longer written"


@dataclass(frozen=True)
class Identity:
    """What the planner saw of a file, to notice that it changed while it was read."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, fd: int) -> Identity:
        st = os.fstat(fd)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Piece:
    """The records ``[start, stop)`` of one input (numbered from 0 in reading order)."""

    input: int  #: the input's index in sorted input order
    source: str  #: the input as the user gave it (the rows' ``source``)
    start: int
    stop: int


@dataclass(frozen=True)
class ShardTask:
    """One shard to process: its pieces with their records, and the pipeline to use."""

    key: str  #: digest of everything that decides the result; names its folder
    pieces: tuple[Piece, ...]
    #: each piece's items, in order (fewer than its range when the input changed)
    items: tuple[tuple[Item, ...], ...]
    pipeline: str  #: the pipeline folder
    pipeline_version: str
    results: str  #: the folder shard results are written to

    @property
    def folder(self) -> Path:
        return Path(self.results) / self.key

    @property
    def records(self) -> int:
        return sum(len(items) for items in self.items)


def task_key(fields: Mapping[str, Any]) -> str:
    """A shard's name: a digest of the fields that decide its result."""
    text = json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class PieceResult:
    """What processing one piece gave."""

    records: int = 0  #: input records read
    rejected: int = 0  #: of them, records rejected
    valid: int = 0  #: of them, records with a papers row (the shard's rows, in order)
    reasons: dict[str, int] = field(default_factory=dict)  #: reject rows by reason
    #: (reason, detail) when the input as a whole could not be (fully) read
    file_reject: tuple[str, str] | None = None
    input: int = 0  #: the run's own field: the input's index in this run


@dataclass
class ShardResult:
    """What processing a shard gave: counts per piece, the merge keys of its valid
    records, and the folder its rows wait in.

    Everything but the run's own fields is stored beside the rows, so a later run can
    use the result without the work.
    """

    key: str
    pieces: list[PieceResult] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  #: rows written, by table
    #: the rows in segments: valid records and rows by table of each
    segments: list[dict[str, Any]] = field(default_factory=list)
    #: (arXiv id, title key) of every valid record, in order: what the merge looks up
    keys: list[tuple[str | None, int]] = field(default_factory=list)
    #: seconds spent per stage (extract, validate, write)
    timings: dict[str, float] = field(default_factory=dict)
    #: False when an outcome depends on the file system at the time (a file vanished)
    reusable: bool = True
    #: sha256 of each file of rows in the folder, checked before the result is reused
    files: dict[str, str] = field(default_factory=dict)
    # the run's own fields
    folder: str | None = None
    cached: bool = False

    @property
    def records(self) -> int:
        return sum(piece.records for piece in self.pieces)

    @property
    def rejected(self) -> int:
        return sum(p.rejected + (1 if p.file_reject else 0) for p in self.pieces)

    def placed(self, task: ShardTask, *, cached: bool = False) -> ShardResult:
        """This result as the answer to ``task`` of this run."""
        pieces = [
            replace(result, input=piece.input)
            for result, piece in zip(self.pieces, task.pieces, strict=True)
        ]
        return replace(self, pieces=pieces, folder=str(task.folder), cached=cached)

    def to_json(self) -> str:
        stored = asdict(self)
        del stored["folder"], stored["cached"]
        for piece in stored["pieces"]:
            del piece["input"]
        return json.dumps(stored, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ShardResult:
        data = json.loads(text)
        pieces = []
        for piece in data.pop("pieces"):
            if piece.get("file_reject") is not None:
                piece["file_reject"] = tuple(piece["file_reject"])
            pieces.append(PieceResult(**piece))
        keys = [(arxiv_id, key) for arxiv_id, key in data.pop("keys")]
        return cls(pieces=pieces, keys=keys, **data)


def load_result(folder: Path) -> ShardResult | None:
    """The result stored in a shard folder, or None when there is none, or it is not one
    this version wrote whole (unreadable, of another shape, its row files missing or
    changed): such a folder is computed again, never trusted."""
    try:
        result = ShardResult.from_json((folder / META).read_text(encoding="utf-8"))
        if result.key != folder.name or not _intact(folder, result):
            return None
        return result
    except Exception:  # whatever is wrong with it, the shard is simply computed again
        return None


def _intact(folder: Path, result: ShardResult) -> bool:
    """Whether the row files a result names are all there, each with the content it had."""
    expected = {
        rows_file(table, index)
        for index, segment in enumerate(result.segments)
        for table in segment["rows"]
    }
    if set(result.files) != expected:
        return False
    return all(_file_digest(folder / name) == digest for name, digest in result.files.items())


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


# --- shard files ---------------------------------------------------------------------
#
# A worker writes its rows as Arrow IPC files, one per table and segment, a record batch
# per batch of records, each batch built against the table's Arrow schema (so a row the
# schema cannot hold fails in the worker, like a row its model refuses). The process
# that merges and writes reads them back as Arrow tables of the tables' types without
# parsing anything: the rows change form once (validated dicts -> Arrow) between the
# models and the Parquet files. A shard's rows are cut into segments of at most
# SEGMENT_RECORDS records, so the merging process holds one segment at a time however
# large a shard.

#: Valid records per segment of a shard's rows.
SEGMENT_RECORDS = 4096
#: The suffix of a shard's row files (Arrow IPC, the file format).
ROWS_SUFFIX = ".arrow"


def rows_file(table: str, segment: int) -> str:
    """The name of one table's rows of one segment, in a shard's folder."""
    return f"{table}-{segment}{ROWS_SUFFIX}"


class ShardWriter:
    """Writes one shard's rows, batch by batch, into a folder renamed when complete."""

    def __init__(self, results: Path, key: str):
        self.final = results / key
        self.tmp = results / f"{_TMP_PREFIX}{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.tmp.mkdir(parents=True)
        self.segments: list[dict[str, Any]] = []
        self._files: dict[str, Any] = {}  # table -> (sink, IPC writer) of this segment
        self._next_segment()

    def _close_files(self) -> None:
        for name, (sink, ipc) in self._files.items():
            with writing(self.tmp / name):
                ipc.close()
                sink.close()
        self._files = {}

    def _next_segment(self) -> None:
        self._close_files()
        self.segments.append({"valid": 0, "rows": {}})

    @property
    def rec(self) -> int:
        """The index the next papers row gets in its segment (a child row's ``_rec``)."""
        return int(self.segments[-1]["valid"])

    def write(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows of one table (dicts with exactly the table's shard columns), appended to
        the segment's file as one record batch."""
        import pyarrow as pa

        if not rows:
            return
        segment = self.segments[-1]
        schema = shard_schema(table)
        name = rows_file(table, len(self.segments) - 1)
        if set(rows[0]) != set(schema.names):  # the models and the schema drifted apart
            raise ValueError(
                f"{table} rows have the columns {sorted(rows[0])}, the shard schema "
                f"{sorted(schema.names)}"
            )
        batch = pa.RecordBatch.from_pylist(rows, schema=schema)
        with writing(self.tmp / name):
            opened = self._files.get(name)
            if opened is None:
                sink = pa.OSFile(str(self.tmp / name), "wb")
                opened = self._files[name] = (sink, pa.ipc.new_file(sink, schema))
            opened[1].write_batch(batch)
        segment["rows"][table] = segment["rows"].get(table, 0) + len(rows)
        if table == "papers":
            segment["valid"] += len(rows)

    def end_batch(self) -> None:
        """A batch of records is written: start a new segment when this one is full."""
        if self.rec >= SEGMENT_RECORDS:
            self._next_segment()

    def commit(self, result: ShardResult) -> ShardResult:
        """Close the files, store the result beside them, and give the folder its name.

        When another attempt at the same shard got there first, its result is kept:
        both computed the same rows.
        """
        self._close_files()
        if len(self.segments) > 1 and not self.segments[-1]["rows"]:
            self.segments.pop()  # opened after a full segment, and nothing came
        result.segments = self.segments
        result.rows = {}
        for segment in result.segments:
            for table, count in segment["rows"].items():
                result.rows[table] = result.rows.get(table, 0) + count
        result.files = {
            path.name: _file_digest(path) or "" for path in sorted(self.tmp.glob(f"*{ROWS_SUFFIX}"))
        }
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
        for sink, ipc in self._files.values():
            with contextlib.suppress(Exception):
                ipc.close()
            with contextlib.suppress(Exception):
                sink.close()
        self._files = {}
        shutil.rmtree(self.tmp, ignore_errors=True)


@functools.cache
def shard_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table in a shard folder: the published columns and ours."""
    import pyarrow as pa

    from .schema import arrow_schema

    schema = arrow_schema(SHARD_MODELS[table])
    if table == "papers":
        return schema.append(pa.field(TITLE_KEY, pa.int64(), nullable=False))
    if table == "rejects":
        return schema
    return schema.append(pa.field(REC, pa.int32(), nullable=False))


def read_table(result: ShardResult, segment: int, table: str) -> pa.Table:
    """One table of one segment of a shard, as written."""
    import pyarrow as pa

    schema = shard_schema(table)
    assert result.folder is not None
    if table not in result.segments[segment]["rows"]:
        return schema.empty_table()
    path = Path(result.folder) / rows_file(table, segment)
    with writing(path), pa.OSFile(str(path), "rb") as source:
        loaded = pa.ipc.open_file(source).read_all()
    if not loaded.schema.equals(schema):  # pragma: no cover - the files are checked
        raise ValueError(f"{path}: rows of another schema")
    return loaded


def read_segment(result: ShardResult, segment: int) -> dict[str, pa.Table]:
    """Every table of one segment of a shard."""
    return {table: read_table(result, segment, table) for table in SHARD_MODELS}


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


# --- what an incremental run remembers of an input ------------------------------------


def count_file(folder: Path, key: str) -> Path:
    """Where the cache keeps how many records an input (by ``key``) gave."""
    return folder / f"count-{key}"


def load_count(folder: Path, key: str) -> int | None:
    """The record count stored for ``key``, or None when there is none or it is not
    one this version wrote whole (then the input is read and counted again)."""
    try:
        stored = json.loads(count_file(folder, key).read_text(encoding="utf-8"))
        value = stored["records"]
        if stored["key"] != key or not isinstance(value, int) or value < 0:
            return None
        return value
    except Exception:  # whatever is wrong with it, the input is simply read again
        return None


def store_count(folder: Path, key: str, records: int) -> None:
    """Written under a temporary name and renamed, like a shard result."""
    final = count_file(folder, key)
    tmp = folder / f"{_TMP_PREFIX}{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps({"key": key, "records": records}), encoding="utf-8")
    os.replace(tmp, final)
