"""Assemble: shard results, in input order -> the dataset's tables.

Two phases, both in the process that started the run:

1. **As results arrive** (:meth:`Assembly.add`): each shard's counts go to its inputs'
   manifest entries, and each valid record gets its paper from the
   :class:`~extract.merge.Merger` by the keys the shard sent back (is it a paper seen
   before?). Only a segment holding a later appearance of an earlier paper is read, once,
   to keep those rows for the merge.
2. **Writing** (:meth:`Assembly.write`): each segment is read once and its rows written:
   a paper seen once as it is (Arrow tables copied, no Python object per row), a paper
   seen several times merged from all its appearances at its first.

Phase 2 does not wait for the last shard when it need not: as results arrive, the
segments in order whose papers have all been seen once so far are written at once,
while the workers extract the shards after them, so that little is left to write when
the last shard is in. That is a bet that no later record is one of those papers: when
one is (the same paper again, further on), the tables written so far are dropped and
everything is written at the end, as if nothing had been written early. Either way the
writer gets the same rows in the same order, so the tables are the same bytes.

Every input record is counted once, as a paper, a merged appearance or a reject.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .merge import Merger, merge_group
from .models import Appearance, Counts, InputEntry
from .shards import CHILD_TABLES, REC, TITLE_KEY, ShardResult, read_segment
from .summary import Stopwatch

if TYPE_CHECKING:
    import pyarrow as pa

    from .write import DatasetWriter

Rows = list[dict[str, Any]]
Children = dict[str, dict[int, Rows]]


@dataclass
class Committed:
    """A shard after phase 1, and each valid record's group (``g`` for the first record
    of group ``g``, ``-1 - g`` for a later one), in order."""

    result: ShardResult
    groups: array[int]


class Assembly:
    """The shards of a run, counted and merged, then written by ``writer``."""

    def __init__(self, entries: list[InputEntry], writer: DatasetWriter, clock: Stopwatch):
        self.entries = entries
        self.writer = writer
        self.merger = Merger(writer.scratch_path("merge.sqlite"))
        self.clock = clock
        self.counts = Counter[str]()
        self.reasons = Counter[str]()
        self.committed: list[Committed] = []
        #: writing early (see the module docstring): whether it is still on, the segments
        #: written so far as (shard, segment) in order, and how many groups they began
        self.early = True
        self._next: tuple[int, int] = (0, 0)
        self._early_groups = 0

    # --- phase 1 ------------------------------------------------------------------------

    def add(self, result: ShardResult) -> None:
        """Count one shard and find every valid record's paper."""
        with self.clock("merge"):
            self.committed.append(self._commit(result))
        for piece in result.pieces:
            self.reasons.update(piece.reasons)
        if not result.cached:
            self.clock.add(result.timings)
        if self.early:
            with self.clock("write"):
                self._write_early()

    def _commit(self, result: ShardResult) -> Committed:
        merger, counts = self.merger, self.counts
        groups: array[int] = array("q")
        later: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # by segment
        keys = iter(result.keys)
        segments = _segment_of(result)
        for piece in result.pieces:
            entry = self.entries[piece.input]
            entry.records += piece.records
            entry.rejected += piece.rejected
            counts["records_in"] += piece.records
            counts["rejected_records"] += piece.rejected
            if piece.file_reject is not None and entry.outcome != "rejected":
                entry.outcome, entry.reason = "rejected", piece.file_reject[0]
            for _ in range(piece.valid):
                arxiv_id, key = next(keys)
                segment, index = next(segments)
                group, first = merger.assign(arxiv_id, key)
                if not first and group < self._early_groups:
                    self._drop_early()  # a paper written early is seen again
                if first:
                    entry.papers += 1
                    groups.append(group)
                else:
                    entry.merged += 1
                    counts["merged_records"] += 1
                    later[segment].append((index, group, merger.seq))
                    groups.append(-1 - group)
        for segment, appearances in later.items():  # kept until their paper is written
            papers, children = _rows_of(read_segment(result, segment))
            for index, group, seq in appearances:
                merger.keep(group, seq, _appearance(index, papers, children))
        result.keys = []  # used: the groups stand for them until the end of the run
        return Committed(result, groups)

    def totals(self, writer: DatasetWriter) -> Counts:
        """The counts of the manifest, once the tables are closed."""
        written = writer.counts
        return Counts(
            papers=written["papers"],
            claims=written["claims"],
            benchmarks=written["benchmarks"],
            links=written["links"],
            appearances=written["appearances"],
            rejects=written["rejects"],
            records_in=self.counts["records_in"],
            rejected_records=self.counts["rejected_records"],
            merged_records=self.counts["merged_records"],
            rejected_files=sum(e.outcome == "rejected" for e in self.entries),
        )

    # --- phase 2 ------------------------------------------------------------------------

    def write(self) -> None:
        """One row per paper, in order of first appearance; every appearance: the
        segments not written early."""
        with self.clock("write"):
            for shard, segment in self._segments(self._next):
                self._write_segment(shard, segment)
        self.merger.close()

    def _segments(self, after: tuple[int, int]) -> Iterator[tuple[int, int]]:
        """(shard, segment) of every segment committed, from ``after`` on, in order."""
        first_shard, first_segment = after
        for shard in range(first_shard, len(self.committed)):
            count = len(self.committed[shard].result.segments)
            for segment in range(first_segment if shard == first_shard else 0, count):
                yield shard, segment

    def _groups(self, shard: int, segment: int) -> array[int]:
        """The group of each valid record of one segment (see :class:`Committed`)."""
        committed = self.committed[shard]
        segments = committed.result.segments
        start = sum(content["valid"] for content in segments[:segment])
        return committed.groups[start : start + segments[segment]["valid"]]

    def _write_segment(self, shard: int, segment: int) -> None:
        tables = read_segment(self.committed[shard].result, segment)
        self.writer.add_table("rejects", tables["rejects"])
        self._write_papers(tables, self._groups(shard, segment), self.writer)
        self._next = (shard, segment + 1)

    def _write_early(self) -> None:
        """Write the next segments, in order, while every paper they begin has been seen
        once so far."""
        for shard, segment in self._segments(self._next):
            groups = self._groups(shard, segment)
            if any(g >= 0 and self.merger.shared(g) for g in groups):
                return  # its papers are merged at the end, with what comes later
            self._write_segment(shard, segment)
            self._early_groups = max([self._early_groups, *(g + 1 for g in groups if g >= 0)])

    def _drop_early(self) -> None:
        """Forget what was written early: it is all written again at the end."""
        self.early = False
        self._next = (0, 0)
        self._early_groups = 0
        self.writer.reset_tables()

    def _write_papers(
        self, tables: dict[str, pa.Table], groups: array[int], writer: DatasetWriter
    ) -> None:
        """The rows of the papers first seen in a segment, each merged with its later
        appearances; a segment whose papers were all seen once is copied as it is."""
        if any(g >= 0 and self.merger.shared(g) for g in groups):
            self._write_merged(tables, groups, writer)
        else:
            _write_as_they_are(tables, groups, writer)

    def _write_merged(
        self, tables: dict[str, pa.Table], groups: array[int], writer: DatasetWriter
    ) -> None:
        """Every paper through :func:`~extract.merge.merge_group`, with its later
        appearances when it has some."""
        merger = self.merger
        papers, children = _rows_of(tables)
        out: dict[str, Rows] = {table: [] for table in ("papers", *CHILD_TABLES, "appearances")}
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


def _segment_of(result: ShardResult) -> Any:
    """(segment, index in it) of each valid record of a shard, in order."""
    for segment, content in enumerate(result.segments):
        for index in range(content["valid"]):
            yield segment, index


def _rows_of(tables: dict[str, pa.Table]) -> tuple[Rows, Children]:
    """A segment's papers rows, and its child rows by the index of their paper."""
    papers = tables["papers"].drop_columns([TITLE_KEY]).to_pylist()
    children: Children = {}
    for table in CHILD_TABLES:
        by_paper: dict[int, Rows] = defaultdict(list)
        for row in tables[table].to_pylist():
            by_paper[row.pop(REC)].append(row)
        children[table] = by_paper
    return papers, children


def _appearance(index: int, papers: Rows, children: Children) -> dict[str, Any]:
    return {
        "paper": papers[index],
        "children": {table: children[table].get(index, []) for table in CHILD_TABLES},
    }


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


__all__ = ["Assembly", "Committed"]
