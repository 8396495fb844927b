"""The named fragments of the rule patterns: what each ``{PLACEHOLDER}`` stands for.

A pattern of a rule file is a regex in which placeholders stand for the pieces many
rules share: a number with its unit (``{VALUE}``), a name (``{NAME}``), a list of names
(``{LIST}``)... Each rule file has its own set, written here once; the engine that runs
the file writes them out when the pipeline loads (some from the pipeline's word lists:
``{HEDGE}``, ``{SET_NOUN}``), and the rule models (:mod:`.rule_models`) check every
pattern against them, so a pattern naming an unknown placeholder or that does not
compile stops the load with its ``file:line``.
"""

from __future__ import annotations

import re

from .text import NAME_TOKEN
from .values import NUMBER, SIGN, UNIT

# --- claims.jsonl ------------------------------------------------------------------------

CLAIM_PLACEHOLDERS = {
    # a number, possibly in LaTeX math ("$41.2\%$"), with its unit
    # (a unit of measure written after a space, "0.72 cm", from the pipeline's list: see
    # ClaimFinder.__post_init__)
    "{BASE}": r"\$?(?P<base>"
    + SIGN
    + r"?"
    + NUMBER
    + r"(?:"
    + UNIT
    + r"|[a-z]{1,3}s?\b|{MEASURE})?)\$?",
    "{VALUE}": r"\$?(?P<value>"
    + SIGN
    + r"?(?:"
    + NUMBER
    + r"[-–~](?=\d))?"
    + NUMBER
    + r"(?:"
    + UNIT
    + r"|[a-z]{1,3}s?\b|{MEASURE})?)\$?",
    "{QUAL}": r"(?:\$\\approx\$|\$\\sim\$|\\approx|≈|~|approx\.?|about|around|roughly|nearly)",
    # any hedge of the one list (gazetteers/hedges.tsv) and the space after it, or
    # nothing: "by {HEDGE}" reads "by 0.3", "by at most 0.3", "by only 0.3" (written out
    # from the list when the pipeline loads; this stand-in only checks the pattern)
    "{HEDGE}": r"(?:(?:about|over)\s*)?",
    # a statistic's symbol and the "=" or "\approx" that joins it to the number, ending
    # where the number starts: "(r = ", "Spearman $\rho=", "ICC(2,1) = " (written out from
    # gazetteers/statistic_symbols.txt when the pipeline loads: see statistic_pattern)
    "{STATISTIC}": r"(?:^|[\s($,;])r\s?=\s?",
}


# --- short_names.jsonl -------------------------------------------------------------------

#: an acronym a text defines in brackets: a capital, or a digit before a capital
#: ("3WT"), then letters, digits, "+", "-", or a "^" between them ("W^2")
ACRONYM = r"(?:[A-Z]|\d(?=[A-Z]))(?:[\w+\-]|\^(?=\w)){1,15}"
#: a name of up to four words, each capitalised, with a digit, camelCase, or opening
#: with a Greek letter
#: (a full stop stays inside a word only before more of it: "DR.Q", not "X. Results")
#: (a power stays inside a word: "W^2", "WRC^{2}")
_NAME_WORD = (
    r"(?:[A-Z0-9\u0370-\u03ff](?:[\w+\-'’&]|\.(?=\w)|\^(?:\w|\{\w+\}))*"
    r"|[a-z]+-?[A-Z](?:[\w+\-]|\.(?=\w))*)"
)
NAME_WORDS = _NAME_WORD + r"(?:\s" + _NAME_WORD + r"){0,3}"
#: "called X" after an auxiliary or an adverb describes a term, it does not coin one
NOT_AFTER_AUX = "".join(
    rf"(?<!{word})"
    for word in (r"been\s", r"is\s", r"are\s", r"was\s", r"were\s", r"often\s",
                 r"commonly\s", r"widely\s", "so-", r"also\s")
)  # fmt: skip
SHORT_NAME_FRAGMENTS = {
    "{NAME}": NAME_WORDS,
    "{NOT_AFTER_AUX}": NOT_AFTER_AUX,
    "{ACRONYM}": ACRONYM,
}
#: fragments built from a word list of the pipeline's ``gazetteers/`` folder
SHORT_NAME_WORD_LISTS = {
    "{OPENER}": "name_openers.txt",
    "{COINING_VERB}": "coining_verbs.txt",
    "{METHOD_NOUN}": "method_nouns.txt",
}


# --- benchmarks.jsonl --------------------------------------------------------------------

