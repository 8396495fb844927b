"""Listing formats: one module per format, each able to recognise and read its input.

A format is a :class:`Format`: a name, a one-line description, ``sniff`` (how sure it is,
from the first bytes and the file name, that an input is in this format) and ``read``
(the input's records, as :class:`~extract.records.RawRecord` or
:class:`~extract.records.RecordProblem`). Readers are plain generators over a
:class:`~extract.read.Source`, with no state between calls, so inputs can be read in
any process. Detection asks every format and takes the most confident; ``--format``
skips detection. A reader that cannot use an input at all raises
:class:`~extract.records.InputRejectedError`, which makes it a rejected file.

A reader only splits its input into records, which is cheap; the run cuts the records
of every input into shards for the workers whatever the format (see
:mod:`extract.plan`), so a reader never needs to know about workers.
"""

from __future__ import annotations

import re

from ..errors import ExtractError
from ..read import utf8_head
from .base import Format, ReadOptions


def _registry() -> dict[str, Format]:
    from . import (
        arxiv_abs,
        arxiv_atom,
        arxiv_daily_markdown,
        arxiv_mailing,
        arxiv_snapshot,
        awesome_list_markdown,
        csv_table,
        daily_papers_text,
        digest_markdown,
        hf_daily_json,
        hf_paper_page,
        json_lines,
        parquet_table,
    )

    formats = [
        daily_papers_text.FORMAT,
        hf_daily_json.FORMAT,
        json_lines.FORMAT,
        hf_paper_page.FORMAT,
        arxiv_atom.FORMAT,
        arxiv_mailing.FORMAT,
        arxiv_abs.FORMAT,
        arxiv_snapshot.FORMAT,
        arxiv_daily_markdown.FORMAT,
        awesome_list_markdown.FORMAT,
        digest_markdown.FORMAT,
        csv_table.FORMAT,
        parquet_table.FORMAT,
    ]
    return {f.name: f for f in formats}


FORMATS: dict[str, Format] = _registry()

#: Below this confidence an input is "not recognised" and rejected as a file.
MIN_CONFIDENCE = 0.3

_HTML = re.compile(rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ExtractError(
            f"unknown format '{name}'", hint="`extract formats` lists the formats"
        ) from None


#: Compressed and archive files by their first bytes: what they are, and how to unpack.
_COMPRESSED = (
    (re.compile(rb"\x1f\x8b"), "gzip", "gunzip"),
    (re.compile(rb"PK\x03\x04"), "zip", "unzip"),
    (re.compile(rb"BZh[1-9]1AY&SY"), "bzip2", "bunzip2"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz", "unxz"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd", "unzstd"),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "7-Zip", "7z x"),
)


def detect(head: bytes, file_name: str) -> tuple[Format | None, str]:
    """The format an input is in, or None with the reason none fits.

    ``head`` is the input's first bytes as stored; text in UTF-16 is looked at as
    UTF-8, like every reader sees it.
    """
    if not head:
        return None, "the file is empty"
    if head.startswith(b"PAR1"):
        return FORMATS["parquet_table"], ""
    for magic, kind, command in _COMPRESSED:
        if magic.match(head):
            return None, (
                f"a {kind} file, which extract does not read: decompress it first "
                f"({command} {file_name}) and give extract what comes out"
            )
    text = utf8_head(head)
    scored = sorted(((f.sniff(text, file_name), f.name) for f in FORMATS.values()), reverse=True)
    best_score, best_name = scored[0]
    if best_score >= MIN_CONFIDENCE:
        return FORMATS[best_name], ""
    return None, _why_unrecognised(text)


def _why_unrecognised(text: bytes) -> str:
    sample = text[:4096]
    if not sample.strip():
        return "only white space, no listing"
    if _CONTROL.search(sample) and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        return "binary data, not a listing"
    if _HTML.match(sample):
        return (
            "an HTML page that is not a saved Hugging Face paper or Daily Papers page; "
            "copy the page as text, or save it from huggingface.co/papers"
        )
    if sample.lstrip()[:1] in (b"{", b"["):
        return "JSON with no papers in a layout extract knows (see `extract formats`)"
    return "no reader recognises this content (see `extract formats`, or use --format)"


__all__ = ["FORMATS", "MIN_CONFIDENCE", "Format", "ReadOptions", "detect", "get"]
