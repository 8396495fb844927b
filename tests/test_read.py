"""Stage 1: discovering inputs and decoding their bytes into lines."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from extract.errors import ExtractError
from extract.read import SkippedInput, Source, discover, iter_lines


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
