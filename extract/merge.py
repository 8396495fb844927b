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
the arXiv id, authors, categories, upvotes, and the listing date (text and date
together). Links given by structured fields (a ``github_repo``) are kept from every
appearance. The ``record_id`` is ``arxiv:<id>`` once any appearance gives the arXiv id.

Memory: the index that finds a record's group (arXiv id -> group, title key -> group)
lives in an SQLite file in the dataset's staging folder, not in memory, so a run's
memory does not grow with the number of papers; per group only a byte or two stays in
memory. The rows of a record that joins an earlier group wait in the same file until
the group is written. The rows of a record seen once never go through here: they stay
in their shard's files and are copied to the output as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import writing
from .models import Appearance, Paper
from .records import normalise_title, record_id

#: Index entries kept in memory before they are written to the file in one transaction.
_PENDING = 20_000


@dataclass
class MergedPaper:
    """One paper with the rows of every table that belong to it."""

    paper: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    appearances: list[dict[str, Any]] = field(default_factory=list)


class Merger:
    """Finds each valid record's group (phase 1), then merges the groups seen more than
    once (phase 2), reading back the later appearances it kept."""

    def __init__(self, path: Path):
        self._path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        # A scratch file: it is deleted at the end, and a killed run's is removed with
        # its staging folder, so durability is not needed.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("PRAGMA cache_size=-8000")  # at most ~8 MB of cache
        self._db.execute("CREATE TABLE by_arxiv (id TEXT PRIMARY KEY, grp INTEGER) WITHOUT ROWID")
        self._db.execute("CREATE TABLE by_title (key INTEGER PRIMARY KEY, grp INTEGER)")
        self._db.execute(
            "CREATE TABLE appearance (grp INTEGER NOT NULL, seq INTEGER NOT NULL, "
            "data TEXT NOT NULL, PRIMARY KEY (grp, seq)) WITHOUT ROWID"
        )
        self._arxiv: dict[str, int] = {}  # entries not yet written to the file
        self._title: dict[int, int] = {}
        self._has_arxiv = bytearray()  # per group: 1 once one of its records has an id
        self._seen = bytearray()  # per group: 1, or 2 when more than one record joined it
        self._seq = 0

    def assign(self, arxiv_id: str | None, title_key: int) -> tuple[int, bool]:
        """The group of the next valid record, in input order, and whether the record is
        the first of its group."""
        self._seq += 1
        group = self._group(arxiv_id, title_key)
        first = group == len(self._seen)
        if first:
            self._seen.append(1)
            self._has_arxiv.append(0)
        else:
            self._seen[group] = 2
        if arxiv_id:
            self._has_arxiv[group] = 1
        return group, first

    def shared(self, group: int) -> bool:
        """Whether more than one record is this paper."""
        return self._seen[group] > 1

    def _group(self, arxiv_id: str | None, title_key: int) -> int:
        new = len(self._seen)
        if arxiv_id:
            group = self._find_arxiv(arxiv_id)
            if group is None:
                titled = self._find_title(title_key)
                # the same title seen without an id: it is this paper
                same = titled is not None and not self._has_arxiv[titled]
                group = titled if same and titled is not None else new
                self._arxiv[arxiv_id] = group
            if self._find_title(title_key) is None:
                self._title[title_key] = group
            self._flush_if_full()
            return group
        group = self._find_title(title_key)
        if group is None:
            group = new
            self._title[title_key] = group
            self._flush_if_full()
        return group

    def _find_arxiv(self, arxiv_id: str) -> int | None:
        group = self._arxiv.get(arxiv_id)
        if group is None:
            row = self._db.execute("SELECT grp FROM by_arxiv WHERE id = ?", (arxiv_id,)).fetchone()
            group = row[0] if row else None
        return group

    def _find_title(self, key: int) -> int | None:
        group = self._title.get(key)
        if group is None:
            row = self._db.execute("SELECT grp FROM by_title WHERE key = ?", (key,)).fetchone()
            group = row[0] if row else None
        return group

    def _flush_if_full(self) -> None:
        if len(self._arxiv) + len(self._title) >= _PENDING:
            self.flush()

    def flush(self) -> None:
        """Write the index entries held in memory to the file."""
        with writing(self._path):
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO by_arxiv VALUES (?, ?)", self._arxiv.items())
            self._db.executemany("INSERT INTO by_title VALUES (?, ?)", self._title.items())
            self._db.execute("COMMIT")
        self._arxiv.clear()
        self._title.clear()

    @property
    def seq(self) -> int:
        """The number of the last record assigned (1 for the first valid record)."""
        return self._seq

    def keep(self, group: int, seq: int, appearance: dict[str, Any]) -> None:
        """Keep the rows of a later appearance of a group (record number ``seq``) until
        the group is written."""
        payload = json.dumps(
            appearance, default=_json_default, ensure_ascii=False, separators=(",", ":")
        )
        with writing(self._path):
            self._db.execute("INSERT INTO appearance VALUES (?, ?, ?)", (group, seq, payload))

    def merged(self, group: int, first: dict[str, Any]) -> MergedPaper:
        """The paper of a group from its first appearance and the later ones kept."""
        rows = self._db.execute(
            "SELECT data FROM appearance WHERE grp = ? ORDER BY seq", (group,)
        ).fetchall()
        return merge_group([first, *(_load(data) for (data,) in rows)])

    def close(self) -> None:
        self._db.close()
        self._path.unlink(missing_ok=True)


def title_key(title: str) -> int:
    """The key under which a title is looked up: 64 bits of a hash of its normal form
    (a signed integer, as SQLite stores them), smaller than the title itself."""
    digest = hashlib.blake2b(normalise_title(title).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


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
        categories=_first(papers, "categories") or [],
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
