"""Engines: where shards are processed.

Every engine does the same thing: it maps the work function it is given (the run gives
:func:`extract.work.process_shard`) over the shard tasks and hands the results back in
input order, with a bounded number of shards in flight, so the process that plans,
merges and writes holds a few shards at a time whatever the input's size. Tasks carry
their records (a shard's worth); results carry counts and the folder holding the rows,
which travel as files, never as pickled rows or spaCy Docs.

* ``InProcess``: this process, one shard after the other (``--workers 1``, or a run of
  a single shard).
* ``ProcessPool``: a pool of worker processes on this machine (``--workers N``). Workers
  are forked from a fork server (``forkserver``), a fresh process started when the run
  first needs a pool, that imports spaCy and builds the run's pipeline once
  (:mod:`extract.preload`): each worker starts with both in memory it shares with the
  others until it writes to it, instead of spending two seconds of CPU on them, and
  ends without tearing down its interpreter. The process that plans, merges and writes
  never imports spaCy.
* ``Dask``: the workers of a Dask cluster (``--engine dask``), a local one or the one
  at ``--address``. Tasks have deterministic keys and write their results under
  deterministic names, so a task Dask retries (a worker died) redoes or finds the same
  result.

A record that cannot be read, extracted or validated is a reject row inside a result,
never an exception: every engine retries or abandons a whole task on an exception.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext, ForkServerProcess
from types import TracebackType
from typing import Any, Protocol

from .errors import ExtractError
from .shards import ShardResult, ShardTask

ENGINES = ("local", "dask")
#: The function an engine maps: one shard task to its result.
Work = Callable[[ShardTask], ShardResult]


class _Pending(Protocol):
    def result(self) -> Any: ...


class Engine:
    """Maps the per-shard function over tasks; results come back in task order."""

    name = "local"
    #: how many processes do the work
    processes = 1
    #: how many tasks may be in flight at once
    window = 1

    def submit(self, work: Work, task: ShardTask) -> _Pending:
        raise NotImplementedError

    def map(self, work: Work, items: Iterable[ShardTask | ShardResult]) -> Iterator[ShardResult]:
        """``work`` of each task (finished results passed through), in the given order."""
        pending: deque[tuple[ShardTask | None, _Pending | ShardResult]] = deque()
        in_flight = 0
        source = iter(items)
        exhausted = False
        while True:
            # keep `window` tasks running, and never hold more than a few results
            while not exhausted and in_flight < self.window and len(pending) < 4 * self.window:
                item = next(source, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, ShardResult):
                    pending.append((None, item))
                else:
                    pending.append((item, self.submit(work, item)))
                    in_flight += 1
            if not pending:
                return
            task, waiting = pending.popleft()
            if task is None:
                assert isinstance(waiting, ShardResult)
                yield waiting
                continue
            in_flight -= 1
            yield self._result(task, waiting)

    def _result(self, task: ShardTask, waiting: _Pending | ShardResult) -> ShardResult:
        if isinstance(waiting, ShardResult):
            return waiting
        try:
            result: ShardResult = waiting.result()
        except BrokenProcessPool:
            raise ExtractError(
                "a worker process stopped (killed, or out of memory) on records of this input",
                where=task.pieces[0].source,
                hint="nothing was written; try again, or with fewer --workers",
            ) from None
        return result.placed(task, cached=False)

    def close(self) -> None:
        """Stop the workers."""

    def abandon(self) -> None:
        """Stop the workers now, without waiting for their tasks (the run was
        interrupted or failed: nothing they compute would be used)."""
        self.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


class InProcess(Engine):
    """Shards processed here, one at a time, when their result is needed."""

    def submit(self, work: Work, task: ShardTask) -> _Pending:
        done: Future[ShardResult] = Future()
        done.set_result(work(task))
        return done


class ProcessPool(Engine):
    """Shards processed by worker processes on this machine."""

    def __init__(self, workers: int, pipeline: str | None = None):
        self.workers = workers
        self.window = 2 * workers  # one running and one waiting per worker
        if pipeline is not None:
            start_fork_server(pipeline)
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=_WorkerContext(), initializer=_exit_with_parent
        )

    @property
    def processes(self) -> int:  # type: ignore[override]
        """The worker processes started so far: the pool starts them as tasks need them,
        so a run whose shards are fewer or quick to finish may start fewer than asked."""
        started = getattr(self._pool, "_processes", None)
        return len(started) if started else self.workers

    def submit(self, work: Work, task: ShardTask) -> _Pending:
        with interrupts_ignored():  # the pool may start a worker for this task
            return self._pool.submit(work, task)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        stop_fork_server()

    def abandon(self) -> None:
        workers = list((getattr(self._pool, "_processes", None) or {}).values())
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.terminate()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.join(5)
        stop_fork_server()


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """SIGINT ignored while worker processes are started, so that they start ignoring
    it (a process inherits what is ignored): Ctrl-C in a terminal sends it to every
    process of the group, and only the process that started the run must handle it
    (stop the workers, remove its staging folder, say so in one line), not every worker
    with a traceback. A Ctrl-C in that moment is not taken (for a pool, the moment a
    process is forked; for a local Dask cluster, the seconds it takes to start)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def start_fork_server(pipeline: str) -> None:
    """Start the fork server workers are forked from, with ``pipeline`` built in it, and
    return at once: the server imports and builds while this process reads on.

    The server is one per process; the pool stops it when it closes
    (:func:`stop_fork_server`). Should it still run (the pool could not stop it), a
    later run forks from it too, and a worker whose shards name another pipeline (or one
    changed since) builds that one itself.
    """
    from .preload import PIPELINE_VARIABLE

    forkserver.set_forkserver_preload([_PRELOAD])
    before = os.environ.get(PIPELINE_VARIABLE)
    os.environ[PIPELINE_VARIABLE] = pipeline  # read by the server as it starts
    try:
        with interrupts_ignored():  # the server, and every worker, leave Ctrl-C to us
            forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ[PIPELINE_VARIABLE]
        else:
            os.environ[PIPELINE_VARIABLE] = before


