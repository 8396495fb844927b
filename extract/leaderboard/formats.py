"""Leaderboards as text: a fixed-width table, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

from .build import Board, Leaderboards

#: Entries shown per board in the table and Markdown forms (JSON and CSV hold them all).
TOP = 10
_TITLE = 48
_SUBJECT = 24


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _heading(board: Board) -> str:
    return f"{board.title} · {board.measure} · {board.order}"


def _confidence(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def to_table(boards: Leaderboards, with_index: bool = True, top: int = TOP) -> str:
    """The index of benchmarks (when asked), then each board's first ``top`` entries."""
    lines: list[str] = []
    if with_index:
        lines.append(f"{len(boards.index)} benchmarks, {len(boards.boards)} leaderboards")
        lines.append(f"  {'papers':>6} {'entries':>7}  benchmark")
        for row in boards.index:
            lines.append(f"  {row.papers:>6} {row.entries:>7}  {row.benchmark}")
        lines.append("")
    for board in boards.boards:
        lines.append(_heading(board))
        lines.append(
            f"  {'#':>3} {'value':>10}  {'subject':<{_SUBJECT}} {'date':<10} "
            f"{'conf':>4}  {'arXiv':<10} paper"
        )
        for entry in board.entries[:top]:
            rank = "" if entry.rank is None else str(entry.rank)
            lines.append(
                f"  {rank:>3} {_short(entry.value_text, 10):>10}  "
                f"{_short(entry.subject or '-', _SUBJECT):<{_SUBJECT}} "
                f"{entry.listing_date or '-':<10} {_confidence(entry.confidence):>4}  "
                f"{entry.arxiv_id or '-':<10} {_short(entry.title, _TITLE)}"
            )
        if len(board.entries) > top:
            lines.append(f"  ... {len(board.entries) - top} more")
        lines.append("")
    if not boards.boards:
        lines.append("no leaderboard: no claim names a benchmark (or none passes the filters)")
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def to_markdown(boards: Leaderboards, with_index: bool = True, top: int = TOP) -> str:
    lines: list[str] = []
    if with_index:
        lines += ["## Benchmarks", "", "| benchmark | papers | entries |", "|---|---:|---:|"]
        lines += [f"| {_cell(r.benchmark)} | {r.papers} | {r.entries} |" for r in boards.index]
        lines.append("")
    for board in boards.boards:
        lines += [f"### {_cell(_heading(board))}", ""]
        lines += [
            "| # | value | subject | paper | date | confidence | evidence |",
            "|---:|---:|---|---|---|---:|---|",
        ]
        for entry in board.entries[:top]:
            paper = _cell(entry.title)
            if entry.arxiv_id:
                paper = f"[{paper}](https://arxiv.org/abs/{entry.arxiv_id})"
            lines.append(
                f"| {entry.rank or ''} | {_cell(entry.value_text)} | {_cell(entry.subject or '')} "
                f"| {paper} | {entry.listing_date or ''} | {_confidence(entry.confidence)} "
                f"| {_cell(_short(entry.evidence, 160))} |"
            )
        if len(board.entries) > top:
            lines.append(f"\n{len(board.entries) - top} more entries.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = (
    "benchmark",
    "benchmark_canonical",
    "version",
    "split",
    "metric",
    "unit",
    "kind",
    "direction",
    "rank",
    "claim_id",
    "record_id",
    "subject",
    "value",
    "value_text",
    "benchmark_as_written",
    "metric_as_written",
    "confidence",
    "title",
    "arxiv_id",
    "listing_date",
    "evidence",
)


def to_csv(boards: Leaderboards) -> str:
    """One row per entry, with its board's columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for board in boards.boards:
        head = board.to_dict()
        for entry in board.entries:
            written = entry.to_dict()
            row = {
                **written,
                "benchmark_as_written": written["benchmark"],
                "metric_as_written": written["metric"],
                **{k: head[k] for k in CSV_COLUMNS if k in head},
            }
            writer.writerow({k: row.get(k) for k in CSV_COLUMNS})
    return out.getvalue()


def to_json(boards: Leaderboards) -> str:
    return json.dumps(boards.to_dict(), indent=2, ensure_ascii=False) + "\n"
