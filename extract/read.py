"""Stage 1, read: find the input files and turn their bytes into text.

Inputs are files, directories (walked recursively in sorted order, hidden entries
skipped, symbolic links followed only while they stay inside the folder, the run's own
output never entered) or ``-`` for standard input. Only regular files are ever opened: a FIFO, a
device or a socket is reported, never read, so nothing can block a run or feed it
endless bytes. A file is opened once and every later read goes through that open
descriptor, so a file deleted or renamed during the run is still read whole, and one
that vanished before it was opened is reported in a fraction of a second.

Text is UTF-8 (with or without BOM) or UTF-16 (recognised by its BOM or by its zero
bytes), which is transcoded to UTF-8 as it is read. Line-based formats are read as a
stream of lines, so a file of any size is never held in memory; a line longer than the
record size cap is reported, not loaded. Bytes that are not valid UTF-8 are kept as
surrogate escapes so the damaged record can be rejected with its byte offset while the
rest of the file is kept.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import io
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, BinaryIO, NamedTuple

from .errors import ExtractError
from .records import InputRejectedError, has_surrogates

#: A line (and so a record) longer than this many bytes is rejected, never parsed:
#: real abstracts are a few kilobytes, and the cap bounds time and memory per record.
MAX_LINE_BYTES = 1 << 20
#: Formats that must be parsed whole (a JSON or XML document, an HTML page) are read
#: into memory up to this size; a larger document is rejected with the reason. Real
#: daily files are well under a megabyte; a year of papers as one JSON list is ~50 MB.
MAX_DOCUMENT_BYTES = 64 << 20
#: How much of an input format detection looks at.
HEAD_BYTES = 1 << 16
_READ_CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
_LONE_CR = re.compile(r"\r(?!\n)")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


@dataclass(frozen=True, eq=False)
class Source:
    """One input: a file on disk, bytes in memory, or an already open descriptor.

    ``open()`` may be called any number of times; each call returns an independent
    binary stream positioned at the start.
    """

    name: str  #: the path as the user gave it (``-`` for standard input)
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    fd: int | None = field(default=None, repr=False)
    #: keeps a spooled standard input alive as long as the source
    keep: IO[bytes] | None = field(default=None, repr=False)

    def open(self) -> BinaryIO:
        if self.fd is not None:
            return io.BufferedReader(_PositionalReader(self.fd), _READ_CHUNK)
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else "stdin"

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Source]:
        """This source opened once: every ``open()`` of the result reads that one file.

        Raises ``FileNotFoundError`` when the file vanished and :class:`InputRejectedError`
        when the path now names something other than a regular file.
        """
        if self.path is None or self.fd is not None:
            yield self
            return
        fd = os.open(self.path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise InputRejectedError("not_a_regular_file", f"a {_kind(st.st_mode)}, not a file")
            yield replace(self, fd=fd)
        finally:
            os.close(fd)


class _PositionalReader(io.RawIOBase):
    """A raw stream over a shared descriptor with its own position (``pread``)."""

    def __init__(self, fd: int):
        self._fd = fd
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            self._pos = offset
        elif whence == os.SEEK_CUR:
            self._pos += offset
        else:
            self._pos = os.fstat(self._fd).st_size + offset
        self._pos = max(self._pos, 0)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = os.pread(self._fd, len(buffer), self._pos)
        buffer[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


@dataclass(frozen=True)
class SkippedInput:
    """An input that is not a regular readable file; it becomes a rejected file.

    With ``counted`` False it was left out on purpose (a symbolic link that leads out of
    the folder given as input): it is reported as skipped, and is not a reject.
    """

    name: str
    reason: str
    detail: str
    counted: bool = True


def left_out(
    found: Sequence[Source | SkippedInput],
) -> tuple[list[Source | SkippedInput], list[SkippedInput]]:
    """The inputs to plan (files, and entries that become rejected files), and those
    left out on purpose, each list in input order."""
    planned = [item for item in found if not isinstance(item, SkippedInput) or item.counted]
    skipped = [item for item in found if isinstance(item, SkippedInput) and not item.counted]
    return planned, skipped


class Line(NamedTuple):
    """One line of decoded text and where it sits in the source."""

    text: str  #: without its line terminator
    number: int  #: 1-based line number
    byte_start: int  #: offset of the line's first byte in the (UTF-8) text
    char_start: int  #: offset of the line's first character in the decoded text
    damaged_at: int | None  #: byte offset of the first invalid UTF-8 byte, if any
    oversized: bool  #: True when the line exceeded MAX_LINE_BYTES (text is then empty)

    @property
    def char_end(self) -> int:
        return self.char_start + len(self.text)


def discover(
    inputs: Sequence[str],
    stdin: BinaryIO | None = None,
    *,
    exclude: Sequence[Path] = (),
) -> list[Source | SkippedInput]:
    """Expand the user's inputs into sources, sorted by path, each file once.

    A path that does not exist is the user's mistake and stops the run; a special
    file (FIFO, device, socket), a symbolic link loop or an unreadable entry becomes a
    :class:`SkippedInput`, reported in the manifest, so that one odd entry in a folder
    does not stop a batch.

    Inside a folder given as input, a symbolic link is followed only when it leads to
    something inside that folder (compared by real path); one that leads out is a
    :class:`SkippedInput` that is not counted (``ln -s / crawl/root`` must not read the
    whole file system, nor a link to a private file become a paper). Folders in
    ``exclude`` (the run's own output, staging folder and cache) are never entered.
    """
    found: dict[str, Source | SkippedInput] = {}
    seen_files: set[tuple[int, int]] = set()
    own = tuple(os.path.realpath(path) for path in exclude)
    for given in inputs:
        if given == "-":
            found["-"] = _spool_stdin(stdin if stdin is not None else sys.stdin.buffer)
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
            found[given] = _skipped_for(given, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            walk = _Walk(os.path.realpath(path), given, own)
            if walk.is_own(walk.root):
                continue
            for entry in walk.entries(path, given, {(st.st_dev, st.st_ino)}):
                _add(found, seen_files, entry)
        else:
            _add(found, seen_files, _classify(path, given, st))
    return [found[name] for name in sorted(found)]


def _spool_stdin(stream: BinaryIO) -> Source:
    """Standard input copied to an anonymous temporary file, so it is read like a file."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the source
    shutil.copyfileobj(stream, spool, _READ_CHUNK)
    spool.flush()
    return Source(name="-", fd=spool.fileno(), keep=spool)


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


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISDIR(mode):
        return "directory"
    return "special file"


def _classify(
    path: Path, name: str, st: os.stat_result
) -> tuple[Source | SkippedInput, tuple[int, int] | None]:
    if stat.S_ISREG(st.st_mode):
        return Source(name=name, path=path), (st.st_dev, st.st_ino)
    detail = f"a {_kind(st.st_mode)}, not a regular file; it is not read"
    return SkippedInput(name, "not_a_regular_file", detail), None


def _skipped_for(name: str, exc: OSError) -> SkippedInput:
    if exc.errno == errno.ELOOP:
        return SkippedInput(name, "symlink_loop", "a loop of symbolic links")
    return SkippedInput(name, "unreadable", _os_reason(exc))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class _Walk:
    """A walk of one folder given as input: its real path, and the folders never read."""

    root: str  #: the folder's real path
    shown: str  #: the folder as the user gave it
    own: tuple[str, ...]  #: real paths of the run's own output, staging folder and cache

    def is_own(self, real: str) -> bool:
        return any(_inside(real, folder) for folder in self.own)

    def entries(
        self, directory: Path, shown: str, ancestors: set[tuple[int, int]]
    ) -> Iterator[tuple[Source | SkippedInput, tuple[int, int] | None]]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield _skipped_for(shown, exc), None
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = directory / entry.name
            child_shown = os.path.join(shown, entry.name)
            real = os.path.realpath(child)
            if self.is_own(real):
                continue  # the run's own output: never an input
            if entry.is_symlink() and not _inside(real, self.root):
                yield self._outside(child, child_shown), None
                continue
            try:
                st = child.stat()
            except FileNotFoundError:
                reason = "broken_symlink" if entry.is_symlink() else "vanished"
                detail = "the file disappeared or points nowhere"
                yield SkippedInput(child_shown, reason, detail), None
                continue
            except OSError as exc:
                yield _skipped_for(child_shown, exc), None
                continue
            if stat.S_ISDIR(st.st_mode):
                identity = (st.st_dev, st.st_ino)
                if identity in ancestors:
                    yield SkippedInput(child_shown, "symlink_loop", "a directory loop"), None
                    continue
                yield from self.entries(child, child_shown, ancestors | {identity})
            else:
                yield _classify(child, child_shown, st)

    def _outside(self, link: Path, shown: str) -> SkippedInput:
        try:
            target = os.readlink(link)
        except OSError:  # pragma: no cover - it was a link a moment ago
            target = "?"
        detail = (
            f"a symbolic link to {target}, outside the input folder {self.shown}: not "
            "followed; give its target as an input of its own to read it"
        )
        return SkippedInput(shown, "link_outside_input", detail, counted=False)


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


def head(source: Source, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a source as it is stored, for format detection."""
    with source.open() as handle:
        return handle.read(size)


# --- text encodings -------------------------------------------------------------------


def text_encoding(first: bytes) -> str:
    """The encoding of a text input from its first bytes: utf-8, utf-16-le or utf-16-be.

    UTF-16 is recognised by its BOM, or without one by zero bytes in every other
    position (ASCII text stored as UTF-16).
    """
    if first.startswith(codecs.BOM_UTF16_LE) and not first.startswith(codecs.BOM_UTF32_LE):
        return "utf-16-le"
    if first.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = first[:4096]
    if len(sample) >= 16:
        pairs = len(sample) // 2
        even, odd = sample[0 : 2 * pairs : 2], sample[1 : 2 * pairs : 2]
        # mostly ASCII text: the high bytes are zero, the low bytes printable
        if odd.count(0) > 0.4 * pairs and even.count(0) == 0 and _printable_share(even) > 0.9:
            return "utf-16-le"
        if even.count(0) > 0.4 * pairs and odd.count(0) == 0 and _printable_share(odd) > 0.9:
            return "utf-16-be"
    return "utf-8"


def _printable_share(data: bytes) -> float:
    printable = sum(1 for byte in data if 0x20 <= byte < 0x7F or byte in (0x09, 0x0A, 0x0D))
    return printable / len(data) if data else 0.0


class _Transcoder(io.RawIOBase):
    """UTF-16 bytes in, UTF-8 bytes out; undecodable units kept as surrogate escapes."""

    def __init__(self, raw: BinaryIO, encoding: str):
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("surrogateescape")
        self._pending = b""
        self._bom_checked = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._raw.read(_READ_CHUNK)
            text = self._decoder.decode(chunk, final=not chunk)
            if not self._bom_checked and (text or not chunk):
                self._bom_checked = True
                text = text.removeprefix("\ufeff")
            self._pending = text.encode("utf-8", "surrogateescape")
            if not chunk:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_utf8(source: Source) -> BinaryIO:
    """The source's text as a UTF-8 byte stream (UTF-16 input is transcoded)."""
    handle = source.open()
    peek = getattr(handle, "peek", None)
    first = peek(4096)[:4096] if peek is not None else handle.getvalue()[:4096]  # type: ignore[attr-defined]
    encoding = text_encoding(first)
    if encoding == "utf-8":
        return handle
    return io.BufferedReader(_Transcoder(handle, encoding), _READ_CHUNK)


def utf8_head(first: bytes) -> bytes:
    """The first bytes of an input as UTF-8 (UTF-16 transcoded, a BOM removed)."""
    encoding = text_encoding(first)
    if encoding != "utf-8":
        even = len(first) - len(first) % 2
        text = first[:even].decode(encoding, "surrogateescape").removeprefix("\ufeff")
        first = text.encode("utf-8", "surrogateescape")
    return first.removeprefix(_BOM)


@dataclass
class Document:
    """The whole text of an input, decoded; undecodable bytes kept as surrogate escapes."""

    text: str
    byte_base: int = 0  #: bytes before ``text[0]`` in the file (a BOM)
    _mark: tuple[int, int] = (0, 0)  #: a (character, byte) pair already counted

    def byte_offset(self, index: int) -> int:
        """The byte offset in the (UTF-8) source of character ``index``.

        Counted from the last offset asked for when it is before ``index``, so asking
        for increasing offsets costs one pass over the text in all.
        """
        char, byte = self._mark if self._mark[0] <= index else (0, 0)
        byte += len(self.text[char:index].encode("utf-8", "surrogateescape"))
        self._mark = (index, byte)
        return self.byte_base + byte


def read_document(source: Source, cap: int = MAX_DOCUMENT_BYTES) -> Document:
    """The whole text of a source that must be parsed at once (JSON, XML, HTML).

    A leading BOM is dropped (offsets count from after it, as for line formats).
    Raises :class:`InputRejectedError` when the text is larger than ``cap`` bytes.
    """
    with open_utf8(source) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise InputRejectedError(
            "document_too_large",
            f"a document of more than {cap >> 20} MiB must be parsed whole and is not read; "
            "split it, or convert it to JSON Lines, which is read as a stream",
        )
    base = len(_BOM) if data.startswith(_BOM) else 0
    return Document(data[base:].decode("utf-8", "surrogateescape"), base)


def byte_offset(text: str, index: int, base: int = 0) -> int:
    """The byte offset in the UTF-8 source of character ``index`` of ``text``."""
    return base + len(text[:index].encode("utf-8", "surrogateescape"))


def first_damage(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Character index of the first undecodable byte in ``text[start:end]``, if any."""
    piece = text[start:end]
    if not has_surrogates(piece):
        return None
    for index, char in enumerate(piece):
        if "\ud800" <= char <= "\udfff":
            return start + index
    return None  # pragma: no cover - has_surrogates said there was one


# --- lines ----------------------------------------------------------------------------


def iter_lines(
    handle: BinaryIO,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[Line]:
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
                piece_damage = _decode(piece.encode("utf-8", "surrogateescape"), piece_byte)[1]
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


def source_lines(source: Source) -> Iterator[Line]:
    """The lines of a text source (UTF-8 or UTF-16), as :func:`iter_lines` gives them."""
    with open_utf8(source) as handle:
        yield from iter_lines(handle)


__all__ = [
    "HEAD_BYTES",
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_BYTES",
    "Document",
    "Line",
    "SkippedInput",
    "Source",
    "byte_offset",
    "discover",
    "fingerprint",
    "first_damage",
    "has_surrogates",
    "head",
    "iter_lines",
    "left_out",
    "open_utf8",
    "read_document",
    "source_lines",
    "text_encoding",
    "utf8_head",
]
