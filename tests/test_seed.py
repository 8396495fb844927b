"""End to end on the real seed listing (read from ../shared, skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

import extract
from extract.cli import main

from .conftest import SEED, SEED_GOLD, need_shared


def test_seed_listing_titles_and_urls(tmp_path: Path) -> None:
    need_shared(SEED, SEED_GOLD)
    out = tmp_path / "seed"
    summary = extract.run([str(SEED)], out)
    gold = [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]
    papers = pq.read_table(out / "papers").to_pylist()
    assert summary.counts.papers == 59 == len(gold)
    assert [p["title"] for p in papers] == [g["title"] for g in gold]
    links = pq.read_table(out / "links").to_pylist()
    by_record = {p["record_id"]: p["position"] for p in papers}
    got = {(by_record[link["record_id"]], link["url"], link["kind"]) for link in links}
    expected = {(g["position"], u, "code") for g in gold for u in g["code_urls"]} | {
        (g["position"], u["url"], u["kind"]) for g in gold for u in g["other_urls"]
    }
    assert got == expected


def test_seed_dataset_validates(tmp_path: Path, runner: CliRunner) -> None:
    need_shared(SEED)
    out = tmp_path / "seed"
    extract.run([str(SEED)], out)
    result = runner.invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output
