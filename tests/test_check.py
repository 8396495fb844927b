"""`extract validate`: every promise across rows and tables is checked, one line per
problem naming the table, the row and the column.

Each case corrupts one value of a copy of a good dataset (a paper seen twice, claims,
a benchmark, a link) and expects exactly the line that names it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import extract
from extract.check import validate_dataset
from extract.cli import main

A = (
    "Jul 29\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster than before, "
    "reaching 91.2% accuracy on ImageNet. Code: https://github.com/acme/widgetron\n\n"
    "Gadgetron: Slow Gadgets\n\nWe build gadgets 20% slower on CIFAR-10.\n"
)
B = (
    "Jul 30\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster than before, "
    "reaching 91.2% accuracy on ImageNet.\n"
)

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("check")
    (folder / "in").mkdir()
    (folder / "in" / "a.txt").write_text(A)
    (folder / "in" / "b.txt").write_text(B)
    out = folder / "out"
    extract.run([str(folder / "in")], out)
    for table in ("claims", "benchmarks", "links"):
        assert pq.read_table(out / table).num_rows, f"the dataset needs {table} rows"
    return out


@pytest.fixture
def copy(dataset: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(dataset, tmp_path / "copy"))


def rewrite(folder: Path, table: str, change: Callable[[Rows], None]) -> None:
    part = folder / table / "part-00000.parquet"
    original = pq.read_table(part)
    rows = original.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=original.schema), part)


def set_value(index: int, **values: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[index].update(values)

    return change


def duplicate_first(rows: Rows) -> None:
    rows.append(dict(rows[0]))


def test_a_good_dataset_is_valid(dataset: Path) -> None:
    assert validate_dataset(dataset) == []


def test_tables_rewritten_with_the_same_values_are_still_valid(copy: Path) -> None:
    for part in copy.glob("*/*.parquet"):
        table = pq.read_table(part)
        # other row groups, another compression, no statistics: the same values
        pq.write_table(table, part, row_group_size=1, compression="snappy", write_statistics=False)
    assert validate_dataset(copy) == []


CASES = [
    # (table, change, the line expected)
    ("claims", set_value(0, record_id="title:0000000000000000"),
     "claims/part-00000.parquet row 1: record_id: no paper 'title:0000000000000000'"),
    ("links", set_value(0, record_id="arxiv:2401.00001"),
     "links/part-00000.parquet row 1: record_id: no paper 'arxiv:2401.00001'"),
    ("appearances", set_value(0, record_id="title:0000000000000000"),
     "appearances/part-00000.parquet row 1: record_id: no paper 'title:0000000000000000'"),
    ("papers", duplicate_first, "papers/part-00000.parquet row 3: record_id: "),
    ("claims", set_value(0, start=5000, end=5004),
     "claims/part-00000.parquet row 1: start, end: [5000:5004] is outside the paper's abstract"),
    ("claims", set_value(0, end=10), "claims/part-00000.parquet row 1: end: 10 is before start"),
    ("benchmarks", set_value(0, end=None),
     "benchmarks/part-00000.parquet row 1: start, end: one is null, not both"),
    ("claims", set_value(0, value_text="9.9x"),
     "claims/part-00000.parquet row 1: value_text: '9.9x' is not abstract[17:21] ('2.5x')"),
    ("claims", set_value(0, evidence="We build"),
     "claims/part-00000.parquet row 1: evidence: 'We build' is not abstract["),
    ("benchmarks", set_value(0, name="MNIST"),
     "benchmarks/part-00000.parquet row 1: name: 'MNIST' is not abstract["),
    ("claims", set_value(0, value=float("nan")),
     "claims/part-00000.parquet row 1: value: nan is not a number"),
    ("claims", set_value(0, baseline_value=float("inf")),
     "claims/part-00000.parquet row 1: baseline_value: inf is not a number"),
    ("claims", set_value(1, claim_id="title:613f03a17135e255#1"),
     "claims/part-00000.parquet row 2: claim_id: 'title:613f03a17135e255#1' is not "),
    ("claims", duplicate_first, "claims/part-00000.parquet row 4: claim_id: "),
    ("papers", set_value(0, appearances=3),
     "papers/part-00000.parquet row 1: appearances: 3, but the appearances table has 2 rows"),
    ("appearances", set_value(1, primary=True),
     "papers/part-00000.parquet row 1: appearances of "),
]  # fmt: skip


@pytest.mark.parametrize(("table", "change", "line"), CASES)
def test_each_broken_promise_is_one_line(
    copy: Path, table: str, change: Callable[[Rows], None], line: str
) -> None:
    rewrite(copy, table, change)
    problems = validate_dataset(copy)
    assert [p for p in problems if p.startswith(line)], problems
    # one line for the value, and at most one for what follows from it (a paper that
    # lost one of its appearances to an orphan row)
    assert len(problems) <= 2, problems


def test_the_claims_evidence_and_ids_of_the_fixture_are_what_the_cases_expect(
    dataset: Path,
) -> None:
    claims = pq.read_table(dataset / "claims").to_pylist()
    assert claims[0]["value_text"] == "2.5x" and (claims[0]["start"], claims[0]["end"]) == (17, 21)
    assert claims[1]["record_id"] != claims[0]["record_id"] or len(claims) > 2


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"records_in": 99}, "manifest.json: counts: papers 2 + merged_records 1 + "),
        ({"appearances": 2}, "manifest.json: counts: appearances 2 != papers 2"),
    ],
)
def test_manifest_counts_that_do_not_balance(copy: Path, change: dict[str, int], line: str) -> None:
    path = copy / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["counts"].update(change)
    path.write_text(json.dumps(manifest))
    problems = validate_dataset(copy)
    assert any(p.startswith(line) for p in problems), problems


def test_validate_prints_one_line_per_problem(copy: Path) -> None:
    rewrite(copy, "claims", set_value(0, value=float("nan"), record_id="title:0000000000000000"))
    result = CliRunner().invoke(main, ["validate", str(copy)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "claims/part-00000.parquet row 1: record_id: no paper 'title:0000000000000000'"
    )
