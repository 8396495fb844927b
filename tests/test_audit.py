"""`extract audit`: the report is valid HTML, holds every claim, highlights the right
characters, escapes hostile input, and its flags and gold marks are right."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import html5lib
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import extract
from extract.audit import build_report, write_report
from extract.audit.dataset import load_dataset
from extract.audit.flags import find_flags, is_bounded_metric, result_like_numbers, sentences
from extract.audit.gold import compare, load_gold, locate_claim
from extract.audit.spans import Span, render, segments
from extract.cli import main
from extract.errors import ExtractError
from extract.evaluate import GoldClaim

from . import audit_cases as cases
from .conftest import SEED, SEED_GOLD, need_shared


def parse(html: str) -> ET.Element:
    """Parse strictly: any HTML parse error (bad nesting, stray characters...) fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(html)  # type: ignore[no-any-return]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def by_id(root: ET.Element) -> dict[str, ET.Element]:
    found: dict[str, ET.Element] = {}
    for element in root.iter():
        if "id" in element.attrib:
            assert element.attrib["id"] not in found, f"duplicate id {element.attrib['id']}"
            found[element.attrib["id"]] = element
    return found


def script_data(root: ET.Element) -> dict[str, Any]:
    (block,) = [s for s in root.iter("script") if s.get("type") == "application/json"]
    return json.loads(block.text or "")  # type: ignore[no-any-return]


def columnar(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a columnar table of the script's data, as dictionaries."""
    return [dict(zip(table["columns"], values, strict=True)) for values in table["rows"]]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, ET.Element]:
    directory = cases.full_dataset(tmp_path_factory.mktemp("audit") / "full")
    html = build_report(directory).html
    return directory, html, parse(html)


def rows(directory: Path, table: str) -> list[dict[str, Any]]:
    return pq.read_table(directory / table).to_pylist()  # type: ignore[no-any-return]


# --- highlights -------------------------------------------------------------------------


def test_segments_cut_overlapping_spans_into_flat_pieces() -> None:
    spans = [Span(2, 8, "benchmark", "b0"), Span(5, 10, "value", "c0"), Span(5, 6, "url", "u0")]
    pieces = [(s.start, s.end, [x.token for x in s.spans]) for s in segments(12, spans)]
    assert pieces == [
        (0, 2, []),
        (2, 5, ["b0"]),
        (5, 6, ["u0", "b0", "c0"]),  # drawing order: url, then benchmark, then value
        (6, 8, ["b0", "c0"]),
        (8, 10, ["c0"]),
        (10, 12, []),
    ]


def test_render_escapes_text_and_places_anchors() -> None:
    html = render("a <b> & c", [Span(2, 5, "value", "c0", "v-0")])
    assert str(html) == (
        'a <span class="anchor" id="v-0"></span><mark class="hv" data-r="c0">&lt;b&gt;</mark>'
        " &amp; c"
    )


def test_render_keeps_offsets_through_characters_html_cannot_carry() -> None:
    html = render("a\x00b\x0bc", [Span(4, 5, "value", "c0")])
    assert str(html) == 'a\ufffdb\ufffd<mark class="hv" data-r="c0">c</mark>'


def test_every_highlight_covers_exactly_its_text(full: tuple[Path, str, ET.Element]) -> None:
    directory, _, root = full
    papers = rows(directory, "papers")
    ids = by_id(root)
    checked = 0
    for index, paper in enumerate(papers):
        abstract_el = ids[f"p-{index}"].find(".//p[@class='abstract']")
        assert abstract_el is not None
        abstract = paper["abstract"] or ""
        clean = abstract.replace("\x00", "\ufffd").replace("\x0b", "\ufffd")
        assert text_of(abstract_el) == clean, "the abstract's text changed in the report"
        pieces: dict[str, str] = {}
        for mark in abstract_el.iter("mark"):
            for token in mark.attrib["data-r"].split():
                pieces[token] = pieces.get(token, "") + (mark.text or "")
        expected: dict[str, tuple[int, int]] = {}
        for table, token in (("claims", "c"), ("benchmarks", "b"), ("links", "u")):
            for i, row in enumerate(rows(directory, table)):
                if row["record_id"] == paper["record_id"] and row["start"] is not None:
                    expected[f"{token}{i}"] = (row["start"], row["end"])
                if table == "claims" and row["record_id"] == paper["record_id"]:
                    for part, prefix in (("metric", "cm"), ("benchmark", "cb")):
                        if row[f"{part}_start"] is not None:
                            expected[f"{prefix}{i}"] = (row[f"{part}_start"], row[f"{part}_end"])
                    for part, prefix in (("baseline", "cl"), ("subject", "cs")):
                        if row[f"{part}_start"] is not None:
                            expected[f"{prefix}{i}"] = (row[f"{part}_start"], row[f"{part}_end"])
        for token, (start, end) in expected.items():
            assert pieces.get(token) == abstract[start:end], token
            checked += 1
    assert checked >= 20  # claims with metric, benchmark, baseline, subject; links; benchmarks


