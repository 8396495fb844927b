"""Small inline SVG charts for the report's summary: horizontal bars and a share bar.

Charts are drawn here, not in the browser, so the summary reads the same with scripts
off and the file needs nothing from outside. Every label passes through
``Markup.format``, which escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

BAR_HEIGHT = 16
GAP = 4
LABEL_WIDTH = 150
BAR_WIDTH = 170
COUNT_WIDTH = 50
MAX_LABEL = 24


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(
    title: str, items: Sequence[tuple[str, int]], *, filter_field: str | None = None
) -> Markup:
    """Horizontal bars, one per ``(label, count)``, longest first as given.

    With ``filter_field``, each bar links to the claims table and carries the field and
    value the page's script filters the table on.
    """
    if not items:
        return Markup(
            '<figure class="chart"><figcaption>{}</figcaption><p class="empty">none</p></figure>'
        ).format(title)
    top = max(count for _, count in items) or 1
    height = len(items) * (BAR_HEIGHT + GAP)
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    rows = []
    for n, (label, count) in enumerate(items):
        y = n * (BAR_HEIGHT + GAP)
        length = max(1, round(BAR_WIDTH * count / top)) if count else 0
        row = Markup(
            "<g><title>{label}: {count}</title>"
            '<text x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
            '<rect x="{bx}" y="{y}" width="{w}" height="{h}" rx="2"></rect>'
            '<text x="{cx}" y="{ty}" class="count">{count}</text></g>'
        ).format(
            label=label,
            count=count,
            short=_short(label),
            lx=LABEL_WIDTH - 6,
            ty=y + BAR_HEIGHT - 4,
            bx=LABEL_WIDTH,
            y=y,
            w=length,
            h=BAR_HEIGHT,
            cx=LABEL_WIDTH + length + 4,
        )
        if filter_field:
            row = Markup(
                '<a href="#claims" class="filter-link" data-field="{}" data-value="{}">{}</a>'
            ).format(filter_field, label, row)
        rows.append(row)
    return Markup(
        '<figure class="chart"><figcaption>{title}</figcaption>'
        '<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="{title}">{rows}</svg></figure>'
    ).format(title=title, width=width, height=height, rows=Markup("").join(rows))


def share_bar(title: str, part: int, whole: int) -> Markup:
    """One bar split in two: ``part`` of ``whole``, with the percentage written on it."""
    share = part / whole if whole else 0.0
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    filled = round(width * share)
    return Markup(
        '<figure class="chart"><figcaption>{title}</figcaption>'
        '<svg width="{width}" height="{h}" viewBox="0 0 {width} {h}" role="img" '
        'aria-label="{title}: {pct}">'
        '<rect class="rest" x="0" y="0" width="{width}" height="{h}" rx="3"></rect>'
        '<rect x="0" y="0" width="{filled}" height="{h}" rx="3"></rect>'
        '<text x="6" y="{ty}" class="on-bar">{pct} ({part} of {whole})</text></svg></figure>'
    ).format(
        title=title,
        width=width,
        h=BAR_HEIGHT + 6,
        filled=filled,
        pct=f"{share:.0%}",
        part=part,
        whole=whole,
        ty=BAR_HEIGHT,
    )
