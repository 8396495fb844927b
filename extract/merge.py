"""Merging: the same paper seen in several inputs becomes one ``papers`` row.

Two records are the same paper when they have the same arXiv id, or when one of them
has no arXiv id and their normalised titles are equal (two records with different
arXiv ids are different papers, whatever their titles). A record joins the group of
the first earlier record it matches; groups never merge afterwards, so a record's group
is known as soon as it is read.

Which values win, for a paper seen more than once: the **first appearance** in input
order (inputs are sorted by path, records keep their order) gives the row its source,
position, offsets, title and format; each empty field is filled from the first later
appearance that has it: the abstract (with the short name, claims, benchmarks and
abstract links found in that abstract, so offsets index the abstract the row holds),
the arXiv id, authors, upvotes, and the listing date (text and date together). Links
given by structured fields (a ``github_repo``) are kept from every appearance. The
``record_id`` is ``arxiv:<id>`` once any appearance gives the arXiv id.

Memory: only the index strictly needed to find a record's group stays in memory (one
entry per distinct arXiv id and title). The rows themselves go to an SQLite file in the
dataset's staging folder and are read back group by group, in order of each group's
first appearance, so the output order does not depend on how the merge is computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from .models import Appearance, Paper
from .records import normalise_title, record_id

#: Rows inserted per transaction.
_BATCH = 2000


@dataclass
class MergedPaper:
    """One paper with the rows of every table that belong to it."""

    paper: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    appearances: list[dict[str, Any]] = field(default_factory=list)


class Merger:
    """Collects valid records (phase 1), then gives one merged paper per group (phase 2)."""

    def __init__(self, path: Path):
        self._path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        # A scratch file: it is deleted at the end, and a killed run's is removed with
        # its staging folder, so durability is not needed.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("PRAGMA cache_size=-16000")  # at most ~16 MB of cache
        self._db.execute(
            "CREATE TABLE appearance (seq INTEGER PRIMARY KEY, grp INTEGER NOT NULL, "
            "data TEXT NOT NULL)"
        )
        self._by_arxiv: dict[str, int] = {}
        self._by_title: dict[int, int] = {}
        self._has_arxiv = bytearray()  # per group: 1 once one of its records has an id
        self._pending: list[tuple[int, int, str]] = []
        self._seq = 0

    @property
    def groups(self) -> int:
        return len(self._has_arxiv)

    def add(self, paper: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> int:
        """Record one valid record (its paper row and child rows); returns its group."""
        group = self._group(paper.get("arxiv_id"), paper["title"])
        self._seq += 1
        payload = json.dumps(
            {"paper": paper, "children": children},
            default=_json_default,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        self._pending.append((self._seq, group, payload))
        if len(self._pending) >= _BATCH:
            self._flush()
        return group

    def _group(self, arxiv_id: str | None, title: str) -> int:
        title_key = _title_key(title)
        if arxiv_id:
            group = self._by_arxiv.get(arxiv_id)
            if group is None:
                titled = self._by_title.get(title_key)
                if titled is not None and not self._has_arxiv[titled]:
                    group = titled  # the same title seen without an id: it is this paper
                else:
                    group = self._new_group()
                self._by_arxiv[arxiv_id] = group
                self._has_arxiv[group] = 1
            self._by_title.setdefault(title_key, group)
            return group
        group = self._by_title.get(title_key)
        if group is None:
            group = self._new_group()
            self._by_title[title_key] = group
        return group

    def _new_group(self) -> int:
        self._has_arxiv.append(0)
        return len(self._has_arxiv) - 1

    def _flush(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO appearance VALUES (?, ?, ?)", self._pending)
            self._db.execute("COMMIT")
            self._pending.clear()

    def merged(self) -> Iterator[MergedPaper]:
        """Every paper, in order of first appearance, merged from all its appearances."""
        self._flush()
        self._db.execute("CREATE INDEX appearance_group ON appearance (grp, seq)")
        rows = self._db.execute("SELECT grp, data FROM appearance ORDER BY grp, seq")
        for _, members in groupby(rows, key=lambda row: row[0]):
            yield merge_group([_load(data) for _, data in members])

    def close(self) -> None:
        self._db.close()
        self._path.unlink(missing_ok=True)


def _title_key(title: str) -> int:
    # 64 bits of a hash instead of the title itself keeps the index small
    digest = hashlib.blake2b(normalise_title(title).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")  # pragma: no cover


def _load(data: str) -> dict[str, Any]:
    appearance: dict[str, Any] = json.loads(data)
    paper = appearance["paper"]
    if paper.get("listing_date"):
        paper["listing_date"] = dt.date.fromisoformat(paper["listing_date"])
    return appearance


def _first(papers: list[dict[str, Any]], key: str) -> Any:
    return next((p[key] for p in papers if p.get(key) not in (None, "", [])), None)


def merge_group(appearances: list[dict[str, Any]]) -> MergedPaper:
    """One paper from its appearances, in input order (see the module docstring)."""
    papers = [a["paper"] for a in appearances]
    first = papers[0]
    text_index = next((i for i, p in enumerate(papers) if p.get("abstract")), 0)
    text = papers[text_index]
    arxiv_id = _first(papers, "arxiv_id")
    rid = record_id(arxiv_id, first["title"])
    paper = dict(first)
    paper.update(
        record_id=rid,
        abstract=text.get("abstract"),
        arxiv_id=arxiv_id,
        authors=_first(papers, "authors") or [],
        upvotes=_first(papers, "upvotes"),
        appearances=len(papers),
    )
    named = (
        text if text.get("short_name") else next((p for p in papers if p.get("short_name")), text)
    )
    paper.update(short_name=named.get("short_name"), short_name_rule=named.get("short_name_rule"))
    dated = next((p for p in papers if p.get("listing_date") or p.get("listing_date_text")), first)
    paper.update(
        listing_date=dated.get("listing_date"), listing_date_text=dated.get("listing_date_text")
    )
    paper = Paper.model_validate(paper).model_dump()

    text_children = appearances[text_index]["children"]
    children: dict[str, list[dict[str, Any]]] = {
        "claims": [_rekey_claim(c, rid) for c in text_children.get("claims", [])],
        "benchmarks": [{**b, "record_id": rid} for b in text_children.get("benchmarks", [])],
    }
    links = [{**link, "record_id": rid} for link in text_children.get("links", [])]
    seen_urls = {link["url"] for link in links}
    for index, appearance in enumerate(appearances):
        if index == text_index:
            continue
        for link in appearance["children"].get("links", []):
            if link.get("start") is None and link["url"] not in seen_urls:
                seen_urls.add(link["url"])
                links.append({**link, "record_id": rid})
    children["links"] = links

    rows = []
    for index, p in enumerate(papers):
        row = Appearance(
            record_id=rid,
            source=p["source"],
            position=p["position"],
            format=p.get("format"),
            primary=index == 0,
            title=p["title"],
            listing_date_text=p.get("listing_date_text"),
            listing_date=p.get("listing_date"),
            arxiv_id=p.get("arxiv_id"),
            upvotes=p.get("upvotes"),
            start=p["start"],
            end=p["end"],
        )
        rows.append(row.model_dump())
    return MergedPaper(paper=paper, children=children, appearances=rows)


def _rekey_claim(claim: dict[str, Any], rid: str) -> dict[str, Any]:
    ordinal = str(claim["claim_id"]).rsplit("#", 1)[-1]
    return {**claim, "record_id": rid, "claim_id": f"{rid}#{ordinal}"}
