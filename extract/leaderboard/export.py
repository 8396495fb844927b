"""Leaderboard entries as Hugging Face evaluation results (YAML).

Two forms, both of the absolute scores only (gains over a baseline are not results of a
model on a dataset):

- ``eval-results``: a mapping from each subject (the system a result is about) to its
  list of entries, each ``{dataset: {id}, value, date, source: {url, name}}`` (plus
  ``notes`` saying the metric, split and claim), the shape of the Hub's ``.eval_results``
  files;
- ``model-index``: the older model-card form, ``{"model-index": [{name, results: [{task:
  {type}, dataset: {name, type, split?}, metrics: [{type, value, name}], source}]}]}``.

A result needs the benchmark's Hub dataset id, read from the pipeline's
``gazetteers/hub_datasets.tsv`` (each id with its source); a benchmark without one is
listed under ``unknown`` of the :class:`Export`, never given a made-up id. An entry
without a subject is skipped and counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import yaml

from ..canonical import key
from ..errors import ExtractError
from .build import Board, Entry, Leaderboards

HUB_FILE = Path("gazetteers") / "hub_datasets.tsv"
#: Splits that are parts of the whole benchmark's Hub dataset.
GENERIC_SPLITS = frozenset({"test", "dev", "val", "validation", "train"})


@dataclass(frozen=True)
class HubDataset:
    benchmark: str
    split: str | None
    id: str
    task: str
    source: str


@dataclass
class HubIds:
    """Hub dataset ids by benchmark key and split."""

    entries: dict[tuple[str, str], HubDataset] = field(default_factory=dict)

    @classmethod
    def from_pipeline(cls, folder: Path) -> HubIds:
        path = folder / HUB_FILE
        ids = cls()
        if not path.is_file():
            return ids
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != 5 or not all(cells[i].strip() for i in (0, 2, 3, 4)):
                raise ExtractError(
                    "expected benchmark, split (may be empty), hub id, task type, source",
                    where=f"{path}:{number}",
                )
            bench, split, hub_id, task, source = (c.strip() for c in cells)
            entry = HubDataset(bench, split or None, hub_id, task, source)
            ids.entries[(key(bench), (split or "").lower())] = entry
        return ids

    def find(self, board: Board) -> HubDataset | None:
        names = (key(board.canonical), key(board.benchmark))
        split = (board.split or "").lower()
        for name in names:
            if (name, split) in self.entries:
                return self.entries[(name, split)]
        if board.split is None or split in GENERIC_SPLITS:
            for name in names:
                if (name, "") in self.entries:
                    return self.entries[(name, "")]
        return None


@dataclass
class Export:
    """What an export holds, and what it could not include."""

    document: dict[str, Any]
    entries: int
    unknown: list[str]  #: benchmarks (with split) that have no Hub dataset id
    no_subject: int  #: entries skipped for want of a subject

    def yaml(self) -> str:
        return yaml.safe_dump(
            self.document, sort_keys=False, allow_unicode=True, default_flow_style=False
        )


def _source(entry: Entry) -> dict[str, str]:
    if entry.arxiv_id:
        url = f"https://arxiv.org/abs/{entry.arxiv_id}"
    else:  # no identifier: the arXiv search for the title, never a guessed id
        url = "https://arxiv.org/search/?searchtype=title&query=" + quote_plus(entry.title)
    return {"url": url, "name": entry.title}


def _results(boards: Leaderboards, ids: HubIds) -> Iterator[tuple[Board, Entry, HubDataset]]:
    for board in boards.boards:
        hub = ids.find(board) if board.kind == "score" else None
        if hub is None:
            continue
        for entry in board.entries:
            yield board, entry, hub


def _unknown(boards: Leaderboards, ids: HubIds) -> list[str]:
    names = {
        board.benchmark + (f" ({board.split})" if board.split else "")
        for board in boards.boards
        if board.kind == "score" and ids.find(board) is None
    }
    return sorted(names, key=str.casefold)


def _notes(board: Board, entry: Entry) -> str:
    parts = [f"{board.metric or 'metric not named'}"]
    if board.version:
        parts.append(f"version {board.version}")
    if board.split:
        parts.append(f"split {board.split}")
    parts.append(f"as written: {entry.value_text!s}")
    parts.append(f"extract claim {entry.claim_id}")
    return "; ".join(parts)


def eval_results(boards: Leaderboards, ids: HubIds) -> Export:
    document: dict[str, list[dict[str, Any]]] = {}
    entries = skipped = 0
    for board, entry, hub in _results(boards, ids):
        if not entry.subject:
            skipped += 1
            continue
        item: dict[str, Any] = {"dataset": {"id": hub.id}, "value": entry.value}
        if entry.listing_date:
            item["date"] = entry.listing_date
        item["source"] = _source(entry)
        item["notes"] = _notes(board, entry)
        document.setdefault(entry.subject, []).append(item)
        entries += 1
    ordered = {k: document[k] for k in sorted(document, key=lambda s: (s.casefold(), s))}
    return Export(ordered, entries, _unknown(boards, ids), skipped)


def model_index(boards: Leaderboards, ids: HubIds) -> Export:
    models: dict[str, list[dict[str, Any]]] = {}
    entries = skipped = 0
    for board, entry, hub in _results(boards, ids):
        if not entry.subject:
            skipped += 1
            continue
        dataset: dict[str, Any] = {"name": board.benchmark, "type": hub.id}
        if board.split:
            dataset["split"] = board.split
        metric = board.metric or "score"
        models.setdefault(entry.subject, []).append(
            {
                "task": {"type": hub.task},
                "dataset": dataset,
                "metrics": [{"type": metric, "value": entry.value, "name": metric}],
                "source": _source(entry),
            }
        )
        entries += 1
    document = {
        "model-index": [
            {"name": name, "results": models[name]}
            for name in sorted(models, key=lambda s: (s.casefold(), s))
        ]
    }
    return Export(document, entries, _unknown(boards, ids), skipped)
