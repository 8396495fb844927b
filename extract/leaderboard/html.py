"""The HTML leaderboard: one self-contained page, like the audit report.

Styles and script are inline and admitted by hash in a Content-Security-Policy, so the
page loads nothing and runs nothing else; every value is escaped by the template. Each
ranked board has an SVG chart of the best result over time, drawn here; each entry
links to itself and shows its evidence with the value marked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from .build import Board, Entry, Leaderboards

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_WIDTH = 560
CHART_HEIGHT = 150
PAD_LEFT = 56
PAD_BOTTOM = 22
PAD = 10
#: Entries below this confidence are shown faded.
LOW_CONFIDENCE = 0.5
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _CONTROL.sub("\ufffd", value)
    return "" if value is None else value


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def csp(css: str, js: str) -> str:
    return (
        f"default-src 'none'; script-src {_digest(js)}; style-src {_digest(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _anchor(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def render(boards: Leaderboards, name: str) -> str:
    """The page for ``boards``; ``name`` titles it (the dataset folder's name)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_clean,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    css = (TEMPLATES / "leaderboard.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "leaderboard.js").read_text(encoding="utf-8")
    ids: dict[str, int] = {}
    shown = []
    first_board: dict[str, str] = {}
    for n, board in enumerate(boards.boards):
        board_id = f"b-{_anchor(board.canonical)}-{n}"
        first_board.setdefault(board.canonical, board_id)
        shown.append(_board(board, board_id, ids))
    index = [
        {
            "benchmark": row.benchmark,
            "anchor": first_board.get(row.canonical, "")[2:],
            "papers": row.papers,
            "entries": row.entries,
            "boards": row.boards,
        }
        for row in boards.index
    ]
    return env.get_template("leaderboard.html.j2").render(
        name=name,
        version=__version__,
        css=Markup(css),
        js=Markup(js),
        csp=csp(css, js),
        index=index,
        boards=shown,
        entries=sum(len(b.entries) for b in boards.boards),
        min_confidence=boards.min_confidence,
    )


def _board(board: Board, board_id: str, ids: dict[str, int]) -> dict[str, Any]:
    title, what, order = board.title, board.measure, board.order
    papers = board.papers
    subtitle = f"{what} · {order} · {papers} paper{'s' if papers != 1 else ''}"
    return {
        "id": board_id,
        "benchmark": board.benchmark,
        "title": title,
        "subtitle": subtitle,
        "chart": chart(board),
        "entries": [_entry(e, ids) for e in board.entries],
    }


def _entry(entry: Entry, ids: dict[str, int]) -> dict[str, Any]:
    base = "e-" + _anchor(entry.claim_id)
    ids[base] = ids.get(base, 0) + 1
    entry_id = base if ids[base] == 1 else f"{base}-{ids[base]}"
    evidence = entry.evidence
    start, end = entry.in_evidence or (len(evidence), len(evidence))
    return {
        "id": entry_id,
        "rank": entry.rank,
        "value_text": entry.value_text,
        "subject": entry.subject,
        "title": entry.title,
        "href": f"https://arxiv.org/abs/{entry.arxiv_id}" if entry.arxiv_id else None,
        "date": entry.listing_date,
        "confidence": entry.confidence,
        "confidence_text": "–" if entry.confidence is None else f"{entry.confidence:.2f}",
        "low": entry.confidence is not None and entry.confidence < LOW_CONFIDENCE,
        "before": evidence[:start],
        "marked": evidence[start:end],
        "after": evidence[end:],
    }


def chart(board: Board) -> Markup | None:
    """An SVG of every dated entry and the best result so far, or None when unranked."""
    best = board.best_over_time()
    dated = [e for e in board.entries if e.listing_date]
    if not best or not dated:
        return None
    days = [dt.date.fromisoformat(str(e.listing_date)).toordinal() for e in dated]
    values = [e.value for e in dated]
    d0, d1 = min(days), max(days)
    v0, v1 = min(values), max(values)
    if d1 == d0:
        d0, d1 = d0 - 1, d1 + 1
    if v1 == v0:
        v0, v1 = v0 - 1, v1 + 1
    inner_w = CHART_WIDTH - PAD_LEFT - PAD
    inner_h = CHART_HEIGHT - PAD_BOTTOM - PAD

    def x(day: int) -> float:
        return round(PAD_LEFT + (day - d0) / (d1 - d0) * inner_w, 1)

    def y(value: float) -> float:
        return round(PAD + (v1 - value) / (v1 - v0) * inner_h, 1)

    best_ids = {e.claim_id for e in best}
    points: list[str] = []
    for entry in best:
        day = dt.date.fromisoformat(str(entry.listing_date)).toordinal()
        if points:
            points.append(f"{x(day)},{points[-1].split(',')[1]}")
        points.append(f"{x(day)},{y(entry.value)}")
    points.append(f"{PAD_LEFT + inner_w},{points[-1].split(',')[1]}")
    dots = []
    for entry, day in zip(dated, days, strict=True):
        cls = "dot best" if entry.claim_id in best_ids else "dot"
        dots.append(
            Markup(
                '<circle class="{}" cx="{}" cy="{}" r="4"><title>{} {} · {}</title></circle>'
            ).format(
                cls,
                x(day),
                y(entry.value),
                entry.value_text,
                entry.subject or "",
                entry.listing_date,
            )
        )
    labels = Markup(
        '<text x="{lx}" y="{ty0}" text-anchor="end">{v1}</text>'
        '<text x="{lx}" y="{ty1}" text-anchor="end">{v0}</text>'
        '<text x="{x0}" y="{by}">{date0}</text>'
        '<text x="{x1}" y="{by}" text-anchor="end">{date1}</text>'
    ).format(
        lx=PAD_LEFT - 6,
        ty0=PAD + 8,
        ty1=PAD + inner_h,
        v1=f"{v1:g}",
        v0=f"{v0:g}",
        x0=PAD_LEFT,
        x1=PAD_LEFT + inner_w,
        by=CHART_HEIGHT - 6,
        date0=dt.date.fromordinal(d0).isoformat(),
        date1=dt.date.fromordinal(d1).isoformat(),
    )
    return Markup(
        '<figure class="chart"><svg role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        "<title>Best {what} over time</title>"
        '<line class="axis" x1="{px}" y1="{py}" x2="{px}" y2="{bottom}"></line>'
        '<line class="axis" x1="{px}" y1="{bottom}" x2="{right}" y2="{bottom}"></line>'
        '<polyline class="step" points="{points}"></polyline>{dots}{labels}</svg>'
        "<figcaption>best result over time (line), every dated entry (dots)</figcaption></figure>"
    ).format(
        w=CHART_WIDTH,
        h=CHART_HEIGHT,
        what=board.metric or "result",
        px=PAD_LEFT,
        py=PAD,
        bottom=PAD + inner_h,
        right=PAD_LEFT + inner_w,
        points=" ".join(points),
        dots=Markup("").join(dots),
        labels=labels,
    )
