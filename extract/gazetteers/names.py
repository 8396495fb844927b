"""Pure functions on benchmark and metric names: keys, cleaning, acronyms, spelling variants.

Every function here takes and returns plain strings, so each cleaning rule can be tested
on its own and the build stays a composition of small steps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from ..nlp.text import canonical_key

__all__ = [
    "canonical_key",
    "detokenize",
    "is_acronym_of",
    "letters_of",
    "repair_hyphenation",
    "restore_underscored",
    "split_parenthetical",
    "strip_generic",
    "strip_leading_article",
    "variants",
]

#: Words that say what kind of thing a name is, not which one: "the CIFAR-10 dataset",
#: "Europarl corpus". They are stripped when comparing a mention with a name.
GENERIC_BENCHMARK_WORDS = (
    "benchmark",
    "benchmarks",
    "corpora",
    "corpus",
    "data",
    "data set",
    "data sets",
    "data-set",
    "data-sets",
    "database",
    "dataset",
    "datasets",
    "test set",
    "test sets",
    "training set",
    "training data",
    "validation set",
    "development set",
    "dev set",
    "testset",
    "lexicon",
    "thesaurus",
    "ontology",
)
#: The same for metric mentions: "BLEU score", "FID scores", "mAP metric".
GENERIC_METRIC_WORDS = ("metric", "metrics", "value", "values", "points")
#: 'score' is a kind word after an abbreviation ('BLEU score', 'F1 scores') but part of
#: the name after a word ('Inception score', 'mean opinion score').
SCORE_WORDS = ("score", "scores")

_SPACE = re.compile(r"\s+")
# Tokenised corpora put spaces around every punctuation mark: "CIFAR - 10", "WMT ' 14",
# "Children ’s Book Test", "( SVHN )". These undo the spaces where a writer never puts one.
_DETOK = [
    (re.compile(r"(?<=[\w.])\s+([-–/])\s+(?=\w)"), r"\1"),
    (re.compile(r"\s+([.,;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{])\s+"), r"\1"),
    (re.compile(r"(\w)\s+([’']s)\b"), r"\1\2"),
    (re.compile(r"\b(WMT|IWSLT|CoNLL)\s*([’'])\s*(\d\d)\b"), r"\1\2\3"),
    (re.compile(r"(\d)\s+\.\s+(\d)"), r"\1.\2"),
    (re.compile(r"(\d)\s*\.\s*(\d)"), r"\1.\2"),
]
_LANGUAGE_SLASH = re.compile(r"(?<=\w)/(?=\w)")


def detokenize(text: str) -> str:
    """Text of a tokenised corpus mention as a writer would put it: 'CIFAR - 10' -> 'CIFAR-10'.

    Words a PDF split at a line end ('Chi-nese', 'Deriva- tion') are joined again.
    """
    text = _LINE_BREAK.sub(r"\1\2", _SPACE.sub(" ", text).strip())
    for pattern, replacement in _DETOK:
        text = pattern.sub(replacement, text)
    return text.strip()


# 'Deriva- tion', 'Cor- pus': a hyphen and a space inside a word.
_LINE_BREAK = re.compile(r"\b([A-Za-z]+)- ([a-z]+)\b")
# 'Chi-nese', 'En-glish': a hyphen inside a word whose halves are no words.
_HYPHEN_IN_WORD = re.compile(r"\b([A-Za-z]+)-([a-z]+)\b")


def repair_hyphenation(text: str, is_word: Callable[[str], bool]) -> str:
    """'Chi-nese Treebank' -> 'Chinese Treebank' when the joined word is a word and a
    half is not ('Fashion-MNIST' and 'real-valued' stay)."""

    def fix(match: re.Match[str]) -> str:
        joined = match.group(1) + match.group(2)
        if is_word(joined) and not (is_word(match.group(1)) and is_word(match.group(2))):
            return joined
        return match.group(0)

    return _HYPHEN_IN_WORD.sub(fix, text)


def restore_underscored(name: str, written: Iterable[str]) -> str:
    """A SciREX entity name ('SQuAD1_1', 'CNN___Daily_Mail') as it is written.

    SciREX names replace every character that is not a letter, digit or hyphen by '_'.
    The written form is a mention or a known name that maps back onto the same string;
    without one, underscores are read with the usual conventions.
    """
    for text in written:
        if re.sub(r"[^\w\-]", "_", text) == name:
            return text
    text = name.strip("_") if not re.search(r"__\w+_$", name) else name.lstrip("_")
    text = re.sub(r"(?<=\d)_(?=\d)", ".", text)
    text = re.sub(r"__(\w[\w\-]*?)_$", lambda m: f" ({m.group(1).replace('_', ' ')})", text)
    text = re.sub(r"(?<=\w)_s_", "'s ", text)
    text = text.replace("___", " / ")
    text = re.sub(r"_-_", " - ", text)
    return _SPACE.sub(" ", text.replace("_", " ")).strip()


def strip_leading_article(name: str) -> str:
    """'the Penn Treebank' -> 'Penn Treebank'."""
    return re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)


def strip_generic(name: str, words: Iterable[str] = GENERIC_BENCHMARK_WORDS) -> str:
    """Drop trailing kind words: 'Europarl corpus' -> 'Europarl', 'BLEU scores' -> 'BLEU'.

    Only a trailing kind word goes, once or twice ('X test data set'), and never the whole
    name.
    """
    pattern = _kind_words_pattern(tuple(words))
    for _ in range(2):
        stripped = pattern.sub("", name).strip()
        if not stripped or stripped == name:
            break
        name = stripped
    return name


@functools.cache
def _kind_words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"[\s\-]+(?:" + alternatives + r")$", re.I)


def split_parenthetical(name: str) -> tuple[str, str | None]:
    """'Street View House Numbers (SVHN)' -> ('Street View House Numbers', 'SVHN').

    Only a parenthesis at the end is split off; an unclosed one ('Stanford Sentiment
    Treebank ( SST - 5') is closed first.
    """
    if name.count("(") > name.count(")"):
        name = name + ")"
    match = re.match(r"^(.*?\S)\s*\(([^()]*)\)$", name)
    if not match:
        return name, None
    return match.group(1).strip(), match.group(2).strip() or None


_SMALL_WORDS = {"of", "the", "in", "on", "for", "and", "a", "an", "to", "at", "with"}


def letters_of(long_form: str) -> list[str]:
    """Initials a short form may take from each word: 'Annotated Faces in the Wild' ->
    ['A', 'F', 'W'], with small words optional (returned lower-cased)."""
    words = re.findall(r"[A-Za-z][A-Za-z']*|\d+", long_form)
    return [w[0].lower() if w.lower() in _SMALL_WORDS else w[0].upper() for w in words]


def is_acronym_of(short: str, long_form: str) -> bool:
    """Whether `short` ('SVHN', 'LFW', 'CBT') abbreviates `long_form` by its initials.

    Each letter of the short form is the initial of one word of the long form, in order,
    every content word is used, and small words ('of', 'the', 'in') may be skipped or
    used. The short form has at least 3 letters and the long form at least 2 words, so
    'CIFAR10' is never read as an acronym of 'CIFAR-100'.
    """
    letters = re.sub(r"[^A-Za-z0-9]", "", short)
    if len(letters) < 3 or not re.fullmatch(r"[A-Z][A-Za-z]*\d*", letters):
        return False
    digits = re.search(r"\d+$", letters)
    if digits and not re.search(rf"(?<!\d){digits.group()}$", long_form.strip()):
        return False
    initials = letters_of(long_form)
    if len(initials) < 2:
        return False
    target = letters[: digits.start()] if digits else letters
    if digits and initials and initials[-1].isdigit():
        initials = initials[:-1]

    def walk(i: int, j: int) -> bool:
        if j == len(target):
            return all(c.islower() for c in initials[i:])
        if i == len(initials):
            return False
        initial = initials[i]
        if initial.lower() == target[j].lower() and walk(i + 1, j + 1):
            return True
        return initial.islower() and walk(i + 1, j)

    return walk(0, 0)


_DIGIT_BOUNDARY = re.compile(
    r"(?:^|(?<=[\s\-]))[A-Za-z]{2,}(?P<sep>[\- ]?)(?=\d+(?:\.\d+)?[KkMB]?(?:$|\s))"
)
_ONE_SEPARATOR = re.compile(r"^([A-Z]{2,5})([\- ])([A-Z0-9][A-Za-z0-9.]*)$")


def variants(name: str) -> list[str]:
    """Spellings of `name` that differ only in a separator, for a token matcher.

    A phrase matcher compares tokens, so 'CIFAR-100', 'CIFAR100' and 'CIFAR 100' are three
    patterns although they share a key. Two places may change: the first boundary between
    letters and digits ('CIFAR-100', 'GSM8K', 'WMT14'), and the separator after a leading
    acronym in a name of two parts ('MT-Bench', 'MS MARCO'). Returns the variants other
    than `name` itself.
    """
    found: list[str] = []
    match = _DIGIT_BOUNDARY.search(name)
    if match:
        head, tail = name[: match.start("sep")], name[match.end("sep") :]
        found += [head + sep + tail for sep in ("", "-", " ")]
    two = _ONE_SEPARATOR.match(name)
    if two and not match:
        found += [two.group(1) + sep + two.group(3) for sep in ("", "-", " ")]
    out: list[str] = []
    for v in found:
        if re.search(r"(?:^|\s)[A-Za-z](?:\s|$)", v):
            continue  # 'TC T': a one-letter word is no spelling anyone uses
        if v != name and v not in out and canonical_key(v) == canonical_key(name):
            out.append(v)
    return out
