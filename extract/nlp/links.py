"""URLs in an abstract: find them, repair them, and say what they point at.

The algorithm is pure functions over the text; :class:`LinkFinder` is the thin spaCy
component around them. Kinds come from the rules file (``rules/links.jsonl``): the
first rule that matches a URL decides its kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..models import LinkKind
from ..records import FieldLink
from .rule_models import LinkRule
from .rules import load_rules
from .text import matches_at

# Scheme URLs, and the bare hosts people paste without one. Character classes only,
# so the scan is linear in the text.
#: what may follow a URL's host: anything but spaces, brackets and quotes
_URL_REST = r"[^\s<>\"'`{}|\\^\[\]]+"
URL = re.compile(
    r"(?:https?://|www\.|(?<![\w@./-])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/)"
    + _URL_REST,
    re.IGNORECASE,
)
# A project page pasted without a scheme: "Project page: x.github.io/Widget".
_BARE_PAGE = re.compile(r"(?<![\w@./-])[a-z0-9][\w-]*\.github\.io/" + _URL_REST, re.I)
_TRAILING = ".,;:!?'\"*_"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
# "github.com/org/ Repo ." : a page that highlighted the repository name split the URL.
_REPO_TAIL = re.compile(r" ([A-Za-z0-9][\w.-]*?)(?=\s*[.,;]?\s*$| [.,;)])")
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_PAGE_HOSTS = (".github.io", ".gitlab.io")
_PAGE_TAIL = re.compile(r" ([A-Za-z0-9][\w.-]*) /(?=[\s.,;)]|$)")
# "https://github. com /org/repo": a space before the top-level domain and after it
_TLD_TAIL = re.compile(r"\.? (com|org|io|net|ai|dev|co)\b ?(/[^\s<>\"'`{}|\\^\[\]]*)?")
# "org/Widget-Signatures-for- Self-Checking -and-Refinement": a name split at its hyphens
_HYPHEN_TAIL = re.compile(r" (-?[A-Za-z0-9][\w.-]*)")


@dataclass(frozen=True)
class FoundUrl:
    url: str  #: normalised: trailing sentence punctuation off, artefact spaces out
    start: int  #: offsets of the URL as written in the text
    end: int


#: Every URL the regex finds holds one of these (lower-cased); most abstracts hold
#: none, and looking for them is far cheaper than running the regex.
_URL_MARKS = ("http", "www.", "github.com/", "gitlab.com/", "bitbucket.org/", "huggingface.co/")


#: Letters that :data:`URL` (case-insensitive) matches to a letter of a mark while
#: ``str.lower`` does not give that letter ("ſ" for "s", dotless and dotted "i").
_UNLOWERED = re.compile("[\u0130\u0131\u017f]")


def _url_matches(text: str) -> list[re.Match[str]]:
    """The URLs of :data:`URL` and the bare project pages of :data:`_BARE_PAGE`, in
    text order."""
    found = _scheme_matches(text)
    if ".github.io/" in text or ".GitHub.io/" in text:  # (as people write it)
        taken = [(m.start(), m.end()) for m in found]
        found += [
            m
            for m in _BARE_PAGE.finditer(text)
            if not any(start <= m.start() < end for start, end in taken)
        ]
        found.sort(key=lambda m: m.start())
    return found


def _scheme_matches(text: str) -> list[re.Match[str]]:
    """What ``URL.finditer(text)`` gives, with the pattern tried only where a mark
    stands: every match starts at one, and scanning the whole text with the pattern
    costs far more than finding the marks."""
    lowered = text.lower()
    # (an ASCII text holds none of the letters: ``str.isascii`` costs nothing)
    if len(lowered) != len(text) or (not text.isascii() and _UNLOWERED.search(text)):
        # offsets of the lowered text would not be the text's, or a mark is spelled
        # with a letter that lowering does not fold: scan it all
        if not any(mark in lowered for mark in _URL_MARKS):
            return []
        return list(URL.finditer(text))
    return matches_at(URL, text, _URL_MARKS, haystack=lowered)


def find_urls(text: str) -> Iterator[FoundUrl]:
    """Every URL in ``text``, trimmed of the punctuation that ends its sentence."""
    for match in _url_matches(text):
        raw = _trim(match.group())
        if not raw or raw.lower() in ("www.", "http://", "https://"):
            continue
        start, end = match.start(), match.start() + len(raw)
        url = raw
        host, segments = _host_and_segments(url)
        if "." not in host and not segments:
            # "https://github. com /org/repo": the host was split before its domain
            split = _TLD_TAIL.match(text, end)
            if split:
                path = _trim(split.group(2) or "")
                url = url + "." + split.group(1) + path
                end = split.end() - len(split.group(2) or "") + len(path)
                host, segments = _host_and_segments(url)
        if host in _CODE_HOSTS and len(segments) == 2:
            # "org/Widget-for- Self-Checking -and-Refinement": rejoin a name split at its
            # hyphens
            while url.endswith("-") or text.startswith(" -", end):
                piece = _HYPHEN_TAIL.match(text, end)
                if piece is None:
                    break
                rest = _trim(piece.group(1))
                url, end = url + rest, end + 1 + len(rest)
        if host in _CODE_HOSTS and url.endswith("/") and len(segments) == 1:
            tail = _REPO_TAIL.match(text, end)
            if tail:
                url = url + tail.group(1)
                end = tail.end(1)
        elif host.endswith(_PAGE_HOSTS) and url.endswith("/") and not segments:
            # "https://team.github.io/ Widget /": the page's folder, split the same way
            page = _PAGE_TAIL.match(text, end)
            if page:
                url = url + page.group(1) + "/"
                end = page.end()
        yield FoundUrl(url=url, start=start, end=end)


def _trim(raw: str) -> str:
    while raw:
        last = raw[-1]
        if last in _TRAILING or (last in _CLOSERS and raw.count(_CLOSERS[last]) < raw.count(last)):
            raw = raw[:-1]
        else:
            break
    return raw


def _host_and_segments(url: str) -> tuple[str, list[str]]:
    with_scheme = url if "://" in url else "http://" + url
    try:
        parts = urlsplit(with_scheme)
    except ValueError:
        return "", []
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    return host, [s for s in parts.path.split("/") if s]


def host_of(url: str) -> str:
    host, _ = _host_and_segments(url)
    return host or url.split("/")[0].lower()


_CUE_WINDOW = 60


@dataclass
class LinkClassifier:
    rules: list[LinkRule]

    @classmethod
    def from_file(cls, path: Path) -> LinkClassifier:
        return cls(load_rules(path, LinkRule))

    def __post_init__(self) -> None:
        self._cue_patterns = {
            rule.id: re.compile(
                r"\b(?:" + "|".join(re.escape(c) for c in rule.cues) + r")\b", re.IGNORECASE
            )
            for rule in self.rules
            if rule.match == "cue" and rule.cues
        }

    def classify(self, url: str, before: str) -> tuple[LinkKind, str]:
        """(kind, rule id) for a URL; ``before`` is the text just before it."""
        host, segments = _host_and_segments(url)
        path = "/".join([host, *segments]).lower()
        for rule in self.rules:
            if rule.match == "host" and _host_matches(rule, host, path):
                return rule.kind, rule.id
        # The cue nearest to the URL, within its sentence, names what it points at.
        context = re.split(r"[.!?;]\s", before[-_CUE_WINDOW:])[-1]
        best: tuple[int, LinkRule] | None = None
        for rule in self.rules:
            pattern = self._cue_patterns.get(rule.id)
            if pattern is None:
                continue
            if (rule.hosts or rule.host_suffixes) and not _host_matches(rule, host, path):
                continue  # a cue rule that names hosts speaks only of them
            ends = [m.end() for m in pattern.finditer(context)]
            if ends and (best is None or ends[-1] > best[0]):
                best = (ends[-1], rule)
        if best is not None:
            return best[1].kind, best[1].id
        for rule in self.rules:
            if rule.match == "host_fallback" and _host_matches(rule, host, path):
                return rule.kind, rule.id
        return "other", "link.default"


def _host_matches(rule: LinkRule, host: str, path: str) -> bool:
    return any(path == h or path.startswith(h.rstrip("/") + "/") for h in rule.hosts) or any(
        host.endswith(s) for s in rule.host_suffixes
    )


def classify_field_links(links: list[FieldLink], classifier: LinkClassifier) -> list[FieldLink]:
    """Links given by fields of the input, each with its kind: a kind the field gave
    stays; otherwise the link rules decide from the URL and the words written before it
    (an arXiv comment: "Code: https://...")."""
    classified = []
    for link in links:
        if link.kind is None:
            kind, rule_id = classifier.classify(link.url, link.context)
            link = replace(link, kind=kind, rule_id=rule_id)
        classified.append(link)
    return classified


def link_rows(text: str, classifier: LinkClassifier) -> list[dict[str, object]]:
    """Plain rows (url, kind, host, start, end, rule_id) for the URLs in ``text``."""
    rows = []
    seen: set[str] = set()
    for found in find_urls(text):
        if found.url in seen:
            continue
        seen.add(found.url)
        kind, rule_id = classifier.classify(found.url, text[: found.start])
        rows.append(
            {
                "url": found.url,
                "kind": kind,
                "host": host_of(found.url),
                "start": found.start,
                "end": found.end,
                "field": "abstract",
                "rule_id": rule_id,
            }
        )
    return rows
