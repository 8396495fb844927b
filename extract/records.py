"""The records that flow between stages: what a reader produces for each paper.

A reader yields, for every paper-sized unit of its input, either a :class:`RawRecord`
or a :class:`RecordProblem` (the unit could not be read). Both count as input records,
so nothing a reader sees can go missing between the input and the output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from .models import LinkKind, Stage


@dataclass(frozen=True)
class FieldLink:
    """A URL given by a structured field of the input (e.g. ``github_repo``)."""

    url: str
    field: str
    kind: LinkKind | None = None  #: None: decide from the URL, as for URLs in text


@dataclass
class RawRecord:
    """One paper as read from its source, before any extraction."""

    source: str
    position: int
    title: str
    abstract: str | None
    start: int  #: character offsets of the record in the decoded source
    end: int
    line: int | None = None  #: 1-based line where the record starts, for messages
    listing_date_text: str | None = None
    listing_date: dt.date | None = None
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    links: list[FieldLink] = field(default_factory=list)
    upvotes: int | None = None
    format: str | None = None

    @property
    def record_id(self) -> str:
        return record_id(self.arxiv_id, self.title)


@dataclass(frozen=True)
class RecordProblem:
    """An input record that could not be read; it becomes a row of ``rejects``."""

    source: str
    position: int | None
    reason: str
    detail: str
    stage: Stage = "read"
    line: int | None = None
    byte_offset: int | None = None
    raw: str | None = None
    record_id: str | None = None


_ARXIV_VERSION = re.compile(r"v\d+$")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """The form under which two spellings of one title compare equal."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def record_id(arxiv_id: str | None, title: str) -> str:
    """A stable id from the paper itself: its arXiv id, else a hash of its title."""
    if arxiv_id:
        return "arxiv:" + _ARXIV_VERSION.sub("", arxiv_id)
    digest = hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()
    return "title:" + digest[:16]


# Characters that change how text displays or compares but carry no content: zero-width
# spaces and joiners, the BOM, and the bidirectional controls (which can also hide text).
_INVISIBLE = dict.fromkeys(
    [
        *(0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *(0x200E, 0x200F, 0x061C),
    ]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop invisible and control characters, keep everything else as written."""
    text = text.translate(_INVISIBLE)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text.strip()
