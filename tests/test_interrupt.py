"""Ctrl-C: a terminal sends SIGINT to every process of the group. The run stops its
workers, removes its staging folder, says so in one line and exits 130; no worker
prints a traceback, no process is left, no dataset is half written."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc"),
]


def _group(pgid: int) -> dict[int, str]:
    """Live processes of a process group (zombies, waiting for a parent, are not)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found[int(entry.name)] = fields[0]
    return found


def _listing(path: Path, papers: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(papers):
            abstract = f"We improve accuracy by {i % 50}.5% on ImageNet over the baseline. " * 3
            out.write(json.dumps({"title": f"Paper {i}: a study", "abstract": abstract}) + "\n")
    return path


@pytest.mark.parametrize(
    ("engine", "workers", "running"),
    [
        ("local", 1, 1),  # this process only
        ("local", 2, 4),  # this process, the pool's resource tracker and two workers
        ("dask", 2, 4),  # this process and the local cluster's processes
    ],
)
def test_ctrl_c_stops_the_run_cleanly(
    tmp_path: Path, engine: str, workers: int, running: int
) -> None:
    # (large enough that no run ends in the seconds before the interrupt, however fast
    # the machine: a run that ended first has nothing to say on stderr)
    listing = _listing(tmp_path / "big.jsonl", 30_000)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "run", str(listing), "-o", str(out)]
    command += ["--workers", str(workers), "--shard-size", "100", "--quiet"]
    process = subprocess.Popen(
        [*command, "--engine", engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # interrupt once the work runs (workers are started, and load spaCy, on demand)
    deadline = time.monotonic() + 90
    while (
        process.poll() is None
        and time.monotonic() < deadline
        and len(_group(process.pid)) < running
    ):
        time.sleep(0.1)
    time.sleep(3)
    assert process.poll() is None, "the run ended before it could be interrupted"
    try:
        # what Ctrl-C in a terminal does; again, as a person would, if the first came in
        # the moment workers were being started, when it is not taken
        for _ in range(4):
            os.killpg(process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
                break
        _, err = process.communicate(timeout=90)
    finally:
        deadline = time.monotonic() + 10
        while _group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _group(process.pid)
        for pid in left:  # leave nothing behind, whatever the outcome
            os.kill(pid, signal.SIGKILL)
    assert err.decode() == "extract: interrupted; nothing was written\n"
    assert process.returncode == 130
    assert not left, "processes outlived the interrupted run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]
