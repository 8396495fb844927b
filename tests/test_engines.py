"""Engines: worker processes and a Dask cluster write what one process writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import extract
from extract.engines import Dask, InProcess, ProcessPool, make_engine
from extract.errors import ExtractError

from .scale_cases import rows, tables_bytes, write_inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("engines"))


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    extract.run([str(inputs)], out, workers=1)
    return out


def test_a_small_run_stays_in_this_process() -> None:
    # no processes are started for work there is too little of to share
    assert isinstance(make_engine("local", workers=8, address=None, shards=1), InProcess)
    pool = make_engine("local", workers=8, address=None, shards=3)
    try:
        assert isinstance(pool, ProcessPool) and pool.processes == 3
    finally:
        pool.close()
    with pytest.raises(ExtractError, match="unknown engine 'spark'"):
        make_engine("spark", workers=2, address=None, shards=2)


@pytest.mark.slow
def test_two_worker_processes_write_the_same_bytes(
    inputs: Path, reference: Path, tmp_path: Path
) -> None:
    summary = extract.run([str(inputs)], tmp_path / "out", workers=2, shard_bytes=700)
    assert (summary.engine, summary.processes) == ("local", 2) and summary.shards > 15
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


@pytest.mark.slow
def test_the_command_uses_every_core_by_default(
    inputs: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "run", str(inputs), "-o", str(out)]
    result = subprocess.run(
        [*command, "--shard-size", "700", "--json"], capture_output=True, text=True, check=False
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
    summary = extract.run(
        [str(inputs)], tmp_path / "out", engine="dask", workers=2, shard_bytes=700
    )
    assert (summary.engine, summary.processes) == ("dask", 2)
    assert rows(tmp_path / "out") == rows(reference)  # row for row
    assert tables_bytes(tmp_path / "out") == tables_bytes(reference)


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip(
        "dask.distributed", reason="the Dask engine is optional: pip install 'extract[dask]'"
    )
    with pytest.raises(ExtractError, match="cannot reach the Dask scheduler"):
        Dask("tcp://127.0.0.1:9", workers=1, timeout=1)
