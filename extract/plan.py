"""Plan: inputs -> shards of records, in input order, and the manifest entry of each input.

Each input is opened once, hashed, its format detected, then read and split into records
here, in the process that runs the plan: reading and splitting are cheap (a reader gives
tens of thousands of records a second), extraction is not. The records are then cut into
shards of ``shard_size`` records whatever the format, so one large page, JSON document
or feed keeps every worker busy, and each record keeps the position, line and offsets
its reader gave it: the tables cannot depend on where the records were cut.

How records become shards: a shard takes records until it holds ``shard_size``; a large
input fills shard after shard. After an input, the shard also ends when the input's
content hash, read as a number in [0, 1), is below the input's share of a shard
(records / ``shard_size``): small inputs share a shard, a shard holds about a shard's
worth of records on average, and where a shard ends depends on the inputs at its end
only, so adding or changing one input changes the shards around it and an incremental
run redoes those alone. The plan depends on the inputs and the shard size, never on the
number of workers.

The run's last shards are cut smaller: complete shards are held back while the shards
after them hold less than a shard's worth of records, and at the end of the run the
held ones are cut into shards of a quarter of ``shard_size`` (never fewer than
:data:`TAIL_RECORDS` records), so that the workers finish within a small shard of each
other instead of one waiting up to a whole shard's time for the other. A run of a
single shard is left whole.

With ``reuse`` (incremental runs), a shard whose result the cache holds is handed out as
that result; an input whose record count the cache holds (by its content) is planned
from that count and is read only when one of its shards must be computed.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Generator, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .formats import Format, ReadOptions, detect
from .models import InputEntry, SkippedEntry
from .options import RunOptions
from .read import SkippedInput, Source, discover, fingerprint, head, left_out
from .records import FileRejected, InputRejectedError, Item
from .resources import SAMPLE_LISTING
from .shards import (
    CHANGED,
    MAX_PIECES,
    RESULT_VERSION,
    Identity,
    Piece,
    ShardResult,
    ShardTask,
    count_file,
    load_count,
    load_result,
    store_count,
    task_key,
)
from .version import __version__

#: Outcomes that depend on the file system at the time, not the content: never reused.
TRANSIENT = frozenset({"vanished", "unreadable", "read_error", "changed", "not_a_regular_file"})
#: The run's last shards hold a quarter of a shard's records...
TAIL_SHARDS = 4
#: ...but no fewer than this: a shard's fixed costs (a task, its files) must stay small
#: beside its work, and a shard of 200 records is a few tenths of a second of work.
TAIL_RECORDS = 200


@dataclass
class _Input:
    """One input while it is planned: what it is, and how far it has been read."""

    index: int
    name: str
    entry: InputEntry
    held: ExitStack = field(default_factory=ExitStack)
    source: Source | None = None  #: the input opened once, while it is needed
    format: Format | None = None
    identity: Identity | None = None
    #: the input's items when they are known without reading it (a file rejected whole)
    fixed: list[Item] | None = None
    count: int | None = None  #: how many items it gives, once known
    changed: bool = False  #: it changed while it was read
    #: reading stopped for a reason of the moment (the file vanished, a read failed)
    transient: bool = False
    _items: Iterator[Item] | None = None
    _read: int = 0  #: items taken from ``_items``

    def items(self, options: ReadOptions) -> Iterator[Item]:
        """The input's items from where the last read stopped, one at a time."""
        if self.fixed is not None:
            yield from self.fixed[self._read :]
            self._read = len(self.fixed)
            return
        if self._items is None:
            self._items = self._reader(options)
        for item in self._items:
            self._read += 1
            yield item

    def take(self, start: int, stop: int, options: ReadOptions) -> list[Item]:
        """Items ``[start, stop)``, read forward from where the last read stopped."""
        if self.fixed is not None:
            return self.fixed[start:stop]
        taken: list[Item] = []
        if self._read >= stop:
            return taken
        for item in self.items(options):
            if self._read > start:
                taken.append(item)
            if self._read >= stop:
                break
        return taken

    def _reader(self, options: ReadOptions) -> Iterator[Item]:
        """The input's records, then a :class:`FileRejected` when reading stopped early:
        a reader's failure costs its file only."""
        assert self.source is not None and self.format is not None
        name = self.name
        try:
            yield from self.format.read(self.source, options)
        except InputRejectedError as exc:
            yield FileRejected(name, exc.reason, exc.detail)
            return
        except OSError as exc:
            self.transient = True
            yield FileRejected(name, "read_error", f"reading stopped: {exc.strerror or exc}")
            return
        except Exception as exc:  # a reader's bug must not cost the rest of the run
            detail = f"the reader failed: {type(exc).__name__}: {exc}"
            yield FileRejected(name, "reader_error", detail)
            return

    def moved(self) -> bool:
        """Whether the file was written to since it was hashed (its size or modification
        time changed); then it is marked changed."""
        fd = self.source.fd if self.source is not None else None
        if self.identity is not None and fd is not None and Identity.of(fd) != self.identity:
            self.changed = True
        return self.changed

    def close(self) -> None:
        if isinstance(self._items, Generator):
            self._items.close()  # the reader's own files first, then the input
        self._items = None
        self.held.close()
        self.source = None  # its descriptor is closed (and its number may be reused)


