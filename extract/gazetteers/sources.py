"""Readers of the annotated corpora: every benchmark, metric, task and method name they hold.

Each reader yields `Sighting`s: one name, as written, in one place of one source. A
sighting says whether the name was written in running text (a mention annotated in a
paper) or only listed (a leaderboard title, a knowledge-base entry), and which names the
source itself ties together (a SciREX coreference cluster, a name and the acronym in its
parentheses). The readers decide nothing about quality; the build does.

The corpora, under ``shared/corpus/annotated/`` (see ``PROVENANCE.md`` in each folder):

- ``pwc_sota_extractor/data/tasks/*.json``: Papers with Code leaderboards (tasks, their
  datasets, the metric columns of each table);
- ``tdms/data/NLP-TDMS/``: dataset, metric and task names of 346 NLP papers, and the
  metric knowledge base with a higher/lower-is-better flag;
- ``tdms/data/TDMSci/conllFormat/*.conll``: 2,000 sentences with DATASET, METRIC and TASK
  mentions;
- ``scirex/docs/train_docs/*.json``: 306 full papers with Material (dataset), Metric,
  Task and Method mentions grouped into named entities.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .names import detokenize, restore_underscored, split_parenthetical

Table = Literal["benchmarks", "metrics", "tasks", "methods"]


@dataclass(frozen=True, order=True)
class Sighting:
    """One name seen once in a source."""

    table: Table
    name: str
    source: str  #: 'pwc', 'tdms', 'tdmsci' or 'scirex'
    where: str  #: the file (and document) it was read from, relative to the corpus
    in_text: bool  #: written in running text, not only listed
    #: names with the same group are one thing according to the source; '' for none
    group: str = ""
    #: for a group, True on the name the source gives the group (a cluster's name)
    head: bool = False
    direction: str | None = None  #: 'higher' or 'lower', when the source says


class SourceError(Exception):
    """An annotated corpus that is missing or does not have the expected layout."""


def read_all(root: Path) -> list[Sighting]:
    """Every sighting of every source under `root` (the ``annotated/`` folder), sorted."""
    if not root.is_dir():
        raise SourceError(f"{root}: no such folder (expected shared/corpus/annotated)")
    found: list[Sighting] = []
    for reader in (read_pwc, read_tdms, read_tdmsci, read_scirex):
        found.extend(reader(root))
    return sorted(set(found))


# --- Papers with Code leaderboards -------------------------------------------------------


def read_pwc(root: Path) -> Iterator[Sighting]:
    folder = root / "pwc_sota_extractor" / "data" / "tasks"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SourceError(f"{folder}: no leaderboard files")
    for path in files:
        where = str(path.relative_to(root))
        data = _load_json(path)
        if not isinstance(data, list):
            continue
        for task in _walk_tasks(data):
            yield Sighting("tasks", task["task"], "pwc", where, in_text=False)
            for synonym in task.get("synonyms") or []:
                if isinstance(synonym, str):
                    yield Sighting("tasks", synonym, "pwc", where, in_text=False)
            for dataset in _walk_datasets(task):
                name = str(dataset.get("dataset") or "").strip()
                if name:
                    yield from _named("benchmarks", name, "pwc", where)
                sota = dataset.get("sota") or {}
                for metric in sota.get("metrics") or []:
                    yield from _named("metrics", str(metric), "pwc", where)
                for row in sota.get("rows") or []:
                    model = str(row.get("model_name") or "").strip()
                    if model:
                        yield Sighting("methods", model, "pwc", where, in_text=False)
    synonyms = folder / "synonyms.csv"
    if synonyms.exists():
        with synonyms.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, skipinitialspace=True):
                for cell in row:
                    if cell.strip() and cell.strip() not in ("task", "synonym"):
                        yield Sighting("tasks", cell.strip(), "pwc", "synonyms.csv", False)


def _walk_tasks(tasks: list[Any]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        if isinstance(task, dict) and task.get("task"):
            yield task
            yield from _walk_tasks(task.get("subtasks") or [])


def _walk_datasets(task: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for dataset in task.get("datasets") or []:
        if isinstance(dataset, dict):
            yield dataset
            yield from (d for d in dataset.get("subdatasets") or [] if isinstance(d, dict))


# --- NLP-TDMS ----------------------------------------------------------------------------


def read_tdms(root: Path) -> Iterator[Sighting]:
    base = root / "tdms" / "data" / "NLP-TDMS"
    kb, notes = base / "kb", base / "annotations"
    for path in (kb / "datasetKB.tsv", kb / "evaMatrixKB.tsv", kb / "taskKB.tsv"):
        if not path.exists():
            raise SourceError(f"{path}: missing")
    for cells in _tsv(kb / "datasetKB.tsv"):
        yield from _named("benchmarks", cells[1], "tdms", "kb/datasetKB.tsv")
    for cells in _tsv(kb / "evaMatrixKB.tsv"):
        # The third column is 1 when a higher value is better, 0 when a lower one is.
        flag = cells[2].strip() if len(cells) > 2 else ""
        direction = {"1": "higher", "0": "lower"}.get(flag)
        yield Sighting(
            "metrics", cells[1].strip(), "tdms", "kb/evaMatrixKB.tsv", False, direction=direction
        )
    for cells in _tsv(kb / "taskKB.tsv"):
        yield Sighting("tasks", cells[1].strip(), "tdms", "kb/taskKB.tsv", False)
    for cells in _tsv(notes / "datasetAnnotation.tsv"):
        for name in cells[1].split("#") if len(cells) > 1 else []:
            yield from _named("benchmarks", name, "tdms", f"annotations/{cells[0]}")
    for cells in _tsv(notes / "taskAnnotation.tsv"):
        for name in cells[1].split("#") if len(cells) > 1 else []:
            yield Sighting(
                "tasks", name.replace("_", " "), "tdms", f"annotations/{cells[0]}", False
            )
    for cells in _tsv(notes / "resultsAnnotation.tsv"):
        for result in cells[1].split("$") if len(cells) > 1 else []:
            parts = result.split("#")
            if len(parts) == 4:
                where = f"annotations/{cells[0]}"
                yield from _named("benchmarks", parts[1], "tdms", where)
                yield from _named("metrics", parts[2], "tdms", where)


def _tsv(path: Path) -> Iterator[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[1].strip():
            yield cells


# --- TDMSci ------------------------------------------------------------------------------

_TDMSCI_TYPES: dict[str, Table] = {"DATASET": "benchmarks", "METRIC": "metrics", "TASK": "tasks"}


def read_tdmsci(root: Path) -> Iterator[Sighting]:
    folder = root / "tdms" / "data" / "TDMSci" / "conllFormat"
    files = [folder / "train_1500_v2.conll", folder / "test_500_v2.conll"]
    for path in files:
        if not path.exists():
            raise SourceError(f"{path}: missing")
        where = path.name
        for label, text in _conll_entities(path):
            table = _TDMSCI_TYPES.get(label)
            if table is not None:
                yield from _named(table, text, "tdmsci", where, in_text=True)


def _conll_entities(path: Path) -> Iterator[tuple[str, str]]:
    """(label, text) of each B-/I- span; the text is rebuilt from the character offsets
    of the tokens, so 'CIFAR - 100' comes back as 'CIFAR-100' when it was written so."""
    label: str | None = None
    tokens: list[tuple[str, int]] = []

    def flush() -> Iterator[tuple[str, str]]:
        if label and tokens:
            text, end = tokens[0][0], tokens[0][1] + len(tokens[0][0])
            for token, start in tokens[1:]:
                text += ("" if start == end else " ") + token
                end = start + len(token)
            yield label, text

    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 3 or not cells[1].strip().isdigit():
            yield from flush()
            label, tokens = None, []
            continue
        token, start, tag = cells[0], int(cells[1]), cells[-1].strip()
        if tag.startswith("I-") and label == tag[2:]:
            tokens.append((token, start))
            continue
        yield from flush()
        label, tokens = (tag[2:], [(token, start)]) if tag.startswith("B-") else (None, [])
    yield from flush()


# --- SciREX ------------------------------------------------------------------------------


def read_scirex(root: Path) -> Iterator[Sighting]:
    folder = root / "scirex" / "docs" / "train_docs"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SourceError(f"{folder}: no documents")
    tables: dict[str, Table] = {
        "Material": "benchmarks",
        "Metric": "metrics",
        "Task": "tasks",
        "Method": "methods",
    }
    for path in files:
        doc = _load_json(path)
        if not isinstance(doc, dict):
            continue
        where = f"scirex/{path.stem[:12]}"
        words: list[str] = doc["words"]
        kinds = {(s, e): t for s, e, t in doc["ner"]}
        # A cluster's type is the role it plays in the result relations, or else the type
        # most of its mentions are annotated with.
        roles: dict[str, str] = {}
        for relation in doc.get("n_ary_relations") or []:
            for part in ("Material", "Metric", "Task", "Method"):
                if relation.get(part):
                    roles.setdefault(relation[part], part)
        for cluster, spans in sorted(doc["coref"].items()):
            counts: dict[str, int] = {}
            for s, e in spans:
                kind = kinds.get((s, e))
                if kind:
                    counts[kind] = counts.get(kind, 0) + 1
            role = roles.get(cluster) or (
                max(sorted(counts), key=lambda k: counts[k]) if counts else None
            )
            table = tables.get(role or "")
            if table is None:
                continue
            mentions = sorted({detokenize(" ".join(words[s:e])) for s, e in spans})
            group = f"scirex:{cluster}"
            name = restore_underscored(cluster, mentions)
            yield Sighting(table, name, "scirex", where, False, group=group, head=True)
            for text in mentions:
                yield Sighting(table, text, "scirex", where, True, group=group)
        for s, e, kind in doc["ner"]:
            table = tables.get(kind)
            if table in ("tasks", "methods"):
                text = detokenize(" ".join(words[s:e]))
                yield Sighting(table, text, "scirex", where, True)


# --- shared helpers ----------------------------------------------------------------------


def _named(
    table: Table, raw: str, source: str, where: str, in_text: bool = False
) -> Iterator[Sighting]:
    """A name, and the short form in its closing parenthesis as a second name of its group.

    'Street View House Numbers (SVHN)' gives both names, tied; the build keeps the short
    form only when it abbreviates the long one, and drops qualifiers ('(English)').
    """
    name = detokenize(raw)
    if not name:
        return
    long_form, short = split_parenthetical(name)
    if short is None:
        yield Sighting(table, name, source, where, in_text)
        return
    group = f"{source}:{name}"
    yield Sighting(table, long_form, source, where, in_text, group=group, head=True)
    yield Sighting(table, short, source, where, in_text, group=group)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from None
