"""The whole pipeline (``extract.run``, in this process) over generated hostile input
trees: symbolic links in and out of the folder and in loops, the output and the cache
inside the input, cells over the size cap, broken quotes, compressed and binary files.

Whatever the tree, the run ends without an exception or a traceback, the dataset
validates, every record is accounted for (a paper, merged or a reject, per input and
in all), every good paper is there, and nothing outside the input folder or inside the
run's own output is read.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extract
from extract.check import validate_dataset

#: Examples per run of the suite; EXTRACT_FUZZ_EXAMPLES sets another count.
EXAMPLES = int(os.environ.get("EXTRACT_FUZZ_EXAMPLES", "300"))
BIG = 1 << 20  # the record size cap: a cell just over it


@dataclass(frozen=True)
class Entry:
    """One entry of the input folder: a file of some kind, or a link."""

    kind: str
    depth: int  # 0: at the top of the folder, 1: in a sub-folder


KINDS = [
    "page",  # a Daily Papers page of good papers
    "jsonl",  # JSON Lines of good papers
    "csv",  # a CSV of good papers
    "csv_huge_cell",  # a good CSV with one cell over the cap on one line
    "csv_huge_quoted",  # a quoted cell over the cap over many lines
    "csv_broken_quote",  # a quote never closed
    "gzip",  # a compressed listing
    "binary",  # bytes that are no listing
    "empty",
    "link_out_file",  # a link to a private file outside the folder
    "link_out_dir",  # a link to a private folder outside
    "link_root",  # a link to /
    "link_in",  # a link to a file of the folder
    "link_loop",  # a link to the folder itself
    "link_broken",  # a link to nothing
]
SLOW = {"csv_huge_cell", "csv_huge_quoted"}

entries = st.lists(
    st.builds(Entry, st.sampled_from(KINDS), st.integers(0, 1)), min_size=1, max_size=6
).filter(lambda found: sum(e.kind in SLOW for e in found) <= 1)


@dataclass
class Tree:
    root: Path  # the input folder
    good: set[str]  # titles of good papers that must be in the output
    private: str  # the title of the paper outside the folder, never to be read


def _papers(tag: str, count: int) -> list[tuple[str, str]]:
    return [
        (f"Paper {tag}{i}: a study", f"We improve {tag}{i} by {i}.5% on ImageNet.")
        for i in range(count)
    ]


def build(base: Path, found: list[Entry]) -> Tree:
    root = base / "in"
    (root / "sub").mkdir(parents=True)
    private = base / "private"
    private.mkdir()
    secret = "Private Diary: never read"
    (private / "diary.txt").write_text(f"Jul 29\n\n{secret}\n\nDo not read this.\n")
    good: set[str] = set()
    for index, entry in enumerate(found):
        folder = root / "sub" if entry.depth else root
        tag = f"f{index}x"
        name = f"{index:02d}-{entry.kind}"
        path = folder / name
        papers = _papers(tag, 3)
        if entry.kind == "page":
            body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
            (folder / f"{name}.txt").write_text("Jul 29\n\n" + body)
            good |= {title for title, _ in papers}
        elif entry.kind == "jsonl":
            lines = [json.dumps({"title": t, "abstract": a}) for t, a in papers]
            (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n")
            good |= {title for title, _ in papers}
        elif entry.kind.startswith("csv"):
            rows = [f"{t},{a}" for t, a in papers]
            if entry.kind == "csv_huge_cell":
                rows.insert(1, f"Huge {tag},{'x' * (BIG + 10)}")
            elif entry.kind == "csv_huge_quoted":
                cell = "\n".join(["y" * 1000] * (BIG // 1000 + 20))
                rows.insert(1, f'Huge {tag},"{cell}"')
            elif entry.kind == "csv_broken_quote":
                rows.insert(1, f'Broken {tag},"a quote never closed')
                papers = papers[:1]  # the rows after the quote are not read
            (folder / f"{name}.csv").write_text("title,abstract\n" + "\n".join(rows) + "\n")
            good |= {title for title, _ in papers}
        elif entry.kind == "gzip":
            (folder / f"{name}.txt.gz").write_bytes(gzip.compress(b"Jul 29\n\nA\n\nB.\n"))
        elif entry.kind == "binary":
            (folder / f"{name}.bin").write_bytes(bytes(range(256)) * 4)
        elif entry.kind == "empty":
            (folder / f"{name}.txt").write_bytes(b"")
        elif entry.kind == "link_out_file":
            path.symlink_to(private / "diary.txt")
        elif entry.kind == "link_out_dir":
            path.symlink_to(private)
        elif entry.kind == "link_root":
            path.symlink_to("/")
        elif entry.kind == "link_in":
            target = root / "target.txt"
            if not target.exists():
                body = "".join(f"{t}\n\n{a}\n\n" for t, a in _papers("linked", 2))
                target.write_text("Jul 29\n\n" + body)
                good |= {t for t, _ in _papers("linked", 2)}
            path.symlink_to(target)
        elif entry.kind == "link_loop":
            path.symlink_to(root)
        elif entry.kind == "link_broken":
            path.symlink_to(base / "nothing-here")
    return Tree(root, good, secret)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    found=entries,
    output=st.sampled_from(["beside", "inside", "deep_inside"]),
    incremental=st.booleans(),
    twice=st.booleans(),
)
def test_hostile_input_trees(
    found: list[Entry], output: str, incremental: bool, twice: bool
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tree = build(Path(scratch), found)
        out = {
            "beside": Path(scratch) / "out",
            "inside": tree.root / "out",
            "deep_inside": tree.root / "sub" / "out",
        }[output]
        errors = io.StringIO()
        runs = 2 if twice else 1
        tables: list[dict[str, bytes]] = []
        with contextlib.redirect_stderr(errors):
            for _ in range(runs):
                summary = extract.run(
                    [str(tree.root)], out, overwrite=True, incremental=incremental,
                    max_reject_rate=1.0,
                )  # fmt: skip
                tables.append({p.name: p.read_bytes() for p in out.glob("*/*.parquet")})
        assert "Traceback" not in errors.getvalue()
        assert validate_dataset(out) == []
        c = summary.counts
        assert c.papers + c.merged_records + c.rejected_records == c.records_in
        for entry in summary.inputs:
            assert entry.papers + entry.merged + entry.rejected == entry.records, entry
            # nothing read from outside the folder or from the run's own output
            real = os.path.realpath(Path(entry.path))
            root = os.path.realpath(tree.root)
            assert real == root or real.startswith(root + os.sep), entry.path
            assert not real.startswith(os.path.realpath(out) + os.sep), entry.path
        titles = set(pq.read_table(out / "papers").column("title").to_pylist())
        assert tree.good <= titles, "a good paper was lost"
        assert tree.private not in titles
        # a link that leads out is not followed, whether or not something is there
        links_out = {"link_out_file", "link_out_dir", "link_root", "link_broken"}
        expected_skips = sum(entry.kind in links_out for entry in found)
        assert len(summary.skipped) == expected_skips
        assert all(s.reason == "link_outside_input" for s in summary.skipped)
        assert tables[0] == tables[-1], "a second run read something the first did not"
