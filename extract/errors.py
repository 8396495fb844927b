"""Errors a user can fix. The CLI prints them as one line and exits 1, no traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator


class ExtractError(Exception):
    """A problem with the user's input, options or environment, explained for a person.

    ``where`` names the file (and line) concerned; ``hint`` says what to try next.
    """

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class RuleFileError(ExtractError):
    """A pipeline rule or gazetteer file that does not parse or validate."""


@contextlib.contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """Errors of writing ``path`` name it: a full disk says where it was full.

    An ``OSError`` without a file name (Parquet and SQLite writers, a write to an open
    file) gets ``path``; SQLite's "disk is full" becomes the ``OSError`` it is.
    """
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "full" not in str(exc):
            raise
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path)) from exc
    except OSError as exc:
        if exc.filename is not None:
            raise
        code = exc.errno if exc.errno is not None else errno.EIO
        raise OSError(code, exc.strerror or str(exc), os.fspath(path)) from exc
