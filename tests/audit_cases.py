"""Hand-built datasets for the audit report, with the columns today's rules leave empty filled.

Rows are checked by the models before they are written with the project's own writer, so
the datasets are what a future `extract run` could produce. Offsets are computed from
the text, so a case reads as sentences rather than numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extract import __version__
from extract.models import Benchmark, Claim, Counts, Link, Manifest, Paper, Reject
from extract.write import DatasetWriter

SCORE = (
    "Existing tutors fail on hard algebra. We present Tutorly, a verifier-guided tutor. "
    "Tutorly reaches 71.3% accuracy on MATH, up from 52.0% for the SFT baseline, and "
    "improves pass@1 by 4.2% on HumanEval over CodeStar. It also runs 2.5x faster. "
    "Our model achieves state-of-the-art results on GSM8K. "
    "It outperforms every open model with a 0.81 F1 that we do not claim. "
    "Due to an error the table lists 130% accuracy on MATH. "
    "Code: https://github.com/example/tutorly and javascript:void(0) are links."
)

HOSTILE_TITLE = '<script>window.__pwned = 1</script> Title "quoted" & <b>bold</b>\x00\x0b'
HOSTILE = (
    'An abstract with <img src=x onerror="window.__pwned=1"> markup and '
    "</script><script>window.__pwned=2</script> inside; see "
    "javascript:window.__pwned=3 for details. It improves accuracy by 12.5% on <Bench>."
)


def span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def paper(position: int, title: str, abstract: str | None, **extra: Any) -> dict[str, Any]:
    row = {
        "record_id": extra.pop("record_id", f"title:{position:016x}"),
        "source": "cases.txt",
        "position": position,
        "title": title,
        "abstract": abstract,
        "start": 0,
        "end": 1,
        **extra,
    }
    return Paper(**row).model_dump()


def claim(
    paper_row: dict[str, Any], n: int, value_text: str, value: float, **parts: Any
) -> dict[str, Any]:
    """A claim of ``paper_row``; ``parts`` give metric/benchmark/... texts and columns."""
    text = paper_row["abstract"]
    after = parts.pop("after", 0)
    start, end = span(text, value_text, after)
    evidence = parts.pop("evidence", None) or value_text
    ev_start, ev_end = span(text, evidence, max(0, start - len(evidence)))
    row: dict[str, Any] = {
        "record_id": paper_row["record_id"],
        "claim_id": f"{paper_row['record_id']}#{n}",
        "value": value,
        "value_text": value_text,
        "kind": parts.pop("kind", "score"),
        "unit": parts.pop("unit", None),
        "evidence": evidence,
        "evidence_start": ev_start,
        "evidence_end": ev_end,
        "start": start,
        "end": end,
        "rule_id": parts.pop("rule_id", "claim.score"),
    }
    for part in ("metric", "benchmark", "baseline", "subject"):
        if part in parts:
            written = parts.pop(part)
            row[part] = written
            row[f"{part}_start"], row[f"{part}_end"] = span(text, written, ev_start)
    row.update(parts)
    return Claim(**row).model_dump()


def benchmark(paper_row: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    field = extra.pop("field", "abstract")
    where = span(paper_row["abstract"], name) if field == "abstract" else (None, None)
    row = {
        "record_id": paper_row["record_id"],
        "name": name,
        "field": field,
        "start": where[0],
        "end": where[1],
        "rule_id": extra.pop("rule_id", "benchmark.gazetteer"),
        **extra,
    }
    return Benchmark(**row).model_dump()


def link(paper_row: dict[str, Any], url: str, kind: str, **extra: Any) -> dict[str, Any]:
    start, end = span(paper_row["abstract"], url)
    row = {
        "record_id": paper_row["record_id"],
        "url": url,
        "kind": kind,
        "host": extra.pop("host", "example.org"),
        "start": start,
        "end": end,
        "rule_id": "link.host.github" if kind == "code" else "link.fallback",
        **extra,
    }
    return Link(**row).model_dump()


def write(directory: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """Write ``tables`` as a dataset at ``directory`` with a manifest that balances."""
    papers = tables.get("papers", [])
    rejects = tables.get("rejects", [])
    with DatasetWriter(directory) as writer:
        for name, rows in tables.items():
            writer.add(name, rows)
        parts = writer.close_tables()
        rejected = sum(1 for r in rejects if r.get("position") is not None)
        counts = Counts(
            papers=len(papers),
            claims=writer.counts["claims"],
            benchmarks=writer.counts["benchmarks"],
            links=writer.counts["links"],
            rejects=writer.counts["rejects"],
            records_in=len(papers) + rejected,
            rejected_records=rejected,
        )
        writer.publish(
            Manifest(
                tool_version=__version__,
                pipeline="cases",
                pipeline_version="0",
                created="2026-01-01T00:00:00+00:00",
                elapsed_seconds=0,
                inputs=[],
                tables=parts,
                counts=counts,
            )
        )
    return directory


def full_dataset(directory: Path) -> Path:
    """Three papers: one with every claim column filled, a hostile one, one without abstract."""
    a = paper(1, "Tutorly: Verifier-Guided Tutoring", SCORE, arxiv_id="2401.01234",
              record_id="arxiv:2401.01234", short_name="Tutorly",
              short_name_rule="short_name.title_prefix")  # fmt: skip
    b = paper(2, HOSTILE_TITLE, HOSTILE, short_name='"><svg onload=alert(1)>')
    c = paper(3, "No Abstract Here: MATH for Everyone", None)
    claims = [
        claim(a, 1, "71.3%", 71.3, unit="%", metric="accuracy", benchmark="MATH",
              subject="Tutorly", baseline="SFT baseline", baseline_value=52.0,
              evidence="Tutorly reaches 71.3% accuracy on MATH, up from 52.0% for the SFT baseline",
              metric_canonical="accuracy", benchmark_canonical="MATH", direction="higher"),
        claim(a, 2, "4.2%", 4.2, unit="%", kind="improvement", metric="pass@1",
              benchmark="HumanEval", baseline="CodeStar", rule_id="claim.improvement",
              evidence="improves pass@1 by 4.2% on HumanEval over CodeStar"),
        claim(a, 3, "2.5x", 2.5, unit="x", kind="speedup", rule_id="claim.speedup",
              evidence="It also runs 2.5x faster"),
        claim(a, 4, "130%", 130.0, unit="%", metric="accuracy", benchmark="MATH",
              evidence="the table lists 130% accuracy on MATH"),
        claim(b, 1, "12.5%", 12.5, unit="%", kind="improvement", metric="accuracy",
              benchmark="<Bench>", rule_id="claim.</script>",
              evidence="It improves accuracy by 12.5% on <Bench>"),
    ]  # fmt: skip
    benchmarks = [
        benchmark(a, "MATH", canonical="MATH"),
        benchmark(a, "HumanEval"),
        benchmark(a, "GSM8K"),
        benchmark(b, "<Bench>", rule_id="benchmark.</script>"),
        benchmark(c, "MATH", field="title"),
    ]
    links = [
        link(a, "https://github.com/example/tutorly", "code", host="github.com"),
        link(a, "javascript:void(0)", "other"),
        link(b, "javascript:window.__pwned=3", "other"),
    ]
    rejects = [
        Reject(
            source="cases.txt",
            position=4,
            stage="split",
            reason="orphan_text",
            detail="a paragraph with no title <i>before</i> it",
            line=40,
            raw="</script><script>window.__pwned=4</script>",
        ).model_dump()
    ]
    tables = {"papers": [a, b, c], "claims": claims, "benchmarks": benchmarks, "links": links}
    return write(directory, tables | {"rejects": rejects})


def gold_file(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def many_claims(directory: Path, n: int) -> Path:
    """One paper with ``n`` claims (more than the page shows at once), none complete."""
    text = "; ".join(f"run {k} gains {k}.25x" for k in range(1, n + 1)) + "."
    p = paper(1, "Many Runs", text)
    rows, after = [], 0
    for k in range(1, n + 1):
        row = claim(p, k, f"{k}.25x", k + 0.25, unit="x", kind="speedup",
                    evidence=f"run {k} gains {k}.25x", after=after)  # fmt: skip
        after = row["end"]
        rows.append(row)
    return write(directory, {"papers": [p], "claims": rows})
