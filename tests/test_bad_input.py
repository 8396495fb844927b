"""Bad input: every case ends as a clear reject with a reason, never a crash or a loss."""

from __future__ import annotations

import codecs
import io
import json
import os
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import extract
from extract import plan
from extract.cli import main
from extract.formats import FORMATS, ReadOptions
from extract.read import Source
from extract.records import RawRecord, RecordProblem

from .conftest import SEED, need_shared

PAGE = (
    "Daily Papers\n\nJul 29\n\n"
    "Widgetron: Fast Widgets\n\nWe build widgets 2.5x faster than before.\n\n"
    "Gadgetron: Slow Gadgets\n\nWe build gadgets 20% slower than before.\n\n"
    "Sprocketron: Medium Sprockets\n\nWe build sprockets at 1.3x the speed.\n"
)
TITLES = ["Widgetron: Fast Widgets", "Gadgetron: Slow Gadgets", "Sprocketron: Medium Sprockets"]


def run(tmp_path: Path, *inputs: Path | str, **options: Any) -> extract.RunSummary:
    return extract.run([str(i) for i in inputs], tmp_path / "out", overwrite=True, **options)


def table(tmp_path: Path, name: str) -> list[dict[str, Any]]:
    return pq.read_table(tmp_path / "out" / name).to_pylist()


def titles(tmp_path: Path) -> list[str]:
    return [row["title"] for row in table(tmp_path, "papers")]


def strings_in_output(tmp_path: Path) -> list[str]:
    """Every string value of every table of the dataset."""
    found = []
    for part in (tmp_path / "out").rglob("*.parquet"):
        for row in pq.read_table(part).to_pylist():
            for value in row.values():
                values = value if isinstance(value, list) else [value]
                found += [v for v in values if isinstance(v, str)]
    return found


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    summary = run(tmp_path, empty)
    (entry,) = summary.inputs
    assert (entry.outcome, entry.reason, entry.bytes) == ("rejected", "empty", 0)
    (reject,) = table(tmp_path, "rejects")
    assert reject["reason"] == "empty" and reject["detail"] == "the file is empty"
    assert summary.too_many_rejects  # nothing read at all is worth an exit code


def test_binary_file(tmp_path: Path) -> None:
    blob = tmp_path / "photo.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    summary = run(tmp_path, blob)
    assert summary.inputs[0].reason == "unrecognised"
    assert table(tmp_path, "rejects")[0]["detail"] == "binary data, not a listing"


def test_invalid_utf8_rejects_the_damaged_record_and_keeps_the_rest(tmp_path: Path) -> None:
    need_shared(SEED)
    data = bytearray(SEED.read_bytes())
    clean = run(tmp_path / "clean", SEED)
    second = next(p for p in table(tmp_path / "clean", "papers") if p["position"] == 2)
    assert clean.counts.papers == 59
    # Damage one byte inside the second paper's abstract.
    offset = data.index(second["abstract"].encode("utf-8")) + 200
    data[offset] = 0xFF
    damaged = tmp_path / "seed.txt"
    damaged.write_bytes(bytes(data))
    summary = run(tmp_path, damaged)
    assert summary.counts.papers == 58 and summary.counts.rejected_records == 1
    (reject,) = table(tmp_path, "rejects")
    assert (reject["reason"], reject["byte_offset"], reject["position"]) == (
        "invalid_utf8",
        offset,
        2,
    )
    assert "\\xff" in reject["raw"]
    assert not any("\ufffd" in s for s in strings_in_output(tmp_path))
    assert second["title"] not in titles(tmp_path)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),  # no BOM: told by its zero bytes
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le"],
)
def test_utf16_and_bom(tmp_path: Path, encode: Any) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(encode(PAGE))
    summary = run(tmp_path, path)
    assert summary.inputs[0].format == "daily_papers_text"
    assert titles(tmp_path) == TITLES
    papers = table(tmp_path, "papers")
    # offsets are characters of the decoded text, whatever the encoding
    assert [PAGE[p["start"] : p["start"] + len(p["title"])] for p in papers] == TITLES