# --- the page as a whole ----------------------------------------------------------------


def test_report_is_valid_html_with_every_link_resolving(full: tuple[Path, str, ET.Element]) -> None:
    _, _, root = full
    ids = by_id(root)
    for a in root.iter("a"):
        href = a.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, f"link to a missing anchor {href}"
        else:
            assert re.match(r"https?://", href), f"a link that is not http(s): {href!r}"
            assert a.get("rel") == "noopener noreferrer"


def test_every_claim_is_in_the_table_and_the_text(full: tuple[Path, str, ET.Element]) -> None:
    directory, _, root = full
    ids = by_id(root)
    claims = rows(directory, "claims")
    assert len(claims) == 5
    data = columnar(script_data(root)["claims"])
    for i, claim in enumerate(claims):
        row = ids[f"c-{i}"]
        assert claim["value_text"] in text_of(row)
        assert claim["rule_id"] in text_of(row)
        assert f"v-{i}" in ids, "the claim's value has no anchor in its abstract"
        assert data[i] == {k: v for k, v in claim.items() if k != "record_id"} | {
            "p": 0 if i < 4 else 1,
            "flags": data[i]["flags"],
            "gold": None,
        }


def test_report_is_self_contained(full: tuple[Path, str, ET.Element]) -> None:
    root = full[2]
    assert not [e for e in root.iter() if "src" in e.attrib]
    assert [e.get("href") for e in root.iter("link")] == ["data:,"]
    scripts = list(root.iter("script"))
    assert len(scripts) == 2
    (style,) = root.iter("style")
    (meta,) = [m for m in root.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = meta.get("content", "")
    assert "default-src 'none'" in policy

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    # The policy admits exactly the inline script and style, so nothing else can run.
    assert f"'sha256-{digest(scripts[1].text or '')}'" in policy
    assert f"'sha256-{digest(style.text or '')}'" in policy
    assert "http://" not in (scripts[1].text or "") + (style.text or "")
    assert "https://" not in (scripts[1].text or "") + (style.text or "")


def test_hostile_input_stays_text(full: tuple[Path, str, ET.Element]) -> None:
    _, html, root = full
    # One executable script (the report's own), no event handler attributes anywhere.
    executable = [s for s in root.iter("script") if s.get("type") != "application/json"]
    assert len(executable) == 1
    assert "__pwned" not in (executable[0].text or "")
    for element in root.iter():
        assert not [k for k in element.attrib if k.lower().startswith("on")], element.tag
    assert not list(root.iter("img"))
    ids = by_id(root)
    hostile = ids["p-1"]
    assert not list(hostile.iter("svg"))
    title = hostile.find("h3")
    assert title is not None
    assert cases.HOSTILE_TITLE.replace("\x00", "\ufffd").replace("\x0b", "\ufffd") in text_of(title)
    assert cases.HOSTILE in text_of(hostile)
    # The javascript: "links" are shown, never linked.
    assert "javascript:window.__pwned=3" in text_of(hostile)
    assert not [a for a in root.iter("a") if "javascript" in a.get("href", "")]
    # The data block cannot end its script element early.
    (block,) = [s for s in root.iter("script") if s.get("type") == "application/json"]
    assert "<" not in (block.text or "")
    data = script_data(root)
    assert data["titles"][1] == cases.HOSTILE_TITLE
    assert columnar(data["claims"])[4]["rule_id"] == "claim.</script>"
    assert "</script><script>window.__pwned=4</script>" in text_of(ids["rejects"])
    # Only our own elements: the injected <b> and <svg onload> are text.
    assert not [b for b in hostile.iter("b") if "bold" in text_of(b)]
    assert html.count("<script") == 2


def test_same_dataset_gives_the_same_bytes(
    full: tuple[Path, str, ET.Element], tmp_path: Path
) -> None:
    directory, html, _ = full
    path, _ = write_report(directory, tmp_path / "again.html")
    assert path.read_text(encoding="utf-8") == html


# --- flags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("improves accuracy by 15.6% and 9.1% respectively", ["15.6%", "9.1%"]),
        ("a 2.8x speedup, 3 times faster, 10-fold fewer", ["2.8x", "3 times", "10-fold"]),
        ("gains of 4.54\\% and 2 pp", ["4.54\\%", "2 pp"]),
        ("reaches 0.77 FAD and 0.745 similarity", ["0.77", "0.745"]),  # bare decimals
        ("ResNet-50, Llama 3.1, GPT-3.5 and Qwen2.5", []),  # names, not results
        ("a 7B model on 224 x 224 images with 8x7B experts", []),  # sizes
        ("in 2023 we used 30 examples and version 1.2.3", []),  # years, counts, versions
        ("see arXiv:2401.12345", []),
        ("significant (p < 0.001, $p=0.04$) with $\\pi_{0.5}$", []),
        ("reaches 80.3 on ScreenSpot and +11.9 AP", ["80.3", "11.9"]),
    ],
)
def test_result_like_numbers(text: str, numbers: list[str]) -> None:
    assert [text[a:b] for a, b in result_like_numbers(text)] == numbers


