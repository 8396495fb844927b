"""Building the audit report: a dataset (and optional gold) -> one self-contained HTML file.

The page is rendered here, in full: the summary with its SVG charts, the flags, the
claims table and one section per paper with its abstract highlighted. The claims table
and the flag lists go into inert ``<template>`` elements, which the page's script shows a
batch at a time (laying out thousands of rows at once is what makes a large page slow);
the paper sections are plain HTML, readable and searchable from the first paint. The rows
are also embedded once as JSON for the script, which adds what static HTML cannot do:
the row and rule behind a highlight on hover, filtering and sorting the claims table,
and stepping from flag to flag. Nothing is fetched: the styles and the script are inline,
and a Content-Security-Policy that only admits them by hash keeps anything else
(including anything a hostile listing smuggled in) from running or loading.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..errors import ExtractError
from ..version import __version__
from .charts import bar_chart, share_bar
from .dataset import Dataset, Row, load_dataset
from .flags import CLAIM_PARTS, FLAG_KINDS, Flag, find_flags
from .gold import Finding, GoldComparison, compare, load_gold
from .spans import Span, check_span, html_text, render

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Rejects listed in the report; the summary counts all of them.
MAX_REJECTS_SHOWN = 1000
TOP = 10
#: Short role prefixes of the tokens that tie a highlight to its row (see report.js).
PART_TOKENS = {"metric": "cm", "benchmark": "cb", "baseline": "cl", "subject": "cs"}
GOLD_KINDS = {
    "miss": "Gold claims and benchmarks the extraction missed",
    "false_positive": "Extracted claims and benchmarks the gold does not have",
}


@dataclass
class Report:
    """A rendered report and what it holds."""

    html: str
    papers: int
    claims: int
    flags: int
    findings: int


def build_report(directory: Path, *, gold: Path | None = None) -> Report:
    """Render the audit report of the dataset at ``directory`` (compared with ``gold``)."""
    data = load_dataset(directory)
    comparison = compare(data, load_gold(gold), str(gold)) if gold is not None else None
    flags = find_flags(data)
    page = _Page(data, flags, comparison)
    env = _environment()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    html = env.get_template("report.html.j2").render(
        name=directory.resolve().name,
        version=__version__,
        manifest=data.manifest,
        css=Markup(css),
        js=Markup(js),
        csp=_csp(css, js),
        summary=_summary(data),
        flag_groups=page.flag_groups(),
        gold=_gold_summary(comparison) if comparison else None,
        confidence=_confidence_table(data, gold),
        claims=page.claim_rows(),
        kinds=sorted({str(c.get("kind")) for c in data.claims}),
        papers=page.paper_sections(),
        rejects=data.rejects[:MAX_REJECTS_SHOWN],
        rejects_hidden=max(0, len(data.rejects) - MAX_REJECTS_SHOWN),
        data_json=_script_json(page.script_data()),
        legend=_LEGEND,
        with_gold=comparison is not None,
    )
    return Report(html, len(data.papers), len(data.claims), len(flags), len(page.findings))


def _confidence_table(data: Dataset, gold: Path | None) -> list[dict[str, Any]]:
    """Claims per tenth of confidence; with a gold, how many of those of gold papers are
    right by the rule confidence is fitted to (strict, and the subject)."""
    rows = [
        {"low": n / 10, "high": (n + 1) / 10, "claims": 0, "judged": 0, "right": 0}
        for n in range(10)
    ]
    labels = _claim_labels(data, gold) if gold is not None else {}
    for i, claim in enumerate(data.claims):
        confidence = claim.get("confidence")
        if confidence is None:
            continue
        row = rows[min(int(float(confidence) * 10), 9)]
        row["claims"] += 1
        if i in labels:
            row["judged"] += 1
            row["right"] += labels[i]
    return rows if any(r["claims"] for r in rows) else []


def _claim_labels(data: Dataset, gold: Path) -> dict[int, int]:
    """Claim index -> 1 when right under the strict rule and the subject, 0 when not;
    claims of papers the gold does not list, or paired with optional claims, are absent."""
    from ..evaluate import claim_is_right, norm_text, pair_claims
    from ..leaderboard.check import load_gold_with_subjects

    by_title = {norm_text(p.get("title")): n for n, p in enumerate(data.papers)}
    labels: dict[int, int] = {}
    for record, subjects in load_gold_with_subjects(gold):
        paper = by_title.get(norm_text(record.title))
        if paper is None:
            continue
        indices = data.rows_of("claims", paper)
        claims = [data.claims[i] for i in indices]
        abstract = str(data.papers[paper].get("abstract") or "")
        pairing = pair_claims(claims, record.claims, abstract)
        for local in pairing.unpaired:
            labels[indices[local]] = 0
        for gc, local in pairing.pairs:
            subject = subjects[record.claims.index(gc)]
            labels[indices[local]] = int(claim_is_right(gc, subject, claims[local]))
    return labels


def default_output(directory: Path) -> Path:
    """``DIR.audit.html`` beside the dataset, never inside it (the dataset stays as written)."""
    if directory.name in ("", ".", ".."):
        directory = directory.resolve()
    return directory.parent / f"{directory.name}.audit.html"


def write_report(
    directory: Path, output: Path | None = None, *, gold: Path | None = None
) -> tuple[Path, Report]:
    """Build the report and write it atomically to ``output`` (default: beside the dataset)."""
    report = build_report(directory, gold=gold)
    target = output or default_output(directory)
    if target.is_dir():
        raise ExtractError("is a directory; give a file name for the report", where=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(report.html)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target, report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _finalize(value: Any) -> Any:
    # Every value printed by the template passes here, before escaping: characters a
    # strict HTML parser rejects (NUL, other controls) become U+FFFD.
    if isinstance(value, Markup):
        return Markup(html_text(str(value)))
    if isinstance(value, str):
        return html_text(value)
    return "" if value is None else value


def _csp(css: str, js: str) -> str:
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    return (
        f"default-src 'none'; script-src {digest(js)}; style-src {digest(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _script_json(value: Any) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: ASCII, no ``<``."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def safe_href(url: object) -> str | None:
    """The URL when it may become a link (http or https, no spaces or controls), else None."""
    if isinstance(url, str) and re.fullmatch(r"(?i)https?://[^\s\x00-\x1f\x7f]+", url):
        return url
    return None


def arxiv_href(arxiv_id: object) -> str | None:
    if isinstance(arxiv_id, str) and arxiv_id.strip():
        return "https://arxiv.org/abs/" + quote(arxiv_id.strip(), safe="./")
    return None


def paper_label(paper: Row, width: int = 80) -> str:
    label = str(paper.get("short_name") or paper.get("title") or paper.get("record_id"))
    return label if len(label) <= width else label[: width - 1] + "…"


def _top(counter: Counter[str], n: int = TOP) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]


def _summary(data: Dataset) -> dict[str, Any]:
    kinds = Counter(str(c.get("kind")) for c in data.claims)
    metrics = Counter(
        str(c.get("metric_canonical") or c.get("metric"))
        for c in data.claims
        if c.get("metric_canonical") or c.get("metric")
    )
    benchmark_papers: dict[str, set[str]] = {}
    for row in data.benchmarks:
        name = str(row.get("canonical") or row.get("name"))
        benchmark_papers.setdefault(name, set()).add(row["record_id"])
    for row in data.claims:
        if row.get("benchmark_canonical") or row.get("benchmark"):
            name = str(row.get("benchmark_canonical") or row.get("benchmark"))
            benchmark_papers.setdefault(name, set()).add(row["record_id"])
    benchmarks = Counter({name: len(ids) for name, ids in benchmark_papers.items()})
    coded = {row["record_id"] for row in data.links if row.get("kind") == "code"}
    with_code = sum(1 for paper in data.papers if paper["record_id"] in coded)
    reasons = Counter(str(r.get("reason")) for r in data.rejects)
    links = Counter(str(r.get("kind")) for r in data.links)
    return {
        "orphans": {table: len(rows) for table, rows in data.orphans.items() if rows},
        "papers": len(data.papers),
        "claims": len(data.claims),
        "benchmarks": len(data.benchmarks),
        "links": len(data.links),
        "rejects": len(data.rejects),
        "with_code": with_code,
        "charts": [
            bar_chart("Claims by kind", _top(kinds, 20), filter_field="kind"),
            bar_chart(
                "Top benchmarks (papers naming them)", _top(benchmarks), filter_field="benchmark"
            ),
            bar_chart("Top metrics (claims)", _top(metrics), filter_field="metric"),
            share_bar("Papers with code", with_code, len(data.papers)),
            bar_chart("Links by kind", _top(links, 20)),
            bar_chart("Rejects by reason", _top(reasons, 20)),
        ],
    }


def _gold_summary(comparison: GoldComparison) -> dict[str, Any]:
    counts = comparison.counts

    def ratio(part: int, whole: int) -> str:
        return f"{part / whole:.1%}" if whole else "–"

    rows = []
    for what in ("claims", "benchmarks"):
        found, gold = counts[f"{what}_found"], counts[f"{what}_gold"]
        false = counts[f"{what}_false"]
        rows.append(
            {
                "what": what,
                "gold": gold,
                "found": found,
                "missed": counts[f"{what}_missed"],
                "false": false,
                "precision": ratio(found, found + false),
                "recall": ratio(found, gold),
            }
        )
    return {
        "path": comparison.path,
        "records": comparison.records,
        "matched": len(comparison.matched_papers),
        "unmatched": comparison.unmatched_titles,
        "rows": rows,
    }


_LEGEND = [
    ("hv", "claim value"),
    ("hm", "metric"),
    ("hb", "benchmark"),
    ("hl", "baseline"),
    ("hs", "subject"),
    ("hu", "URL"),
    ("hf", "flag"),
    ("hgm", "gold: missed"),
    ("hgf", "gold: false positive"),
]


class _Page:
    """The per-paper pieces of the page: spans, anchors and links between sections."""

    def __init__(self, data: Dataset, flags: list[Flag], comparison: GoldComparison | None):
        self.data = data
        self.flags = flags
        self.findings: list[Finding] = comparison.findings if comparison else []
        #: claim index -> its status against the gold, for papers the gold covers
        self.gold_status: dict[int, str] = {}
        if comparison is not None:
            for paper in range(len(data.papers)):
                for i in data.rows_of("claims", paper):
                    status = comparison.claim_status(i, paper)
                    if status:
                        self.gold_status[i] = status
        self.flag_href: list[str] = []
        self.claim_flags: dict[int, list[int]] = {}
        self.spans: dict[int, list[Span]] = {}
        self.unplaced: dict[int, list[str]] = {}
        for n, flag in enumerate(flags):
            where = self._place(flag.paper, flag.start, flag.end, "flag", f"f{n}", f"f-{n}")
            if where is None:
                self.unplaced.setdefault(flag.paper, []).append(flag.detail)
                where = f"#c-{flag.claim}" if flag.claim is not None else f"#p-{flag.paper}"
            self.flag_href.append(where)
            if flag.claim is not None:
                self.claim_flags.setdefault(flag.claim, []).append(n)
        self.finding_href: list[str] = []
        for n, finding in enumerate(self.findings):
            where = self._place(
                finding.paper, finding.start, finding.end, finding.kind, f"g{n}", f"g-{n}"
            )
            self.finding_href.append(where or f"#p-{finding.paper}")
            if where is None:
                self.unplaced.setdefault(finding.paper, []).append("gold: " + finding.detail)
        for paper in range(len(data.papers)):
            self._row_spans(paper)

    def _abstract(self, paper: int) -> str:
        return str(self.data.papers[paper].get("abstract") or "")

    def _place(
        self,
        paper: int,
        start: int | None,
        end: int | None,
        kind: str,
        token: str,
        anchor: str | None = None,
    ) -> str | None:
        """Highlight a span of a paper's abstract; the link to it, or None when it is off."""
        if check_span(start, end, len(self._abstract(paper))) is not None:
            return None
        assert start is not None and end is not None
        self.spans.setdefault(paper, []).append(Span(start, end, kind, token, anchor))
        return f"#{anchor}" if anchor else None

    def _row_spans(self, paper: int) -> None:
        data = self.data
        for i in data.rows_of("claims", paper):
            claim = data.claims[i]
            self._place(paper, claim.get("start"), claim.get("end"), "value", f"c{i}", f"v-{i}")
            for part in CLAIM_PARTS:
                start, end = claim.get(f"{part}_start"), claim.get(f"{part}_end")
                self._place(paper, start, end, part, f"{PART_TOKENS[part]}{i}")
        for i in data.rows_of("benchmarks", paper):
            row = data.benchmarks[i]
            if row.get("field", "abstract") == "abstract":
                self._place(paper, row.get("start"), row.get("end"), "benchmark", f"b{i}")
        for i in data.rows_of("links", paper):
            row = data.links[i]
            self._place(paper, row.get("start"), row.get("end"), "url", f"u{i}")

    def flag_groups(self) -> list[dict[str, Any]]:
        groups: list[dict[str, Any]] = []
        for kind, title in FLAG_KINDS.items():
            entries = [self._entry(n, f) for n, f in enumerate(self.flags) if f.kind == kind]
            groups.append({"kind": kind, "title": title, "entries": entries})
        for kind, title in GOLD_KINDS.items() if self.findings else ():
            entries = [
                {
                    "href": self.finding_href[n],
                    "paper": paper_label(self.data.papers[f.paper]),
                    "detail": f.detail,
                }
                for n, f in enumerate(self.findings)
                if f.kind == kind
            ]
            groups.append({"kind": kind, "title": title, "entries": entries})
        return groups

    def _entry(self, n: int, flag: Flag) -> dict[str, str]:
        detail = flag.detail
        if flag.kind == "incomplete_claim" and flag.claim is not None:
            detail = f"{self.data.claims[flag.claim]['value_text']}: {detail}"
        return {
            "href": self.flag_href[n],
            "paper": paper_label(self.data.papers[flag.paper]),
            "detail": detail,
        }

    def claim_rows(self) -> list[dict[str, Any]]:
        """The claims table, paper by paper; claims naming no paper come last."""
        placed = [
            (paper, i)
            for paper in range(len(self.data.papers))
            for i in self.data.rows_of("claims", paper)
        ]
        placed += [(-1, i) for i in self.data.orphans.get("claims", [])]
        rows = []
        for paper, i in placed:
            claim = self.data.claims[i]
            rows.append(
                {
                    "i": i,
                    "paper": paper,
                    "paper_label": paper_label(self.data.papers[paper], 60)
                    if paper >= 0
                    else f"no paper {claim['record_id']}",
                    "claim": claim,
                    "value_href": self._value_href(i, paper) if paper >= 0 else f"#c-{i}",
                    "flags": [
                        (self._flag_label(self.flags[n]), self.flag_href[n])
                        for n in self.claim_flags.get(i, [])
                    ],
                    "gold": self.gold_status.get(i),
                }
            )
        return rows

    def _value_href(self, claim: int, paper: int) -> str:
        row = self.data.claims[claim]
        fits = check_span(row.get("start"), row.get("end"), len(self._abstract(paper))) is None
        return f"#v-{claim}" if fits else f"#p-{paper}"

    @staticmethod
    def _flag_label(flag: Flag) -> str:
        if flag.kind == "incomplete_claim":
            return flag.detail
        return {"over_100": "over 100%", "bad_offsets": "offsets"}.get(flag.kind, flag.kind)

    def paper_sections(self) -> Iterable[dict[str, Any]]:
        data = self.data
        for index, paper in enumerate(data.papers):
            abstract = self._abstract(index)
            links: dict[str, list[dict[str, Any]]] = {}
            for i in data.rows_of("links", index):
                row = data.links[i]
                links.setdefault(str(row.get("kind")), []).append(
                    {"url": row["url"], "href": safe_href(row["url"]), "rule": row.get("rule_id")}
                )
            title_benchmarks = [
                data.benchmarks[i]
                for i in data.rows_of("benchmarks", index)
                if data.benchmarks[i].get("field") == "title"
            ]
            yield {
                "index": index,
                "paper": paper,
                "href": arxiv_href(paper.get("arxiv_id")),
                "links": sorted(links.items()),
                "title_benchmarks": title_benchmarks,
                "abstract": render(abstract, self.spans.get(index, [])),
                "problems": self.unplaced.get(index, []),
            }

    def script_data(self) -> dict[str, Any]:
        """The rows behind the highlights and the table, for the page's script.

        Tables are columnar (``columns`` once, then ``rows`` of values), which halves
        their size next to one object per row.
        """
        index = {p["record_id"]: n for n, p in enumerate(self.data.papers)}
        extra: dict[str, list[Any]] = {
            "p": [index.get(c["record_id"], -1) for c in self.data.claims],
            "flags": [self.claim_flags.get(i) for i in range(len(self.data.claims))],
            "gold": [self.gold_status.get(i) for i in range(len(self.data.claims))],
        }
        return {
            "papers": [paper_label(p, 60) for p in self.data.papers],
            "titles": [str(p.get("title") or "") for p in self.data.papers],
            "claims": _columnar(self.data.claims, extra),
            "benchmarks": _columnar(self.data.benchmarks),
            "links": _columnar(self.data.links),
            "kinds": FLAG_KINDS | GOLD_KINDS,
            "flags": [{"kind": f.kind, "detail": f.detail} for f in self.flags],
            "gold": [
                {
                    "kind": f.kind,
                    "detail": f.detail,
                    **({"row": f.row} if isinstance(f.row, dict) else {}),
                }
                for f in self.findings
            ],
        }


def _columnar(rows: list[Row], extra: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """``{"columns": [...], "rows": [[...], ...]}``; what a person reads first comes
    first, offsets (which only locate) last; ``record_id`` is left out (``p`` says it)."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(k for k in row if k != "record_id"))
    columns = sorted(names, key=lambda k: k.endswith(("start", "end")))
    extra = extra or {}
    return {
        "columns": columns + list(extra),
        "rows": [
            [row.get(k) for k in columns] + [values[i] for values in extra.values()]
            for i, row in enumerate(rows)
        ],
    }
