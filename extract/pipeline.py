"""``run()``: the whole flow, plan -> work -> assemble -> publish.

Read this function to see how data moves; each step lives in a module of its name:

1. **Plan** (:mod:`extract.plan`, here): inputs are discovered and sorted, each is
   hashed, its format detected, and it is read and split into records (cheap); the
   records are cut into shards of ``shard_size`` records, whatever the format (the
   run's last shards smaller, so that the workers finish together).
2. **Work** (:mod:`extract.work`, anywhere): an engine (:mod:`extract.engines`: this
   process, a pool of processes, a Dask cluster) maps :func:`~extract.work.process_shard`
   over the shards, a few in flight at a time: extract, validate, write each shard's rows
   to its folder. Results come back in input order.
3. **Assemble** (:mod:`extract.assemble`, here): each result is counted into the manifest
   entries and its papers matched to those seen before (:mod:`extract.merge`); the
   shards' rows are written as Parquet tables (:mod:`extract.write`) as soon as no later
   record can change them (while the workers go on), papers seen more than once merged
   at their first appearance.
4. **Publish** (:mod:`extract.write`, :mod:`extract.summary`): the manifest is written
   last and the dataset moved into place atomically; the summary is returned.

The tables depend on the inputs, the pipeline and the read options only: never on the
number of workers, the engine, the shard size or what an incremental run found done.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .assemble import Assembly
from .engines import available_cores, make_engine
from .errors import ExtractError
from .formats import get
from .models import RunInfo
from .options import RunOptions
from .plan import Planner, find_inputs
from .progress import Progress
from .read import SkippedInput, Source
from .resources import pipeline_name, pipeline_path, pipeline_version
from .shards import default_cache_dir, prune, results_folder
from .summary import RunSummary, Stopwatch, manifest
from .work import process_shard
from .write import DatasetWriter


def run(
    inputs: Sequence[str] = (),
    output: str | Path | None = None,
    options: RunOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
    **settings: Any,
) -> RunSummary:
    """Convert listings into a dataset at ``output`` and return what was written.

    ``options`` (or the same settings as keywords: ``workers=2``, ``incremental=True``;
    see :class:`~extract.options.RunOptions`) say how. With no inputs, the sample
    listing bundled with the package is converted. Raises
    :class:`~extract.errors.ExtractError` for mistakes the user can fix (a missing input,
    an existing output without ``overwrite``); nothing is written then.
    """
    options = RunOptions.model_validate({**(options or RunOptions()).model_dump(), **settings})
    started, clock = time.monotonic(), Stopwatch()
    inputs = list(inputs)
    out = Path(output) if output is not None else default_output(inputs)
    cache = Path(options.cache_dir) if options.cache_dir else default_cache_dir(out)
    sources, skipped = find_inputs(inputs, stdin=stdin, exclude=[out, cache])
    forced = get(options.format) if options.format else None
    pipe_dir = pipeline_path(options.pipeline)
    if not (pipe_dir / "config.cfg").is_file():
        raise ExtractError("not a pipeline folder (no config.cfg)", where=str(pipe_dir))
    version = pipeline_version(pipe_dir)  # once: the shards and the manifest share it
    workers = options.workers or available_cores()

    with DatasetWriter(out, overwrite=options.overwrite) as writer:
        folder = cache if options.incremental else writer.scratch_path("shards")
        with results_folder(folder, cache=options.incremental) as results:
            # 1. plan
            planner = Planner(
                sources, options, forced=forced, pipeline=pipe_dir,
                pipeline_version=version, results=results,
            )  # fmt: skip
            assembly = Assembly(planner.entries, writer, clock)
            with Progress(enabled=options.progress) as bar:
                prepare = str(pipe_dir) if _many_shards(sources, options.shard_size) else None
                with make_engine(options.engine, workers, options.address, prepare) as engine:
                    # 2. work, wherever the engine runs it; 3. assemble, as results arrive
                    shards = clock.timed("read", planner.shards())
                    for result in engine.map(process_shard, shards):
                        assembly.add(result)
                        bar.advance(result)
                        bar.total(planner.total)
                    processes = engine.processes
                bar.writing()
                assembly.write()
            with clock("write"):
                tables = writer.close_tables()
        # 4. publish
        info = RunInfo(
            engine=options.engine,
            processes=processes,
            shards=len(assembly.committed),
            reused_shards=sum(1 for shard in assembly.committed if shard.result.cached),
            incremental=options.incremental,
        )
        elapsed = time.monotonic() - started
        name = pipeline_name(pipe_dir)
        counts = assembly.totals(writer)
        writer.publish(
            manifest(
                pipeline=name, pipeline_version=version, options=options,
                inputs=planner.entries, skipped=skipped, tables=tables, counts=counts, run=info,
                elapsed=elapsed, timings=clock,
            )
        )  # fmt: skip
    if options.incremental:
        prune(cache, planner.used - planner.tainted)
    return RunSummary(
        output=out,
        pipeline=name,
        counts=counts,
        inputs=planner.entries,
        elapsed_seconds=elapsed,
        rejects_by_reason=dict(assembly.reasons),
        max_reject_rate=options.max_reject_rate,
        timings=clock.totals(),
        engine=info.engine,
        processes=processes,
        shards=info.shards,
        reused_shards=info.reused_shards,
        skipped=skipped,
    )


#: More bytes than almost any listing's record takes (a Daily Papers record is about
#: 1.5 KB, a row of the arXiv snapshot about 2 KB).
_RECORD_BYTES = 4096


def _many_shards(sources: Sequence[Source | SkippedInput], shard_size: int) -> bool:
    """Whether the input files hold more than one shard's worth of records, for any
    listing but one of unusually long records: then the run will use its worker
    processes, and their fork server may start before the first shard is read (when it
    is wrong, the server is stopped unused at the end of the run)."""
    size = 0
    for source in sources:
        path = source.path if isinstance(source, Source) else None
        if path is not None:
            with contextlib.suppress(OSError):
                size += path.stat().st_size
    return size > 2 * shard_size * _RECORD_BYTES


def default_output(inputs: Sequence[str]) -> Path:
    """``output/<name>``: the sample, the one input's name, or 'dataset' for several."""
    if not inputs:
        return Path("output") / "sample"
    if len(inputs) == 1:
        given = inputs[0]
        name = "stdin" if given == "-" else Path(given.rstrip("/")).stem or "dataset"
        return Path("output") / name
    return Path("output") / "dataset"


__all__ = ["ExtractError", "RunOptions", "RunSummary", "default_output", "run"]
