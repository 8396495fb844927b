"""Stage 1: discovering inputs and decoding their bytes into lines."""

from __future__ import annotations

import codecs
import io
import os
import tempfile
import time
from pathlib import Path

import pytest

from extract.errors import ExtractError
from extract.read import SkippedInput, Source, discover, iter_lines, open_utf8, text_encoding


def lines(data: bytes, cap: int = 1 << 20) -> list[tuple[str, int, int, int | None, bool]]:
    return [
        (ln.text, ln.byte_start, ln.char_start, ln.damaged_at, ln.oversized)
        for ln in iter_lines(io.BytesIO(data), cap)
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # plain LF
        (b"ab\ncd\n", [("ab", 0, 0, None, False), ("cd", 3, 3, None, False)]),
        # CRLF: the terminator is not part of the text
        (b"ab\r\ncd", [("ab", 0, 0, None, False), ("cd", 4, 4, None, False)]),
        # lone CR ends a line too
        (b"ab\rcd\n", [("ab", 0, 0, None, False), ("cd", 3, 3, None, False)]),
        # a BOM is skipped; offsets count from after it
        (b"\xef\xbb\xbfab\n", [("ab", 3, 0, None, False)]),
        # invalid UTF-8: the line says where, the next line is clean
        (b"a\xffb\ncd\n", [("a\udcffb", 0, 0, 1, False), ("cd", 4, 4, None, False)]),
        # multi-byte characters: byte and character offsets differ
        (b"\xc3\xa9\nx\n", [("é", 0, 0, None, False), ("x", 3, 2, None, False)]),
    ],
)
def test_iter_lines(data: bytes, expected: list[tuple[str, int, int, int | None, bool]]) -> None:
    assert lines(data) == expected


def test_a_line_over_the_cap_is_reported_not_loaded() -> None:
    data = b"title\n" + b"x" * 5000 + b"\nnext\n"
    got = lines(data, cap=1000)
    assert got[0][0] == "title"
    assert got[1][4] is True and got[1][0] == ""
    assert got[2][0] == "next"
    assert got[2][1] == 6 + 5001


def test_discover_sorts_recurses_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("x")
    found = discover([str(tmp_path)])
    assert [s.name for s in found] == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt")]


def test_discover_counts_a_file_given_twice_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    found = discover([str(tmp_path / "a.txt"), str(tmp_path)])
    assert len(found) == 1


def test_discover_missing_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as error:
        discover([str(tmp_path / "nope.txt")])
    assert str(error.value) == f"{tmp_path / 'nope.txt'}: no such file or directory"


def test_discover_fifo_is_skipped_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (found,) = discover([str(tmp_path)])
    assert isinstance(found, SkippedInput)
    assert found.reason == "not_a_regular_file"


def test_discover_stdin() -> None:
    (found,) = discover(["-"], stdin=io.BytesIO(b"hello"))
    assert isinstance(found, Source) and found.open().read() == b"hello"


def _consume_quickly(source: Source | SkippedInput) -> tuple[str, str | None]:
    """Plan one input to the end and check it took well under a second."""
    from extract.options import RunOptions
    from extract.plan import Planner
    from extract.records import FileRejected
    from extract.resources import pipeline_path
    from extract.shards import ShardTask

    with tempfile.TemporaryDirectory() as scratch:
        planner = Planner(
            [source],
            RunOptions(),
            forced=None,
            pipeline=pipeline_path("daily_papers"),
            pipeline_version="test",
            results=Path(scratch),
        )
        started = time.monotonic()
        items = list(planner.shards())
        assert time.monotonic() - started < 1.0
    # one item: the file's reject, nothing read
    (task,) = items
    assert isinstance(task, ShardTask)
    ((item,),) = task.items
    assert isinstance(item, FileRejected)
    (entry,) = planner.entries
    return entry.outcome, entry.reason


def test_special_files_are_rejected_in_under_a_second(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    inputs = [str(tmp_path / "fifo"), str(tmp_path / "loop")]
    inputs += [device for device in ("/dev/null", "/dev/zero") if os.path.exists(device)]
    found = {s.name: s for s in discover(inputs)}
    assert {name: _consume_quickly(s) for name, s in found.items()} == {
        str(tmp_path / "fifo"): ("rejected", "not_a_regular_file"),
        str(tmp_path / "loop"): ("rejected", "symlink_loop"),
        **dict.fromkeys(inputs[2:], ("rejected", "not_a_regular_file")),
    }


def test_a_file_replaced_by_a_fifo_after_discovery_is_not_opened_for_long(
    tmp_path: Path,
) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Jul 29\n\nTitle\n\nText.\n")
    (source,) = discover([str(path)])
    path.unlink()
    os.mkfifo(path)  # nobody writes to it: a blocking open would hang
    assert _consume_quickly(source) == ("rejected", "not_a_regular_file")


def test_a_file_that_vanished_after_discovery(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Jul 29\n\nTitle\n\nText.\n")
    (source,) = discover([str(path)])
    path.unlink()
    assert _consume_quickly(source) == ("rejected", "vanished")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain ascii text here", "utf-8"),
        (codecs.BOM_UTF16_LE + "hé".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "hé".encode("utf-16-be"), "utf-16-be"),
        ("long enough ascii text".encode("utf-16-le"), "utf-16-le"),
        ("long enough ascii text".encode("utf-16-be"), "utf-16-be"),
        (b"\x00\x01\x02\x03" * 8, "utf-8"),  # binary, not text in UTF-16
    ],
)
def test_text_encoding(data: bytes, expected: str) -> None:
    assert text_encoding(data) == expected


def test_utf16_is_transcoded_as_it_streams() -> None:
    text = "Jul 29\r\n\r\nTitlé\r\n" * 5000
    source = Source(name="x", data=codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    with open_utf8(source) as handle:
        assert handle.read() == text.encode("utf-8")
