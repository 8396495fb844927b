"""Stage 1, read: find the input files and turn their bytes into lines of text.

Inputs are files, directories (walked recursively in sorted order, hidden entries
skipped) or ``-`` for standard input. Files are read as a stream of lines, so a file of
any size is never held in memory whole; a line longer than the record size cap is
reported, not loaded. Text is UTF-8 (with or without BOM); bytes that are not valid
UTF-8 are kept as surrogate escapes so the damaged line can be rejected with its byte
offset while the rest of the file is kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .errors import ExtractError

#: A line (and so a record) longer than this many bytes is rejected, never parsed:
#: real abstracts are a few kilobytes, and the cap bounds time and memory per record.
MAX_LINE_BYTES = 1 << 20
_READ_CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class Source:
    """One input: a file on disk, or the bytes of standard input."""

    name: str  #: the path as the user gave it (``-`` for standard input)
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else "stdin"


@dataclass(frozen=True)
class SkippedInput:
    """An input that is not a regular readable file; it becomes a rejected file."""

    name: str
    reason: str
    detail: str


class Line(NamedTuple):
    """One line of decoded text and where it sits in the source."""

    text: str  #: without its line terminator
    number: int  #: 1-based line number
    byte_start: int  #: offset of the line's first byte in the file
    char_start: int  #: offset of the line's first character in the decoded text
    damaged_at: int | None  #: byte offset of the first invalid UTF-8 byte, if any
    oversized: bool  #: True when the line exceeded MAX_LINE_BYTES (text is then empty)


def discover(inputs: Sequence[str], stdin: BinaryIO | None = None) -> list[Source | SkippedInput]:
    """Expand the user's inputs into sources, sorted by path, each file once.

    A path that does not exist is the user's mistake and stops the run; a special
    file (FIFO, device, socket) or an unreadable one becomes a :class:`SkippedInput`,
    reported in the manifest, so that one odd entry in a folder does not stop a batch.
    """
    found: dict[str, Source | SkippedInput] = {}
    seen_files: set[tuple[int, int]] = set()
    for given in inputs:
        if given == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            found["-"] = Source(name="-", data=stream.read())
            continue
        path = Path(given)
        try:
            st = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                found[given] = SkippedInput(given, "broken_symlink", "symbolic link to nothing")
                continue
            raise ExtractError("no such file or directory", where=given) from None
        except OSError as exc:
            found[given] = SkippedInput(given, "unreadable", _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            for entry in _walk(path, given, {(st.st_dev, st.st_ino)}):
                _add(found, seen_files, entry)
        else:
            _add(found, seen_files, _classify(path, given, st))
    return [found[name] for name in sorted(found)]


def _add(
    found: dict[str, Source | SkippedInput],
    seen_files: set[tuple[int, int]],
    entry: tuple[Source | SkippedInput, tuple[int, int] | None],
) -> None:
    item, identity = entry
    if identity is not None:
        if identity in seen_files:
            return  # the same file reached twice (a link, or given twice): count it once
        seen_files.add(identity)
    found.setdefault(item.name, item)


def _classify(
    path: Path, name: str, st: os.stat_result
) -> tuple[Source | SkippedInput, tuple[int, int] | None]:
    if stat.S_ISREG(st.st_mode):
        return Source(name=name, path=path), (st.st_dev, st.st_ino)
    kind = (
        "FIFO"
        if stat.S_ISFIFO(st.st_mode)
        else "device"
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "socket"
        if stat.S_ISSOCK(st.st_mode)
        else "special file"
    )
    return SkippedInput(name, "not_a_regular_file", f"a {kind}, not a regular file"), None


def _walk(
    directory: Path, shown: str, ancestors: set[tuple[int, int]]
) -> Iterator[tuple[Source | SkippedInput, tuple[int, int] | None]]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield SkippedInput(shown, "unreadable", _os_reason(exc)), None
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = directory / entry.name
        child_shown = os.path.join(shown, entry.name)
        try:
            st = child.stat()
        except FileNotFoundError:
            reason = "broken_symlink" if entry.is_symlink() else "vanished"
            yield SkippedInput(child_shown, reason, "the file disappeared or points nowhere"), None
            continue
        except OSError as exc:
            yield SkippedInput(child_shown, "unreadable", _os_reason(exc)), None
            continue
        if stat.S_ISDIR(st.st_mode):
            identity = (st.st_dev, st.st_ino)
            if identity in ancestors:
                yield SkippedInput(child_shown, "symlink_loop", "a directory loop"), None
                continue
            yield from _walk(child, child_shown, ancestors | {identity})
        else:
            yield _classify(child, child_shown, st)


def _os_reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def fingerprint(source: Source) -> tuple[str, int]:
    """sha256 and size of a source's bytes, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with source.open() as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def head(source: Source, size: int = 8192) -> bytes:
    """The first bytes of a source, for format detection."""
    with source.open() as handle:
        return handle.read(size)


def iter_lines(handle: BinaryIO, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """Decode a UTF-8 byte stream into lines, tracking byte and character offsets.

    Line ends may be LF, CRLF or a lone CR. A leading BOM is skipped (character
    offsets start after it). Invalid bytes are decoded as surrogate escapes and the
    line reports where the first one is, so a caller can reject that line alone.
    """
    byte_pos = 0
    char_pos = 0
    number = 0
    first = True
    while True:
        raw = handle.readline(max_line_bytes + 1)
        if not raw:
            return
        line_start = byte_pos
        byte_pos += len(raw)
        if first:
            first = False
            if raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
                line_start += len(_BOM)
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            # Too long to be a record: skip to the end of the line without keeping it.
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(_READ_CHUNK)
                byte_pos += len(raw)
            number += 1
            yield Line("", number, line_start, char_pos, None, True)
            continue
        body = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1] if raw.endswith(b"\n") else raw
        terminator = len(raw) - len(body)
        text, damaged = _decode(body, line_start)
        pieces = _LONE_CR.split(text) if "\r" in text else [text]
        piece_byte = line_start
        for index, piece in enumerate(pieces):
            number += 1
            piece_bytes = len(piece.encode("utf-8", "surrogateescape"))
            piece_damage = damaged
            if damaged is not None and not (piece_byte <= damaged < piece_byte + piece_bytes):
                piece_damage = None
            yield Line(piece, number, piece_byte, char_pos, piece_damage, False)
            last = index == len(pieces) - 1
            char_pos += len(piece) + (1 if not last else 0)
            piece_byte += piece_bytes + (1 if not last else 0)
        char_pos += terminator


def _decode(body: bytes, byte_start: int) -> tuple[str, int | None]:
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return body.decode("utf-8", "surrogateescape"), byte_start + exc.start


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds undecodable bytes kept as surrogate escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
