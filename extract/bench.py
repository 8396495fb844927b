"""Speed and memory benchmark: ``python -m extract.bench``.

Builds a workload of real abstracts (``../shared/corpus/hf-daily/papers.jsonl`` by
default), varied so that no title or abstract repeats, written as one file in a layout
of the user's choice (``--layout``: JSON Lines, a Daily Papers page, or the arXiv
metadata snapshot), and times, as whole processes the way a user would time them
(start, import, read, work, write):

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
shared machine hits every configuration alike; medians are reported (and, for one
worker against the baseline, the best run of each, the least a busy machine added to
either), with records/s,
MB/s, the CPU seconds of the whole process tree (which other jobs on a shared machine
change far less than the time: two workers that use no more CPU than one would be twice
as fast on an idle machine, less what cannot overlap), the peak resident memory of the
whole process tree (RSS summed over the processes, which counts shared libraries once
per process, and PSS, which shares them out), the
ratio to the baseline measured in the same run, the speed-up of N workers over one, the
stage shares of a one-worker run, and the load of the machine before and after. Not a
test: the suite only checks that it runs on a tiny workload.
"""

from __future__ import annotations

import json
import os
import re
import resource
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

from .version import build

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


#: The layouts a workload can be written in, with the file name extract detects it by.
LAYOUTS = {
    "json_lines": "workload.jsonl",
    "page": "workload.txt",
    "arxiv_snapshot": "workload-arxiv-metadata.json",
}


def write_workload(pairs: Iterator[tuple[str, str]], path: Path, layout: str = "json_lines") -> int:
    """Write the workload as one file in ``layout``; return its size in bytes.

    ``page``: a Daily Papers page (a date line, then title, blank line, abstract);
    ``arxiv_snapshot``: the arXiv metadata dump's objects, with numbered ids, authors
    (a string and parsed), versions and categories, the abstract wrapped and indented
    as the dump writes it.
    """
    with path.open("w", encoding="utf-8") as out:
        if layout == "page":
            out.write("Daily Papers\n\nJul 29\n\n")
        for i, (title, abstract) in enumerate(pairs):
            if layout == "page":
                out.write(f"{title}\n\n{abstract}\n\n")
                continue
            row: dict[str, object] = {"title": title, "abstract": abstract}
            if layout == "arxiv_snapshot":
                row = _snapshot_row(i, title, abstract)
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
    return path.stat().st_size


def _snapshot_row(i: int, title: str, abstract: str) -> dict[str, object]:
    words = abstract.split()
    wrapped = "\n  ".join(" ".join(words[k : k + 12]) for k in range(0, len(words), 12))
    month, number = divmod(i, 99_999)
    arxiv_id = f"{24 + month // 12:02d}{month % 12 + 1:02d}.{number + 1:05d}"
    return {
        "id": arxiv_id,
        "submitter": "A. Author",
        "authors": "A. Author, B. Writer and C. Coder",
        "title": title,
        "comments": "10 pages",
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "cs.CL cs.LG",
        "license": None,
        "abstract": f"  {wrapped}\n",
        "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 00:00:00 GMT"}],
        "update_date": "2024-01-02",
        "authors_parsed": [["Author", "A.", ""], ["Writer", "B.", ""], ["Coder", "C.", ""]],
    }