def stop_fork_server() -> None:
    """Stop the fork server, once the pool's workers have ended, and wait for it.

    It holds a built pipeline (a few hundred MB) for as long as it runs, and waiting for
    it makes this process's resource usage count the workers' CPU time, as it did when
    they were this process's own children (the server waits for each worker it forked).
    The standard library stops it only at exit, through a method it keeps for its own
    tests; without that method (another Python), the server ends with this process.
    """
    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError):
            stop()


#: The module the fork server imports before it forks workers.
_PRELOAD = "extract.preload"


class _Worker(ForkServerProcess):
    """A worker process (forked from the fork server) that ends at once when the pool
    lets it go, without tearing down its interpreter.

    By then it has sent every result (a pool's results go back over a pipe, written
    before the next task is taken) and its shards' files are complete; what is left is
    freeing the spaCy pipeline object by object, about a second of CPU, and the run
    waits for its workers to end before it writes the last of the tables.
    """

    def run(self) -> None:
        super().run()  # the pool's loop: returns when the pool shuts down
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


class _WorkerContext(ForkServerContext):
    """The ``forkserver`` start method, with worker processes that end quickly."""

    Process = _Worker


def _exit_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone.

    A worker waits for tasks on a pipe it also holds the writing end of, so it would
    never see the end of it: without this, killing ``extract run`` (SIGKILL, out of
    memory) would leave its workers waiting for ever, each holding its spaCy pipeline.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - always set in a forked worker
        return

    def watch() -> None:
        parent.join()  # returns when the parent's end of the start-up pipe closes
        os._exit(1)

    threading.Thread(target=watch, name="extract-exit-with-parent", daemon=True).start()


class Dask(Engine):
    """Shards processed by the workers of a Dask cluster (``dask.distributed``)."""

    name = "dask"

    def __init__(self, address: str | None, workers: int, *, timeout: float = 30):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ExtractError(
                "the Dask engine needs dask.distributed",
                hint="pip install 'extract[dask]'",
            ) from None
        self._cluster: Any = None
        if address:
            try:
                self._client: Any = Client(address, timeout=timeout)  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise ExtractError(
                    f"cannot reach the Dask scheduler: {exc}", where=address
                ) from None
        else:
            # one thread per worker process: a pipeline is used by one thread at a time
            with interrupts_ignored():  # its processes leave Ctrl-C to this one
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    # any free port: a second run (or a notebook's cluster) holds 8787
                    dashboard_address=":0",
                    silence_logs=logging.CRITICAL,  # failures come back as task errors
                )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        self.processes = max(1, sum(self._client.nthreads().values()))
        self.window = 2 * self.processes

    def submit(self, work: Work, task: ShardTask) -> _Pending:
        # The key names the shard, so a resubmitted task is the same task; Dask retries
        # a task whose worker died, and the task finds or redoes the same result.
        return self._client.submit(  # type: ignore[no-any-return]
            work, task, key=f"extract-shard-{task.key}", retries=2, pure=False
        )

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def available_cores() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Local(Engine):
    """This machine: a pool of ``workers`` processes, started only when the run has more
    than one shard to process (a run of one shard stays in this process).

    With ``prepare`` (a pipeline folder), the fork server starts at once and builds that
    pipeline while this process reads the first shards, for a run that will surely need
    the pool (its inputs hold many shards' worth of records): the workers can then start
    as soon as this process would have started extracting alone.
    """

    def __init__(self, workers: int, prepare: str | None = None):
        self.workers = workers
        self._engine: Engine = InProcess()
        self._prepared = False
        if workers > 1 and prepare is not None:
            start_fork_server(prepare)
            self._prepared = True

    @property
    def processes(self) -> int:  # type: ignore[override]
        return self._engine.processes

    def map(self, work: Work, items: Iterable[ShardTask | ShardResult]) -> Iterator[ShardResult]:
        source = iter(items)
        ahead: list[ShardTask | ShardResult] = []
        if self.workers > 1:
            for item in source:  # look ahead until a second task shows (or none does)
                ahead.append(item)
                tasks = [i for i in ahead if isinstance(i, ShardTask)]
                if len(tasks) > 1:
                    self._engine = ProcessPool(self.workers, tasks[0].pipeline)
                    break
        return self._engine.map(work, chain(ahead, source))

    def close(self) -> None:
        self._engine.close()
        if self._prepared:
            stop_fork_server()  # (the pool stopped it already, if one was started)

    def abandon(self) -> None:
        self._engine.abandon()
        if self._prepared:
            stop_fork_server()


def make_engine(name: str, workers: int, address: str | None, prepare: str | None = None) -> Engine:
    """The engine for a run (``prepare``: see :class:`Local`)."""
    if name == "dask":
        return Dask(address, workers)
    if name != "local":
        raise ExtractError(f"unknown engine '{name}'", hint=f"one of: {', '.join(ENGINES)}")
    return Local(workers, prepare)
