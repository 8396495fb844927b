"""One call from a dataset folder to a leaderboard in any of its forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractError
from .build import load
from .export import HubIds, eval_results, model_index
from .formats import to_csv, to_json, to_markdown, to_table
from .html import render as to_html

FORMATS = ("table", "markdown", "csv", "json", "html", "eval-results", "model-index")


@dataclass
class Rendered:
    text: str
    summary: str  #: one line for a person: what it holds
    notes: list[str] = field(default_factory=list)  #: what could not be included


def render(
    directory: Path,
    fmt: str = "table",
    *,
    benchmark: str | None = None,
    metric: str | None = None,
    min_confidence: float = 0.0,
    pipeline: Path | None = None,
) -> Rendered:
    """The leaderboards of the dataset at ``directory`` in format ``fmt``."""
    if fmt not in FORMATS:
        raise ExtractError(f"no format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ExtractError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    if not (directory / "manifest.json").is_file():
        raise ExtractError(
            "not a complete dataset (no manifest.json)",
            where=str(directory),
            hint="give the output directory of `extract run`",
        )
    boards = load(directory, benchmark=benchmark, metric=metric, min_confidence=min_confidence)
    entries = sum(len(b.entries) for b in boards.boards)
    summary = (
        f"{len(boards.boards)} leaderboards, {entries} entries, {len(boards.index)} benchmarks"
    )
    if fmt in ("eval-results", "model-index"):
        from ..resources import pipeline_path

        ids = HubIds.from_pipeline(pipeline or pipeline_path("daily_papers"))
        export = eval_results(boards, ids) if fmt == "eval-results" else model_index(boards, ids)
        notes = []
        if export.unknown:
            notes.append(
                f"no Hub dataset id for {len(export.unknown)} benchmarks: "
                + ", ".join(export.unknown)
            )
        if export.no_subject:
            notes.append(f"{export.no_subject} entries skipped: no subject (system) named")
        return Rendered(export.yaml(), f"{export.entries} results", notes)
    writers = {
        "table": lambda: to_table(boards, with_index=not benchmark),
        "markdown": lambda: to_markdown(boards, with_index=not benchmark),
        "csv": lambda: to_csv(boards),
        "json": lambda: to_json(boards),
        "html": lambda: to_html(boards, directory.resolve().name),
    }
    return Rendered(writers[fmt](), summary)
