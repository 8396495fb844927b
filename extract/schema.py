"""Schemas derived from :mod:`extract.models`: JSON Schema files and Arrow schemas.

``schemas/<table>.schema.json`` (draft 2020-12) is what ``extract validate`` checks a
written dataset against; the Arrow schema fixes the Parquet column types. Both come from
the same pydantic model, so they cannot disagree with the validation done at run time.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union

import pyarrow as pa
from pydantic import BaseModel

from .errors import ExtractError
from .models import ROW_MODELS, SCHEMA_VERSION, Manifest, Row

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_MODELS: dict[str, type[BaseModel]] = {m.table: m for m in ROW_MODELS} | {
    "manifest": Manifest
}


def json_schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The JSON Schema of one table (or the manifest), self-contained, no remote refs."""
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": DRAFT,
        "$id": f"urn:extract:schema:{name}:{SCHEMA_VERSION}",
        **schema,
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_files() -> Iterator[tuple[str, str]]:
    """(file name, content) of every schema file, in a stable order."""
    for name, model in SCHEMA_MODELS.items():
        yield f"{name}.schema.json", render(json_schema(model, name))


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, content in expected_files():
        path = directory / file_name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def drift(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    problems = []
    for file_name, content in expected_files():
        path = directory / file_name
        if not path.is_file():
            problems.append(f"{file_name}: missing")
        elif path.read_text(encoding="utf-8") != content:
            problems.append(f"{file_name}: differs from the models")
    return problems


def load_schema(directory: Path, name: str) -> dict[str, Any]:
    path = directory / f"{name}.schema.json"
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(f"cannot read schema: {exc}", where=str(path)) from exc
    return loaded


# --- Arrow --------------------------------------------------------------------------

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
}


def _arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """Arrow type of a field annotation and whether it is nullable."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _arrow_type(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        arrow, _ = _arrow_type(args[0])
        return arrow, True
    if origin is Literal:
        return pa.string(), False
    if origin is list:
        (item,) = typing.get_args(annotation)
        item_type, _ = _arrow_type(item)
        return pa.list_(pa.field("item", item_type, nullable=False)), False
    if annotation in _SCALARS:
        return _SCALARS[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


@cache
def arrow_schema(model: type[Row]) -> pa.Schema:
    """The Arrow schema of a table, columns in model order."""
    fields = []
    for name, info in model.model_fields.items():
        arrow, nullable = _arrow_type(info.annotation)
        fields.append(pa.field(name, arrow, nullable=nullable))
    metadata = {"extract.table": model.table, "extract.schema": SCHEMA_VERSION}
    return pa.schema(fields, metadata={**metadata, "pandas": _pandas_metadata(fields)})


def _pandas_metadata(fields: list[pa.Field]) -> str:
    """What pandas reads to give a nullable integer column its nullable integer type
    (``Int64``): without it, ``upvotes`` with a null would read as float."""
    columns = [
        {
            "name": f.name,
            "field_name": f.name,
            "pandas_type": "int64",
            "numpy_type": "Int64",
            "metadata": None,
        }
        for f in fields
        if f.nullable and pa.types.is_integer(f.type)
    ]
    document = {"index_columns": [], "column_indexes": [], "columns": columns}
    return json.dumps(document, sort_keys=True, separators=(",", ":"))
