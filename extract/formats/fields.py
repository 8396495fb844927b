"""What every reader shares: arXiv ids, dates, author lists, link kinds, paper objects.

Structured inputs (JSON, JSON Lines, CSV, Parquet, the JSON inside a saved page) all
describe a paper as a mapping of field names to values, under names that differ from
one crawler to the next. :func:`record_from_mapping` turns any of them into a
:class:`~extract.records.RawRecord`, looking each field up under its known names (or
the column a user named with ``--column``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from ..models import LinkKind
from ..records import (
    FieldLink,
    RawRecord,
    RecordProblem,
    clean_text,
    collapse_spaces,
    has_surrogates,
    printable,
    unwrap,
)
from ..split import parse_date_line

# --- arXiv identifiers ---------------------------------------------------------------

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"(?<![\w.])(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?(?![\w])")
# arxiv.org pages of a paper, and the Hugging Face page named after its arXiv id
_ARXIV_URL = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)|huggingface\.co/papers)/"
    rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?",
    re.IGNORECASE,
)
_BARE_ID = re.compile(rf"\s*(?:arxiv:\s*)?(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?\s*", re.IGNORECASE)


def arxiv_id_from(value: object) -> str | None:
    """The arXiv id (without version) in an id, ``arXiv:id`` or an arxiv.org URL."""
    if not isinstance(value, str) or not value:
        return None
    match = _BARE_ID.fullmatch(value) or _ARXIV_URL.search(value)
    return match["id"] if match else None


def arxiv_id_in_url(url: str) -> str | None:
    """The arXiv id of an arxiv.org abstract, PDF or HTML URL."""
    match = _ARXIV_URL.search(url)
    return match["id"] if match else None


# --- dates -----------------------------------------------------------------------------

_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)")


def parse_date(text: object, year: int | None = None) -> dt.date | None:
    """A calendar date from the forms listings write: ISO dates and timestamps,
    e-mail dates ("Wed, 15 Mar 2023 18:34:08 GMT", also with a two-digit year),
    "2026.06.29", "Jul 29" (with ``year``). The date is the one written, whatever
    time zone the timestamp is in, so a run gives the same dates in every zone.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    stripped = text.strip()
    match = _ISO.search(stripped)
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    if "," in stripped or re.search(r"\d\d:\d\d", stripped):
        try:
            parsed = email.utils.parsedate_tz(stripped)
        except (TypeError, ValueError, IndexError):  # pragma: no cover - defensive
            parsed = None
        if parsed is not None:
            try:
                return dt.date(parsed[0], parsed[1], parsed[2])
            except ValueError:
                return None
    line = parse_date_line(stripped, year)
    return line[1] if line else None


def date_from_path(name: str) -> dt.date | None:
    """A date in a file's name or, failing that, in the name of a folder above it
    (``2026-03-12.txt``, ``date/2026-03-25/config.json``)."""
    for part in reversed(PurePath(name).parts):
        match = _ISO.search(part)
        if match and match["m"].isdigit():
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
    return None


# --- authors ---------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?:Jr|Sr|I{1,3}|IV|V|SJ|PhD)\.?", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_ET_AL = re.compile(r"\s*(?:,\s*)?(?:et\.? ?al\.?|等)\s*$", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&|、|，)\s*")


def split_authors(text: str) -> list[str]:
    """Author names from a written list: "A, B and C", "A; B", "A et al."."""
    text = collapse_spaces(_PARENS.sub(" ", _PARENS.sub(" ", text)))
    text = _ET_AL.sub("", text)
    names: list[str] = []
    for piece in _AUTHOR_SPLIT.split(text):
        piece = piece.strip()
        if not piece or piece == ".":
            continue
        if names and _SUFFIX.fullmatch(piece):
            # "Jingyun Liang, Jr.": the suffix belongs to the name before the comma
            names[-1] = f"{names[-1]}, {piece}"
            continue
        names.append(piece)
    return names


def author_names(value: object) -> list[str]:
    """Author names from a field: a list of names, of ``{"name": ...}`` objects, or text."""
    if isinstance(value, str):
        return [clean_text(n) for n in split_authors(value) if clean_text(n)]
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and clean_text(collapse_spaces(name)):
                names.append(clean_text(collapse_spaces(name)))
    return names


# --- links from fields -------------------------------------------------------------------

