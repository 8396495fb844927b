"""What a run reports: seconds per stage, the summary :func:`extract.run` returns, the
table ``extract run`` prints, and the manifest written beside the tables."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Counts, InputEntry, Manifest, RunInfo, SkippedEntry
from .options import DEFAULT_MAX_REJECT_RATE, RunOptions
from .version import __version__

STAGES = ("read", "extract", "validate", "merge", "write")


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


@dataclass
class RunSummary:
    """What a run wrote, returned by :func:`extract.run` and printed by ``extract run``."""

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


def manifest(
    *,
    pipeline: str,
    pipeline_version: str,
    options: RunOptions,
    inputs: list[InputEntry],
    skipped: list[SkippedEntry],
    tables: dict[str, list[str]],
    counts: Counts,
    run: RunInfo,
    elapsed: float,
    timings: Stopwatch,
) -> Manifest:
    """The manifest of a dataset: what went in, what came out, how the run went."""
    return Manifest(
        tool_version=__version__,
        pipeline=pipeline,
        pipeline_version=pipeline_version,
        created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        elapsed_seconds=round(elapsed, 3),
        inputs=inputs,
        skipped=skipped,
        tables=tables,
        counts=counts,
        options=options.recorded(),
        run=run,
        timings=timings.rounded(),
    )


def summary_table(summary: RunSummary) -> str:
    """The end-of-run summary: what was read, what was written, where the time went."""
    c = summary.counts
    seconds = summary.elapsed_seconds
    rate = c.records_in / seconds if seconds > 0 else 0.0
    processes = f"{summary.processes} process" + ("es" if summary.processes != 1 else "")
    head = (
        f"wrote {summary.output} ({summary.pipeline}) in {seconds:.1f} s: "
        f"{c.records_in:,} records, {rate:,.0f} records/s, {summary.engine} engine, {processes}"
    )
    reused = f", {summary.reused_shards} reused" if summary.reused_shards else ""
    records = [
        ("records in", c.records_in),
        ("papers", c.papers),
        ("merged", c.merged_records),
        ("rejected", c.rejected_records),
        ("files rejected", c.rejected_files),
    ]
    tables = [
        ("papers", c.papers),
        ("claims", c.claims),
        ("benchmarks", c.benchmarks),
        ("links", c.links),
        ("appearances", c.appearances),
        ("rejects", c.rejects),
    ]
    total = sum(summary.timings.values())
    stages = [
        (stage, summary.timings.get(stage, 0.0), summary.timings.get(stage, 0.0) / total)
        for stage in STAGES
        if total > 0
    ]
    lines = [head, ""]
    lines.append(f"  {'records':<16}{'':>9}  {'table':<12}{'rows':>9}  {'stage':<9}{'s':>8}")
    for index in range(max(len(records), len(tables), len(stages))):
        left = _cell(records, index, 16, 9)
        middle = _cell(tables, index, 12, 9)
        right = ""
        if index < len(stages):
            stage, spent, share = stages[index]
            right = f"{stage:<9}{spent:>8.2f} {share:>4.0%}"
        lines.append(f"  {left}  {middle}  {right}".rstrip())
    lines.append("")
    lines.append(
        f"  {summary.shards} shard{'s' if summary.shards != 1 else ''}{reused}; "
        "stage seconds are added up over the processes"
    )
    for reason, count in sorted(summary.rejects_by_reason.items()):
        lines.append(f"  rejected: {reason} x{count}")
    for skipped in summary.skipped:
        lines.append(f"  skipped: {skipped.path}: {skipped.reason}: {skipped.detail}")
    return "\n".join(lines)


def _cell(rows: Sequence[tuple[str, int]], index: int, name_width: int, value_width: int) -> str:
    if index >= len(rows):
        return " " * (name_width + value_width)
    name, value = rows[index]
    return f"{name:<{name_width}}{value:>{value_width},}"
