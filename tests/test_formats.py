"""Every real listing under ../shared/corpus/formats and hf-daily: detected, counted, titled.

The expected titles come from a second, deliberately simple reading of each file (a
regular expression or the standard library's own parser), so a reader that drops,
splits or garbles a paper fails here.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from extract.formats import FORMATS, ReadOptions, detect
from extract.read import Source, head
from extract.records import RawRecord, RecordProblem, fix_mojibake

from .conftest import SHARED, need_shared

FORMATS_DIR = SHARED / "formats"
HF_DAILY = SHARED / "hf-daily"


def read(path: Path, options: ReadOptions | None = None) -> tuple[str, list[RawRecord]]:
    """(detected format, records) of a file; fails on any rejected record."""
    source = Source(name=str(path), path=path)
    fmt, why = detect(head(source), path.name)
    assert fmt is not None, f"{path.name}: not detected: {why}"
    items = list(fmt.read(source, options or ReadOptions()))
    problems = [item for item in items if isinstance(item, RecordProblem)]
    assert not problems, problems[:3]
    return fmt.name, [item for item in items if isinstance(item, RawRecord)]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the counts the issue names -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("q-fin_listings_new.txt", 16),
        ("astro-ph_listings_new.CO.txt", 23),
        ("math_listings_new.AG.txt", 2),
    ],
)
def test_arxiv_mailings(name: str, count: int) -> None:
    path = FORMATS_DIR / "arxiv_new_submissions_email_text" / name
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "arxiv_mailing"
    assert len(records) == count
    text = path.read_text(encoding="utf-8")
    titles = [
        squash(m) for m in re.findall(r"^Title: (.*(?:\n  .*)*)", text, re.MULTILINE)
    ]  # fmt: skip
    assert [r.title for r in records] == titles
    ids = re.findall(r"^arXiv:(\S+)", text, re.MULTILINE)
    assert [r.arxiv_id for r in records] == ids
    assert all(r.listing_date is not None for r in records)


def test_arxiv_mailing_fields() -> None:
    path = FORMATS_DIR / "arxiv_new_submissions_email_text" / "q-fin_listings_new.txt"
    need_shared(path)
    _, records = read(path)
    first = records[0]
    assert first.title == "A Bayesian derivation of the square root law of market impact"
    assert first.authors == ["Louis Saddier", "Matteo Marsili"]
    assert first.listing_date_text == "Fri, 17 Mar 23 00:31:14 GMT"
    assert first.listing_date is not None and first.listing_date.isoformat() == "2023-03-17"
    assert first.abstract is not None and first.abstract.startswith("We show that the main")
    assert "\n" not in first.abstract  # hard-wrapped lines are joined
    replaced = [r for r in records if r.abstract is None]
    assert len(replaced) == 3  # "replaced with revised version" entries have no abstract


@pytest.mark.parametrize(
    ("stem", "count"),
    [
        ("q_testing_s0_m10_bc5a6c384fe9", 10),
        ("q_testing_s0_m100_cfe7536492ca", 100),
        ("id_1707.08567_s0_m100_6a1afebfc6a3", 1),
        ("id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af", 1),
    ],
)
@pytest.mark.parametrize("suffix", [".body.xml", ".json"])
def test_arxiv_atom_responses(stem: str, count: int, suffix: str) -> None:
    path = FORMATS_DIR / "arxiv_atom_api_xml" / f"{stem}{suffix}"
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "arxiv_atom"
    assert len(records) == count
    xml = (FORMATS_DIR / "arxiv_atom_api_xml" / f"{stem}.body.xml").read_text(encoding="utf-8")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(xml).findall("a:entry", ns)
    assert [r.title for r in records] == [
        fix_mojibake(squash(e.findtext("a:title", "", ns))) for e in entries
    ]
    assert [r.authors for r in records] == [
        [fix_mojibake(squash(n.text or "")) for n in e.findall("a:author/a:name", ns)]
        for e in entries
    ]


def test_atom_offsets_hold_each_entry() -> None:
    path = FORMATS_DIR / "arxiv_atom_api_xml" / "q_testing_s0_m10_bc5a6c384fe9.body.xml"
    need_shared(path)
    _, records = read(path)
    text = path.read_text(encoding="utf-8")
    for record in records:
        span = text[record.start : record.end]
        assert span.startswith("<entry>") and span.endswith("</entry>")
        assert record.arxiv_id is not None and record.arxiv_id in span


@pytest.mark.parametrize(
    "name",
    ["2101.04061", "2101.04792", "2103.17249", "2108.10257", "2304.09157", "2403.10561"],
)
def test_arxiv_abs_records(name: str) -> None:
    path = FORMATS_DIR / "arxiv_abs_metadata_text" / f"{name}.abs"
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "arxiv_abs"
    (record,) = records
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^Title: (.*(?:\n  .*)*)", text, re.MULTILINE)
    assert title is not None and record.title == squash(title.group(1))
    assert record.arxiv_id == name
    assert record.abstract and record.listing_date is not None


def test_arxiv_abs_comment_links_get_their_kind_later() -> None:
    path = FORMATS_DIR / "arxiv_abs_metadata_text" / "2101.04061.abs"
    need_shared(path)
    _, (record,) = read(path)
    (link,) = record.links
    assert (link.url, link.field, link.kind) == (
        "https://github.com/TencentARC/GFPGAN",
        "comments",
        None,
    )
    assert link.context.endswith("Codes: ")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("WingEdge777_2026-06-10.md", 56),
        ("WingEdge777_2026-06-14.md", 25),
        ("WingEdge777_2026-06-22.md", 20),
    ],
)
def test_digests(name: str, count: int) -> None:
    path = FORMATS_DIR / "arxiv_digest_markdown_with_abstracts" / name
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "digest_markdown"
    text = path.read_text(encoding="utf-8")
    titles = re.findall(r"^### \d+\. \*\*\[(.*)\]\(https?://arxiv", text, re.MULTILINE)
    assert len(records) == count == len(titles)
    assert [r.title for r in records] == [squash(t) for t in titles]
    assert all(r.abstract and r.arxiv_id and r.authors for r in records)
    date = name.removeprefix("WingEdge777_").removesuffix(".md")
    assert {r.listing_date.isoformat() for r in records if r.listing_date} == {date}


def test_arxiv_daily_table() -> None:
    path = FORMATS_DIR / "arxiv_daily_markdown_table" / "cv-arxiv-daily_README.md"
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "arxiv_daily_markdown"
    text = path.read_text(encoding="utf-8")
    titles = re.findall(r"^\|\*\*\d{4}-\d\d-\d\d\*\*\|\*\*(.*?)\*\*\|", text, re.MULTILINE)
    assert len(records) == 9312 == len(titles)
    assert [r.title for r in records] == [squash(t) for t in titles]
    code = [link for r in records for link in r.links]
    assert len(code) == 1657 and {link.kind for link in code} == {"code"}
    assert all(r.arxiv_id and r.listing_date for r in records)
    assert records[0].authors == ["Christina Kassab"]  # "et.al." is not a name


@pytest.mark.parametrize(
    ("name", "count", "code_links", "first"),
    [
        ("Awesome-LLM_README.md", 52, 0, "Attention Is All You Need"),
        (
            "CVPR2024-Papers-with-Code_README.md",
            109,
            101,
            "Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering",
        ),
        (
            "CVPR2023-Papers-with-Code.md",
            229,
            132,
            "Integrally Pre-Trained Transformer Pyramid Networks",
        ),
    ],
)
def test_awesome_lists(name: str, count: int, code_links: int, first: str) -> None:
    path = FORMATS_DIR / "awesome_list_markdown" / name
    need_shared(path)
    source = Source(name=str(path), path=path)
    fmt, _ = detect(head(source), name)
    assert fmt is not None and fmt.name == "awesome_list_markdown"
    items = list(fmt.read(source, ReadOptions()))
    records = [r for r in items if isinstance(r, RawRecord)]
    assert len(records) == count
    assert records[0].title == first
    assert sum(link.kind == "code" for r in records for link in r.links) == code_links
    text = path.read_text(encoding="utf-8")
    arxiv_titles = re.findall(r"\[([^\]]+)\]\(https?://arxiv\.org/(?:abs|pdf)/", text)
    bold_titles = [
        t.strip()
        for t in re.findall(r"^\s*\*\*([^*]+)\*\*\s*\n\s*\n?[-*]?\s*\w", text, re.MULTILINE)
    ]
    expected = {squash(t.replace("*", "")) for t in arxiv_titles + bold_titles}
    assert {r.title.replace("*", "") for r in records} <= expected
    # a "- Paper:" bullet with no title is reported, not dropped
    untitled = [i for i in items if isinstance(i, RecordProblem)]
    assert all(p.reason == "missing_title" for p in untitled)


def test_saved_paper_page() -> None:
    path = FORMATS_DIR / "hf_paper_page_html" / "2509.24002_paper_page.html"
    need_shared(path)
    fmt, (record,) = read(path)
    assert fmt == "hf_paper_page"
    assert record.title == (
        "MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP Use"
    )
    assert record.arxiv_id == "2509.24002"
    assert len(record.authors) == 15 and record.authors[0] == "Zijian Wu"
    assert record.upvotes == 118
    assert record.abstract is not None and record.abstract.startswith("MCP standardizes")
    assert {(link.url, link.kind) for link in record.links} == {
        ("https://mcpmark.ai/", "project"),
        ("https://github.com/eval-sys/mcpmark", "code"),
    }


# --- Hugging Face Daily Papers JSON, every file ----------------------------------------------


def test_every_per_paper_json_file_is_one_paper() -> None:
    need_shared(HF_DAILY)
    files = sorted((HF_DAILY / "Misaki-Wang__hf_bot" / "data" / "papers").rglob("*.json"))
    assert len(files) == 808
    for path in files:
        fmt, records = read(path)
        assert fmt == "hf_daily_json"
        (record,) = records
        data = json.loads(path.read_text(encoding="utf-8"))
        assert record.title == squash(data["title"]) and record.arxiv_id == data["paper_id"]
        assert record.listing_date is not None
        assert record.listing_date.isoformat() == data["date"] == path.parent.name


def test_per_paper_json_drops_the_ai_summary_before_the_abstract() -> None:
    path = HF_DAILY / "Misaki-Wang__hf_bot/data/papers/2026-02-02/2601.13097.json"
    need_shared(path)
    _, (record,) = read(path)
    assert record.abstract is not None
    assert record.abstract.startswith("We present RM-RF, a lightweight reward model")
    assert [(link.url, link.kind) for link in record.links] == [
        ("https://github.com/trndcenter/RM-RF-unit-tests", "code")
    ]


@pytest.mark.parametrize(
    ("day", "count"), [("2026-02-25", 32), ("2026-02-27", 9), ("2026-02-28", 0)]
)
def test_lianghsun_lists(day: str, count: int) -> None:
    path = HF_DAILY / "lianghsun__hf-papers-zh-tw" / "data" / day / "papers.json"
    need_shared(path)
    _, records = read(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == count == len(data)
    assert [r.title for r in records] == [squash(d["title"]) for d in data]
    # the folder is the listing's date; the papers' own dates are their arXiv dates
    assert {r.listing_date.isoformat() for r in records if r.listing_date} <= {day}


def test_day_files_with_a_papers_list() -> None:
    need_shared(HF_DAILY)
    files = sorted((HF_DAILY / "Misaki-Wang__hf_bot" / "data" / "dates").glob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        _, records = read(path)
        assert len(records) == data["count"] == len(data["papers"])
        assert [r.title for r in records] == [squash(p["title"]) for p in data["papers"]]
        assert {r.listing_date.isoformat() for r in records if r.listing_date} == {data["date"]}


def test_day_files_with_base_info() -> None:
    need_shared(HF_DAILY)
    files = sorted((HF_DAILY / "jinjianzhao__daily-papers" / "date").glob("20*/config.json"))
    assert len(files) == 102
    with_abstract = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        _, records = read(path)
        assert [r.arxiv_id for r in records] == list(data["base_info"])
        assert [r.title for r in records] == [
            squash(v["title"]) for v in data["base_info"].values()
        ]
        assert {r.listing_date.isoformat() for r in records} == {path.parent.name}
        with_abstract += sum(bool(r.abstract) for r in records)
    assert with_abstract > 0


def test_the_index_file_of_a_crawl_is_not_a_listing() -> None:
    path = HF_DAILY / "jinjianzhao__daily-papers" / "date" / "config.json"
    need_shared(path)
    source = Source(name=str(path), path=path)
    fmt, _ = detect(head(source), path.name)
    assert fmt is not None
    from extract.records import InputRejectedError

    with pytest.raises(InputRejectedError) as rejected:
        list(fmt.read(source, ReadOptions()))
    assert rejected.value.reason == "no_papers"


def test_normalised_papers_jsonl() -> None:
    path = HF_DAILY / "papers.jsonl"
    need_shared(path)
    fmt, records = read(path)
    assert fmt == "json_lines"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(rows) == 1605
    assert [r.title for r in records] == [squash(row["title"]) for row in rows]
    assert [r.arxiv_id for r in records] == [row["arxiv_id"] for row in rows]
    github = sum(bool(row["github_repo"]) for row in rows)
    assert sum(link.kind == "code" for r in records for link in r.links) == github


def test_every_file_of_the_hf_daily_crawls_reads_without_a_reject() -> None:
    need_shared(HF_DAILY)
    ids: set[str] = set()
    for path in sorted(HF_DAILY.rglob("*.json")):
        if path.name == "config.json" and not path.parent.name.startswith("20"):
            continue
        _, records = read(path)
        ids.update(r.arxiv_id for r in records if r.arxiv_id)
    normalised = {
        json.loads(line)["arxiv_id"]
        for line in (HF_DAILY / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert normalised <= ids  # every normalised paper is in a raw file


# --- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("seed/000_3e5886404991033b.txt", "daily_papers_text"),
        ("dev/2026-04-21.txt", "daily_papers_text"),
        ("formats/arxiv_atom_api_xml/q_testing_s0_m10_bc5a6c384fe9.json", "arxiv_atom"),
        ("formats/hf_paper_page_html/2509.24002_paper_page.html", "hf_paper_page"),
        ("hf-daily/papers.jsonl", "json_lines"),
        ("formats/awesome_list_markdown/PROVENANCE.md", None),
        ("hf-daily/Misaki-Wang__hf_bot/COMMIT", None),
    ],
)
def test_detection_by_content(relative: str, expected: str | None) -> None:
    path = SHARED / relative
    need_shared(path)
    fmt, why = detect(head(Source(name=str(path), path=path)), path.name)
    assert (fmt.name if fmt else None) == expected, why


def test_detection_does_not_depend_on_the_file_name(tmp_path: Path) -> None:
    need_shared(FORMATS_DIR)
    for relative, expected in [
        ("arxiv_abs_metadata_text/2101.04061.abs", "arxiv_abs"),
        ("arxiv_new_submissions_email_text/q-fin_listings_new.txt", "arxiv_mailing"),
        ("arxiv_digest_markdown_with_abstracts/WingEdge777_2026-06-14.md", "digest_markdown"),
        ("hf_paper_page_html/2509.24002_paper_page.html", "hf_paper_page"),
        ("arxiv_atom_api_xml/q_testing_s0_m10_bc5a6c384fe9.body.xml", "arxiv_atom"),
    ]:
        renamed = tmp_path / "listing.txt"
        renamed.write_bytes((FORMATS_DIR / relative).read_bytes())
        fmt, _ = detect(head(Source(name=str(renamed), path=renamed)), renamed.name)
        assert fmt is not None and fmt.name == expected, relative


def test_every_format_is_listed_with_a_description() -> None:
    assert len(FORMATS) == 13
    for name, fmt in FORMATS.items():
        assert fmt.name == name and 10 < len(fmt.description) <= 100
