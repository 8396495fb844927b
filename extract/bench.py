"""Speed and memory benchmark: ``python -m extract.bench``.

Builds a workload of real abstracts (``../shared/corpus/hf-daily/papers.jsonl`` by
default) as JSON Lines, varied so that no title or abstract repeats, and times, as whole
processes the way a user would time them (start, import, read, work, write):

* the baseline: a bare ``spacy.blank("en")`` tokenizer pass over the same titles and
  abstracts, each tokenised as a text of its own, writing the token counts. (Joining a
  title and its abstract with a line break would triple the baseline's time: spaCy's
  tokenizer stops caching the rest of a text once it has met a special case such as a
  line break, and the pipeline never tokenises such a joined text.)
* a second baseline: the same pass with the tokenizer cache as large as extract's
  pipeline makes it (spaCy's default cache fills up on a varied workload, and its
  misses cost more than half of the bare pass), so the gain that the cache alone brings
  is not counted as the pipeline's speed.
* ``extract run`` on the workload with 1 worker and with N workers.

Each configuration runs ``--repeat`` times, interleaved so that a busy moment of a
shared machine hits every configuration alike; medians are reported, with records/s,
MB/s, the peak resident memory of the whole process tree (RSS summed over the processes,
which counts shared libraries once per process, and PSS, which shares them out), the
ratio to the baseline measured in the same run, the speed-up of N workers over one, the
stage shares of a one-worker run, and the load of the machine before and after. Not a
test: the suite only checks that it runs on a tiny workload.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

DEFAULT_SOURCE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "corpus"
    / "hf-daily"
    / "papers.jsonl"
)
#: the second baseline: spaCy's tokenizer given the cache size extract's pipeline sets
TUNED = "tokenizer, 200k cache"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# --- workload ------------------------------------------------------------------------


def load_papers(source: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs with a non-empty abstract, in file order."""
    papers = []
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            title = " ".join(str(row.get("title") or "").split())
            abstract = " ".join(str(row.get("abstract") or "").split())
            if title and abstract:
                papers.append((title, abstract))
    if not papers:
        raise click.ClickException(f"{source}: no papers with a title and an abstract")
    return papers


def varied(papers: list[tuple[str, str]], count: int) -> Iterator[tuple[str, str]]:
    """``count`` (title, abstract) pairs, the originals first, then variants.

    Variant k of paper j swaps one of its sentences for the sentence at the same place in
    another paper and rotates the sentence order, so texts keep their real vocabulary,
    numbers and length but no text repeats; titles get the variant number.
    """
    n = len(papers)
    sentences = [_SENTENCE.split(abstract) for _, abstract in papers]
    seen: set[tuple[str, str]] = set()
    for i in range(count):
        j, k = i % n, i // n
        title, abstract = papers[j]
        if k:
            own = list(sentences[j])
            other = sentences[(j + 7 * k) % n]
            at = k % len(own)
            if at < len(other):
                own[at] = other[at]
            shift = k % len(own)
            abstract = " ".join(own[shift:] + own[:shift])
            title = f"{title} (variant {k})"
        if (title, abstract) in seen:  # never expected; keeps the promise that none repeats
            abstract = f"{abstract} Variant {k}."
        seen.add((title, abstract))
        yield title, abstract


