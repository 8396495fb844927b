"""Loading rule and gazetteer files: rules are data, checked when the pipeline is built.

A rule file is JSON Lines, one rule per line; each rule has an ``id`` (recorded on every
value it produces), its parameters, and ``examples`` / ``counter_examples`` that a test
runs through the whole pipeline. Every line is validated by a pydantic model with
``extra="forbid"``, and a bad line stops the build with ``file:line: what is wrong``.
A gazetteer is a TSV file: a canonical name, then its aliases, one entry per line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..errors import RuleFileError


class Example(BaseModel):
    """A text the rule must (or, as a counter-example, must not) fire on."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = None
    #: Fields the produced row must have (for ``examples`` only), e.g. {"value": 2.8}.
    expect: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


class Rule(BaseModel):
    """Fields every rule has."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    note: str | None = None
    examples: list[Example] = Field(min_length=1)
    counter_examples: list[Example] = Field(min_length=1)


R = TypeVar("R", bound=Rule)


def load_rules(
    path: Path,
    model: type[R] | TypeAdapter[Any],
    check: Callable[[Any, Path], str | None] | None = None,
) -> list[Any]:
    """Parse a JSONL rule file into validated rules; ids must be unique.

    ``model`` is a rule class, or a ``TypeAdapter`` over a union of rule classes told
    apart by their ``type`` field. ``check`` says why a valid rule still cannot run (a
    hook the code does not have, a word list the folder lacks), reported at its line.
    """
    validate = model.validate_python if isinstance(model, TypeAdapter) else model.model_validate
    rules: list[Any] = []
    seen: dict[str, int] = {}
    for number, line in _lines(path):
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise RuleFileError(f"not valid JSON: {exc}", where=f"{path}:{number}") from None
        try:
            rule = validate(data)
        except ValidationError as exc:
            raise RuleFileError(_first_error(exc), where=f"{path}:{number}") from None
        if rule.id in seen:
            raise RuleFileError(
                f"duplicate rule id '{rule.id}' (first on line {seen[rule.id]})",
                where=f"{path}:{number}",
            )
        seen[rule.id] = number
        problem = check(rule, path) if check is not None else None
        if problem:
            raise RuleFileError(problem, where=f"{path}:{number}")
        rules.append(rule)
    return rules


#: a placeholder of a rule pattern ("{VALUE}"): what every rule module writes out
PLACEHOLDER = re.compile(r"\{[A-Z_]+\}")


def check_pattern(
    pattern: str,
    placeholders: Mapping[str, str],
    expand: Callable[[str], str] | None = None,
) -> None:
    """Raise ``ValueError`` (which the rule loader reports with its ``file:line``) when a
    rule's pattern names a placeholder not in ``placeholders`` or does not compile once
    they are written out (by ``expand`` when the module writes them out its own way).
    Every rule module checks its patterns with this one test."""
    unknown = sorted(set(PLACEHOLDER.findall(pattern)) - set(placeholders))
    if unknown:
        raise ValueError(f"unknown placeholder {', '.join(unknown)}")
    try:
        if expand is not None:
            re.compile(expand(pattern))
        else:
            re.compile(PLACEHOLDER.sub(lambda m: placeholders[m.group()], pattern))
    except re.error as exc:
        raise ValueError(f"the pattern does not compile: {exc}") from None


def load_gazetteer(path: Path) -> list[tuple[str, list[str]]]:
    """(canonical, aliases) entries of a TSV gazetteer; '#' lines are comments."""
    entries = []
    for number, line in _lines(path):
        cells = [c.strip() for c in line.split("\t")]
        if not cells[0]:
            raise RuleFileError("empty canonical name", where=f"{path}:{number}")
        entries.append((cells[0], [c for c in cells[1:] if c]))
    return entries


def load_words(path: Path) -> list[str]:
    """One entry per line; '#' lines are comments."""
    return [line.strip() for _, line in _lines(path)]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"cannot read rule file: {exc}", where=str(path)) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "rule"
    return f"{where}: {error['msg']}"


def rule_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def model_fields_of(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)
