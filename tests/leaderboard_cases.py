"""A hand-built dataset for leaderboards: results of several papers on shared benchmarks.

Rows go through the models and the project's writer (see ``audit_cases``), with the
columns the finishing step fills (canonical names, direction, confidence) set by hand,
so the cases do not move when the rules do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .audit_cases import claim, paper, write

HOSTILE = '<script>window.__pwned = 1</script> "Quoted" & <b>bold</b>'


def _paper(n: int, title: str, abstract: str, date: str, arxiv: str | None) -> dict[str, Any]:
    return paper(
        n,
        title,
        abstract,
        listing_date=dt.date.fromisoformat(date),
        arxiv_id=arxiv,
        record_id=f"arxiv:{arxiv}" if arxiv else f"title:{n:016x}",
    )


def _score(p: dict[str, Any], n: int, text: str, value: float, **extra: Any) -> dict[str, Any]:
    extra.setdefault("kind", "score")
    extra.setdefault("unit", "%" if text.endswith("%") else None)
    return claim(p, n, text, value, **extra)


def leaderboard_dataset(directory: Path) -> Path:
    a = _paper(
        1,
        "WidgetNet: widgets",
        "WidgetNet reaches 85.3% accuracy on GSM8K.",
        "2026-01-10",
        "2601.00001",
    )
    b = _paper(
        2,
        "GizmoLM",
        "GizmoLM reaches 88.0% accuracy on GSM-8K and 2.1 FID on ImageNet.",
        "2026-02-01",
        "2602.00002",
    )
    c = _paper(
        3,
        HOSTILE,
        "TinyLM gets 60.1% accuracy on GSM8K; it improves accuracy by 4.1% on "
        "GSM8K over GPT-4. TinyLM scores 42 on WidgetBench v2.",
        "2026-03-01",
        None,
    )
    d = _paper(
        4,
        "Sketcher",
        "Sketcher reaches 3.4 FID on ImageNet and 62.4% on SWE-bench Verified.",
        "2026-03-15",
        "2603.00004",
    )
    acc = {"metric": "accuracy", "metric_canonical": "accuracy", "direction": "higher"}
    fid = {"metric": "FID", "metric_canonical": "FID", "direction": "lower"}
    claims = [
        _score(a, 1, "85.3%", 85.3, subject="WidgetNet", benchmark="GSM8K",
               benchmark_canonical="GSM8K", confidence=0.8, **acc,
               evidence="WidgetNet reaches 85.3% accuracy on GSM8K"),
        _score(b, 1, "88.0%", 88.0, subject="GizmoLM", benchmark="GSM-8K",
               benchmark_canonical="GSM8K", confidence=0.7, **acc,
               evidence="GizmoLM reaches 88.0% accuracy on GSM-8K"),
        _score(b, 2, "2.1", 2.1, subject="GizmoLM", benchmark="ImageNet",
               benchmark_canonical="ImageNet", confidence=0.75, **fid,
               evidence="GizmoLM reaches 88.0% accuracy on GSM-8K and 2.1 FID on ImageNet"),
        _score(c, 1, "60.1%", 60.1, subject="TinyLM", benchmark="GSM8K",
               benchmark_canonical="GSM8K", confidence=0.3, **acc,
               evidence="TinyLM gets 60.1% accuracy on GSM8K"),
        _score(c, 2, "4.1%", 4.1, kind="improvement", subject="TinyLM", benchmark="GSM8K",
               benchmark_canonical="GSM8K", confidence=0.6, baseline="GPT-4", **acc,
               evidence="TinyLM gets 60.1% accuracy on GSM8K; it improves accuracy by 4.1% on "
               "GSM8K over GPT-4"),
        _score(c, 3, "42", 42.0, subject="TinyLM", benchmark="WidgetBench v2",
               benchmark_canonical="widgetbench", benchmark_version="v2", confidence=0.5,
               evidence="TinyLM scores 42 on WidgetBench v2"),
        _score(d, 1, "3.4", 3.4, subject="Sketcher", benchmark="ImageNet",
               benchmark_canonical="ImageNet", confidence=0.9, **fid,
               evidence="Sketcher reaches 3.4 FID on ImageNet"),
        _score(d, 2, "62.4%", 62.4, subject="Sketcher", benchmark="SWE-bench Verified",
               benchmark_canonical="swebench", split="verified", confidence=0.7,
               evidence="Sketcher reaches 3.4 FID on ImageNet and 62.4% on SWE-bench Verified"),
    ]  # fmt: skip
    return write(directory, {"papers": [a, b, c, d], "claims": claims})