#: Structured fields whose value is a URL of a known kind, by (lower-cased) field name.
LINK_FIELDS: dict[str, LinkKind] = {
    "github_repo": "code",
    "githubrepo": "code",
    "github_url": "code",
    "github": "code",
    "code": "code",
    "code_url": "code",
    "repo": "code",
    "repository": "code",
    "project_page": "project",
    "projectpage": "project",
    "project_url": "project",
    "project": "project",
    "homepage": "project",
    "website": "project",
    "demo": "demo",
    "demo_url": "demo",
    "space": "demo",
    "dataset": "data",
    "data": "data",
    "pdf": "paper",
    "paper": "paper",
    "arxiv_url": "paper",
    "arxiv_pdf_url": "paper",
}

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_URL_TRAIL = ".,;:!?'\")]}>"
#: Schemes of URLs that are no place to go: a link field holding one is a reject row.
_UNSAFE = re.compile(r"(javascript|data|vbscript):", re.IGNORECASE)


def link_kind(label: str) -> LinkKind | None:
    """The kind of a link from the name of its field or label ("Code", "Homepage")."""
    key = re.sub(r"[^a-z_]", "", label.strip().lower().replace(" ", "_").replace("-", "_"))
    if key in LINK_FIELDS:
        return LINK_FIELDS[key]
    for word, kind in (("code", "code"), ("github", "code"), ("project", "project"),
                       ("home", "project"), ("website", "project"), ("page", "project"),
                       ("demo", "demo"), ("data", "data"), ("paper", "paper"),
                       ("pdf", "paper"), ("arxiv", "paper")):  # fmt: skip
        if word in key:
            return kind  # type: ignore[return-value]
    return None


def field_link(url: object, field: str, kind: LinkKind | None = None) -> FieldLink | None:
    """A link from a structured field, or None when the value is not a URL."""
    if not isinstance(url, str):
        return None
    given = clean_text(url).strip()
    unsafe = _UNSAFE.match(re.sub(r"\s", "", given))  # browsers ignore spaces in a scheme
    if unsafe is not None:  # a script or inline data: reported, never kept
        refused = f"a {unsafe.group(1).lower()}: URL runs or embeds content; it is not kept"
        return FieldLink(url=given, field=field, kind=kind or "other", refused=refused)
    url = given.rstrip(_URL_TRAIL)
    if not url or any(c.isspace() for c in url) or len(url) < 4:
        return None
    if not re.match(r"(?:https?://|www\.|[\w-]+(?:\.[\w-]+)+/)", url, re.IGNORECASE):
        return None
    if has_surrogates(url):
        return None
    return FieldLink(url=url, field=field, kind=kind if kind else link_kind(field))


def urls_in_text(text: str, field: str) -> list[FieldLink]:
    """Links written inside a free-text field (arXiv "Comments: Code at https://...");
    their kind is decided later from the URL and the words before it."""
    links = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAIL)
        if len(url) > 8 and not has_surrogates(url):
            links.append(FieldLink(url=url, field=field, context=text[: match.start()]))
    return links


# --- paper objects ---------------------------------------------------------------------

#: Names under which structured inputs give each field, in order of preference.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "paper_title", "name", "headline"),
    "abstract": ("abstract", "summary", "paper_abstract", "abstract_en", "description"),
    "arxiv_id": ("arxiv_id", "arxivid", "paper_id", "arxiv", "id", "arxiv_url", "url"),
    "authors": ("authors", "author", "author_names", "authors_list", "creators"),
    "date": ("listing_date", "date", "submittedondailyat", "day"),
    "published": ("published_at", "publishedat", "published", "publish_date", "created"),
    "upvotes": ("upvotes", "votes", "upvote", "likes", "hf_votes"),
    "comments": ("comments", "comment", "arxiv_comments", "arxiv_comment"),
    "ai_summary": ("ai_summary", "summary_en", "tldr"),
}
#: The fields ``--column FIELD=NAME`` can point at a column of the user's choosing.
COLUMN_FIELDS = ("title", "abstract", "arxiv_id", "authors", "date", "upvotes", "code", "project")


def _lookup(
    obj: Mapping[str, Any], names: Iterable[str], lowered: Mapping[str, str] | None = None
) -> tuple[str, Any] | None:
    """The first of ``names`` the object has a value for, whatever the keys' case;
    ``lowered`` (each key by its lower case) when the caller has it already."""
    if lowered is None:
        lowered = {key.lower(): key for key in obj if isinstance(key, str)}
    for name in names:
        key = lowered.get(name.lower())
        if key is not None:
            value = obj[key]
            if value not in (None, "", [], {}):
                return key, value
    return None


def _text(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) else None


