"""Shards: the unit of work every engine maps, and the files a shard's rows wait in.

A shard is a list of pieces, each a whole input or a byte range of one:

* an input whose format can be cut (JSON Lines, CSV), in UTF-8 and larger than the shard
  size is cut at line starts into parts of about that size, each part a shard of its
  own, so one large dump keeps every worker busy;
* other inputs are read whole, and consecutive small ones share a shard, so a folder of
  thousands of one-paper files is not thousands of tasks. A group ends after an input
  whose content hash, read as a number in [0, 1), is below its share of the shard size:
  on average a group holds a shard's worth of bytes, and where a group ends depends on
  the inputs at its end only, so adding or changing one input changes one group and an
  incremental run redoes that group alone.

The plan depends only on the inputs and the shard size, never on the number of workers,
and the tables do not depend on the plan (see :mod:`extract.pipeline`).

A shard is processed anywhere (this process, a pool worker, a Dask worker) by
:func:`extract.pipeline.process_shard`, which writes its rows as Arrow IPC files into a
folder named by a digest of everything that decides them: each piece's content and
name, its byte range and format, the read options, the pipeline version and the tool
version. The folder is written under a temporary name and renamed when complete, so a
retried task finds the result of an earlier attempt, a killed run leaves no half result
under a real name, and an incremental run finds what the last run computed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .errors import ExtractError, writing
from .formats import Format, ReadOptions, detect
from .models import Benchmark, Claim, InputEntry, Link, Paper, Reject, Row
from .read import SkippedInput, Source, fingerprint, head, text_encoding
from .records import InputRejectedError

if TYPE_CHECKING:  # pyarrow is imported only where shard rows are read back
    import pyarrow as pa

#: Bytes per shard. Small enough that the last shards of a run do not leave a worker
#: idle for long, large enough that a shard's fixed costs (a task, a few small files)
#: do not matter.
SHARD_BYTES = 1 << 20
#: At most this many inputs share a shard (each is held open until it is read).
MAX_PIECES = 64
#: Changes whenever what a shard folder holds changes, so old cached results are unused.
RESULT_VERSION = "3"
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
#: The detail of a file rejected because it was written to while the run read it.
CHANGED = "the file changed while the run was reading it; run again once it is no longer written"


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
class Piece:
    """One input of a shard, or one byte range of an input."""

    input: int  #: the input's index in sorted input order
    source: str  #: the input as the user gave it (the rows' ``source``)
    path: str | None = None  #: the file to read
    format: str | None = None
    sha256: str | None = None
    part: int = 0  #: this range's number within the input
    parts: int = 1  #: how many ranges the input was cut into
    start: int = 0
    end: int | None = None  #: None: the whole file
    size: int = 0  #: bytes this piece covers
    identity: Identity | None = None
    #: an input rejected before it was read: only its reject row is written
    reject: tuple[str, str] | None = None
    #: the planner's open file, for a shard processed in the planning process
    opened: Source | None = field(default=None, compare=False, repr=False)

    def key_fields(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "start": self.start,
            "end": self.end,
            "reject": list(self.reject) if self.reject else None,
        }


@dataclass(frozen=True)
class ShardTask:
    """One shard to process: its pieces, and what every piece is read with."""

    key: str  #: digest of everything that decides the result; names its folder
    pieces: tuple[Piece, ...]
    year: int | None
    columns: tuple[tuple[str, str], ...]
    pipeline: str  #: the pipeline folder
    pipeline_version: str
    results: str  #: the folder shard results are written to

    @property
    def options(self) -> ReadOptions:
        return ReadOptions(year=self.year, columns=dict(self.columns))

    @property
    def folder(self) -> Path:
        return Path(self.results) / self.key

    @property
    def size(self) -> int:
        return sum(piece.size for piece in self.pieces)

    def portable(self) -> ShardTask:
        """This task without open files, to send to another process."""
        return replace(self, pieces=tuple(replace(p, opened=None) for p in self.pieces))


def task_key(fields: Mapping[str, Any]) -> str:
    """A shard's name: a digest of the fields that decide its result."""
    text = json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class PieceResult:
    """What reading one piece gave."""

    records: int = 0  #: input records read
    rejected: int = 0  #: of them, records rejected
    valid: int = 0  #: of them, records with a papers row (the shard's rows, in order)
    reasons: dict[str, int] = field(default_factory=dict)  #: reject rows by reason
    #: (reason, detail) when the input as a whole could not be (fully) read
    file_reject: tuple[str, str] | None = None
    #: for a byte range: records, lines, chars read from its start, and ``stop``
    span: dict[str, int] | None = None
    # the run's own fields, from the piece
    input: int = 0
    part: int = 0
    parts: int = 1
    start: int = 0
    size: int = 0