def test_sentences_split_at_ends_but_not_abbreviations() -> None:
    text = "We test e.g. MATH. Scores rose to 0.5. Then 2 more."
    assert [text[a:b] for a, b in sentences(text)] == [
        "We test e.g. MATH.",
        "Scores rose to 0.5.",
        "Then 2 more.",
    ]


@pytest.mark.parametrize(
    ("metric", "bounded"),
    [("accuracy", True), ("top-1 accuracy", True), ("F1", True), ("win rate", True),
     ("pass@1", True), ("speedup", False), ("FID", False), ("perplexity", False), (None, False)],
)  # fmt: skip
def test_bounded_metrics(metric: str | None, bounded: bool) -> None:
    assert is_bounded_metric(metric) is bounded


def test_flags_of_the_full_case(full: tuple[Path, str, ET.Element]) -> None:
    directory, _, root = full
    flags = find_flags(load_dataset(directory))
    got = {(f.kind, f.paper, f.detail) for f in flags}
    assert got == {
        ("over_100", 0, "130% accuracy: this metric cannot exceed 100%"),
        ("incomplete_claim", 0, "no benchmark and no metric"),
        (
            "sota_no_number",
            0,
            "says 'state-of-the-art' but no claim was extracted from the sentence; it holds "
            "no result-like number",
        ),
        (
            "sota_no_number",
            0,
            "says 'outperforms' but no claim was extracted from the sentence; it holds 0.81",
        ),
        # "52.0%" is the claim's baseline value ("up from 52.0%"), so it is not flagged.
        ("unclaimed_number", 0, "'0.81' looks like a result but no claim was extracted"),
        ("rare_benchmark", 0, "'HumanEval' is named by no other paper"),
        ("rare_benchmark", 0, "'GSM8K' is named by no other paper"),
        ("rare_benchmark", 1, "'<Bench>' is named by no other paper"),
    }
    # Each flag is one click away: its entry links to an anchor on its span in the text.
    ids = by_id(root)
    entries = list(ids["flags"].iter("a"))
    assert len(entries) == len(flags)
    for entry in entries:
        target = ids[entry.attrib["href"][1:]]
        assert target.get("class") == "anchor"


