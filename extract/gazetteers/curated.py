"""The hand-curated facts file: what no annotated source says, each fact with its origin.

``pipelines/daily_papers/gazetteers/curated.jsonl`` holds one fact per line, validated
like a rule file (pydantic, ``extra="forbid"``, ``file:line`` errors). Every fact names
the table it applies to and says where it comes from (``source``).

Actions:

- ``add``: an entry (``name`` and ``aliases``; ``direction`` for a metric) that no source
  holds, such as a benchmark newer than the corpora;
- ``alias``: ``name`` is another name of the entry that holds ``of``; merges the two
  entries when both exist;
- ``canonical``: ``name`` is the spelling to use as canonical for its entry;
- ``direction``: the direction of the metric entry that holds ``name``;
- ``drop``: ``name`` is never listed (an ambiguous word, a data source that is not a
  benchmark, a junk leaderboard title);
- ``cased``: ``name`` is listed only in the case-sensitive file, although the word
  frequency test would let it through;
- ``plain``: ``name`` is safe to match in any case, although the word frequency test
  would not let it through.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .sources import SourceError


class Fact(BaseModel):
    """One curated fact."""

    model_config = ConfigDict(extra="forbid")

    table: Literal["benchmarks", "metrics"]
    action: Literal["add", "alias", "canonical", "direction", "drop", "cased", "plain"]
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    of: str | None = None
    direction: Literal["higher", "lower"] | None = None
    #: where the fact comes from: a paper, a definition, a reason
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _fields_fit_action(self) -> Fact:
        if self.action == "alias" and not self.of:
            raise ValueError("an 'alias' fact needs 'of' (a name of the entry)")
        if self.action != "alias" and self.of:
            raise ValueError("'of' only goes with the 'alias' action")
        if self.action == "direction" and not self.direction:
            raise ValueError("a 'direction' fact needs 'direction'")
        if self.direction and (self.table != "metrics" or self.action not in ("add", "direction")):
            raise ValueError("'direction' only goes with metrics, on 'add' or 'direction'")
        if self.aliases and self.action != "add":
            raise ValueError("'aliases' only goes with the 'add' action")
        return self


def load_facts(path: Path) -> list[Fact]:
    """Every fact of the curated file; a bad line stops with ``file:line: reason``."""
    facts: list[Fact] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceError(f"{path}: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            facts.append(Fact.model_validate(json.loads(line)))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "fact"
            raise SourceError(f"{path}:{number}: {where}: {error['msg']}") from None
        except ValueError as exc:
            raise SourceError(f"{path}:{number}: not valid JSON: {exc}") from None
    return facts
