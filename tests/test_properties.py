"""Property tests: every reader and the splitter, on generated and on damaged input.

For each format a strategy writes a valid document from generated papers; half the
examples are then damaged (bytes flipped, inserted, or the document cut short). On
every example: no exception escapes (a reader may only refuse a whole input with
InputRejectedError), every item is a record or a problem numbered 1, 2, 3...,
record text is clean (no undecodable bytes, controls or invisible characters), and
each record's offsets point at the text it came from. On undamaged examples the
reader must also give back exactly the papers that were written.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.formats import FORMATS, ReadOptions
from extract.formats.markdown import plain
from extract.read import Line, Source, iter_lines
from extract.records import (
    InputRejectedError,
    RawRecord,
    RecordProblem,
    clean_authors,
    clean_text,
    collapse_spaces,
    has_surrogates,
)
from extract.split import card_line, is_chrome, parse_date_line, split_page

from .conftest import examples

EXAMPLES = settings(max_examples=examples(1000))

# Titles: letters (some beyond ASCII), digits and the punctuation titles use, with an
# invisible character now and then, which readers must remove.
_TITLE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :,-'()?!éüß中"
_ABSTRACT_CHARS = _TITLE_CHARS + ".%;\u00a0"
_INVISIBLE = "\u200b\u200d\u202e\u2066\ufeff"


@st.composite
def titles(draw: st.DrawFn) -> str:
    return "T" + draw(st.text(alphabet=_TITLE_CHARS, min_size=1, max_size=60)) + "x"


@st.composite
def abstracts(draw: st.DrawFn) -> str:
    return "Ab " + draw(st.text(alphabet=_ABSTRACT_CHARS, max_size=200)).strip() + " end."


@dataclass
class Paper:
    title: str
    abstract: str
    arxiv_id: str

    @property
    def clean_title(self) -> str:
        return clean_text(collapse_spaces(self.title))


@st.composite
def papers(draw: st.DrawFn, min_size: int = 0, max_size: int = 5) -> list[Paper]:
    # few, large draws: most of a property test's time goes to drawing
    heads = draw(
        st.lists(
            st.text(_TITLE_CHARS, min_size=1, max_size=60), min_size=min_size, max_size=max_size
        )
    )
    bodies = draw(
        st.lists(st.text(_ABSTRACT_CHARS, max_size=200), min_size=len(heads), max_size=len(heads))
    )
    invisible = draw(st.sampled_from(["", *_INVISIBLE]))
    return [
        Paper(
            f"T{head[: len(head) // 2]}{invisible if i == 0 else ''}{head[len(head) // 2 :]}x",
            f"Ab {body.strip()} end.",
            f"2401.{10000 + i:05d}",
        )
        for i, (head, body) in enumerate(zip(heads, bodies, strict=True))
    ]


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """The document with a few bytes replaced or inserted, or cut short."""
    if not data:
        return data
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "cut"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        junk = draw(st.sampled_from([b"\xff", b"\x00", b"\r", b"\n\n", b'"', b"}", b"\xc3", b"|"]))
        if kind == "flip":
            data = data[:at] + junk + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + junk + data[at:]
        else:
            data = data[:at]
    return data


def decoded(data: bytes) -> str:
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200d\u202e\u2066\ufeff]")


def check(
    fmt: str,
    data: bytes,
    expected: list[Paper] | None,
    span_check: Callable[[str, RawRecord], None] | None,
) -> list[RawRecord | RecordProblem]:
    """Read ``data`` as ``fmt`` and check the properties every reader must have."""
    try:
        items = list(FORMATS[fmt].read(Source(name="input", data=data), ReadOptions()))
    except InputRejectedError as exc:
        assert exc.reason and exc.detail
        assert expected is None or not expected, f"valid input rejected: {exc}"
        return []
    assert [item.position for item in items] == list(range(1, len(items) + 1))
    text = decoded(data)
    for item in items:
        assert isinstance(item, (RawRecord, RecordProblem))
        if isinstance(item, RecordProblem):
            assert item.reason and item.detail
            assert item.raw is None or not has_surrogates(item.raw)
            continue
        for value in [item.title, item.abstract or "", *item.authors]:
            assert not has_surrogates(value) and not _BAD_CHARS.search(value), value
        assert item.title.strip() == item.title != ""
        assert 0 <= item.start <= item.end <= len(text)
        if span_check is not None:
            span_check(text[item.start : item.end], item)
    if expected is not None:
        problems = [item for item in items if isinstance(item, RecordProblem)]
        assert not problems, problems
        assert [r.title for r in items if isinstance(r, RawRecord)] == [
            p.clean_title for p in expected
        ]
    return items


def maybe_damaged(draw: st.DrawFn, data: bytes, written: list[Paper]) -> tuple[bytes, Any]:
    if draw(st.booleans()):
        return data, written
    return draw(damage(data)), None


def words_in(span: str, record: RawRecord) -> None:
    """Every word of the title is in the text its offsets point at."""
    flat = clean_text(plain(span.replace("\\", " ")))
    for word in re.findall(r"\w+", record.title):
        assert word in flat, (word, span[:200])


# --- one test per reader --------------------------------------------------------------


@given(st.data())
@EXAMPLES
def test_daily_papers_text(data: st.DataObject) -> None:
    written = data.draw(papers())
    page = "Daily Papers\n\nJul 29\n\n" + "".join(f"{p.title}\n\n{p.abstract}\n\n" for p in written)
    raw, expected = maybe_damaged(data.draw, page.encode("utf-8"), written)

    def span_check(span: str, record: RawRecord) -> None:
        span = span.replace("\r\n", "\n").replace("\r", "\n")
        first = span.split("\n", 1)[0]
        assert clean_text(collapse_spaces(first)) == record.title
        if record.abstract:
            assert clean_text(span.split("\n", 1)[1]).endswith(record.abstract)

    records = check("daily_papers_text", raw, expected, span_check)
    if expected:
        assert [r.abstract for r in records] == [clean_text(p.abstract) for p in written]


def _object_title(span: str, record: RawRecord) -> None:
    value = json.loads(span)
    assert isinstance(value, dict)
    if "title" in value:
        assert clean_text(collapse_spaces(value["title"])) == record.title


@given(st.data())
@EXAMPLES
def test_hf_daily_json(data: st.DataObject) -> None:
    written = data.draw(papers())
    layout = data.draw(st.sampled_from(["list", "day", "base_info", "api", "one"]))
    objects = [
        {"paper_id": p.arxiv_id, "title": p.title, "abstract": p.abstract, "upvotes": 3}
        for p in written
    ]
    doc: Any
    if layout == "list":
        doc = objects
    elif layout == "day":
        doc = {"date": "2026-02-02", "count": len(objects), "papers": objects}
    elif layout == "api":
        doc = [
            {"paper": {"id": p.arxiv_id, "title": p.title, "summary": p.abstract}} for p in written
        ]
    elif layout == "base_info":
        doc = {
            "date": "2026-03-25",
            "base_info": {p.arxiv_id: {"title": p.title} for p in written},
            "arxiv_details": {p.arxiv_id: {"abstract": p.abstract} for p in written},
        }
    else:
        written = written[:1]
        doc = objects[0] if objects else {"title": "Tx"}
        written = written or [Paper("Tx", "", "")]
    indent = data.draw(st.sampled_from([None, 1]))
    raw, expected = maybe_damaged(
        data.draw, json.dumps(doc, indent=indent, ensure_ascii=False).encode(), written
    )
    records = check("hf_daily_json", raw, expected, _object_title)
    if expected and layout != "one":
        assert [r.arxiv_id for r in records] == [p.arxiv_id for p in written]


@given(st.data())
@EXAMPLES
def test_json_lines(data: st.DataObject) -> None:
    written = data.draw(papers())
    lines = [json.dumps({"title": p.title, "abstract": p.abstract}) for p in written]
    raw, expected = maybe_damaged(data.draw, ("\n".join(lines) + "\n").encode(), written)
    check("json_lines", raw, expected, _object_title)


@given(st.data())
@EXAMPLES
def test_arxiv_snapshot(data: st.DataObject) -> None:
    written = data.draw(papers())
    parsed = data.draw(st.lists(st.tuples(*[st.text(_TITLE_CHARS, max_size=8)] * 3), max_size=3))
    lines = []
    for p in written:
        # the dump's hard line breaks and indents, which the reader collapses
        wrapped = p.abstract.replace(" ", "\n  ", 2)
        row = {
            "id": p.arxiv_id, "submitter": "S", "authors": "A, B", "title": p.title,
            "abstract": f"  {wrapped}\n", "categories": "cs.CL",
            "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
            "update_date": "2008-11-13", "authors_parsed": [list(a) for a in parsed],
        }  # fmt: skip
        lines.append(json.dumps(row, ensure_ascii=False))
    raw, expected = maybe_damaged(data.draw, ("\n".join(lines) + "\n").encode(), written)
    records = check("arxiv_snapshot", raw, expected, _object_title)
    if expected:
        assert [r.arxiv_id for r in records] == [p.arxiv_id for p in written]
        assert [r.abstract for r in records] == [collapse_spaces(p.abstract) for p in written]
        names = clean_authors([" ".join(a[i] for i in (1, 0, 2)) for a in parsed])
        assert all(r.authors == (names or ["A", "B"]) for r in records)


@given(st.data())
@EXAMPLES
def test_csv_table(data: st.DataObject) -> None:
    written = data.draw(papers())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "abstract", "authors"])
    for p in written:
        # quoted cells with commas, quotes and line breaks
        writer.writerow([p.title, p.abstract.replace(";", '"\n'), "Ada Lovelace; Alan Turing"])
    raw, expected = maybe_damaged(data.draw, out.getvalue().encode(), written)

    def span_check(span: str, record: RawRecord) -> None:
        (row,) = list(csv.reader(io.StringIO(span)))
        assert clean_text(collapse_spaces(row[0])) == record.title

    records = check("csv_table", raw, expected, span_check)
    if expected:
        assert all(r.authors == ["Ada Lovelace", "Alan Turing"] for r in records)


@given(st.data())
@EXAMPLES
def test_parquet_table(data: st.DataObject) -> None:
    written = data.draw(papers())
    table = pa.table(
        {
            "title": [p.title for p in written],
            "abstract": [p.abstract for p in written],
            "arxiv_id": [p.arxiv_id for p in written],
        },
        schema=pa.schema(
            [("title", pa.string()), ("abstract", pa.string()), ("arxiv_id", pa.string())]
        ),
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    raw, expected = maybe_damaged(data.draw, sink.getvalue().to_pybytes(), written)
    records = check("parquet_table", raw, expected, None)
    assert all(r.start == r.end == 0 for r in records if isinstance(r, RawRecord))


@given(st.data())
@EXAMPLES
def test_hf_paper_page(data: st.DataObject) -> None:
    written = data.draw(papers(min_size=1, max_size=1))
    (p,) = written
    props = {"paper": {"id": p.arxiv_id, "title": p.title, "summary": p.abstract}}
    page = (
        '<!DOCTYPE html><html><head><meta property="og:url" content="https://huggingface.co/'
        f'papers/{p.arxiv_id}"/></head><body><div data-props="'
        f'{html.escape(json.dumps(props, ensure_ascii=False), quote=True)}"></div>'
        f"<h1>{html.escape(p.title)}</h1></body></html>"
    )
    raw, expected = maybe_damaged(data.draw, page.encode(), written)

    def span_check(span: str, record: RawRecord) -> None:
        # the title may come from the embedded JSON, inside an attribute
        unescaped = clean_text(html.unescape(span))
        assert all(word in unescaped for word in re.findall(r"\w+", record.title))

    check("hf_paper_page", raw, expected, span_check)


@given(st.data())
@EXAMPLES
def test_arxiv_atom(data: st.DataObject) -> None:
    written = data.draw(papers())
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{p.arxiv_id}v1</id><title>{html.escape(p.title)}"
        f"</title><summary>{html.escape(p.abstract)}</summary><author><name>Ada</name></author>"
        "</entry>\n"
        for p in written
    )
    feed = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<feed xmlns="http://www.w3.org/2005/Atom">\n<title>q</title>\n{entries}</feed>\n'
    )
    if data.draw(st.booleans()):  # a recorded response: the feed inside JSON
        feed = json.dumps({"url": "u", "status_code": 200, "body": feed})
        span_check = None  # offsets index the body, not the file
    else:

        def span_check(span: str, record: RawRecord) -> None:
            assert span.startswith("<entry") and span.endswith("</entry>")

    raw, expected = maybe_damaged(data.draw, feed.encode(), written)
    check("arxiv_atom", raw, expected, span_check)


def _arxiv_entry(p: Paper, wrap: int) -> str:
    # arXiv wraps long titles at a space, and indents the rest
    cut = p.title.rfind(" ", 1, wrap)
    title = (
        p.title
        if cut < 0 or not p.title[:cut].strip()
        else (p.title[:cut] + "\n  " + p.title[cut + 1 :])
    )
    return (
        f"\\\\\narXiv:{p.arxiv_id}\nDate: Wed, 15 Mar 2023 18:34:08 GMT   (243kb,D)\n\n"
        f"Title: {title}\nAuthors: Ada Lovelace and Alan Turing\nCategories: cs.LG\n"
        f"Comments: 9 pages, code at https://github.com/acme/x\n\\\\\n  {p.abstract}\n"
        f"\\\\ ( https://arxiv.org/abs/{p.arxiv_id} ,  243kb)\n"
    )


def _starts_an_entry(span: str, record: RawRecord) -> None:
    assert span.startswith("\\\\")
    assert record.arxiv_id is None or record.arxiv_id in span


@given(st.data())
@EXAMPLES
def test_arxiv_mailing(data: st.DataObject) -> None:
    written = data.draw(papers())
    wrap = data.draw(st.integers(10, 80))
    mail = (
        "Date: Fri, 17 Mar 23 00:31:14 GMT\nSubject: q-fin daily\n\n" + "-" * 78 + "\n"
        + "".join(_arxiv_entry(p, wrap) + "-" * 78 + "\n" for p in written)
    )  # fmt: skip
    raw, expected = maybe_damaged(data.draw, mail.encode(), written)
    records = check("arxiv_mailing", raw, expected, _starts_an_entry)
    if expected:
        assert all(r.authors == ["Ada Lovelace", "Alan Turing"] for r in records)


@given(st.data())
@EXAMPLES
def test_arxiv_abs(data: st.DataObject) -> None:
    written = data.draw(papers(min_size=1, max_size=1))
    record = (
        "-" * 78
        + "\n"
        + _arxiv_entry(written[0], 40).replace("\\\\ ( https", "\\\\\nignored ( https")
    )
    raw, expected = maybe_damaged(data.draw, record.encode(), written)
    check("arxiv_abs", raw, expected, _starts_an_entry)


@given(st.data())
@EXAMPLES
def test_arxiv_daily_markdown(data: st.DataObject) -> None:
    written = data.draw(papers())
    rows = "".join(
        f"|**2026-05-13**|**{p.title}**|Ada Lovelace et.al.|"
        f"[{p.arxiv_id}](http://arxiv.org/abs/{p.arxiv_id})|null|\n"
        for p in written
    )
    doc = "## SLAM\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n" + rows
    raw, expected = maybe_damaged(data.draw, doc.encode(), written)
    records = check("arxiv_daily_markdown", raw, expected, words_in)
    if expected:
        assert [r.arxiv_id for r in records] == [p.arxiv_id for p in written]


@given(st.data())
@EXAMPLES
def test_awesome_list_markdown(data: st.DataObject) -> None:
    written = data.draw(papers())
    blocks = "".join(
        f"**{p.title}**\n\n- Paper: https://arxiv.org/abs/{p.arxiv_id}\n"
        f"- Code: https://github.com/acme/{i}\n\n"
        for i, p in enumerate(written)
    )
    raw, expected = maybe_damaged(data.draw, ("# List\n\n" + blocks).encode(), written)
    records = check("awesome_list_markdown", raw, expected, words_in)
    if expected:
        assert all([link.kind for link in r.links] == ["code"] for r in records)


@given(st.data())
@EXAMPLES
def test_digest_markdown(data: st.DataObject) -> None:
    written = data.draw(papers())
    parts = "".join(
        f"### {i + 1}. **[{p.title}](https://arxiv.org/abs/{p.arxiv_id}v1)**\n"
        f"- **Date**: 2026-06-11\n- **Authors**: Ada Lovelace, Alan Turing et al.\n"
        f"<details>\n<summary>Abstract</summary>\n\n{p.abstract}\n</details>\n\n"
        for i, p in enumerate(written)
    )
    doc = "# Digest - 2026-06-14\n\n## Topic\n\n" + parts
    raw, expected = maybe_damaged(data.draw, doc.encode(), written)
    records = check("digest_markdown", raw, expected, words_in)
    if expected:
        assert [r.abstract for r in records] == [clean_text(p.abstract) for p in written]


# --- the splitter on free text ---------------------------------------------------------

_PAGE_LINES = st.one_of(
    titles(),
    abstracts(),
    st.sampled_from(
        ["", "", "Jul 29", "Daily Papers", "42", "Upvote", "Submitted by", "akhaliq",
         "· 7 authors", "A line that ends with a period.", "Models", "Feb 30"]
    ),
    st.text(max_size=80),
)  # fmt: skip


@given(st.lists(_PAGE_LINES, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
@example(["Â\xa0"], "\n")
@EXAMPLES
def test_splitter_accounts_for_every_line(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    raw = text.encode("utf-8", "surrogatepass")
    if has_surrogates(text):
        return  # not text a file can hold
    decoded_lines: list[Line] = list(iter_lines(io.BytesIO(raw)))
    items = list(split_page(iter(decoded_lines), "page.txt", year=2026))
    assert [i.position for i in items] == list(range(1, len(items) + 1))
    flat = raw.decode("utf-8", "surrogateescape")
    paragraph_of: dict[int, int] = {}
    paragraph = 0
    for line in decoded_lines:
        if line.text.strip() and clean_text(line.text):
            paragraph_of[line.number] = paragraph
        else:
            paragraph += 1
    covered: set[int] = set()
    for item in items:
        if isinstance(item, RawRecord):
            span = flat[item.start : item.end]
            first = re.split(r"\r\n|\r|\n", span, maxsplit=1)[0]
            assert clean_text(collapse_spaces(first)) == item.title
            covered |= {ln.number for ln in decoded_lines if item.start <= ln.char_start < item.end}
        else:  # a problem stands for its paragraph
            assert item.line is not None
            covered |= {n for n, p in paragraph_of.items() if p == paragraph_of[item.line]}
    for index, line in enumerate(decoded_lines):
        stripped = line.text.strip()
        # (cleaned before it is stripped, as the splitter reads it: "Â\xa0" is a
        # no-break space decoded twice, a blank line)
        if not clean_text(line.text) or line.number in covered:
            continue
        # anything else is page chrome, a date line, or a line of a paper card
        known = is_chrome(stripped) or card_line(line) is not None
        known = known or parse_date_line(stripped, 2026) is not None
        before = [ln.text.strip() for ln in decoded_lines[:index] if ln.text.strip()]
        after_submitter = bool(before) and re.fullmatch(r"(?i)submitted\s+by", before[-1])
        assert known or after_submitter, line
