"""The records that flow between stages: what a reader produces for each paper.

A reader yields, for every paper-sized unit of its input, either a :class:`RawRecord`
or a :class:`RecordProblem` (the unit could not be read). Both count as input records,
so nothing a reader sees can go missing between the input and the output. An input that
cannot be read (or stops being readable) ends with a :class:`FileRejected`.
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
    #: for a URL inside a free-text field (arXiv "Comments"): the words before it,
    #: which name what it points at ("Code: https://...")
    context: str = ""
    rule_id: str | None = None  #: the rule that decided ``kind``, when one did
    #: why the URL is never kept (a script or inline data, not a place to go): the
    #: record gets a reject row for it instead of a link
    refused: str | None = None


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
    categories: list[str] = field(default_factory=list)  #: arXiv subject categories
    format: str | None = None

    def __post_init__(self) -> None:
        # here, so that no reader can forget it: crawlers leave separators on names
        self.authors = clean_authors(self.authors)

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


@dataclass(frozen=True)
class FileRejected:
    """An input that could not be read at all, or past some point: one ``rejects`` row
    for the file, after whatever records were read before it."""

    source: str
    reason: str
    detail: str


#: What reading an input gives, in order: its records, its unreadable records, and at
#: most one :class:`FileRejected` at the end.
Item = RawRecord | RecordProblem | FileRejected


class InputRejectedError(Exception):
    """A whole input that a reader cannot use; it becomes a rejected file, not a crash.

    Raised by a reader before it has produced anything (not in its format, larger than
    the cap for a format that must be parsed whole, an XML document type declaration).
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


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
#: Finds any of them: most text holds none, and looking is cheaper than translating.
_HAS_INVISIBLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_INVISIBLE)) + "]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# UTF-8 read as Latin-1 or Windows-1252 and encoded again ("RamÃ­rez"): the lead bytes
# of two-byte sequences become these letters, followed by a character of U+0080..U+00BF
# (or its Windows-1252 form).
_MOJIBAKE = re.compile(
    "[ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîï][\x80-\xbf‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Latin-1 / Windows-1252, when that is what it is.

    Only applied when re-encoding gives valid UTF-8, which text that was never
    garbled practically never does.
    """
    if not _MOJIBAKE.search(text):
        return text
    for encoding in ("latin-1", "cp1252"):
        try:
            return text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return text


def clean_text(text: str) -> str:
    """Repair double-encoded UTF-8, drop invisible and control characters, keep
    everything else as written."""
    text = fix_mojibake(text)
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text.strip()


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds undecodable bytes kept as surrogate escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(text: str, limit: int = 500) -> str:
    """Raw text for a reject row: undecodable bytes shown as \\xNN, length capped."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return _SURROGATE.sub(_escape_surrogate, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+DC80..U+DCFF hold a byte that was not UTF-8; any other is a stray JSON escape
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


#: What a list of authors puts around a name that is not part of it: white space and
#: separators (a trailing "." may end an initial, "Jr." or "al.": it is kept).
_AUTHOR_EDGES = re.compile(r"^[\s,;:|&/·•、，；]+|[\s,;:|&/·•、，；]+$")


def clean_author(name: str) -> str:
    """One author name as the tables hold it: repaired like all text, white space
    collapsed, separators and white space stripped from both ends ("Jane Doe," ->
    "Jane Doe"); empty when nothing is left."""
    return _AUTHOR_EDGES.sub("", collapse_spaces(clean_text(name)))


def clean_authors(names: list[str]) -> list[str]:
    """Author names with :func:`clean_author` applied, empty ones dropped."""
    return [cleaned for name in names if (cleaned := clean_author(name))]


def collapse_spaces(text: str) -> str:
    """One line: every run of whitespace becomes one space (titles, names)."""
    return " ".join(text.split())


_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def unwrap(text: str) -> str:
    """Join lines that were wrapped for width; a blank line still ends a paragraph."""
    text = text.strip()
    if "\n" not in text:  # most abstracts: nothing to join (and the regex is not cheap)
        return text
    paragraphs = re.split(r"\n[ \t]*\n\s*", text)
    return "\n\n".join(_LINE_BREAK.sub(" ", p) for p in paragraphs if p.strip())
