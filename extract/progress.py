"""What a run shows a person: a progress bar while it works, a summary table at the end.

The bar goes to standard error, and only when standard error is a terminal (a run in
a script, a pipe or a CI log prints no bar) and ``--quiet`` is not given; standard
output stays free for ``--json``. It advances by bytes of input, so it knows the total
from the start, and shows records read, records per second and rejects so far.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import RunSummary
    from .shards import ShardResult

STAGES = ("read", "extract", "validate", "merge", "write")
#: What the bar says until the first shard is done.
LOADING = "loading spaCy"


class Progress:
    """A progress bar over the input's bytes; does nothing when not enabled."""

    def __init__(
        self,
        total_bytes: int,
        *,
        enabled: bool,
        stream: IO[str] | None = None,
        interval: float = 0.25,
    ):
        self.records = 0
        self.rejects = 0
        self._started = time.monotonic()
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(
                total=max(total_bytes, 1),
                unit="B",
                unit_scale=True,
                file=stream or sys.stderr,
                dynamic_ncols=True,
                mininterval=interval,
                leave=False,
                # until the first shard is done, the workers are building the spaCy
                # pipeline (seconds): say so rather than sit at 0% saying nothing
                desc=LOADING,
                bar_format=(
                    "{desc} {percentage:3.0f}%|{bar}| {n_fmt}B/{total_fmt}B{postfix} "
                    "[{elapsed}<{remaining}]"
                ),
            )

    def advance(self, result: ShardResult) -> None:
        """A shard is done."""
        if self._bar is not None and self._bar.desc == LOADING:
            self._bar.set_description_str("extract", refresh=False)
        self.records += result.records
        self.rejects += result.rejected
        if self._bar is not None:
            rate = self.records / max(time.monotonic() - self._started, 1e-9)
            self._bar.set_postfix_str(
                f"{self.records:,} records, {rate:,.0f} records/s, {self.rejects:,} rejects",
                refresh=False,
            )
            self._bar.update(result.size)

    def writing(self) -> None:
        """Everything is read: the tables are being written."""
        if self._bar is not None:
            self._bar.set_description_str("writing")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
