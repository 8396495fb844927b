"""Engines: worker processes and a Dask cluster write what one process writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import extract
from extract.engines import Dask, InProcess, Local, make_engine
from extract.errors import ExtractError
from extract.shards import ShardResult, ShardTask

from .scale_cases import jsonl_papers, rows, tables_bytes, write_inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("engines"))


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    extract.run([str(inputs)], out, workers=1)
    return out


def test_a_run_of_one_shard_stays_in_this_process() -> None:
    # no processes are started for work there is too little of to share
    task = ShardTask("k", (), (), pipeline="p", pipeline_version="v", results="/nowhere")
    cached = ShardResult(key="c")
    done: list[str] = []

    def work(task: ShardTask) -> ShardResult:
        done.append(task.key)
        return ShardResult(key=task.key)

    with make_engine("local", workers=8, address=None) as engine:
        results = list(engine.map(work, [cached, task, cached]))
        assert [r.key for r in results] == ["c", "k", "c"] and done == ["k"]
        assert isinstance(engine, Local) and isinstance(engine._engine, InProcess)
        assert engine.processes == 1
    with pytest.raises(ExtractError, match="unknown engine 'spark'"):
        make_engine("spark", workers=2, address=None)


@pytest.mark.slow
def test_two_worker_processes_write_the_same_bytes(
    inputs: Path, reference: Path, tmp_path: Path
) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", workers=2, shard_size=5)
    assert (summary.engine, summary.processes) == ("local", 2) and summary.shards > 15
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


@pytest.mark.slow
def test_the_summary_counts_the_processes_that_were_started(tmp_path: Path) -> None:
    # three small files: room for three shards by size, but they share one, so the
    # pool starts one worker, and the summary says one, not the three it could have had
    for i in range(3):
        (tmp_path / f"day-{i}.jsonl").write_bytes(jsonl_papers(3 + i))
    summary = extract.run([str(tmp_path)], tmp_path / "out", workers=3)
    assert (summary.shards, summary.processes) == (1, 1)


@pytest.mark.slow
def test_the_command_uses_every_core_by_default(
    inputs: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "run", str(inputs), "-o", str(out)]
    result = subprocess.run(
        [*command, "--shard-size", "5", "--json"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert tables_bytes(out) == tables_bytes(reference)
    assert result.stderr == ""  # not a terminal: no progress bar


@pytest.mark.slow
def test_a_dask_cluster_writes_the_rows_of_the_local_engine(
    inputs: Path, reference: Path, tmp_path: Path
) -> None:
    pytest.importorskip(
        "dask.distributed", reason="the Dask engine is optional: pip install 'extract[dask]'"
    )
    summary = extract.run([str(inputs)], tmp_path / "out", engine="dask", workers=2, shard_size=5)
    assert (summary.engine, summary.processes) == ("dask", 2)
    assert rows(tmp_path / "out") == rows(reference)  # row for row
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip(
        "dask.distributed", reason="the Dask engine is optional: pip install 'extract[dask]'"
    )
    with pytest.raises(ExtractError, match="cannot reach the Dask scheduler"):
        Dask("tcp://127.0.0.1:9", workers=1, timeout=1)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        children = _children(todo.pop())
        todo.extend(children - found)
        found |= children
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_start_with_the_pipeline_their_server_built(tmp_path: Path) -> None:
    from extract.engines import ProcessPool
    from extract.resources import pipeline_path

    pipeline = str(pipeline_path("daily_papers"))
    pool = ProcessPool(2, pipeline)
    try:
        held = pool._pool.submit(_pipelines_held).result(timeout=120)
    finally:
        pool.close()
    assert [path for path, _ in held] == [pipeline]
    assert not _descendants(os.getpid()) & _forkserver_pids(), "the fork server outlived its pool"


def _pipelines_held() -> list[tuple[str, str]]:
    from extract import work

    return sorted(work._local.__dict__.get("pipelines", {}))


def _forkserver_pids() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and b"forkserver" in command:
            found.add(int(entry.name))
    return found


def test_only_inputs_of_several_shards_start_the_fork_server_early(tmp_path: Path) -> None:
    from extract.pipeline import _RECORD_BYTES, _many_shards
    from extract.read import Source

    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    big.write_bytes(b"x" * (2 * 10 * _RECORD_BYTES + 1))
    small.write_bytes(b"x" * (2 * 10 * _RECORD_BYTES))
    assert _many_shards([Source("big", big)], shard_size=10)
    assert not _many_shards([Source("small", small)], shard_size=10)
    assert not _many_shards([Source("-", data=b"x" * 10**6)], shard_size=10)  # stdin: unknown


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_exit_when_the_run_is_killed(inputs: Path, tmp_path: Path) -> None:
    import signal
    import time

    command = [sys.executable, "-m", "extract", "run", str(inputs), "-o", str(tmp_path / "o")]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--shard-size", "5", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 4 and process.poll() is None and time.monotonic() < deadline:
        # the fork server, the two workers it forks and the resource tracker: each
        # must end with the run
        workers = _descendants(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 4, "the run ended before its workers could be seen"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.05)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in alive:  # leave nothing behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not alive, "worker processes outlived the run that started them"