def test_bad_offsets_are_flagged_and_do_not_break_the_page(tmp_path: Path) -> None:
    text = "It reaches 50% accuracy on X."
    p = cases.paper(1, "Offsets", text)
    good = cases.claim(p, 1, "50%", 50.0, unit="%", metric="accuracy", benchmark="X")
    wrong = good | {"claim_id": f"{p['record_id']}#2", "start": 3, "end": 6}
    outside = good | {"claim_id": f"{p['record_id']}#3", "evidence_end": 200, "end": 199}
    outside["start"] = 190
    directory = cases.write(tmp_path / "ds", {"papers": [p], "claims": [good, wrong, outside]})
    flags = [f for f in find_flags(load_dataset(directory)) if f.kind == "bad_offsets"]
    assert [f.detail for f in flags] == [
        "claim value: offsets 190-199 lie outside the abstract (length 29)",
        "the claim's value is '50%' but its offsets cover 'rea'",
    ]
    root = parse(build_report(directory).html)
    ids = by_id(root)
    # The claim that cannot be placed is still in the table, and its flag links to it.
    assert "c-2" in ids and "v-2" not in ids
    assert "offsets 190-199" in text_of(ids["p-0"])


# --- gold -------------------------------------------------------------------------------


def test_gold_misses_and_false_positives_are_marked(
    full: tuple[Path, str, ET.Element], tmp_path: Path
) -> None:
    directory, _, _ = full
    gold = cases.gold_file(
        tmp_path / "gold.jsonl",
        [
            {
                "title": "tutorly:  verifier-guided TUTORING",  # matched by normalised title
                "benchmarks": ["MATH", "HumanEval", "GSM8K", "SVAMP"],
                "claims": [
                    {"value": 71.3, "value_text": "71.3%", "unit": "%",
                     "evidence": "Tutorly reaches 71.3% accuracy on MATH"},
                    {"value": 4.2, "value_text": "4.2%", "unit": "percent",
                     "evidence": "improves pass@1 by 4.2% on HumanEval"},
                    {"value": 0.81, "value_text": "0.81", "unit": None,
                     "evidence": "a 0.81 F1"},
                    {"value": 2.5, "value_text": "2.5x", "unit": "x", "optional": True,
                     "evidence": "runs 2.5x faster"},
                ],
            },
            {"title": "A paper that is not in the dataset", "claims": []},
        ],
    )  # fmt: skip
    comparison = compare(load_dataset(directory), load_gold(gold), str(gold))
    assert comparison.matched_papers == {0}
    assert comparison.unmatched_titles == ["A paper that is not in the dataset"]
    found = {(f.kind, f.what, f.detail) for f in comparison.findings}
    assert found == {
        ("miss", "claim", "the gold has the claim '0.81' ('a 0.81 F1'); no extracted claim "
         "matches it"),
        ("false_positive", "claim", "the claim '130%' matches no gold claim"),
        ("miss", "benchmark", "the gold has the benchmark 'SVAMP'; it was not extracted"),
    }  # fmt: skip
    assert comparison.claim_status(0, 0) == "confirmed"
    assert comparison.claim_status(2, 0) == "optional"  # matched the optional gold claim
    assert comparison.claim_status(3, 0) == "false positive"
    assert comparison.claim_status(4, 1) is None  # its paper has no gold record

    html = build_report(directory, gold=gold).html
    root = parse(html)
    ids = by_id(root)
    abstract = cases.SCORE
    main_el = root.find(".//main")
    assert main_el is not None
    misses = [m for m in main_el.iter("mark") if "hgm" in m.get("class", "").split()]
    assert [m.text for m in misses] == ["0.81"]
    assert misses[0].text == abstract[abstract.index("0.81") : abstract.index("0.81") + 4]
    fps = [m for m in main_el.iter("mark") if "hgf" in m.get("class", "").split()]
    assert [m.text for m in fps] == ["130%"]
    assert "SVAMP" in text_of(ids["p-0"])  # not in the abstract: listed under the paper
    assert "A paper that is not in the dataset" in text_of(ids["gold"])
    for entry in ids["flags-miss"].iter("a"):
        assert entry.attrib["href"][1:] in ids