@dataclass
class _Slot:
    """A piece of the shard being filled, with its items once they are read."""

    input: _Input
    start: int
    stop: int
    items: list[Item] | None = None

    def add(self, item: Item) -> None:
        assert self.items is not None
        self.items.append(item)
        self.stop += 1

    def split(self, at: int) -> tuple[_Slot, _Slot]:
        """This slot as two: its records before ``at``, and from ``at`` on."""
        items, cut = self.items, at - self.start
        return (
            _Slot(self.input, self.start, at, None if items is None else items[:cut]),
            _Slot(self.input, at, self.stop, None if items is None else items[cut:]),
        )


@dataclass
class _Filling:
    """The shard being filled: its slots, and how many records they hold."""

    size: int
    slots: list[_Slot] = field(default_factory=list)
    filled: int = 0
    #: the last complete shards, not handed out yet: the fewest, from the end, that hold
    #: a shard's worth of records; they are the run's tail when no more follow
    held: list[list[_Slot]] = field(default_factory=list)
    handed: int = 0  #: shards handed out so far

    @property
    def pending(self) -> list[_Slot]:
        """The slots not handed out yet: the held shards', then the filling one's."""
        return [slot for shard in [*self.held, self.slots] for slot in shard]

    @property
    def room(self) -> int:
        return self.size - self.filled

    def take(self) -> list[_Slot]:
        """The slots of a complete shard; the next shard starts empty."""
        slots, self.slots, self.filled = self.slots, [], 0
        return slots


def _joined(slots: list[_Slot]) -> list[_Slot]:
    """The slots, one for each run of consecutive records of an input: the tail's
    shards hold one piece per input, as every other shard does."""
    joined: list[_Slot] = []
    for slot in slots:
        last = joined[-1] if joined else None
        if (
            last is None
            or last.input is not slot.input
            or last.stop != slot.start
            or (last.items is None) != (slot.items is None)
        ):
            joined.append(slot)
            continue
        items = None if last.items is None else last.items + (slot.items or [])
        joined[-1] = _Slot(last.input, last.start, slot.stop, items)
    return joined


def find_inputs(
    inputs: Sequence[str], *, stdin: BinaryIO | None, exclude: Sequence[Path]
) -> tuple[list[Source | SkippedInput], list[SkippedEntry]]:
    """The inputs to plan, in sorted order (the bundled sample when none is given), and
    the entries of input folders left out on purpose. The run's own output and cache
    (``exclude``) are never inputs, even inside an input folder."""
    found = discover(inputs, stdin=stdin, exclude=exclude) if inputs else None
    sources, left = left_out(found if found is not None else [Source("sample.txt", SAMPLE_LISTING)])
    return sources, [SkippedEntry(path=s.name, reason=s.reason, detail=s.detail) for s in left]


