"""Schemas: generated from the models, committed, and in agreement with the writer."""

from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from extract.cli import main
from extract.models import ROW_MODELS, Claim, Row
from extract.resources import checkout_schemas_dir
from extract.schema import arrow_schema, drift, json_schema, load_schema, write_schemas

from .conftest import examples


def test_committed_schemas_match_the_models(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "--check", "--dir", str(checkout_schemas_dir())])
    assert result.exit_code == 0, result.output


def test_drift_is_detected(tmp_path: Path, runner: CliRunner) -> None:
    write_schemas(tmp_path)
    assert drift(tmp_path) == []
    (tmp_path / "claims.schema.json").write_text("{}\n")
    (tmp_path / "links.schema.json").unlink()
    assert drift(tmp_path) == [
        "links.schema.json: missing",
        "claims.schema.json: differs from the models",
    ]
    result = runner.invoke(main, ["schema", "--check", "--dir", str(tmp_path)])
    assert result.exit_code == 1


@pytest.mark.parametrize("model", ROW_MODELS, ids=lambda m: m.table)
def test_schemas_are_valid_draft_2020_12(model: type) -> None:
    schema = json_schema(model, model.table)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("model", ROW_MODELS, ids=lambda m: m.table)
def test_arrow_and_json_schema_have_the_same_columns(model: type) -> None:
    schema = json_schema(model, model.table)
    assert arrow_schema(model).names == list(schema["properties"])
    required = set(schema.get("required", []))
    for field in arrow_schema(model):
        prop = schema["properties"][field.name]
        allows_null = "anyOf" in prop and {"type": "null"} in prop["anyOf"]
        assert field.nullable == allows_null, field.name
        if (
            not field.nullable
            and field.name in model.model_fields
            and model.model_fields[field.name].is_required()
        ):
            assert field.name in required


def test_claim_types() -> None:
    schema = arrow_schema(Claim)
    assert schema.field("value").type == pa.float64()
    assert schema.field("start").type == pa.int64() and not schema.field("start").nullable
    assert schema.field("baseline_value").nullable


# --- the runtime check and the published schema agree ------------------------------------


def _constraints(items: Any) -> list[Any]:
    """The constraint objects (Ge, MinLen, a pattern...) among a field's metadata."""
    found = []
    for item in items:
        found.extend(_constraints(item.metadata) if hasattr(item, "metadata") else [item])
    return found


def _typed(
    annotation: Any, meta: tuple[Any, ...] = (), *, strict: bool = False
) -> st.SearchStrategy[Any]:
    """Values of a field's type: within its constraints, and (unless ``strict``) also
    just outside them."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _typed(args[0], (*meta, *_constraints(args[1:])), strict=strict)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_typed(a, meta, strict=strict) for a in args))
    if origin is typing.Literal:
        return st.sampled_from(args) if strict else st.one_of(st.sampled_from(args), st.text())
    if origin is list:
        return st.lists(_typed(args[0], strict=strict), max_size=3)
    if annotation is type(None):
        return st.none()
    if annotation is str:
        pattern = next((m.pattern for m in meta if getattr(m, "pattern", None)), None)
        shortest = max([getattr(m, "min_length", 0) or 0 for m in meta] or [0])
        within = st.from_regex(pattern, fullmatch=True) if pattern else st.text(min_size=shortest)
        return within if strict else st.one_of(within, st.sampled_from(["", " ", "a b", "x\ny"]))
    if annotation is int:
        least = max([getattr(m, "ge", 0) or 0 for m in meta] or [0])
        within = st.integers(least, 2**40)
        return within if strict else st.one_of(within, st.integers(-3, 3))
    if annotation is float:
        return st.floats(allow_nan=not strict, allow_infinity=not strict)
    if annotation is bool:
        return st.booleans()
    if annotation is dt.date:
        return st.dates()
    raise AssertionError(f"no values for {annotation!r}")


_JUNK = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.floats(),
    st.text(max_size=4),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def candidate_rows(draw: st.DrawFn, model: type[Row]) -> dict[str, Any]:
    """Rows that are often valid and often wrong in one field or several."""
    row: dict[str, Any] = {}
    strict = draw(st.booleans())  # every field within its constraints, or not
    for name, info in model.model_fields.items():
        choice = 2 if strict else draw(st.integers(0, 9))
        if choice == 0:
            continue  # missing
        typed = _typed(info.annotation, tuple(_constraints(info.metadata)), strict=strict)
        row[name] = draw(_JUNK if choice == 1 else typed)
    if strict:  # offsets that hold together, as the rules write them
        for start in [n for n in model.model_fields if n.endswith("start")]:
            end = start[: -len("start")] + "end"
            if end not in row:
                continue
            if not model.model_fields[start].is_required() and draw(st.booleans()):
                row[start] = row[end] = None
            else:
                row[start] = draw(st.integers(0, 50))
                row[end] = row[start] + draw(st.integers(1, 20))
        if "evidence_start" in row:
            row["evidence_start"] = max(0, row["start"] - draw(st.integers(0, 5)))
            row["evidence_end"] = row["end"] + draw(st.integers(0, 5))
    if not strict and draw(st.booleans()):
        row["unexpected"] = 1
    return row


@pytest.mark.parametrize("model", ROW_MODELS, ids=lambda m: m.table)
def test_every_row_the_runtime_check_accepts_the_published_schema_accepts(
    model: type[Row],
) -> None:
    """Rows are validated at run time by the pydantic models; the published JSON Schema
    (what `extract validate` and any reader check) is generated from them. Whatever the
    models accept, the schema must accept too, or a dataset could fail its own schema."""
    validator = Draft202012Validator(
        load_schema(checkout_schemas_dir(), model.table),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    accepted = 0

    @settings(max_examples=examples(500, dev=60))
    @given(candidate_rows(model))
    def check(data: dict[str, Any]) -> None:
        nonlocal accepted
        try:
            row = model.model_validate(data)
        except ValidationError:
            return  # rejected at run time: it becomes a reject, never a published row
        accepted += 1
        errors = [e.message for e in validator.iter_errors(row.model_dump(mode="json"))]
        assert not errors, (data, errors)

    check()
    # not every row was rejected: the property was put to the test
    assert accepted > examples(500, dev=60) // 40


@pytest.mark.parametrize("model", ROW_MODELS, ids=lambda m: m.table)
def test_the_rows_the_check_keeps_are_what_model_dump_gives(model: type[Row]) -> None:
    """`validate` keeps a checked row as the validated instance's fields (cheaper than
    `model_dump()`); for the flat row models that must be the same dict, in the same
    order, whatever row is checked."""
    from extract.validate import _check

    @settings(max_examples=examples(200, dev=30))
    @given(candidate_rows(model))
    def check(data: dict[str, Any]) -> None:
        kept, problem = _check(model, data)
        if problem is not None:
            return
        dumped = model.model_validate(data).model_dump()
        assert kept == dumped
        assert list(kept) == list(dumped)

    check()
