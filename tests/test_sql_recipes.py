"""Every SQL recipe of the README runs with DuckDB on the sample dataset and answers."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

import extract

README = Path(__file__).resolve().parent.parent / "README.md"


def recipes() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### SQL recipes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_has_the_recipes() -> None:
    found = recipes()
    assert len(found) >= 4
    joined = "\n".join(found)
    for question in ("arg_max", "date_trunc('month'", "confidence < 0.5"):
        assert question in joined


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sql") / "dataset"
    extract.run([], output=out, year=2026)  # the bundled sample, dated
    return out


@pytest.mark.parametrize("number", range(len(recipes())))
def test_recipe_runs_on_the_sample(sample: Path, number: int) -> None:
    query = recipes()[number].replace("output/dataset", sample.as_posix())
    rows = duckdb.sql(query).fetchall()
    assert rows, f"recipe {number + 1} answered nothing on the sample:\n{query}"
