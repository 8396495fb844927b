"""extract leaderboard: grouping, ranking, filters and every output form."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from extract.cli import main
from extract.leaderboard import Leaderboards, load

from .leaderboard_cases import HOSTILE, leaderboard_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return leaderboard_dataset(tmp_path_factory.mktemp("lb") / "cases")


def board(boards: Leaderboards, benchmark: str, metric: str | None, kind: str = "score") -> Any:
    (found,) = [
        b
        for b in boards.boards
        if b.benchmark == benchmark and b.metric == metric and b.kind == kind
    ]
    return found


def test_scores_are_ranked_by_the_metrics_direction(dataset: Path) -> None:
    boards = load(dataset)
    gsm = board(boards, "GSM8K", "accuracy")
    # GSM-8K and GSM8K are one benchmark; higher is better
    assert [(e.rank, e.value, e.subject) for e in gsm.entries] == [
        (1, 88.0, "GizmoLM"),
        (2, 85.3, "WidgetNet"),
        (3, 60.1, "TinyLM"),
    ]
    fid = board(boards, "ImageNet", "FID")
    assert [(e.rank, e.value) for e in fid.entries] == [(1, 2.1), (2, 3.4)]  # lower is better
    assert fid.direction == "lower"


def test_gains_are_apart_and_unknown_directions_are_not_ranked(dataset: Path) -> None:
    boards = load(dataset)
    gains = board(boards, "GSM8K", "accuracy", kind="relative")
    assert [(e.value, e.rank) for e in gains.entries] == [(4.1, None)]
    assert not gains.ranked
    widget = board(boards, "WidgetBench", None)
    assert widget.version == "v2" and widget.direction is None and not widget.ranked
    assert widget.entries[0].rank is None
    swe = board(boards, "SWE-bench", None)
    assert swe.split == "verified"


def test_filters(dataset: Path) -> None:
    confident = board(load(dataset, min_confidence=0.5), "GSM8K", "accuracy")
    assert [e.subject for e in confident.entries] == ["GizmoLM", "WidgetNet"]
    only = load(dataset, benchmark="gsm-8k")
    assert {b.benchmark for b in only.boards} == {"GSM8K"}
    fid = load(dataset, metric="fid")
    assert [b.benchmark for b in fid.boards] == ["ImageNet"]


def test_index_by_number_of_papers_and_best_over_time(dataset: Path) -> None:
    boards = load(dataset)
    assert [(r.benchmark, r.papers) for r in boards.index[:2]] == [("GSM8K", 3), ("ImageNet", 2)]
    best = board(boards, "GSM8K", "accuracy").best_over_time()
    assert [(e.listing_date, e.value) for e in best] == [("2026-01-10", 85.3), ("2026-02-01", 88.0)]


def test_json_shape(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(main, ["leaderboard", str(dataset), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["leaderboards"][0]
    assert {"benchmark", "metric", "split", "direction", "entries"} <= first.keys()
    keys = {"claim_id", "record_id", "subject", "value", "unit", "confidence", "title"}
    assert keys | {"listing_date"} <= first["entries"][0].keys()
    assert sum(len(b["entries"]) for b in data["leaderboards"]) == 8
    assert {b["direction"] for b in data["leaderboards"]} == {"higher", "lower", "unknown"}


def test_table_markdown_csv(runner: CliRunner, dataset: Path, tmp_path: Path) -> None:
    table = runner.invoke(main, ["leaderboard", str(dataset)])
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0] == "4 benchmarks, 5 leaderboards"  # the index leads
    assert "GSM8K · accuracy, % · higher is better" in table.output
    only = runner.invoke(main, ["leaderboard", str(dataset), "--benchmark", "ImageNet"])
    assert only.output.startswith("ImageNet · FID · lower is better")  # no index
    md = runner.invoke(main, ["leaderboard", str(dataset), "--format", "markdown"])
    assert "| 1 | 88.0% | GizmoLM | [GizmoLM](https://arxiv.org/abs/2602.00002) |" in md.output
    out = tmp_path / "lb.csv"
    done = runner.invoke(main, ["leaderboard", str(dataset), "--format", "csv", "-o", str(out)])
    assert done.output == f"wrote {out}: 5 leaderboards, 8 entries, 4 benchmarks\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 8 and rows[0]["benchmark"] == "GSM8K" and rows[0]["rank"] == "1"


def test_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["leaderboard", str(tmp_path)])
    assert result.exit_code == 1 and "not a complete dataset" in result.output
    bad = runner.invoke(main, ["leaderboard", str(tmp_path), "--min-confidence", "2"])
    assert bad.exit_code == 2


def test_html_is_self_contained_and_escaped(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(main, ["leaderboard", str(dataset), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (dataset.parent / "cases.leaderboard.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert HOSTILE not in page and "&lt;script&gt;window.__pwned" in page
    assert "<polyline" in page  # best over time
    assert 'href="http' not in page.replace('href="https://arxiv.org/abs/', "")


def _yaml(runner: CliRunner, dataset: Path, fmt: str) -> tuple[Any, str]:
    result = runner.invoke(main, ["leaderboard", str(dataset), "--format", fmt])
    assert result.exit_code == 0, result.output
    text = result.stdout
    return yaml.safe_load(text), result.stderr


def test_eval_results_yaml(runner: CliRunner, dataset: Path) -> None:
    data, notes = _yaml(runner, dataset, "eval-results")
    assert set(data) == {"GizmoLM", "Sketcher", "TinyLM", "WidgetNet"}
    for entries in data.values():
        for entry in entries:
            assert entry["dataset"]["id"]
            assert isinstance(entry["value"], float)
            assert entry["source"]["url"].startswith("https://arxiv.org/")
            assert entry["source"]["name"]
            assert entry["date"]
    ids = {e["dataset"]["id"] for entries in data.values() for e in entries}
    assert ids == {"openai/gsm8k", "ILSVRC/imagenet-1k", "princeton-nlp/SWE-bench_Verified"}
    assert "no Hub dataset id for 1 benchmarks: WidgetBench" in notes  # listed, not invented


def test_model_index_yaml(runner: CliRunner, dataset: Path) -> None:
    data, _ = _yaml(runner, dataset, "model-index")
    models = data["model-index"]
    assert [m["name"] for m in models] == ["GizmoLM", "Sketcher", "TinyLM", "WidgetNet"]
    for model in models:
        for result in model["results"]:
            assert result["task"]["type"]
            assert result["dataset"]["type"] and result["dataset"]["name"]
            for metric in result["metrics"]:
                assert metric["type"] and isinstance(metric["value"], float)