def test_utf16_json(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    rows = [{"title": t, "abstract": "Text é."} for t in TITLES]
    path.write_bytes(codecs.BOM_UTF16_LE + json.dumps(rows, ensure_ascii=False).encode("utf-16-le"))
    run(tmp_path, path)
    assert titles(tmp_path) == TITLES


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.replace("2.5x", "2.5x\0\0").encode("utf-8"))
    summary = run(tmp_path, path)
    assert summary.counts.papers == 3
    assert not any("\0" in s for s in strings_in_output(tmp_path))


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.replace("\n", newline).encode("utf-8"))
    run(tmp_path, path)
    papers = table(tmp_path, "papers")
    assert [p["title"] for p in papers] == TITLES
    assert papers[0]["abstract"] == "We build widgets 2.5x faster than before."
    assert not any("\r" in s for s in strings_in_output(tmp_path))


def test_zero_width_and_bidi_controls(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    sneaky = PAGE.replace("Widgetron", "Wid\u200bget\u202eron\u2066").replace(
        "faster", "fas\u200dter\u200f"
    )
    path.write_text(sneaky, encoding="utf-8")
    run(tmp_path, path)
    assert titles(tmp_path) == TITLES
    invisible = {"\u200b", "\u200d", "\u200f", "\u202e", "\u2066", "\ufeff"}
    assert not any(set(s) & invisible for s in strings_in_output(tmp_path))


def _peak_bytes_while_reading(fmt: str, source: Source) -> tuple[list[Any], int, float]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = list(FORMATS[fmt].read(source, ReadOptions()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return items, peak, time.monotonic() - started


@pytest.mark.parametrize("fmt", ["daily_papers_text", "json_lines"])
def test_a_50_mb_line_is_rejected_in_bounded_time_and_memory(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "big.txt"
    huge = "x" * (50 << 20)
    with path.open("w", encoding="utf-8") as handle:
        if fmt == "daily_papers_text":
            handle.write("Jul 29\n\nFirst Title\n\nFirst abstract.\n\nHuge Title\n\n")
            handle.write(huge + "\n\nLast Title\n\nLast abstract.\n")
        else:
            handle.write('{"title": "First"}\n{"title": "' + huge + '"}\n{"title": "Last"}\n')
    items, peak, seconds = _peak_bytes_while_reading(fmt, Source(name=str(path), path=path))
    records = [i for i in items if isinstance(i, RawRecord)]
    (problem,) = [i for i in items if isinstance(i, RecordProblem)]
    assert problem.reason == "record_too_large"
    assert [r.title for r in records][-1] in ("Last Title", "Last")
    assert peak < 8 << 20, f"peak {peak >> 20} MiB while reading a 50 MiB line"
    assert seconds < 10


def test_a_50_mb_line_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(PAGE + "\nHuge\n\n" + "y " * (25 << 20) + "\n\nLast Title\n\nLast one.\n")
    started = time.monotonic()
    summary = run(tmp_path, path)
    assert time.monotonic() - started < 30
    assert summary.counts.papers == 4 and summary.counts.rejected_records == 1
    assert table(tmp_path, "rejects")[0]["reason"] == "record_too_large"


def test_a_large_json_document_is_read_whole_under_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "year.json"
    rows = [{"title": f"Paper {i}", "abstract": "z" * 5000} for i in range(10_000)]
    path.write_text(json.dumps(rows), encoding="utf-8")  # one 50 MB line
    assert path.stat().st_size > 50_000_000
    started = time.monotonic()
    items = list(FORMATS["hf_daily_json"].read(Source(name=str(path), path=path), ReadOptions()))
    assert len(items) == 10_000 and time.monotonic() - started < 20


def test_a_json_document_over_the_cap_is_a_rejected_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import read

    monkeypatch.setattr(read, "MAX_DOCUMENT_BYTES", 1000)
    monkeypatch.setattr(read.read_document, "__defaults__", (1000,))
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"title": "t" * 2000}]), encoding="utf-8")
    summary = run(tmp_path, path)
    assert summary.inputs[0].reason == "document_too_large"


def test_html_where_text_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>"
    )
    summary = run(tmp_path, path)
    assert summary.inputs[0].reason == "unrecognised"
    assert "HTML page" in table(tmp_path, "rejects")[0]["detail"]
    forced = run(tmp_path, path, format="daily_papers_text")
    assert forced.inputs[0].reason == "html_not_text"


