"""Inputs for the scale tests: every kind of shard in one small folder.

A JSON Lines dump large enough to be cut into many parts at a small shard size (with a
broken line, an undecodable byte and papers repeated from other files), a CSV file whose
quoted abstracts hold line breaks, a Daily Papers page, and a folder of one-paper JSON
files, some of them the same papers as the dump. Synthetic, so the tests run anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

TABLES = ("papers", "links", "benchmarks", "claims", "appearances", "rejects")


def abstract(i: int) -> str:
    return (
        f"We present Widget-{i}, which improves accuracy by {i % 9}.{i % 7}% on ImageNet "
        f"and reaches {60 + i % 30}.{i % 10} BLEU on WMT14. It runs {i % 5 + 2}x faster "
        f"than prior work. Code: https://github.com/acme/widget-{i}."
    )


def dump(count: int) -> bytes:
    lines = []
    for i in range(count):
        row: dict[str, Any] = {"title": f"Widget-{i}: Fast Widgets", "abstract": abstract(i)}
        if i % 3 == 0:
            row["arxiv_id"] = f"2401.{i:05d}"
        lines.append(json.dumps(row, ensure_ascii=False).encode())
        if i == 40:
            lines.append(b'{"title": "broken')
        if i == 77:
            lines.append(b'{"title": "Damaged \xff byte", "abstract": "x"}')
    return b"\n".join(lines) + b"\n"


def table(count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "abstract", "arxiv_id"])
    for i in range(count):
        text = abstract(1000 + i).replace(". ", ".\n", 1)  # a line break in a quoted cell
        writer.writerow([f"Gadget-{i}: Slow Gadgets", text, ""])
    return out.getvalue()


def page(count: int) -> str:
    body = "".join(f"Widget-{i}: Fast Widgets\n\n{abstract(i)}\n\n" for i in range(0, count, 2))
    return f"Daily Papers\n\nJul 29\n\n{body}"


def write_inputs(folder: Path, size: int = 150) -> Path:
    """The inputs, in ``folder/in``; returns that folder."""
    inputs = folder / "in"
    (inputs / "days").mkdir(parents=True, exist_ok=True)
    (inputs / "a_dump.jsonl").write_bytes(dump(size))
    (inputs / "b_table.csv").write_text(table(size // 3), encoding="utf-8")
    (inputs / "c_page.txt").write_text(page(size // 5), encoding="utf-8")
    for i in range(0, size, 7):
        paper = {"paper_id": f"2401.{i:05d}", "title": f"Widget-{i}: fast widgets", "upvotes": i}
        (inputs / "days" / f"2026-01-{i % 28 + 1:02d}-{i}.json").write_text(json.dumps(paper))
    return inputs


def tables_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name / "part-00000.parquet").read_bytes() for name in TABLES}


def rows(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: pq.read_table(out / name).to_pylist() for name in TABLES}


def jsonl_papers(count: int) -> bytes:
    return b"".join(
        json.dumps({"title": f"Paper {i}", "abstract": abstract(i)}).encode() + b"\n"
        for i in range(count)
    )
