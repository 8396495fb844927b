"""Issue 12: nothing lost, nothing outside the input read, nothing wrong left unseen.

Each test here sets up what a skeptical user tried (a folder of their own files given
as the output, a huge CSV cell, a file rewritten while it is read, links out of an
input folder, the output inside the input...) and checks the promise of the README's
"Bad input" and "Guarantees" sections.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import extract
from extract.cli import main
from extract.errors import ExtractError
from extract.records import RawRecord, clean_authors

PAGE = "Jul 29\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster.\n"
OTHER = "Jul 30\n\nGadgetron: Slow Gadgets\n\nWe build gadgets 20% slower.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def titles(out: Path) -> list[str]:
    return [str(t) for t in pq.read_table(out / "papers").column("title").to_pylist()]


# --- 1. --overwrite replaces only a dataset --------------------------------------------


def test_overwrite_refuses_a_web_app_with_a_manifest(tmp_path: Path) -> None:
    app = tmp_path / "webapp"
    write(app / "manifest.json", '{"name": "app"}')
    write(app / "src" / "main.js", "code")
    page = write(tmp_path / "page.txt", PAGE)
    result = CliRunner().invoke(main, ["run", str(page), "-o", str(app), "--overwrite"])
    assert result.exit_code == 1
    assert "refusing to replace it" in result.output
    assert "not written by extract" in result.output
    assert (app / "src" / "main.js").read_text() == "code"
    assert json.loads((app / "manifest.json").read_text()) == {"name": "app"}


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        # a user's file beside the tables
        ("notes.txt", "holds 'notes.txt'"),
        # a user's file inside a table folder
        ("papers/keep.csv", "holds papers/keep.csv"),
        # a folder that is not a table
        ("src/main.js", "holds 'src'"),
    ],
)
def test_overwrite_refuses_a_dataset_holding_anything_else(
    tmp_path: Path, extra: str, why: str
) -> None:
    out = tmp_path / "o"
    extract.run([str(write(tmp_path / "page.txt", PAGE))], out)
    write(out / extra, "mine")
    with pytest.raises(ExtractError, match=why):
        extract.run([str(write(tmp_path / "other.txt", OTHER))], out, overwrite=True)
    assert (out / extra).read_text() == "mine"


def test_overwrite_refuses_a_manifest_of_another_schema(tmp_path: Path) -> None:
    out = tmp_path / "o"
    extract.run([str(write(tmp_path / "page.txt", PAGE))], out)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "schema_version": "9.0"}))
    with pytest.raises(ExtractError, match=r"schema_version '9\.0'"):
        extract.run([str(write(tmp_path / "other.txt", OTHER))], out, overwrite=True)


def test_overwrite_replaces_a_dataset_and_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "o"
    extract.run([str(write(tmp_path / "page.txt", PAGE))], out)
    extract.run([str(write(tmp_path / "other.txt", OTHER))], out, overwrite=True)
    assert titles(out) == ["Gadgetron: Slow Gadgets"]
    empty = tmp_path / "empty"
    empty.mkdir()
    extract.run([str(tmp_path / "page.txt")], empty, overwrite=True)
    assert titles(empty) == ["Widgetron: Fast Widgets"]


# --- 4. symbolic links out of an input folder ------------------------------------------


def test_a_link_out_of_the_input_folder_is_skipped_not_read(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    write(crawl / "day.txt", PAGE)
    private = write(tmp_path / "private" / "diary.txt", OTHER)
    (crawl / "diary.txt").symlink_to(private)
    (crawl / "root").symlink_to("/")
    (crawl / "sub").mkdir()
    (crawl / "sub" / "up").symlink_to(tmp_path / "private")
    out = tmp_path / "out"
    summary = extract.run([str(crawl)], out, max_reject_rate=0.0)
    assert titles(out) == ["Widgetron: Fast Widgets"]
    skipped = {Path(s.path).relative_to(crawl).as_posix(): s.reason for s in summary.skipped}
    assert skipped == {
        "diary.txt": "link_outside_input",
        "root": "link_outside_input",
        "sub/up": "link_outside_input",
    }
    # reported, but neither a reject nor an input: the run is not over its reject rate
    assert summary.counts.rejected_files == 0 and not summary.too_many_rejects
    assert [Path(e.path).name for e in summary.inputs] == ["day.txt"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["reason"] for s in manifest["skipped"]] == ["link_outside_input"] * 3
    assert "not followed" in manifest["skipped"][0]["detail"]
    assert pq.read_table(out / "rejects").num_rows == 0


def test_a_link_inside_the_input_folder_is_followed_once(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    write(crawl / "days" / "a.txt", PAGE)
    write(crawl / "days" / "b.txt", OTHER)
    (crawl / "latest").symlink_to(crawl / "days" / "b.txt")
    (crawl / "days" / "again").symlink_to(crawl)  # a loop, found by real path
    summary = extract.run([str(crawl)], tmp_path / "out")
    expected = ["Gadgetron: Slow Gadgets", "Widgetron: Fast Widgets"]
    assert sorted(titles(tmp_path / "out")) == expected
    assert summary.skipped == []
    reasons = {Path(e.path).name: e.reason for e in summary.inputs}
    assert reasons["again"] == "symlink_loop"


def test_the_summary_names_what_was_skipped(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    write(crawl / "day.txt", PAGE)
    (crawl / "root").symlink_to("/")
    result = CliRunner().invoke(main, ["run", str(crawl), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"skipped: {crawl / 'root'}: link_outside_input: a symbolic link to /" in result.output


# --- 5. the output inside the input ----------------------------------------------------


def test_the_output_inside_the_input_is_never_read(tmp_path: Path) -> None:
    indir = tmp_path / "indir"
    write(indir / "day.txt", PAGE + "\n" + OTHER)
    out = indir / "out"
    first = extract.run([str(indir)], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.parquet")}
    second = extract.run([str(indir)], out, overwrite=True, incremental=True)
    third = extract.run([str(indir)], out, overwrite=True, cache_dir=indir / "cache")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.parquet")}
    assert after == before
    for summary in (first, second, third):
        assert [Path(e.path).name for e in summary.inputs] == ["day.txt"]
        assert summary.counts.papers == 2 and summary.skipped == []


# --- 2. large CSV cells and broken quotes ----------------------------------------------

BIG = "x" * (1 << 20)


def rows_of(out: Path, table: str) -> list[dict[str, object]]:
    return pq.read_table(out / table).to_pylist()


def test_a_cell_over_a_mebibyte_on_one_line_is_a_reject_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", f"title,abstract\nAlpha,one\nBeta,{BIG}\nGamma,three\n")
    out = tmp_path / "out"
    summary = extract.run([str(path)], out, max_reject_rate=1.0)
    assert titles(out) == ["Alpha", "Gamma"]
    (reject,) = rows_of(out, "rejects")
    assert (reject["reason"], reject["line"], reject["position"]) == ("record_too_large", 3, 2)
    assert summary.counts.records_in == 3


def test_a_quoted_cell_over_a_mebibyte_over_many_lines_is_one_reject(tmp_path: Path) -> None:
    cell = "\n".join(["y" * 1000] * 1100)
    text = f'title,abstract\nAlpha,one\nBeta,"{cell}"\nGamma,three\n'
    path = write(tmp_path / "t.csv", text)
    out = tmp_path / "out"
    summary = extract.run([str(path)], out, max_reject_rate=1.0)
    assert titles(out) == ["Alpha", "Gamma"]
    (reject,) = rows_of(out, "rejects")
    assert (reject["reason"], reject["line"]) == ("record_too_large", 3)
    assert "over 1100 lines" in str(reject["detail"])
    assert summary.counts.records_in == 3


@pytest.mark.parametrize(
    "body",
    [
        # a quote never closed: it runs to the end of the file
        'Alpha,one\nBeta,"two\nGamma,three\nDelta,four\n',
        # a quote closed by the quote of a later row: the rows between are swallowed
        '"Alpha,one\nBeta,"two"\nGamma,three\n',
        # a quote never closed, in a cell over a mebibyte
        'Alpha,one\nBeta,"' + "z" * 600 + ("\n" + "z" * 600) * 2000 + "\n",
    ],
)
def test_a_broken_quote_stops_the_file_with_a_reject_naming_its_line(
    tmp_path: Path, body: str
) -> None:
    path = write(tmp_path / "t.csv", "title,abstract\n" + body)
    out = tmp_path / "out"
    summary = extract.run([str(path)], out, max_reject_rate=1.0)
    rejects = rows_of(out, "rejects")
    assert [r["reason"] for r in rejects] == ["invalid_csv"]
    line = 2 if body.startswith('"') else 3
    assert rejects[0]["line"] == line
    assert "opened on this line is not closed" in str(rejects[0]["detail"])
    assert titles(out) == ([] if line == 2 else ["Alpha"])
    c = summary.counts
    assert c.papers + c.rejected_records + c.merged_records == c.records_in == line - 1


# --- 3. a file rewritten while it is read; a bad cache entry ------------------------------


def _rewrite_during_read(
    monkeypatch: pytest.MonkeyPatch, path: Path, text: str, after: int = 1
) -> None:
    """Rewrite ``path`` in place (same inode) once ``after`` of its records were read."""
    from extract.formats import FORMATS, Format

    fmt = FORMATS["daily_papers_text"]
    real = fmt.read

    def read(source: Any, options: Any) -> Any:
        for item in real(source, options):
            yield item
            if item.position == after:
                path.write_text(text, encoding="utf-8")

    monkeypatch.setitem(FORMATS, fmt.name, Format(**{**vars(fmt), "read": read}))


def test_a_file_rewritten_while_read_is_rejected_and_never_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    day = write(folder / "day.txt", PAGE)
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _rewrite_during_read(patch, day, PAGE + "\n" + OTHER)
        summary = extract.run([str(folder)], out, incremental=True, max_reject_rate=1.0)
    (entry,) = summary.inputs
    assert (entry.outcome, entry.reason, entry.papers) == ("rejected", "changed", 0)
    assert pq.read_table(out / "papers").num_rows == 0
    # the file goes back to what the run hashed: nothing of the bad run is reused
    day.write_text(PAGE, encoding="utf-8")
    for _ in range(2):
        again = extract.run([str(folder)], out, overwrite=True, incremental=True)
        assert titles(out) == ["Widgetron: Fast Widgets"]
    assert again.reused_shards == 1 and again.inputs[0].outcome == "read"


def test_a_change_is_caught_before_the_shard_that_read_it_is_handed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the plan reads every input (workers never open one) and checks the file before
    # each shard of its records goes out: shards read before the change are whole, the
    # one that saw it holds the file's reject instead of its records
    from extract.shards import CHANGED

    page = "Jul 29\n\n" + "".join(f"Paper {i}\n\nText {i}.\n\n" for i in range(10))
    path = write(tmp_path / "in" / "day.txt", page)
    _rewrite_during_read(monkeypatch, path, page + "Late\n\nLater.\n", after=5)
    out = tmp_path / "out"
    summary = extract.run([str(path)], out, shard_size=3, max_reject_rate=1.0)
    (entry,) = summary.inputs
    assert (entry.outcome, entry.reason, entry.papers) == ("rejected", "changed", 3)
    assert titles(out) == ["Paper 0", "Paper 1", "Paper 2"]
    rejects = pq.read_table(out / "rejects").to_pylist()
    assert [(r["reason"], r["detail"]) for r in rejects] == [("changed", CHANGED)]


def _badly_quoted_csv(rows: int) -> str:
    # the stray quote is a character of its cell to csv, but a count of quote
    # characters (which cutting a file by bytes would need) is off by one after it
    body = "".join(f'Paper {i},"abstract {i}\nits second line"\n' for i in range(rows))
    return 'title,abstract\nA 5" screen,abstract\n' + body


def test_a_badly_quoted_csv_cut_in_shards_is_found_in_the_cache(tmp_path: Path) -> None:
    # records are cut after the file is split, so a stray quote never meets a cut
    path = write(tmp_path / "in" / "t.csv", _badly_quoted_csv(200))
    out = tmp_path / "out"
    options = {"overwrite": True, "incremental": True, "max_reject_rate": 1.0}
    runs = [extract.run([str(path)], out, shard_size=20, **options) for _ in range(3)]
    assert [r.counts.papers for r in runs] == [201, 201, 201]
    assert runs[-1].reused_shards > 0


@pytest.mark.parametrize(
    "damage",
    [
        "meta.json:garbage",  # not JSON
        "meta.json:[]",  # JSON of another shape
        'meta.json:{"key": "x"}',  # an object with fields missing
        "rows:truncated",  # a row file cut short
        "rows:missing",  # a row file gone
        "rows:altered",  # a row file of the same size, other bytes
    ],
)
def test_a_bad_cache_entry_is_computed_again(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "in"
    write(folder / "day.txt", PAGE + "\n" + OTHER)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract.run([str(folder)], out, incremental=True, cache_dir=cache)
    before = {p.name: p.read_bytes() for p in (out / "papers").iterdir()}
    (entry,) = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    from extract.shards import rows_file

    what, _, how = damage.partition(":")
    if what == "meta.json":
        (entry / "meta.json").write_text(how)
    else:
        rows = entry / rows_file("papers", 0)
        data = rows.read_bytes()
        if how == "truncated":
            rows.write_bytes(data[: len(data) // 2])
        elif how == "missing":
            rows.unlink()
        else:
            rows.write_bytes(data.replace(b"Widgetron", b"Widgetrox"))
    summary = extract.run([str(folder)], out, overwrite=True, incremental=True, cache_dir=cache)
    assert summary.reused_shards == 0
    assert {p.name: p.read_bytes() for p in (out / "papers").iterdir()} == before


# --- 7. a script or inline data in a link field is a reject row ---------------------------


def test_a_javascript_or_data_url_in_a_link_field_is_a_reject_row(tmp_path: Path) -> None:
    paper = {
        "title": "Widgetron: Fast Widgets",
        "abstract": "We build widgets.",
        "github_repo": "javascript:alert(1)",
        "project_page": "data:text/html;base64,PHNjcmlwdD4=",
        "homepage": "java\tscript:alert(2)",
    }
    path = write(tmp_path / "in.jsonl", json.dumps(paper) + "\n")
    out = tmp_path / "out"
    summary = extract.run([str(path)], out)
    assert titles(out) == ["Widgetron: Fast Widgets"]
    assert pq.read_table(out / "links").num_rows == 0
    rejects = pq.read_table(out / "rejects").to_pylist()
    assert sorted((r["reason"], r["raw"]) for r in rejects) == [
        ("unsafe_link", "data:text/html;base64,PHNjcmlwdD4="),
        ("unsafe_link", "java\tscript:alert(2)"),
        ("unsafe_link", "javascript:alert(1)"),
    ]
    assert all(r["line"] == 1 and r["position"] == 1 for r in rejects)
    assert "the github_repo field: a javascript: URL" in str(
        next(r["detail"] for r in rejects if r["raw"] == "javascript:alert(1)")
    )
    # the paper is kept: these are not rejected records
    assert summary.counts.rejected_records == 0 and summary.rejects_by_reason == {"unsafe_link": 3}


# --- 8. small things ---------------------------------------------------------------------


def test_a_full_disk_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import pyarrow.parquet as parquet

    def full(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parquet.ParquetWriter, "write_table", full)
    page = write(tmp_path / "page.txt", PAGE)
    result = CliRunner().invoke(main, ["run", str(page), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(f"Error: {tmp_path}/.extract-staging-o-")
    assert line.endswith(
        "/part-00000.parquet: No space left on device (free some space, or write elsewhere "
        "with -o; nothing was written)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]


def test_a_full_disk_in_the_merge_index_is_an_os_error_naming_it(tmp_path: Path) -> None:
    import sqlite3

    from extract.errors import writing

    with pytest.raises(OSError) as error, writing(tmp_path / "merge.sqlite"):
        raise sqlite3.OperationalError("database or disk is full")
    assert error.value.filename == str(tmp_path / "merge.sqlite")


@pytest.mark.parametrize(
    ("given", "meant"), [("jsonl", "json_lines"), ("csv", "csv_table"), ("json_line", "json_lines")]
)
def test_a_format_that_does_not_exist_is_a_usage_error_with_a_suggestion(
    tmp_path: Path, given: str, meant: str
) -> None:
    page = write(tmp_path / "page.txt", PAGE)
    args = ["run", str(page), "-o", str(tmp_path / "o"), "--format", given]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert f"'{given}' is not a format; did you mean '{meant}'?" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("pack", "command"),
    [("gzip", "gunzip"), ("zip", "unzip"), ("bz2", "bunzip2"), ("xz", "unxz")],
)
def test_a_compressed_input_says_to_decompress_it(tmp_path: Path, pack: str, command: str) -> None:
    import bz2
    import gzip
    import lzma
    import zipfile

    path = tmp_path / f"page.txt.{pack}"
    data = PAGE.encode()
    if pack == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("page.txt", data)
    else:
        path.write_bytes(
            {"gzip": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[pack](data)
        )
    out = tmp_path / "out"
    summary = extract.run([str(path)], out, max_reject_rate=1.0)
    assert summary.inputs[0].outcome == "rejected"
    (reject,) = pq.read_table(out / "rejects").to_pylist()
    assert f"decompress it first ({command} {path.name})" in str(reject["detail"])


def test_reading_standard_input_from_a_terminal_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import cli

    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(main, ["run", "-", "-o", str(tmp_path / "o"), "-q"], input=PAGE)
    assert result.exit_code == 0
    assert "reading a listing from standard input" in result.output
    assert "Ctrl-D" in result.output


def test_the_progress_bar_says_spacy_is_loading_until_a_shard_is_done() -> None:
    import io

    from extract.progress import Progress
    from extract.shards import PieceResult, ShardResult

    stream = io.StringIO()
    with Progress(enabled=True, stream=stream, interval=0) as bar:
        assert stream.getvalue().strip().startswith("loading spaCy")
        bar.advance(ShardResult(key="k", pieces=[PieceResult(records=3)]))
        bar.total(6)
        bar.advance(ShardResult(key="k", pieces=[PieceResult(records=3)]))
        assert stream.getvalue().rsplit("\r", 1)[-1].startswith("extract: 100%")


def test_upvotes_read_as_a_nullable_integer_in_pandas(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    lines = [
        {"title": "Widgetron: Fast Widgets", "abstract": "We build widgets.", "upvotes": 5},
        {"title": "Gadgetron: Slow Gadgets", "abstract": "We build gadgets."},
    ]
    path = write(tmp_path / "in.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    extract.run([str(path)], tmp_path / "out")
    papers = pd.read_parquet(tmp_path / "out" / "papers")
    assert str(papers["upvotes"].dtype) == "Int64"
    assert papers["upvotes"].tolist()[0] == 5 and papers["upvotes"].isna().tolist() == [False, True]
    for table in ("appearances", "rejects", "links"):
        frame = pd.read_parquet(tmp_path / "out" / table)
        nullable = {"appearances": "upvotes", "rejects": "line", "links": "start"}[table]
        assert str(frame[nullable].dtype) == "Int64"


# --- 9. author names as crawlers leave them ------------------------------------------------

_SEPARATORS = " \t\n\u00a0\u3000,;:|&/·•、，；"
_NAME_PARTS = st.text(alphabet=st.sampled_from("Jane Doe.-'李" + _SEPARATORS), max_size=24)


@given(names=st.lists(st.one_of(_NAME_PARTS, st.text(max_size=12)), max_size=8))
def test_every_author_name_is_clean_whatever_the_crawler_left(names: list[str]) -> None:
    record = RawRecord(source="s", position=1, title="T", abstract=None, start=0, end=1)
    record.authors = names
    record.__post_init__()  # as every reader builds it: RawRecord(..., authors=names)
    built = RawRecord(source="s", position=1, title="T", abstract=None, start=0, end=1,
                      authors=names)  # fmt: skip
    assert built.authors == record.authors == clean_authors(names)
    for name in built.authors:
        assert name, "an empty name is dropped"
        assert name[0] not in _SEPARATORS and name[-1] not in _SEPARATORS, name
        assert not name[0].isspace() and not name[-1].isspace(), name
        assert "  " not in name
    assert clean_authors(built.authors) == built.authors  # cleaning twice changes nothing
    assert len(built.authors) <= len(names)


_CRAWLED = ["Jane Doe,", " ", "John  Smith ;"]
_HF_DAY = {
    "paper": {
        "id": "2401.00001",
        "title": "T: A",
        "summary": "x.",
        "authors": [{"name": "Jane Doe,"}, {"name": " , "}, {"name": "John Smith\u00a0"}],
    }
}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # a JSON Lines paper with a list of names
        ("in.jsonl", json.dumps({"title": "T: A", "abstract": "x.", "authors": _CRAWLED})),
        # Hugging Face per-day JSON, names as objects
        ("2026-01-02.json", json.dumps([_HF_DAY])),
        # a CSV cell holding a JSON list
        ("in.csv", 'title,abstract,authors\nT: A,x.,"[""Jane Doe,"", "" "", ""John Smith;""]"\n'),
        # a CSV cell holding written names
        ("in2.csv", 'title,abstract,authors\nT: A,x.,"Jane Doe, , John Smith;"\n'),
    ],
)
def test_author_names_are_clean_in_every_reader(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    extract.run([str(path)], tmp_path / "out")
    (paper,) = pq.read_table(tmp_path / "out" / "papers").to_pylist()
    assert paper["authors"] == ["Jane Doe", "John Smith"]