def read_workload(path: Path) -> Iterator[str]:
    """The titles and abstracts of a JSON Lines workload file, each a text (the
    baseline's reader)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield row["title"]
            yield " ".join(row["abstract"].split())


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
    #: user + system seconds of the process and the descendants it waited for: what the
    #: run cost the machine, which other people's jobs on it change far less than the time
    cpu: float = 0.0


@dataclass
class Result:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def best(self) -> float:
        """The fastest run's seconds: the least a busy machine added to it."""
        return min(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_rss(self) -> int:
        return int(statistics.median(s.peak_rss for s in self.samples))

    @property
    def peak_pss(self) -> int:
        return int(statistics.median(s.peak_pss for s in self.samples))


def _tree(root: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    found: list[int] = []
    stack = [root]
    while stack:  # each thread's children: far cheaper than reading every process's stat
        pid = stack.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{root}/task/{root}/children"):
                return _tree_by_scan(root)  # a kernel without the children files
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return found


def _tree_by_scan(root: int) -> list[int]:
    """:func:`_tree` from every process's parent."""
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


def _memory(pids: list[int], *, pss: bool = True) -> tuple[int, int]:
    """(RSS, PSS) in bytes, summed over processes (PSS 0 unless ``pss``: it is read by
    walking the process's page tables, a few milliseconds of CPU per process)."""
    page = os.sysconf("SC_PAGE_SIZE")
    rss = shared = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                rss += int(handle.read().split()[1]) * page
            if not pss:
                continue
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        shared += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return rss, shared


def measure(command: Sequence[str]) -> Sample:
    """Run a command to completion; its wall time and the peak memory of its tree."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def poll() -> None:
        # The poller shares the machine with the run: on two cores, its CPU is taken from
        # a run that keeps both busy (two workers) and not from one that leaves a core
        # idle (one worker), so it must stay light or it bends the comparison. RSS every
        # 0.2 s (well under 1 ms); PSS every second (2-3 ms of CPU per process) and
        # whenever RSS reaches a new peak, so that a run shorter than a second (or one
        # whose peak falls between two seconds) still has its PSS peak read.
        nonlocal peak_rss, peak_pss
        polls = 0
        while not done.is_set():
            tree = _tree(process.pid)
            rss, _ = _memory(tree, pss=False)
            if rss > peak_rss or polls % 5 == 0:
                rss, pss = _memory(tree)
                peak_pss = max(peak_pss, pss)
            peak_rss = max(peak_rss, rss)
            polls += 1
            done.wait(0.2)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    done.set()
    poller.join()
    if process.returncode not in (0, 3):
        raise click.ClickException(
            f"{' '.join(command)} failed ({process.returncode}): {stderr.decode()[-2000:]}"
        )
    return Sample(seconds, peak_rss, peak_pss, cpu)


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
    layout: str = "json_lines"


def run_benchmark(
    records: int,
    workers: Sequence[int],
    repeat: int,
    source: Path,
    workdir: Path,
    baseline: bool = True,
    shard_size: str | None = None,
    layout: str = "json_lines",
    keep_outputs: bool = False,
) -> Benchmark:
    # here, not at the top: the baseline process imports this module and must not pay
    # for extract's pipeline modules
    from .nlp import TOKENIZER_CACHE

    papers = load_papers(source)
    workload = workdir / LAYOUTS[layout]
    size = write_workload(varied(papers, records), workload, layout)
    texts = workload
    if baseline and layout != "json_lines":  # the baseline reads the same texts as lines
        texts = workdir / LAYOUTS["json_lines"]
        write_workload(varied(papers, records), texts)
    python = sys.executable
    results = [Result("tokenizer baseline"), Result(TUNED)] if baseline else []
    results += [Result(f"extract run --workers {n}") for n in workers]
    manifests: dict[int, dict[str, object]] = {}
    load_before = load()
    for _ in range(repeat):  # interleaved, so a busy moment of the machine hits all alike
        if baseline:
            command = [python, "-m", "extract.bench", "baseline", str(texts)]
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
            if not keep_outputs:  # a large run's tables: its manifest says enough
                shutil.rmtree(out, ignore_errors=True)
    return Benchmark(records, size, results, manifests, load_before, load(), baseline, layout)


def accounted(bench: Benchmark) -> list[str]:
    """For each run: whether every record of the workload is in its manifest's counts
    (a paper, a merged appearance or a reject)."""
    lines = []
    for n, manifest in sorted(bench.manifests.items()):
        counts = manifest["counts"]
        assert isinstance(counts, dict)
        records_in = counts["records_in"]
        placed = counts["papers"] + counts["merged_records"] + counts["rejected_records"]
        ok = records_in == bench.records == placed
        lines.append(
            f"--workers {n}: {records_in:,} records in, {counts['papers']:,} papers, "
            f"{counts['merged_records']:,} merged, {counts['rejected_records']:,} rejected: "
            + ("every record accounted" if ok else "RECORDS MISSING")
        )
    return lines


def report(bench: Benchmark) -> str:
    results, records, size = bench.results, bench.records, bench.size
    base = results[0].seconds if bench.baseline else None
    lines = [
        f"workload: {records:,} records, {size / 1e6:.1f} MB, {bench.layout}; medians of "
        f"{len(results[0].samples)} runs; load average before {bench.load_before}, "
        f"after {bench.load_after}",
        f"extract: the {build()} build (extract --version says which; pip install . compiles)",
        f"{'run':<26}{'seconds':>9}{'CPU s':>8}{'records/s':>11}{'MB/s':>7}"
        f"{'peak RSS MB':>13}{'peak PSS MB':>13}{'x baseline':>12}",
    ]
    for result in results:
        seconds = result.seconds
        ratio = f"{seconds / base:>12.2f}" if base else f"{'':>12}"
        lines.append(
            f"{result.name:<26}{seconds:>9.2f}{result.cpu:>8.1f}{records / seconds:>11,.0f}"
            f"{size / 1e6 / seconds:>7.2f}{result.peak_rss / 2**20:>13.0f}"
            f"{result.peak_pss / 2**20:>13.0f}{ratio}"
        )
    runs = {int(r.name.rsplit(" ", 1)[1]): r for r in results if r.name.startswith("extract")}
    if 1 in runs and bench.baseline:
        lines.append(
            f"--workers 1, best of {len(runs[1].samples)} runs each: {runs[1].best:.2f} s "
            f"against the tokenizer baseline's {results[0].best:.2f} s: "
            f"{runs[1].best / results[0].best:.2f}x the time"
        )
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
                cpu = result.cpu / runs[1].cpu if runs[1].cpu else float("nan")
                lines.append(
                    f"--workers {n} vs --workers 1: {speedup:.2f}x faster "
                    f"(CPU seconds: {cpu:.2f}x one worker's)"
                )
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
    lines.extend(accounted(bench))
    return "\n".join(lines)


def memory_growth(benches: Sequence[Benchmark]) -> list[str]:
    """Peak memory of the largest workload against the smallest, per configuration."""
    if len(benches) < 2:
        return []
    small, large = min(benches, key=lambda b: b.records), max(benches, key=lambda b: b.records)
    lines = []
    for before, after in zip(small.results, large.results, strict=True):
        lines.append(
            f"{after.name}: peak RSS {after.peak_rss / 2**20:,.0f} MB at {large.records:,} "
            f"records, {before.peak_rss / 2**20:,.0f} MB at {small.records:,} "
            f"({after.peak_rss / before.peak_rss - 1:+.1%}); PSS {after.peak_pss / 2**20:,.0f} "
            f"MB against {before.peak_pss / 2**20:,.0f} MB "
            f"({after.peak_pss / max(before.peak_pss, 1) - 1:+.1%})"
        )
    return lines


@click.group(invoke_without_command=True)
@click.option(
    "--records",
    default="40000",
    show_default=True,
    help="Records in the workload; several, comma-separated, compare peak memory.",
)
@click.option(
    "--layout",
    type=click.Choice(sorted(LAYOUTS)),
    default="json_lines",
    show_default=True,
    help="The workload file's format.",
)
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
    records: str,
    layout: str,
    workers: str,
    repeat: int,
    source: Path | None,
    baseline: bool,
    shard_size: str | None,
    keep: Path | None,
) -> None:
    """Time the full pipeline against a bare tokenizer pass on the same real abstracts.

    \b
    Examples:
      python -m extract.bench --records 40000 --workers 1,2 --repeat 3
      python -m extract.bench --layout page --records 40000 --no-baseline
      python -m extract.bench --layout arxiv_snapshot --records 100000,1000000 \\
          --workers 2 --repeat 1 --no-baseline
    """
    if ctx.invoked_subcommand is not None:
        return
    source = source or DEFAULT_SOURCE
    if not source.is_file():
        raise click.ClickException(f"{source}: no such file (give --source PAPERS.jsonl)")
    counts = _numbers(workers, "--workers")
    sizes = _numbers(records, "--records")
    workdir = keep or Path(tempfile.mkdtemp(prefix="extract-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        benches = []
        for size in sizes:
            bench = run_benchmark(
                size,
                counts,
                repeat,
                source,
                workdir,
                baseline,
                shard_size,
                layout,
                keep is not None,
            )
            click.echo(report(bench))
            benches.append(bench)
        for line in memory_growth(benches):
            click.echo(line)
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _numbers(text: str, option: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        numbers = []
    if not numbers or min(numbers) < 1:
        raise click.BadParameter("expected numbers such as 1,2", param_hint=option)
    return numbers


@main.command(hidden=True)
@click.argument("workload", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--cache", type=int, default=None)
def baseline(workload: Path, out: Path, cache: int | None) -> None:
    """The baseline process (run by the benchmark itself)."""
    tokenizer_baseline(workload, out, cache)


if __name__ == "__main__":
    main()