class Planner:
    """Turns inputs into shards, in input order, and keeps the manifest entry of each."""

    def __init__(
        self,
        sources: Sequence[Source | SkippedInput],
        options: RunOptions,
        *,
        forced: Format | None,
        pipeline: Path,
        pipeline_version: str,
        results: Path,
    ):
        self.sources = sources
        self.forced = forced
        self.read_options = ReadOptions(year=options.year, columns=dict(options.columns))
        self.pipeline = pipeline
        self.pipeline_version = pipeline_version
        self.results = results
        self.shard_size = options.shard_size
        self.reuse = options.incremental
        self.entries: list[InputEntry] = []
        self.used: set[str] = set()  #: names in the results folder this run uses
        #: shards that hold records of an input that changed while it was read: their
        #: results must not outlive the run
        self.tainted: set[str] = set()
        #: records (and rejected files) of all inputs, once every input is planned
        self.total: int | None = None

    # --- the shards ---------------------------------------------------------------------

    def shards(self) -> Iterator[ShardTask | ShardResult]:
        """Every shard, in input order: a task, or a result found in the cache."""
        filling = _Filling(self.shard_size)
        counted = 0  # records of the inputs planned so far
        try:
            for index, given in enumerate(self.sources):
                current = self._open(index, given)
                if current.count is not None:  # known: placed without reading
                    yield from self._place(current, filling)
                else:  # read now: its records fill the shards as they come
                    yield from self._read(current, filling)
                    self._remember(current)
                counted += current.count or 0
                if filling.slots and self._ends_shard(current, len(filling.slots)):
                    yield from self._complete(filling)
                if not any(slot.input is current for slot in filling.pending):
                    current.close()  # all its records are in shards handed out
            self.total = counted
            if filling.slots:
                filling.held.append(filling.take())  # the run's last shard
            for slots in self._tail(list(filling.held), alone=filling.handed == 0):
                yield self._shard(slots)
            filling.held = []
        finally:
            for slot in filling.pending:
                slot.input.close()

    def _complete(self, filling: _Filling) -> Iterator[ShardTask | ShardResult]:
        """A shard is complete: it is held, and the held shards before it are handed out
        while those after them hold a shard's worth of records."""
        held = filling.held
        held.append(filling.take())
        while sum(s.stop - s.start for shard in held[1:] for s in shard) >= self.shard_size:
            filling.handed += 1
            yield self._shard(held.pop(0))

    def _tail(self, shards: list[list[_Slot]], *, alone: bool) -> Iterator[list[_Slot]]:
        """The run's last shards (from the end, the fewest that hold a shard's worth of
        records) cut into smaller shards, in order; left as they are when they are the
        run's only shard, or too small to cut."""
        slots = [slot for shard in shards for slot in shard]
        records = sum(slot.stop - slot.start for slot in slots)
        size = max(TAIL_RECORDS, -(-self.shard_size // TAIL_SHARDS))
        if (alone and len(shards) <= 1) or records <= size:
            yield from shards
            return
        shard: list[_Slot] = []
        room = size
        for slot in _joined(slots):
            while slot.stop - slot.start > room:
                head, slot = slot.split(slot.start + room)
                yield [*shard, head]
                shard, room = [], size
            shard.append(slot)
            room -= slot.stop - slot.start
            if room == 0 or len(shard) >= MAX_PIECES:
                yield shard
                shard, room = [], size
        if shard:
            yield shard

    def _place(self, current: _Input, filling: _Filling) -> Iterator[ShardTask | ShardResult]:
        """The shards of an input whose record count is known, without reading it."""
        count = current.count or 0
        start = 0
        while start < count:
            take = min(count - start, filling.room)
            filling.slots.append(_Slot(current, start, start + take))
            filling.filled += take
            start += take
            if filling.room == 0:
                yield from self._complete(filling)

    def _read(self, current: _Input, filling: _Filling) -> Iterator[ShardTask | ShardResult]:
        """Read an input, its records filling shards; it is checked for changes before
        each shard holding its records is handed out."""
        slot: _Slot | None = None
        read = 0
        for item in current.items(self.read_options):
            if slot is None:
                slot = _Slot(current, read, read, [])
                filling.slots.append(slot)
            slot.add(item)
            read += 1
            filling.filled += 1
            if filling.room == 0:
                if current.moved():
                    break
                yield from self._complete(filling)
                slot = None
        if current.moved():
            # what was read of it since the last check may be of no single version of the
            # file: the file's reject stands in its place (shards handed out before were
            # read before it changed, and are kept)
            rejected = FileRejected(current.name, "changed", CHANGED)
            if slot is None:
                slot = _Slot(current, read, read, [])
                filling.slots.append(slot)
            filling.filled -= len(slot.items or ())
            slot.items, slot.stop = [], slot.start
            slot.add(rejected)
            filling.filled += 1
            read = slot.stop
            current.close()
        current.count = read

    def _ends_shard(self, current: _Input, pieces: int) -> bool:
        """Whether the shard ends after this input (see the module docstring)."""
        if pieces >= MAX_PIECES:
            return True
        sha256 = current.entry.sha256
        if sha256 is None:
            return False
        draw = int(sha256[:16], 16) / 2**64
        return draw < (current.count or 0) / self.shard_size

    def _shard(self, slots: list[_Slot]) -> ShardTask | ShardResult:
        """The shard of these slots: its result from the cache, or a task with its records."""
        pieces = tuple(Piece(s.input.index, s.input.name, s.start, s.stop) for s in slots)
        key = task_key(
            {
                "result": RESULT_VERSION,
                "tool": __version__,
                "pipeline": self.pipeline_version,
                "year": self.read_options.year,
                "columns": sorted(self.read_options.columns.items()),
                "pieces": [self._identify(s) for s in slots],
            }
        )
        self.used.add(key)
        if any(s.input.changed for s in slots):
            self.tainted.add(key)
        folder = self.results / key
        cached = load_result(folder) if self.reuse else None
        try:
            if cached is not None and cached.reusable and len(cached.pieces) == len(pieces):
                return cached.placed(self._task(key, pieces, ()), cached=True)
            if folder.exists():  # a result without its record, or one not to reuse
                shutil.rmtree(folder, ignore_errors=True)
            items = tuple(
                tuple(s.items) if s.items is not None
                else tuple(s.input.take(s.start, s.stop, self.read_options))
                for s in slots
            )  # fmt: skip
            if any(s.input.changed for s in slots):
                self.tainted.add(key)
            return self._task(key, pieces, items)
        finally:
            for s in slots:  # an input whose last records these were is done
                if s.input.count is not None and s.stop >= s.input.count:
                    s.input.close()

    def _task(
        self, key: str, pieces: tuple[Piece, ...], items: tuple[tuple[Item, ...], ...]
    ) -> ShardTask:
        return ShardTask(
            key=key,
            pieces=pieces,
            items=items,
            pipeline=str(self.pipeline),
            pipeline_version=self.pipeline_version,
            results=str(self.results),
        )

    @staticmethod
    def _identify(slot: _Slot) -> dict[str, object]:
        entry = slot.input.entry
        fixed = slot.input.fixed
        return {
            "source": entry.path,
            "sha256": entry.sha256,
            "format": entry.format,
            "start": slot.start,
            "stop": slot.stop,
            "reject": [fixed[0].reason, fixed[0].detail]
            if fixed and isinstance(fixed[0], FileRejected)
            else None,
        }

    # --- each input -----------------------------------------------------------------------

    def _open(self, index: int, given: Source | SkippedInput) -> _Input:
        """Open, hash and recognise one input; its count when it is known unread."""
        entry = InputEntry(
            path=given.name, sha256=None, bytes=0, format=None, records=0, outcome="read"
        )
        self.entries.append(entry)
        current = _Input(index=index, name=given.name, entry=entry)

        def rejected(reason: str, detail: str) -> _Input:
            entry.outcome, entry.reason = "rejected", reason
            current.close()
            current.source = None
            current.fixed = [FileRejected(given.name, reason, detail)]
            current.count = 1
            return current

        if isinstance(given, SkippedInput):
            return rejected(given.reason, given.detail)
        try:
            pinned = current.held.enter_context(given.pinned())
            current.identity = Identity.of(pinned.fd) if pinned.fd is not None else None
            entry.sha256, entry.bytes = fingerprint(pinned)
            first = head(pinned)
            fmt, why = (self.forced, "") if self.forced else detect(first, pinned.file_name)
            if fmt is None:
                return rejected("empty" if entry.bytes == 0 else "unrecognised", why)
            entry.format = fmt.name
            current.source = pinned
            if current.moved():
                entry.sha256 = None  # the digest is of no single version of the file
                return rejected("changed", CHANGED)
        except FileNotFoundError:
            return rejected("vanished", "the file disappeared before it could be read")
        except InputRejectedError as exc:
            return rejected(exc.reason, exc.detail)
        except OSError as exc:
            return rejected("unreadable", exc.strerror or str(exc))
        current.source, current.format = pinned, fmt
        if self.reuse:
            current.count = load_count(self.results, self._count_key(current))
            if current.count is not None:
                self.used.add(count_file(self.results, self._count_key(current)).name)
        return current

    def _count_key(self, current: _Input) -> str:
        return task_key(
            {
                "count": RESULT_VERSION,
                "tool": __version__,
                "sha256": current.entry.sha256,
                "format": current.entry.format,
                "year": self.read_options.year,
                "columns": sorted(self.read_options.columns.items()),
            }
        )

    def _remember(self, current: _Input) -> None:
        """Keep the record count of an input read in full, for the next incremental run
        (not when its reading depended on the moment: a file that vanished or changed)."""
        if not self.reuse or current.count is None or current.changed or current.transient:
            return
        key = self._count_key(current)
        with contextlib.suppress(OSError):
            store_count(self.results, key, current.count)
            self.used.add(count_file(self.results, key).name)


__all__ = ["TAIL_RECORDS", "TAIL_SHARDS", "TRANSIENT", "Planner", "find_inputs"]