def test_a_saved_paper_page_named_txt_is_read_as_html(tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html><html><head><meta property="og:url" '
        'content="https://huggingface.co/papers/2401.00001"/></head><body>'
        '<h1>Widgetron: Fast Widgets</h1><h2>Abstract</h2><p class="text-gray-600">We build '
        'widgets.</p><a class="btn" href="https://github.com/acme/widgetron">GitHub</a></body>'
        "</html>"
    )
    path = tmp_path / "saved.txt"
    path.write_text(page, encoding="utf-8")
    summary = run(tmp_path, path)
    assert summary.inputs[0].format == "hf_paper_page"
    (paper,) = table(tmp_path, "papers")
    assert (paper["title"], paper["abstract"], paper["arxiv_id"]) == (
        "Widgetron: Fast Widgets",
        "We build widgets.",
        "2401.00001",
    )
    assert [(r["url"], r["kind"]) for r in table(tmp_path, "links")] == [
        ("https://github.com/acme/widgetron", "code")
    ]


def test_truncated_json_keeps_the_papers_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    text = json.dumps({"date": "2026-02-02", "papers": [{"title": t} for t in TITLES]})
    path.write_text(text[: text.index(TITLES[2]) + 5], encoding="utf-8")
    summary = run(tmp_path, path)
    assert titles(tmp_path) == TITLES[:2]
    (reject,) = table(tmp_path, "rejects")
    assert reject["reason"] == "truncated_json" and reject["position"] == 3
    assert reject["byte_offset"] is not None and reject["line"] == 1
    assert summary.counts.records_in == 3


def test_json_broken_from_the_start_is_a_rejected_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"papers": [{"title": "A", nope}]}', encoding="utf-8")
    summary = run(tmp_path, path)
    assert summary.inputs[0].reason == "invalid_json"
    assert "line 1" in table(tmp_path, "rejects")[0]["detail"]


def test_json_lines_rejects_a_bad_line_alone(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_bytes(
        b'{"title": "A"}\n{"title": "B",\n[1, 2]\n{"title": "C\xff"}\n{"abstract": "x"}\n'
        b'{"title": "D"}\n'
    )
    summary = run(tmp_path, path)
    assert titles(tmp_path) == ["A", "D"]
    reasons = [r["reason"] for r in table(tmp_path, "rejects")]
    assert reasons == ["invalid_json", "not_a_paper", "invalid_utf8", "missing_title"]
    assert summary.counts.records_in == 6


def test_atom_with_a_doctype_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&b;</title></entry></feed>'
    )
    path = tmp_path / "feed.xml"
    path.write_text(bomb, encoding="utf-8")
    summary = run(tmp_path, path)
    assert summary.inputs[0].reason == "xml_doctype"


def test_atom_entry_with_an_unknown_entity_is_rejected_alone(tmp_path: Path) -> None:
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Good</title></entry>"
        "<entry><id>http://arxiv.org/abs/2401.00002v1</id><title>&bad;</title></entry>"
        "<entry><id>http://arxiv.org/abs/2401.00003v1</id><title>Also good</title></entry>"
        "<entry><id>http://arxiv.org/abs/2401.00004v1</id><title>Cut"
    )
    path = tmp_path / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    run(tmp_path, path)
    assert titles(tmp_path) == ["Good", "Also good"]
    assert [r["reason"] for r in table(tmp_path, "rejects")] == ["invalid_xml", "truncated_entry"]