def test_a_missed_gold_claim_is_placed_inside_its_evidence() -> None:
    abstract = "A gets 5% on X. B gets 5% on Y."
    second = abstract.rindex("5%")
    gold = GoldClaim(value=5, value_text="5%", unit="%", evidence="B gets 5%")
    assert locate_claim(gold, abstract) == (second, second + 2)
    # Evidence not in the abstract: the first copy of the value text.
    elsewhere = GoldClaim(value=5, value_text="5%", evidence="not here")
    assert locate_claim(elsewhere, abstract) == (abstract.index("5%"), abstract.index("5%") + 2)
    assert locate_claim(GoldClaim(value=7, value_text="7%"), abstract) is None


def test_a_bad_gold_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"title": "fine"}\n{"claims": []}\n', encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        load_gold(path)
    assert str(caught.value) == f"{path}:2: title: Field required"


# --- the command ------------------------------------------------------------------------


def test_audit_command_writes_beside_the_dataset(
    runner: CliRunner, full: tuple[Path, str, ET.Element]
) -> None:
    directory, html, _ = full
    result = runner.invoke(main, ["audit", str(directory)])
    assert result.exit_code == 0, result.output
    expected = directory.parent / "full.audit.html"
    assert result.output == f"wrote {expected}: 3 papers, 5 claims, 8 flags\n"
    assert expected.read_text(encoding="utf-8") == html
    assert not (directory / "full.audit.html").exists()  # the dataset is left as written


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "{d}: not a directory"),
        ("empty", "{d}: not an extract dataset (no manifest.json) (give the output directory"),
        ("no_claims", "{d}/claims: the claims table is missing (is this a complete dataset?)"),
    ],
)
def test_audit_command_errors_are_one_line(
    runner: CliRunner, tmp_path: Path, setup: str, message: str
) -> None:
    directory = tmp_path / "d"
    if setup != "missing":
        directory.mkdir()
    if setup == "no_claims":
        cases.write(directory / "ds", {"papers": [cases.paper(1, "T", "x")]})
        directory = directory / "ds"
        for part in (directory / "claims").iterdir():
            part.unlink()
        (directory / "claims").rmdir()
    result = runner.invoke(main, ["audit", str(directory), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + message.format(d=directory))
    assert result.output.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_audit_of_a_fresh_run_and_its_gold(tmp_path: Path, runner: CliRunner) -> None:
    need_shared(SEED, SEED_GOLD)
    out = tmp_path / "seed"
    extract.run([str(SEED)], out)
    report = tmp_path / "seed.html"
    result = runner.invoke(main, ["audit", str(out), "-o", str(report), "--gold", str(SEED_GOLD)])
    assert result.exit_code == 0, result.output
    root = parse(report.read_text(encoding="utf-8"))
    ids = by_id(root)
    claims = rows(out, "claims")
    papers = rows(out, "papers")
    index = {p["record_id"]: n for n, p in enumerate(papers)}
    marks: dict[str, str] = {}
    for mark in root.iter("mark"):
        for token in mark.get("data-r", "").split():
            marks[token] = marks.get(token, "") + (mark.text or "")
    for i, claim in enumerate(claims):
        abstract = papers[index[claim["record_id"]]]["abstract"]
        assert marks[f"c{i}"] == abstract[claim["start"] : claim["end"]] == claim["value_text"]
        assert f"c-{i}" in ids
    assert "59 gold record(s), 59 matched" in text_of(ids["gold"])


def test_a_claim_whose_paper_is_missing_is_still_listed(tmp_path: Path) -> None:
    p = cases.paper(1, "Present", "It reaches 50% accuracy on X.")
    kept = cases.claim(p, 1, "50%", 50.0, unit="%")
    lost = kept | {"record_id": "title:ffffffffffffffff", "claim_id": "title:ffffffffffffffff#1"}
    directory = cases.write(tmp_path / "ds", {"papers": [p], "claims": [kept, lost]})
    root = parse(build_report(directory).html)
    ids = by_id(root)
    assert "no paper title:ffffffffffffffff" in text_of(ids["c-1"])
    assert "1 row(s) of the claims table name a paper that is not in the papers table" in (
        text_of(ids["summary"])
    )


def test_open_shows_the_report_in_a_browser(
    runner: CliRunner, full: tuple[Path, str, ET.Element], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    report = tmp_path / "r.html"
    result = runner.invoke(main, ["audit", str(full[0]), "-o", str(report), "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [report.resolve().as_uri()]