def _votes(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _damaged_value(obj: object) -> str | None:
    """The first string in a parsed value that holds undecodable bytes."""
    if isinstance(obj, str):
        return obj if has_surrogates(obj) else None
    if isinstance(obj, dict):
        obj = [*obj.keys(), *obj.values()]
    if isinstance(obj, list):
        for item in obj:
            found = _damaged_value(item)
            if found is not None:
                return found
    return None


def record_from_mapping(
    obj: Mapping[str, Any],
    *,
    source: str,
    position: int,
    start: int,
    end: int,
    format_name: str,
    line: int | None = None,
    byte_offset: int | None = None,
    columns: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    year: int | None = None,
) -> RawRecord | RecordProblem:
    """One paper from a mapping of fields, or the reason it is not a paper.

    ``columns`` maps a field to the name the input uses for it (``--column``);
    ``defaults`` gives values for fields the object lacks (the date of the file it is
    in). A value holding undecodable bytes rejects the record with its byte offset.
    """
    columns = columns or {}
    defaults = defaults or {}
    lowered = {key.lower(): key for key in obj if isinstance(key, str)}  # once per record

    def get(name: str) -> tuple[str, Any] | None:
        if name in columns:
            key = columns[name]
            value = obj.get(key)
            return (key, value) if value not in (None, "", [], {}) else None
        return _lookup(obj, FIELD_NAMES.get(name, (name,)), lowered)

    def problem(reason: str, detail: str) -> RecordProblem:
        return RecordProblem(
            source, position, reason, detail, stage="read", line=line,
            byte_offset=byte_offset, raw=printable(repr(dict(obj))),
        )  # fmt: skip

    damaged = _damaged_value(obj)
    if damaged is not None:
        return problem("invalid_utf8", "bytes that are not valid UTF-8 in this record")
    found_title = get("title")
    title = _text(found_title[1]) if found_title else None
    title = clean_text(collapse_spaces(title)) if title else None
    if not title:
        fields = ", ".join(sorted(str(k) for k in obj)[:12])
        where = f"column '{columns['title']}'" if "title" in columns else "title field"
        return problem("missing_title", f"no {where} in this record (fields: {fields})")

    found_abstract = get("abstract")
    abstract = _text(found_abstract[1]) if found_abstract else None
    abstract = clean_text(unwrap(abstract)) if abstract else None
    found_summary = get("ai_summary")
    summary = _text(found_summary[1]) if found_summary else None
    if abstract and summary:
        # Some crawlers put the page's AI-written summary in front of the abstract.
        summary = clean_text(unwrap(summary))
        if summary and abstract.startswith(summary) and len(abstract) > len(summary):
            abstract = abstract[len(summary) :].lstrip() or abstract

    found_id = get("arxiv_id")
    arxiv_id = arxiv_id_from(_text(found_id[1])) if found_id else None
    if arxiv_id is None:
        for value in obj.values():
            if isinstance(value, str) and "arxiv.org/" in value:
                arxiv_id = arxiv_id_in_url(value)
                if arxiv_id:
                    break
    if arxiv_id is None:
        arxiv_id = arxiv_id_from(defaults.get("arxiv_id"))

    found_authors = get("authors")
    authors = author_names(found_authors[1]) if found_authors else []

    found_votes = get("upvotes")
    upvotes = _votes(found_votes[1]) if found_votes else _votes(defaults.get("upvotes"))

    date_text: str | None = None
    date: dt.date | None = None
    found_date = get("date")
    if found_date and _text(found_date[1]):
        date_text = _text(found_date[1])
        date = parse_date(date_text, year)
    elif defaults.get("date_text") or defaults.get("date"):
        date_text = defaults.get("date_text")
        date = defaults.get("date")
    else:
        found_published = get("published")
        if found_published and _text(found_published[1]):
            date_text = _text(found_published[1])
            date = parse_date(date_text, year)

    link_columns = {columns[f]: f for f in ("code", "project") if f in columns}
    links: list[FieldLink] = []
    for key, value in obj.items():
        kind = LINK_FIELDS.get(str(key).lower().replace("-", "_"))
        if key in link_columns:
            kind = LINK_FIELDS[link_columns[key]]
        if kind is None or kind == "paper":
            continue  # a link to the paper itself gave its arXiv id above
        link = field_link(value, key, kind)
        if link is not None:
            links.append(link)
    found_comments = get("comments")
    if found_comments and _text(found_comments[1]):
        links.extend(urls_in_text(clean_text(str(found_comments[1])), found_comments[0]))
    links.extend(defaults.get("links", []))

    return RawRecord(
        source=source,
        position=position,
        title=title,
        abstract=abstract or None,
        start=start,
        end=end,
        line=line,
        listing_date_text=clean_text(date_text) if date_text else None,
        listing_date=date,
        arxiv_id=arxiv_id,
        authors=authors,
        links=links,
        upvotes=upvotes,
        format=format_name,
    )
