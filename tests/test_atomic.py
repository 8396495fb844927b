"""Atomic publication under SIGKILL, and byte-identical re-runs across processes.

These start ``extract run`` as a subprocess, so they are marked slow; they run in CI.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TABLES = ("papers", "links", "benchmarks", "claims", "appearances", "rejects")


def page(name: str, count: int) -> str:
    papers = "".join(
        f"{name} {i}: Widgets at Scale\n\n"
        f"We make {name.lower()} widgets {i % 7 + 2}.5x faster, reaching {40 + i % 50}.1% "
        f"accuracy on WidgetBench. Code: https://github.com/acme/{name.lower()}-{i}.\n\n"
        for i in range(count)
    )
    return f"Daily Papers\n\nJul 29\n\n{papers}"


def extract_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "extract", "run", *args]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def tables_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.endswith(".parquet")}


def test_a_killed_run_leaves_the_old_dataset_or_the_new_one(tmp_path: Path) -> None:
    inputs = {}
    for name in ("Alpha", "Beta"):
        path = tmp_path / f"{name.lower()}.txt"
        path.write_text(page(name, 60), encoding="utf-8")
        inputs[name] = path
    # what a complete run writes for each input (tables are deterministic)
    complete: dict[str, dict[str, bytes]] = {}
    durations = []
    for name, path in inputs.items():
        started = time.monotonic()
        subprocess.run(extract_command(str(path), "-o", str(tmp_path / f"ref-{name}")), check=True)
        durations.append(time.monotonic() - started)
        complete[name] = tables_of(snapshot(tmp_path / f"ref-{name}"))
    assert complete["Alpha"] != complete["Beta"]
    out = tmp_path / "out"
    subprocess.run(extract_command(str(inputs["Alpha"]), "-o", str(out)), check=True)
    current, before = "Alpha", snapshot(out)

    seed = int.from_bytes(os.urandom(4), "big")
    chooser = random.Random(seed)
    longest = max(durations)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(20):
        target = "Beta" if current == "Alpha" else "Alpha"
        # half the kills anywhere in the run, half in its last part, where it writes
        moment = (
            chooser.uniform(0, longest)
            if attempt % 2
            else chooser.uniform(0.6 * longest, 1.1 * longest)
        )
        process = subprocess.Popen(
            extract_command(str(inputs[target]), "-o", str(out), "--overwrite"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(out)
        where = f"attempt {attempt}, kill at {moment:.2f}s (seed {seed})"
        if after == before:
            outcomes["old"] += 1
            continue
        # otherwise it must be the new dataset, complete: every table and the manifest
        assert tables_of(after) == complete[target], where
        manifest = json.loads(after["manifest.json"])
        assert manifest["inputs"][0]["path"] == str(inputs[target]), where
        assert set(manifest["tables"]) == set(TABLES), where
        outcomes["new"] += 1
        current, before = target, after
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert sorted(visible) == ["alpha.txt", "beta.txt", "out", "ref-Alpha", "ref-Beta"]
    # a killed run's staging folder is removed by the next run
    subprocess.run(extract_command(str(inputs["Alpha"]), "-o", str(out), "--overwrite"), check=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".extract-staging-")]
    assert tables_of(snapshot(out)) == complete["Alpha"]
    print(f"SIGKILL outcomes over 20 runs: {outcomes} (seed {seed})")


def test_reruns_are_byte_identical_across_order_hash_seed_and_time_zone(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2026-03-12.txt").write_text(page("Gamma", 12), encoding="utf-8")
    rows = [
        {"arxiv_id": f"2401.{i:05d}", "title": f"Epsilon {i}: Gadgets", "upvotes": i,
         "published_at": "2026-03-11T23:30:00.000-05:00", "github_repo": f"https://github.com/g/{i}"}
        for i in range(6)
    ]  # fmt: skip
    (folder / "day.json").write_text(json.dumps(rows), encoding="utf-8")
    (folder / "more.jsonl").write_text(
        "\n".join(json.dumps({"title": f"Delta {i}", "abstract": "Up 5% on X."}) for i in range(5))
        + "\n",
        encoding="utf-8",
    )
    names = sorted(str(p) for p in folder.iterdir())
    runs = [
        (names, {"PYTHONHASHSEED": "0", "TZ": "UTC"}),
        (list(reversed(names)), {"PYTHONHASHSEED": "4242", "TZ": "Asia/Kolkata"}),
        ([str(folder)], {"PYTHONHASHSEED": "random", "TZ": "America/St_Johns"}),
    ]
    results = []
    for index, (args, env) in enumerate(runs):
        out = tmp_path / f"out{index}"
        subprocess.run(
            extract_command(*args, "-o", str(out)), check=True, env={**os.environ, **env}
        )
        results.append(tables_of(snapshot(out)))
    assert results[0] == results[1], "input order, hash seed or time zone changed the tables"
    # given as a folder, the sources are named differently; the rest is the same
    papers = tmp_path / "out0" / "papers" / "part-00000.parquet"
    assert papers.stat().st_size > 0 and set(results[2]) == set(results[0])
    import pyarrow.parquet as pq

    dates = pq.read_table(tmp_path / "out2" / "papers").column("listing_date").to_pylist()
    # "Jul 29" in a file named for 2026; a timestamp's date as written, in any time zone
    assert {str(d) for d in dates} == {"2026-07-29", "2026-03-11", "None"}
