"""Numbers as written in abstracts: scanning, units, ranges and before/after pairs.

:func:`scan` finds every number of the text with what belongs to it: a sign, a unit
("15.6%", "4.54\\%", "2.8x", "1.68times", "2.1\\times" (LaTeX), "25 times", "3-fold",
"5.4 points", "30 absolute points", "5.38% percentage points"), the "×3.23" written
"times3.23", a range ("1.3x-1.6x", "51-94%", "20--30%", "1.1\\sim4.7\\times", "2x to
4x", "+159% to +316%", whose value is the upper end), the items of a slash list of
results ("94.1/93.5%", each with the unit it is written with) and scientific notation
("2.1e-5"). Numbers inside words, versions, model names and formulas ("GPT-4", "v1.5",
"Qwen2.5", "8x7B", "10^{-3}", "pass@20") are not numbers here. Whether a number is a
*result* is decided by the claim rules, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .text import digit_runs

NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-−]?\d+)?)"
# A unit after a number. "points" is kept in the value text but has no unit of its own.
UNIT = (
    r"(?:\s?\\?%(?:p(?![\w.])|\s(?:percentage\s)?points?\b)?"  # ("+3.6%p": points)
    r"|\s?percent(?:age[\s-]+points?)?\b"
    # ("+3.9~pp": LaTeX's unbreakable space; "by 2.8pp." ends its sentence)
    r"|[\s~]?(?:pp|p\.p\.)(?!\w|\.\w)"
    r"|(?:\s?(?:[x×]|\\?times|\{\\times\})|X)(?![A-Za-z0-9])"
    r"|-?fold\b|\sfold\b"
    r"|[\s~](?:absolute\s|relative\s)?(?:points?|pts)\b"
    # ("a 9.21-point gain", "an 18-point success-rate gain": joined to the change it
    # measures, not "a 5-point scale")
    r"|-points?(?=\s(?:[\w-]+\s)?(?:gains?|improvements?|increases?|boosts?|jumps?|leads?"
    r"|margins?|advantages?|drops?|declines?|decreases?|reductions?|higher|lower|better|worse)\b))"
)
# (LaTeX may brace a sign: "$r{=}{-}0.13$")
SIGN = r"(?:[+\-−]|\{[+\-−]\})"
# A time unit written against a number ("6.7ms", "120us"); "s" only after a decimal
# ("0.47s", not the decade of "1990s").
GLUED_TIME = r"(?:ms|us|µs|μs|ns|(?<=\.\d)s|(?<=\.\d\d)s|(?<=\.\d\d\d)s)(?![\w])"
# A number that is not part of a word, a version, a formula or another number; LaTeX's
# bold ("$\\textbf{+22.6}$") is only emphasis, and "sim25" is "$\\sim$25" as a page
# renders it (a hedge, read by the qualifier rule).
_LEFT = r"(?:(?<=\\textbf\{)|(?<=\\mathbf\{)|(?<=(?<![\w\\])sim)|(?<![\w.\-−+/@^_\\{]))"

_BODY = (
    r"(?P<text>"
    r"(?:(?P<pre>times|×)\s?)?"
    r"(?:(?P<sign_low>" + SIGN + r")?(?P<low>" + NUMBER + r")(?P<low_unit>" + UNIT + r")?"
    r"\s?(?:--?|–|—|~|\\sim|\sto\s)\s?)?"
    r"(?P<sign>" + SIGN + r")?(?P<num>" + NUMBER + r")"
    # (a unit may follow the LaTeX math that holds the number: "$4.5$ points",
    # "\\(10.46\\) percentage points"; a time unit may be glued to it, "6.7ms", "0.47s",
    # kept in the text with no unit of its own)
    r"(?P<unit>(?:\$|\\\))?" + UNIT + r"|" + GLUED_TIME + r")?"
    # (nothing glued after it, even past a closing "$": "8$\times$A800" is no factor;
    # nor a decimal's fraction: "6" is not a number of "6.7ms")
    r")(?!\$?[\w^_]|\.\d)"
)
CANDIDATE = re.compile(_LEFT + _BODY)
# a number after a slash, read only as the next item of a list of results written with
# slashes ("94.1/93.5%", "0.900/0.710/0.533 AUPRC"), not as a fraction ("42/50")
_AFTER_SLASH = re.compile(_BODY)


def unit_of(unit_text: str) -> tuple[str | None, str]:
    """(unit column value, unit key) of a unit as written.

    The unit key is what rules filter on: ``%``, ``x``, ``pp``, ``points`` or ``none``.
    """
    unit_text = unit_text.removeprefix("\\)")  # (after LaTeX's inline math: "\\(3\\) points")
    u = " ".join(unit_text.lower().replace("-", " ").replace("~", " ").lstrip("$").split())
    u = u.lstrip("\\")
    u = u.removeprefix("absolute ").removeprefix("relative ")  # "30 absolute points"
    if not u:
        return None, "none"
    if "percentage point" in u or u in ("pp", "p.p.", "%p") or (u.endswith("points") and "%" in u):
        return "pp", "pp"
    if u.startswith("%") or u.startswith("percent"):
        return "%", "%"
    if u in ("x", "×", "times", "{\\times}") or u.endswith("fold"):
        return "x", "x"
    if u.startswith("point") or u == "pts":
        return None, "points"
    return None, "none"


@dataclass(frozen=True)
class Value:
    """A number as written: its text and offsets, value, unit and what kind of number."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None  #: '%', 'x', 'pp' or None
    unit_key: str  #: '%', 'x', 'pp', 'points' or 'none'
    signed: bool  #: written with an explicit '+' (a difference)
    decimals: bool  #: written with a fractional part or in scientific notation
    low: float | None = None  #: the lower end of a range
    baseline_value: float | None = None  #: the 'before' of a before/after pair
    baseline_text: str | None = None


