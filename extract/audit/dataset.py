"""Reading a written dataset back for the audit report: plain rows, grouped by paper.

The report only reads; it never changes the dataset. Rows stay plain dictionaries (the
Parquet columns as they are), so columns added to the models later flow through to the
report without a change here. Columns the report relies on are listed in ``REQUIRED`` and
checked up front, so a dataset from another tool fails with a clear message.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check import read_table
from ..errors import ExtractError
from ..write import MANIFEST

Row = dict[str, Any]

#: Columns the report cannot do without, per table.
REQUIRED: dict[str, tuple[str, ...]] = {
    "papers": ("record_id", "title", "abstract"),
    "claims": ("record_id", "value", "value_text", "kind", "start", "end", "rule_id"),
    "benchmarks": ("record_id", "name", "start", "end", "rule_id"),
    "links": ("record_id", "url", "kind", "start", "end", "rule_id"),
    "rejects": ("source", "stage", "reason", "detail"),
}


@dataclass
class Dataset:
    """Every table of one dataset; the child rows of paper ``i`` are listed in ``by_paper``."""

    directory: Path
    manifest: dict[str, Any]
    papers: list[Row]
    claims: list[Row]
    benchmarks: list[Row]
    links: list[Row]
    rejects: list[Row]
    #: table name -> paper index -> indices of that table's rows belonging to the paper
    by_paper: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    #: rows whose ``record_id`` names no paper: table name -> row indices
    orphans: dict[str, list[int]] = field(default_factory=dict)

    def rows_of(self, table: str, paper: int) -> list[int]:
        """Indices of the rows of ``table`` that belong to paper ``paper``."""
        return self.by_paper.get(table, {}).get(paper, [])


def load_dataset(directory: Path) -> Dataset:
    """Read the dataset written by ``extract run`` at ``directory``."""
    if not directory.is_dir():
        raise ExtractError("not a directory", where=str(directory))
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ExtractError(
            "not an extract dataset (no manifest.json)",
            where=str(directory),
            hint="give the output directory of `extract run`",
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(
            f"the manifest cannot be read: {exc}", where=str(manifest_path)
        ) from None
    if not isinstance(manifest, dict):
        raise ExtractError("the manifest is not a JSON object", where=str(manifest_path))
    tables = {name: _rows(directory, name, columns) for name, columns in REQUIRED.items()}
    data = Dataset(
        directory=directory,
        manifest=manifest,
        papers=tables["papers"],
        claims=tables["claims"],
        benchmarks=tables["benchmarks"],
        links=tables["links"],
        rejects=tables["rejects"],
    )
    index = {paper["record_id"]: i for i, paper in reversed(list(enumerate(data.papers)))}
    for name in ("claims", "benchmarks", "links"):
        grouped: dict[int, list[int]] = {}
        for i, row in enumerate(tables[name]):
            paper = index.get(row["record_id"])
            if paper is None:
                data.orphans.setdefault(name, []).append(i)
            else:
                grouped.setdefault(paper, []).append(i)
        data.by_paper[name] = grouped
    return data


def _rows(directory: Path, table: str, required: tuple[str, ...]) -> list[Row]:
    where = directory / table
    if not where.is_dir() or not any(where.glob("*.parquet")):
        raise ExtractError(
            f"the {table} table is missing", where=str(where), hint="is this a complete dataset?"
        )
    try:
        dataset = read_table(directory, table)
        names = set(dataset.schema.names)
        rows: list[Row] = dataset.to_table().to_pylist()
    except Exception as exc:  # pyarrow raises several types for unreadable files
        raise ExtractError(f"the {table} table cannot be read: {exc}", where=str(where)) from None
    missing = [c for c in required if c not in names]
    if missing:
        raise ExtractError(
            f"the {table} table has no column {', '.join(missing)}", where=str(where)
        )
    return rows


def fold(name: str | None) -> str:
    """A title or name for comparing: case, width, spacing and punctuation ignored.

    Unlike :func:`extract.records.normalise_title`, which keeps word boundaries because
    record ids hash it, this drops spaces too ("Tiny ImageNet" = "TinyImageNet"), the
    way gold titles and benchmark names are matched by the corpus's reference scorer.
    """
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())
