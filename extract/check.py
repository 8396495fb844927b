"""Re-checking a written dataset against the published JSON Schemas (``extract validate``).

This is deliberately independent of the code that wrote the dataset: it reads the Parquet
parts back, turns each row into JSON values and validates it with ``jsonschema`` against
``schemas/*.schema.json``; it also checks the manifest, that every table is present with
the expected columns, and that the counts in the manifest match the rows.

Then what no single row can show (:func:`cross_check`): every row of a child table
belongs to a paper that exists; ``record_id`` is unique in ``papers`` and ``claim_id``
in ``claims``, each ``claim_id`` of its own paper; offsets lie inside the abstract, end
not before start, and ``abstract[start:end]`` is the claim's ``value_text``, the
benchmark's ``name`` and the claim's ``evidence``; numbers are finite; each paper has
as many appearances as it says, one of them primary; and the manifest's counts balance.
Every problem is one line naming the table, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as pads
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from .errors import ExtractError
from .models import ROW_MODELS
from .resources import schemas_dir
from .schema import arrow_schema, load_schema
from .write import MANIFEST

#: At most this many problems are listed per table, so a broken dataset stays readable.
MAX_PROBLEMS_PER_TABLE = 20


def _no_remote(uri: str) -> Resource[Any]:
    # Schemas are self-contained; a reference that is not must never reach the network.
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    registry: Registry[Any] = Registry(retrieve=_no_remote)  # type: ignore[call-arg]
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def read_table(directory: Path, table: str) -> pads.Dataset:
    return pads.dataset(directory / table, format="parquet")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def validate_dataset(directory: Path, schemas: Path | None = None) -> list[str]:
    """Every problem found in the dataset at ``directory``; empty when it is valid."""
    schemas = schemas or schemas_dir()
    if not directory.is_dir():
        raise ExtractError("not a directory", where=str(directory))
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path}: missing (the dataset is incomplete or not an extract dataset)"]
    problems: list[str] = []
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{manifest_path}: cannot be read: {exc}"]
    problems += [
        f"{MANIFEST}: {_where(e.absolute_path)}{e.message}"
        for e in _validator(load_schema(schemas, "manifest")).iter_errors(manifest)
    ]
    counts = manifest.get("counts", {}) if isinstance(manifest, dict) else {}
    for model in ROW_MODELS:
        problems += list(_check_table(directory, model.table, schemas, counts, arrow_schema(model)))
    unreadable = ("no Parquet part", "cannot be read", "missing columns")
    readable = not any(marker in problem for problem in problems for marker in unreadable)
    if readable:  # every table is there with its columns: now how the rows hang together
        try:
            problems += cross_check(directory, manifest)
        except Exception as exc:  # rows too broken to compare: the row checks said why
            problems.append(f"the checks across rows and tables stopped: {exc}")
    return problems


def _check_table(
    directory: Path, table: str, schemas: Path, counts: dict[str, Any], expected: Any
) -> Iterator[str]:
    parts = sorted((directory / table).glob("*.parquet"))
    if not parts:
        yield f"{table}/: no Parquet part"
        return
    validator = _validator(load_schema(schemas, table))
    rows = 0
    listed = 0
    for part in parts:
        try:
            dataset = pads.dataset(part, format="parquet")
        except Exception as exc:
            yield f"{table}/{part.name}: cannot be read: {exc}"
            continue
        missing = set(expected.names) - set(dataset.schema.names)
        if missing:
            yield f"{table}/{part.name}: missing columns {sorted(missing)}"
        for batch in dataset.to_batches():
            for index, row in enumerate(batch.to_pylist()):
                for error in validator.iter_errors({k: _jsonable(v) for k, v in row.items()}):
                    listed += 1
                    if listed <= MAX_PROBLEMS_PER_TABLE:
                        yield (
                            f"{table}/{part.name} row {rows + index + 1}: "
                            f"{_where(error.absolute_path)}{error.message}"
                        )
            rows += batch.num_rows
    if listed > MAX_PROBLEMS_PER_TABLE:
        yield f"{table}: {listed - MAX_PROBLEMS_PER_TABLE} more problems not listed"
    if table in counts and counts[table] != rows:
        yield f"{table}: the manifest counts {counts[table]} rows, the table has {rows}"


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return f"{'.'.join(parts)}: " if parts else ""


# --- across rows and tables ---------------------------------------------------------------

#: Offset pairs of each child table: (start column, end column, the column whose text
#: ``abstract[start:end]`` must be, or None when only the range is checked).
_SPANS: dict[str, list[tuple[str, str, str | None]]] = {
    "links": [("start", "end", None)],  # the url is normalised: not always the text
    "benchmarks": [("start", "end", "name")],
    "claims": [
        ("start", "end", "value_text"),
        ("evidence_start", "evidence_end", "evidence"),
        ("metric_start", "metric_end", None),
        ("benchmark_start", "benchmark_end", None),
        ("baseline_start", "baseline_end", None),
        ("subject_start", "subject_end", None),
    ],
}


class _Problems:
    """Problem lines, at most :data:`MAX_PROBLEMS_PER_TABLE` of a kind per table."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._counts: Counter[tuple[str, str]] = Counter()

    def add(self, table: str, kind: str, line: str) -> None:
        self._counts[(table, kind)] += 1
        if self._counts[(table, kind)] <= MAX_PROBLEMS_PER_TABLE:
            self.lines.append(line)

    def done(self) -> list[str]:
        for (table, kind), count in sorted(self._counts.items()):
            if count > MAX_PROBLEMS_PER_TABLE:
                more = count - MAX_PROBLEMS_PER_TABLE
                self.lines.append(f"{table}: {more} more problems ({kind}) not listed")
        return self.lines


