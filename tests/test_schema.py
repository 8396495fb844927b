"""Schemas: generated from the models, committed, and in agreement with the writer."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from extract.cli import main
from extract.models import ROW_MODELS, Claim
from extract.resources import checkout_schemas_dir
from extract.schema import arrow_schema, drift, json_schema, write_schemas


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