_PIECE_RUN_FIELDS = ("input", "part", "parts", "start", "size")


@dataclass
class ShardResult:
    """What processing a shard gave: counts per piece, and the folder its rows wait in.

    Everything but the run's own fields is stored beside the rows, so a later run can
    use the result without the work.
    """

    key: str
    pieces: list[PieceResult] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  #: rows written, by table
    #: the rows in segments: valid records and rows by table of each
    segments: list[dict[str, Any]] = field(default_factory=list)
    longest: int = 0  #: bytes of the longest row
    #: seconds spent per stage (read, extract, validate, write)
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

    @property
    def size(self) -> int:
        return sum(piece.size for piece in self.pieces)

    @property
    def split(self) -> bool:
        """Whether this shard is one part of an input cut in several."""
        return len(self.pieces) == 1 and self.pieces[0].parts > 1

    def placed(self, task: ShardTask, *, cached: bool = False) -> ShardResult:
        """This result as the answer to ``task`` of this run."""
        pieces = [
            replace(result, **{name: getattr(piece, name) for name in _PIECE_RUN_FIELDS})
            for result, piece in zip(self.pieces, task.pieces, strict=True)
        ]
        return replace(self, pieces=pieces, folder=str(task.folder), cached=cached)

    def to_json(self) -> str:
        stored = asdict(self)
        del stored["folder"], stored["cached"]
        for piece in stored["pieces"]:
            for name in _PIECE_RUN_FIELDS:
                del piece[name]
        return json.dumps(stored, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ShardResult:
        data = json.loads(text)
        pieces = []
        for piece in data.pop("pieces"):
            if piece.get("file_reject") is not None:
                piece["file_reject"] = tuple(piece["file_reject"])
            pieces.append(PieceResult(**piece))
        return cls(pieces=pieces, **data)


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
        f"{table}-{index}.jsonl"
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


# --- planning ---------------------------------------------------------------------------


class Planner:
    """Turns inputs into shard tasks, in input order, and the manifest entry of each.

    Each input is opened once and stays open until its shard is handed out and taken
    (so a shard processed in this process reads the very file that was hashed), hashed,
    its format detected and its cut points found. An input that cannot be read at all
    becomes a piece holding its reject row. With ``reuse``, a shard whose result an
    earlier run stored is handed out as that result.
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
        self._cut: dict[int, Piece] = {}  # the first piece of each input cut in parts

    def items(self) -> Iterator[ShardTask | ShardResult]:
        """Every shard, in input order: a task, or a result found in the cache."""
        group: list[Piece] = []
        held = ExitStack()
        try:
            for index, source in enumerate(self.sources):
                opened = ExitStack()
                pieces = self._plan(index, source, opened)
                held.push(opened.pop_all())
                if len(pieces) > 1:  # an input cut in parts: a shard per part
                    if group:
                        yield self._shard(group)
                        group = []
                    for piece in pieces:
                        yield self._shard([piece])
                    held.close()
                    continue
                group.extend(pieces)
                if self._ends_group(group):
                    yield self._shard(group)
                    group = []
                    held.close()
            if group:
                yield self._shard(group)
        finally:
            held.close()

    def _ends_group(self, group: list[Piece]) -> bool:
        last = group[-1]
        if len(group) >= MAX_PIECES or sum(p.size for p in group) >= 4 * self.shard_bytes:
            return True
        if last.sha256 is None:
            return False
        draw = int(last.sha256[:16], 16) / 2**64
        return draw < last.size / self.shard_bytes

    def _shard(self, pieces: list[Piece]) -> ShardTask | ShardResult:
        key = task_key(
            {
                "result": RESULT_VERSION,
                "tool": __version__,
                "pipeline": self.pipeline_version,
                "year": self.options.year,
                "columns": sorted(self.options.columns.items()),
                "pieces": [piece.key_fields() for piece in pieces],
            }
        )
        task = ShardTask(
            key=key,
            pieces=tuple(pieces),
            year=self.options.year,
            columns=tuple(sorted(self.options.columns.items())),
            pipeline=str(self.pipeline),
            pipeline_version=self.pipeline_version,
            results=str(self.results),
        )
        self.used.add(key)
        cached = load_result(task.folder) if self.reuse else None
        if cached is not None and cached.reusable and len(cached.pieces) == len(pieces):
            return cached.placed(task, cached=True)
        if task.folder.exists():
            shutil.rmtree(task.folder, ignore_errors=True)
        return task

    def _plan(self, index: int, source: Source | SkippedInput, opened: ExitStack) -> list[Piece]:
        """The pieces of one input (one, unless it is cut in parts); the input is left
        open in ``opened``."""
        entry = InputEntry(
            path=source.name, sha256=None, bytes=0, format=None, records=0, outcome="read"
        )
        self.entries.append(entry)

        def rejected(reason: str, detail: str) -> list[Piece]:
            entry.outcome, entry.reason = "rejected", reason
            return [Piece(index, source.name, sha256=entry.sha256, reject=(reason, detail))]

        if isinstance(source, SkippedInput):
            return rejected(source.reason, source.detail)
        if source.fd is not None:
            source = self._spooled(source)
        try:
            pinned = opened.enter_context(source.pinned())
            identity = Identity.of(pinned.fd) if pinned.fd is not None else None
            entry.sha256, entry.bytes = fingerprint(pinned)
            first = head(pinned)
            fmt, why = (self.forced, "") if self.forced else detect(first, pinned.file_name)
            if fmt is None:
                return rejected("empty" if entry.bytes == 0 else "unrecognised", why)
            entry.format = fmt.name
            bounds = self._bounds(pinned, fmt, entry.bytes, first)
            if pinned.fd is not None and Identity.of(pinned.fd) != identity:
                entry.sha256 = None  # the digest is of no single version of the file
                return rejected("changed", CHANGED)
        except FileNotFoundError:
            return rejected("vanished", "the file disappeared before it could be read")
        except InputRejectedError as exc:
            return rejected(exc.reason, exc.detail)
        except OSError as exc:
            return rejected("unreadable", exc.strerror or str(exc))
        parts = len(bounds) - 1
        pieces = [
            Piece(
                input=index,
                source=source.name,
                path=str(source.path),
                format=fmt.name,
                sha256=entry.sha256,
                part=part,
                parts=parts,
                start=bounds[part],
                end=None if parts == 1 else bounds[part + 1],
                size=bounds[part + 1] - bounds[part],
                identity=identity,
                opened=pinned,
            )
            for part in range(parts)
        ]
        if parts > 1:
            self._cut[index] = pieces[0]
        return pieces

    def _spooled(self, source: Source) -> Source:
        """Standard input as a file in the run's folder, so any worker can read it."""
        path = self.scratch / "stdin"
        with source.open() as data, path.open("wb") as out:
            shutil.copyfileobj(data, out, 1 << 16)
        return Source(name=source.name, path=path)

    def _bounds(self, source: Source, fmt: Format, size: int, first: bytes) -> list[int]:
        """Where the input's parts start, and its end."""
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

    def whole_task(self, index: int) -> ShardTask | ShardResult:
        """The task that reads all of input ``index`` at once, for when its parts do
        not fit together (or its result, when an earlier run stored it)."""
        first = self._cut[index]
        whole = replace(first, part=0, parts=1, start=0, end=None, size=self.entries[index].bytes)
        return self._shard([whole])


# --- shard files ---------------------------------------------------------------------
#
# A worker writes its rows as JSON Lines with the standard library, so a worker process
# never loads pyarrow (about 50 MB a process); the process that merges and writes reads
# them back with pyarrow's JSON reader, in C++, straight into Arrow tables of the
# tables' types. A shard's rows are cut into segments of at most SEGMENT_RECORDS
# records, so the merging process holds one segment at a time however large the input.

#: Valid records per segment of a shard's rows.
SEGMENT_RECORDS = 4096
_EPOCH = dt.date(1970, 1, 1)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return (value - _EPOCH).days  # Arrow's date32: days since 1970-01-01
    raise TypeError(f"cannot store {type(value).__name__}")  # pragma: no cover


class ShardWriter:
    """Writes one shard's rows, batch by batch, into a folder renamed when complete."""

    def __init__(self, results: Path, key: str):
        self.final = results / key
        self.tmp = results / f"{_TMP_PREFIX}{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.tmp.mkdir(parents=True)
        self.segments: list[dict[str, Any]] = []
        self.longest = 0  # bytes of the longest row written
        self._files: dict[str, IO[str]] = {}
        self._next_segment()

    def _next_segment(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files = {}
        self.segments.append({"valid": 0, "rows": {}})

    @property
    def rec(self) -> int:
        """The index the next papers row gets in its segment (a child row's ``_rec``)."""
        return int(self.segments[-1]["valid"])

    def write(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        segment = self.segments[-1]
        handle = self._files.get(table)
        if handle is None:
            name = f"{table}-{len(self.segments) - 1}.jsonl"
            handle = self._files[table] = (self.tmp / name).open("w", encoding="utf-8")
        with writing(handle.name):
            for row in rows:
                line = json.dumps(
                    row, ensure_ascii=False, separators=(",", ":"), default=_json_value
                )
                handle.write(line)
                handle.write("\n")
                self.longest = max(self.longest, len(line))
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
        for handle in self._files.values():
            with writing(handle.name):
                handle.close()
        if len(self.segments) > 1 and not self.segments[-1]["rows"]:
            self.segments.pop()  # opened after a full segment, and nothing came
        result.segments = self.segments
        result.rows = {}
        for segment in result.segments:
            for table, count in segment["rows"].items():
                result.rows[table] = result.rows.get(table, 0) + count
        result.longest = self.longest
        result.files = {
            path.name: _file_digest(path) or "" for path in sorted(self.tmp.glob("*.jsonl"))
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
        for handle in self._files.values():
            with contextlib.suppress(Exception):
                handle.close()
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


def read_table(
    result: ShardResult, segment: int, table: str, columns: list[str] | None = None
) -> pa.Table:
    """One table of one segment of a shard, as written (positions local to the shard)."""
    import pyarrow.json as pj

    schema = shard_schema(table)
    assert result.folder is not None
    path = Path(result.folder) / f"{table}-{segment}.jsonl"
    if table not in result.segments[segment]["rows"]:
        loaded = schema.empty_table()
    else:
        loaded = pj.read_json(
            path,
            # one block holds the longest row; one thread: the workers have the cores
            read_options=pj.ReadOptions(
                use_threads=False, block_size=max(1 << 20, 2 * result.longest + 2)
            ),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="error"
            ),
        ).cast(schema)  # the reader makes every column nullable
    return loaded.select(columns) if columns is not None else loaded


def placed_tables(result: ShardResult, segment: int, offsets: Offsets) -> dict[str, pa.Table]:
    """Every table of a segment with positions, lines and character offsets counted from
    the start of the input."""
    tables = {table: read_table(result, segment, table) for table in SHARD_MODELS}
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
    import pyarrow as pa
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