def parse_number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


_DECIMALS = re.compile(r"[.eE]\d")
_PREFIX = re.compile(r"(?:(?:times|×)\s?)?(?:[+\-−]|\{[+\-−]\})?$")
#: the characters a prefix other than the empty one can end with (and a newline)
_PREFIX_ENDS = frozenset("+-−}s×\n")


def scan(text: str) -> list[Value]:
    """Every number of ``text`` with its sign, unit and range, in order."""
    found: list[Value] = []
    done = 0
    # Find digits first (a fast scan), then read the number around them.
    for first, _ in digit_runs(text):
        if first < done:
            continue
        start = first
        before = text[first - 1 : first]
        if before in _PREFIX_ENDS or (before.isspace() and text[first - 2 : first - 1] in "s×"):
            # (a prefix ends with a sign, "}", "times" or "×", or a space after these;
            # "$" also matches before a newline that ends the searched text)
            prefix = _PREFIX.search(text, max(done, first - 7), first)
            start = prefix.start() if prefix else first
        if text[start - 1 : start] == "/" and found and found[-1].end == start - 1:
            match = _AFTER_SLASH.match(text, start)  # (a sign may open it: "+1.8/+1.1")
            if match is None or not _result_shaped(found[-1]):
                continue
            value = _value(match)
            if not _result_shaped(value):
                continue
        else:
            match = CANDIDATE.match(text, start)
            if match is None and start != first:
                match = CANDIDATE.match(text, first)
            if match is None:
                continue
            value = _value(match)
        if value.unit_key == "none":
            # "+23.6 +/- 1.7 pp": the spread's unit is the number's; "$\\textbf{6.28}\\times$":
            # the unit after the bold's brace
            later = _SPREAD_UNIT.match(text, value.end) or _BOLD_UNIT.match(text, value.end)
            if later:
                unit, key = unit_of(later["unit"])
                value = replace(value, unit=unit, unit_key=key)
        found.append(value)
        done = match.end()
    return found


def _result_shaped(value: Value) -> bool:
    """Whether a number of a slash list is written as a result is, with decimals or a
    unit ("94.1", "93.5%"), rather than as a count of a fraction ("42/50")."""
    return value.decimals or value.unit is not None


# a spread after a number, written with the unit both share: "+23.6 +/- 1.7 pp"
# a unit after the brace that closes a bold number: "$\\textbf{6.28}\\times$"
_BOLD_UNIT = re.compile(r"\}\$?(?P<unit>" + UNIT + r")(?![A-Za-z])")
_SPREAD_UNIT = re.compile(r"\s?(?:\+/-|±|\$?\\pm\$?)\s?\$?\d[\d.,]*\$?(?P<unit>" + UNIT + r")")


def _value(match: re.Match[str]) -> Value:
    unit_text = match["unit"] or match["low_unit"] or ""
    if match["pre"]:
        unit_text = unit_text or "x"
    unit, key = unit_of(unit_text)
    number = parse_number(match["num"])
    sign, sign_low = (match["sign"] or "").strip("{}"), (match["sign_low"] or "").strip("{}")
    if sign in ("-", "−"):
        number = -number
    low = None
    if match["low"] is not None:
        low = parse_number(match["low"])
        if sign_low in ("-", "−"):
            low = -low
    start, end = match.span("text")
    return Value(
        start=start,
        end=end,
        text=match["text"],
        value=number,
        unit=unit,
        unit_key=key,
        signed=(sign or sign_low) == "+",
        decimals=bool(_DECIMALS.search(match["num"])),
        low=low,
    )


def looks_like_number(text: str) -> bool:
    """Whether a word is a number, possibly signed, with a unit and in LaTeX math
    ("+3.1", "25%", "$97.9\\%$")."""
    if text[:1] == "$":
        text = text[1:]
    if not text:
        return False
    first = text[0]
    if first.isdigit():
        return True
    return first in "+-−" and len(text) > 1 and text[1].isdigit()