def test_a_directory_of_mixed_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    (folder / "nested" / "paper.json").write_text(json.dumps({"title": "Nested Paper"}))
    (folder / "notes.md").write_text("# Notes\n\nNothing to see.\n")
    (folder / "blob.bin").write_bytes(bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden.txt").write_text(PAGE)
    table_ = pa.table({"title": ["Parquet Paper"], "abstract": ["From a table."]})
    pq.write_table(table_, folder / "rows.parquet")
    summary = run(tmp_path, folder)
    outcomes = {Path(e.path).name: (e.outcome, e.format, e.reason) for e in summary.inputs}
    assert outcomes == {
        "blob.bin": ("rejected", None, "unrecognised"),
        "empty.txt": ("rejected", None, "empty"),
        "notes.md": ("rejected", None, "unrecognised"),
        "page.txt": ("read", "daily_papers_text", None),
        "paper.json": ("read", "hf_daily_json", None),
        "rows.parquet": ("read", "parquet_table", None),
    }
    assert sorted(titles(tmp_path)) == sorted([*TITLES, "Nested Paper", "Parquet Paper"])
    c = summary.counts
    assert (c.rejected_files, c.records_in, c.papers) == (3, 5, 5)


def _fast(seconds: float = 1.0) -> Any:
    class Timer:
        def __enter__(self) -> None:
            self.started = time.monotonic()

        def __exit__(self, *exc: object) -> None:
            assert time.monotonic() - self.started < seconds

    return Timer()


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "page.txt").write_text(PAGE)
    summary = run(tmp_path, tmp_path / "page.txt", fifo)  # nobody ever writes to it
    entry = next(e for e in summary.inputs if e.path == str(fifo))
    assert (entry.outcome, entry.reason) == ("rejected", "not_a_regular_file")
    assert summary.counts.papers == 3


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_never_read(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    with _fast(5):
        summary = run(tmp_path, device)
    assert summary.inputs[0].reason == "not_a_regular_file"
    assert "device" in table(tmp_path, "rejects")[0]["detail"]


def test_symlink_loops(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE)
    os.symlink(folder / "loop.txt", folder / "loop.txt")  # a link to itself
    os.symlink(folder, folder / "again")  # a folder link back to its parent
    summary = run(tmp_path, folder)
    reasons = {Path(e.path).name: e.reason for e in summary.inputs}
    assert reasons == {"again": "symlink_loop", "loop.txt": "symlink_loop", "page.txt": None}
    assert summary.counts.papers == 3


def test_a_file_that_vanishes_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE)
    (folder / "b.txt").write_text(PAGE.replace("Widgetron", "Bolt"))
    real = plan.discover

    def discover_then_delete(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        (folder / "b.txt").unlink()
        return found

    monkeypatch.setattr(plan, "discover", discover_then_delete)
    with _fast(5):
        summary = run(tmp_path, folder)
    entries = {Path(e.path).name: (e.outcome, e.reason, e.records) for e in summary.inputs}
    assert entries == {"a.txt": ("read", None, 3), "b.txt": ("rejected", "vanished", 0)}
    assert summary.counts.rejected_files == 1 and summary.counts.records_in == 3


def test_a_file_deleted_while_it_is_read_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import plan

    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    real = plan.fingerprint

    def fingerprint_then_delete(source: Source) -> tuple[str, int]:
        result = real(source)
        path.unlink()  # gone from the folder, but the run holds it open
        return result

    monkeypatch.setattr(plan, "fingerprint", fingerprint_then_delete)
    summary = run(tmp_path, path)
    assert summary.counts.papers == 3 and summary.inputs[0].outcome == "read"


def test_a_path_that_does_not_exist(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {tmp_path / 'nope'}: no such file or directory\n",
    )


def test_a_reader_that_fails_costs_its_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.formats import Format

    def broken(source: Source, options: ReadOptions) -> Any:
        yield from ()
        raise ZeroDivisionError("a bug")

    fmt = FORMATS["json_lines"]
    monkeypatch.setitem(FORMATS, "json_lines", Format(fmt.name, fmt.description, fmt.sniff, broken))
    (tmp_path / "a.jsonl").write_text('{"title": "A"}\n{"title": "B"}\n')
    (tmp_path / "b.txt").write_text(PAGE)
    summary = run(tmp_path, tmp_path / "a.jsonl", tmp_path / "b.txt")
    assert [e.reason for e in summary.inputs] == ["reader_error", None]
    assert summary.counts.papers == 3


@pytest.mark.parametrize(
    ("rate", "code"),
    [(None, 0), ("0.05", 0), ("0.01", 3), ("0", 3), ("1", 0)],
)
def test_max_reject_rate(runner: CliRunner, tmp_path: Path, rate: str | None, code: int) -> None:
    # 1 damaged record of 40: a rate of 2.5%
    pages = "Jul 29\n\n" + "".join(f"Paper {i}\n\nAbstract {i} here.\n\n" for i in range(39))
    path = tmp_path / "page.txt"
    path.write_bytes(pages.encode() + b"Broken \xff\n\nIts abstract.\n")
    args = ["run", str(path), "-o", str(tmp_path / "o"), "--overwrite"]
    result = runner.invoke(main, args + (["--max-reject-rate", rate] if rate else []))
    assert result.exit_code == code, result.output
    assert (tmp_path / "o" / "manifest.json").is_file()  # written either way
    if code == 3:
        assert "2.5% of records rejected" in result.output


def test_standard_input_is_read_like_a_file(tmp_path: Path) -> None:
    summary = extract.run(["-"], tmp_path / "out", stdin=io.BytesIO(PAGE.encode("utf-16")))
    assert summary.counts.papers == 3 and summary.inputs[0].path == "-"