def _rows(directory: Path, table: str, columns: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each row of a table (those columns) with where it is: ``table/part row N``, N
    counted over the whole table from 1, as the row checks count."""
    number = 0
    for part in sorted((directory / table).glob("*.parquet")):
        dataset = pads.dataset(part, format="parquet")
        for batch in dataset.to_batches(columns=columns):
            for row in batch.to_pylist():
                number += 1
                yield f"{table}/{part.name} row {number}", row


def cross_check(directory: Path, manifest: Any) -> list[str]:
    """What no single row shows: see the module's docstring. Assumes every row passed
    the schema (the tables exist, with their columns and types)."""
    found = _Problems()
    abstracts: dict[str, str | None] = {}
    appearances: dict[str, int] = {}
    for where, row in _rows(directory, "papers", ["record_id", "abstract", "appearances"]):
        record_id = row["record_id"]
        if record_id in abstracts:
            found.add("papers", "duplicate", f"{where}: record_id: {record_id!r} is not unique")
            continue
        abstracts[record_id] = row["abstract"]
        appearances[record_id] = row["appearances"]
    for table, spans in _SPANS.items():
        columns = ["record_id"] + [c for span in spans for c in span if c is not None]
        if table == "claims":
            columns += ["claim_id", "value", "baseline_value"]
        claim_ids: set[str] = set()
        for where, row in _rows(directory, table, sorted(set(columns))):
            record_id = row["record_id"]
            if record_id not in abstracts:
                found.add(table, "orphan", f"{where}: record_id: no paper {record_id!r}")
                continue
            abstract = abstracts[record_id]
            for start, end, text in spans:
                _check_span(found, table, where, row, abstract, (start, end, text))
            if table == "claims":
                _check_claim(found, where, row, claim_ids)
    _check_appearances(found, directory, appearances)
    _check_counts(found, manifest)
    return found.done()


def _check_span(
    found: _Problems,
    table: str,
    where: str,
    row: dict[str, Any],
    abstract: str | None,
    span: tuple[str, str, str | None],
) -> None:
    start_col, end_col, text_col = span
    start, end = row[start_col], row[end_col]
    if start is None and end is None:
        return
    if start is None or end is None:
        found.add(table, "offsets", f"{where}: {start_col}, {end_col}: one is null, not both")
        return
    length = len(abstract) if abstract is not None else 0
    if end < start:
        found.add(table, "offsets", f"{where}: {end_col}: {end} is before {start_col} {start}")
    elif start < 0 or end > length:
        found.add(
            table,
            "offsets",
            f"{where}: {start_col}, {end_col}: [{start}:{end}] is outside the paper's "
            f"abstract ({length} characters)",
        )
    elif text_col is not None and abstract is not None and abstract[start:end] != row[text_col]:
        found.add(
            table,
            "text",
            f"{where}: {text_col}: {row[text_col]!r} is not abstract[{start}:{end}] "
            f"({abstract[start:end]!r})",
        )


def _check_claim(found: _Problems, where: str, row: dict[str, Any], seen: set[str]) -> None:
    claim_id, record_id = row["claim_id"], row["record_id"]
    if claim_id in seen:
        found.add("claims", "duplicate", f"{where}: claim_id: {claim_id!r} is not unique")
    seen.add(claim_id)
    prefix, sep, number = str(claim_id).rpartition("#")
    if not sep or prefix != record_id or not number.isdigit() or int(number) < 1:
        found.add(
            "claims",
            "claim_id",
            f"{where}: claim_id: {claim_id!r} is not '{record_id}#<n>' (its record_id)",
        )
    for column in ("value", "baseline_value"):
        value = row[column]
        if isinstance(value, float) and not math.isfinite(value):
            found.add("claims", "number", f"{where}: {column}: {value} is not a number")


def _check_appearances(found: _Problems, directory: Path, papers: dict[str, int]) -> None:
    seen: Counter[str] = Counter()
    primary: defaultdict[str, int] = defaultdict(int)
    for where, row in _rows(directory, "appearances", ["record_id", "primary"]):
        record_id = row["record_id"]
        if record_id not in papers:
            found.add("appearances", "orphan", f"{where}: record_id: no paper {record_id!r}")
            continue
        seen[record_id] += 1
        primary[record_id] += bool(row["primary"])
    for where, row in _rows(directory, "papers", ["record_id"]):
        record_id = row["record_id"]
        if seen[record_id] != papers.get(record_id):
            found.add(
                "papers",
                "appearances",
                f"{where}: appearances: {papers.get(record_id)}, but the appearances table "
                f"has {seen[record_id]} rows of {record_id!r}",
            )
        elif primary[record_id] != 1:
            found.add(
                "appearances",
                "primary",
                f"{where}: appearances of {record_id!r}: primary: "
                f"{primary[record_id]} rows are primary, not 1",
            )


def _check_counts(found: _Problems, manifest: Any) -> None:
    counts = manifest.get("counts") if isinstance(manifest, dict) else None
    if not isinstance(counts, dict):
        return
    papers, merged = counts.get("papers", 0), counts.get("merged_records", 0)
    rejected, records = counts.get("rejected_records", 0), counts.get("records_in", 0)
    if papers + merged + rejected != records:
        found.add(
            MANIFEST,
            "counts",
            f"{MANIFEST}: counts: papers {papers} + merged_records {merged} + "
            f"rejected_records {rejected} != records_in {records}",
        )
    if counts.get("appearances", 0) != papers + merged:
        found.add(
            MANIFEST,
            "counts",
            f"{MANIFEST}: counts: appearances {counts.get('appearances')} != papers {papers} "
            f"+ merged_records {merged}",
        )
    entries = manifest.get("inputs") if isinstance(manifest, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        parts = [entry.get(k, 0) for k in ("papers", "merged", "rejected")]
        if sum(parts) != entry.get("records", 0):
            found.add(
                MANIFEST,
                "inputs",
                f"{MANIFEST}: inputs.{index} ({entry.get('path')}): papers {parts[0]} + "
                f"merged {parts[1]} + rejected {parts[2]} != records {entry.get('records')}",
            )
