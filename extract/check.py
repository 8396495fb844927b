"""Re-checking a written dataset against the published JSON Schemas (``extract validate``).

This is deliberately independent of the code that wrote the dataset: it reads the Parquet
parts back, turns each row into JSON values and validates it with ``jsonschema`` against
``schemas/*.schema.json``; it also checks the manifest, that every table is present with
the expected columns, and that the counts in the manifest match the rows.
"""

from __future__ import annotations

import datetime as dt
import json
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