def write_workload(pairs: Iterator[tuple[str, str]], path: Path) -> int:
    """Write the workload as JSON Lines, one paper per line; return its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        for title, abstract in pairs:
            out.write(json.dumps({"title": title, "abstract": abstract}, ensure_ascii=False))
            out.write("\n")
    return path.stat().st_size


def read_workload(path: Path) -> Iterator[str]:
    """The titles and abstracts of a workload file, each a text (the baseline's reader)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield row["title"]
            yield row["abstract"]


def tokenizer_baseline(workload: Path, out: Path, cache: int | None = None) -> None:
    """The baseline process: import spaCy, read, tokenize, write token counts.

    ``cache``: the tokenizer's cache size, when not spaCy's default (the second
    baseline gives it the size extract's pipeline sets, to show what that alone buys).
    """
    import spacy

    nlp = spacy.blank("en")
    if cache is not None and hasattr(nlp.tokenizer, "max_cache_size"):
        nlp.tokenizer.max_cache_size = cache
    with out.open("w", encoding="utf-8") as handle:
        for doc in nlp.pipe(read_workload(workload), batch_size=256):
            handle.write(f"{len(doc)}\n")


# --- measuring ------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    peak_rss: int  #: bytes, summed over the process and its descendants
    peak_pss: int  #: bytes, proportional set size summed likewise (0 where unreadable)


@dataclass
class Result:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_rss(self) -> int:
        return int(statistics.median(s.peak_rss for s in self.samples))

    @property
    def peak_pss(self) -> int:
        return int(statistics.median(s.peak_pss for s in self.samples))


def _tree(root: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _memory(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in bytes, summed over processes."""
    page = os.sysconf("SC_PAGE_SIZE")
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                rss += int(handle.read().split()[1]) * page
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


def measure(command: Sequence[str]) -> Sample:
    """Run a command to completion; its wall time and the peak memory of its tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = _memory(_tree(process.pid))
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            done.wait(0.2)  # a poll costs ~5 ms of a core: keep it light

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    poller.join()
    if process.returncode not in (0, 3):
        raise click.ClickException(
            f"{' '.join(command)} failed ({process.returncode}): {stderr.decode()[-2000:]}"
        )
    return Sample(seconds, peak_rss, peak_pss)


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), as ``uptime`` shows them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:  # pragma: no cover - not Linux
        return "unknown"


@dataclass
class Benchmark:
    records: int
    size: int
    results: list[Result]
    manifests: dict[int, dict[str, object]]  #: workers -> the manifest of its last run
    load_before: str
    load_after: str
    baseline: bool


def run_benchmark(
    records: int,
    workers: Sequence[int],
    repeat: int,
    source: Path,
    workdir: Path,
    baseline: bool = True,
    shard_size: str | None = None,
) -> Benchmark:
    # here, not at the top: the baseline process imports this module and must not pay
    # for extract's pipeline modules
    from .nlp import TOKENIZER_CACHE

    papers = load_papers(source)
    workload = workdir / "workload.jsonl"
    size = write_workload(varied(papers, records), workload)
    python = sys.executable
    results = [Result("tokenizer baseline"), Result(TUNED)] if baseline else []
    results += [Result(f"extract run --workers {n}") for n in workers]
    manifests: dict[int, dict[str, object]] = {}
    load_before = load()
    for _ in range(repeat):  # interleaved, so a busy moment of the machine hits all alike
        if baseline:
            command = [python, "-m", "extract.bench", "baseline", str(workload)]
            command.append(str(workdir / "tokens.txt"))
            results[0].samples.append(measure(command))
            results[1].samples.append(measure([*command, "--cache", str(TOKENIZER_CACHE)]))
        for result, n in zip(results[2 if baseline else 0 :], workers, strict=True):
            out = workdir / f"out-{n}"
            command = [
                python, "-m", "extract", "run", str(workload), "-o", str(out),
                "--overwrite", "--workers", str(n), "--quiet",
            ]  # fmt: skip
            if shard_size:
                command += ["--shard-size", shard_size]
            result.samples.append(measure(command))
            manifests[n] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return Benchmark(records, size, results, manifests, load_before, load(), baseline)


def report(bench: Benchmark) -> str:
    results, records, size = bench.results, bench.records, bench.size
    base = results[0].seconds if bench.baseline else None
    lines = [
        f"workload: {records:,} records, {size / 1e6:.1f} MB of JSON Lines; medians of "
        f"{len(results[0].samples)} runs; load average before {bench.load_before}, "
        f"after {bench.load_after}",
        f"{'run':<26}{'seconds':>9}{'records/s':>11}{'MB/s':>7}"
        f"{'peak RSS MB':>13}{'peak PSS MB':>13}{'x baseline':>12}",
    ]
    for result in results:
        seconds = result.seconds
        ratio = f"{seconds / base:>12.2f}" if base else f"{'':>12}"
        lines.append(
            f"{result.name:<26}{seconds:>9.2f}{records / seconds:>11,.0f}"
            f"{size / 1e6 / seconds:>7.2f}{result.peak_rss / 2**20:>13.0f}"
            f"{result.peak_pss / 2**20:>13.0f}{ratio}"
        )
    runs = {int(r.name.rsplit(" ", 1)[1]): r for r in results if r.name.startswith("extract")}
    tuned = next((r for r in results if r.name == TUNED), None)
    if 1 in runs and tuned is not None:
        lines.append(
            f"--workers 1 vs the tokenizer with extract's cache size: "
            f"{runs[1].seconds / tuned.seconds:.2f}x the time"
        )
    if 1 in runs:
        for n, result in sorted(runs.items()):
            if n > 1:
                speedup = runs[1].seconds / result.seconds
                lines.append(f"--workers {n} vs --workers 1: {speedup:.2f}x faster")
    manifest = bench.manifests.get(1) or next(iter(bench.manifests.values()), {})
    timings = manifest.get("timings")
    elapsed = manifest.get("elapsed_seconds")
    if isinstance(timings, dict) and timings and isinstance(elapsed, (int, float)) and elapsed:
        if 1 in bench.manifests:  # one process: its stages split the run's time
            whole, which = float(elapsed), "of the run time (--workers 1, last run)"
        else:  # several processes: their stage seconds add up past the run's time
            whole = sum(float(seconds) for seconds in timings.values())
            which = "of the stage seconds added up over the processes (last run)"
        shares = ", ".join(
            f"{stage} {float(seconds) / whole:.1%}" for stage, seconds in timings.items()
        )
        lines.append(f"stage shares {which}: {shares}")
    return "\n".join(lines)


@click.group(invoke_without_command=True)
@click.option("--records", default=40_000, show_default=True, help="Records in the workload.")
@click.option(
    "--workers", default="1,2", show_default=True, help="Worker counts to time, comma-separated."
)
@click.option(
    "--repeat", default=3, show_default=True, help="Runs per configuration (medians reported)."
)
@click.option(
    "--source",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="JSON Lines of papers with title and abstract (default: the shared corpus's).",
)
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Time the bare tokenizer pass too.",
)
@click.option("--shard-size", default=None, help="Passed to extract run --shard-size.")
@click.option(
    "--keep",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep the workload and outputs in this folder.",
)
@click.pass_context
def main(
    ctx: click.Context,
    records: int,
    workers: str,
    repeat: int,
    source: Path | None,
    baseline: bool,
    shard_size: str | None,
    keep: Path | None,
) -> None:
    """Time the full pipeline against a bare tokenizer pass on the same real abstracts.

    \b
    Example:
      python -m extract.bench --records 40000 --workers 1,2 --repeat 3
    """
    if ctx.invoked_subcommand is not None:
        return
    source = source or DEFAULT_SOURCE
    if not source.is_file():
        raise click.ClickException(f"{source}: no such file (give --source PAPERS.jsonl)")
    counts = [int(w) for w in workers.split(",") if w.strip()]
    if not counts or min(counts) < 1:
        raise click.BadParameter("expected worker counts such as 1,2", param_hint="--workers")
    workdir = keep or Path(tempfile.mkdtemp(prefix="extract-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        bench = run_benchmark(records, counts, repeat, source, workdir, baseline, shard_size)
        click.echo(report(bench))
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


@main.command(hidden=True)
@click.argument("workload", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--cache", type=int, default=None)
def baseline(workload: Path, out: Path, cache: int | None) -> None:
    """The baseline process (run by the benchmark itself)."""
    tokenizer_baseline(workload, out, cache)


if __name__ == "__main__":
    main()
