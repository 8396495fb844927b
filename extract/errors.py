"""Errors a user can fix. The CLI prints them as one line and exits 1, no traceback."""

from __future__ import annotations


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