_VERSION = (
    # (a variant may follow the version: "RoboTwin 2.0-Plus")
    r"(?:\s(?:\d+\s?[x×]\s?\d+|[vV]\d+(?:\.\d+)*|\d+(?:\.\d+)+|\d{1,2}|(?:19|20)\d\d)\b"
    r"(?:-[A-Z][A-Za-z0-9]*)*"
    r"|~(?:[vV]\d+(?:\.\d+)*|\d+(?:\.\d+)+)\b)?"  # LaTeX's tie: "TB~2.0"
)
# (a version may stand inside a name, before the split it names: "Gizmo v4 Multi-Turn")
# (a page that highlights a name writes a space before its hyphenated suffix:
# "LiveCodeBench -v6", "DAPO -Math-17K")
_SPACED_SUFFIX = r"(?:\s-[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*(?![\w\-]))?"
# a word after a name's first that is a number and one capital: the "3D" of "Embody 3D"
# (never a name's first word: "3D data", "2D tasks")
_LATER_TOKEN = r"(?:" + NAME_TOKEN + r"|\d+[A-Z](?![\w+\-.]))"
_NAME_SIMPLE = (
    r"(?:"
    + NAME_TOKEN
    + r"(?:\s"
    + _LATER_TOKEN
    + r"){0,3}"
    + _SPACED_SUFFIX
    + r"(?:\s[vV]\d+(?:\.\d+)*(?=\s[A-Z])(?:\s"
    + NAME_TOKEN
    + r"){1,2}|"
    + _VERSION
    + r"))"
)
_ITEM = r"(?:the\s)?" + _NAME_SIMPLE
# Inside a list a name may start with a number ("A, B, 20 Forums and C").
_LATER_ITEM = r"(?:the\s)?(?:\d+\s(?=[A-Z][a-z]))?" + _NAME_SIMPLE
# A space may stand before a comma: pages that highlight a term write "A , B , and C".
# A name after "and" that a result verb's participle follows opens a clause of its own,
# as its subject ("74.2% on WidgetQA and GadgetNet achieving 82.2%"): the list ends
# before it. (A finite verb speaks for the whole list: "accuracy on A and B improves".)
_CLAUSE_VERB = (
    r"(?!\s(?:achiev|reach|attain|obtain|scor|outperform|surpass|exceed|improv|deliver|yield)"
    r"\w*ing\b)"
)
# Each item may carry its result in brackets: "A (48.6%), B (75.7%), and C (45.9%)" (a
# bracket with a comma in it is a list of its own: "A (2.8M flows, 7 classes)").
_SCORE_ASIDE = r"(?:\s?\((?=[^(),;]{0,30}\d)[^(),;]{1,30}\))?"
_LIST = (
    "{ITEM}" + _SCORE_ASIDE + "(?:(?:\\s?,|\\s/)\\s{LATER_ITEM}" + _SCORE_ASIDE + ")*"
    "(?:(?:\\s?,)?\\s(?:and|or|&)\\s{LATER_ITEM}" + _CLAUSE_VERB + _SCORE_ASIDE + ")?"
)
BENCHMARK_PLACEHOLDERS = {
    "{NAME}": _NAME_SIMPLE,
    "{LIST}": _LIST,
    "{ANY_LIST}": _LIST,
    "{NUM}": r"(?<![\w.])[+\-−]?" + NUMBER + r"(?:" + UNIT + r")?",
    # ", a (new, large-scale ...) benchmark": the apposition that says a name is a set
    "{IS_A_SET}": (
        r"\s?,\s(?:a|an|the)\s(?:(?!(?:that|which|to|for|of)\s)[\w\-]+,?\s(?:and\s)?){0,8}?"
        r"(?i:{SET_NOUN})\b"
        # (not a set noun that qualifies a method's: "a data collection pipeline")
        r"(?!\s{METHOD_NOUN}s?\b)"
    ),
    "{VERSION}": _VERSION,
    # LaTeX's emphasis around a name ("\\textbf{GizmoBench}, a benchmark"): the name
    # is what the braces hold
    "{EMPH}": r"(?:\\(?:textbf|textit|emph|texttt|textsc|mathbf)\{)?",
    "{END_EMPH}": r"\}?",
}
#: placeholders filled from the pipeline's word lists when the finder is built
BENCHMARK_FILE_PLACEHOLDERS = ("{VARIANT_WORD}", "{METHOD_NOUN}", "{SET_NOUN}", "{MAKING_VERB}")
#: ... of which these may stand among a rule's anchor words, for every word of their list
BENCHMARK_ANCHOR_LISTS = ("{MAKING_VERB}", "{SET_NOUN}")


def expand_benchmark_pattern(pattern: str, extra: dict[str, str] | None = None) -> str:
    """A rule pattern with its placeholders replaced by regexes.

    The items of a list are matched atomically (a lookahead captures the longest item
    and a back-reference consumes it), so a list that fails to match is not retried
    with every way of cutting its names into words: that retrying grows exponentially
    with the length of the list.
    """
    for name, regex in {**BENCHMARK_PLACEHOLDERS, **(extra or {})}.items():
        pattern = pattern.replace(name, regex)
    count = 0

    def atomic(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        item = _LATER_ITEM if match.group(1) else _ITEM
        return f"(?=(?P<_item{count}>{item}))(?P=_item{count})"

    return re.sub(r"\{(LATER_)?ITEM\}", atomic, pattern)
