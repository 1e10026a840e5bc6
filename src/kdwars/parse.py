"""Parsers for figures and dates as the source articles write them.

Both parsers take a phrase (``"25,000 to 50,000"``, ``"late February 1741"``) and
return a small frozen dataclass, or raise :class:`ValueError` with a message that
names the phrase and what is wrong with it. They never raise anything else, for
any input string (this is checked with property-based tests).

Figures
-------
``parse_figure`` returns ``low``/``high`` integers plus a ``precision`` code:

============== ==========================================================
precision      meaning
============== ==========================================================
exact          a single figure: ``low == high`` ("600", "only 1,000")
approximate    a single figure hedged: "about 3,000", "roughly 140,000"
range          two figures: "25,000 to 50,000", "600–800", "2000-15.000"
lower-bound    "more than 30,000", "a thousand or more": ``high`` is empty
upper-bound    "up to 20,000": ``low`` is empty
vague          "several thousand" (2,000–9,000), "thousands" (≥ 2,000)
qualitative    a word, no number: "Heavy", "Catastrophic (civilian losses)"
unknown        "Unknown": kept apart from zero, both bounds empty
============== ==========================================================

Qualitative words map to an ordered scale, :data:`QUALITATIVE_LEVELS`.

Dates
-----
``parse_date`` returns ``year_start``/``year_end`` plus optional ``month``,
``day`` and ``season`` and a ``precision`` code, from finest to coarsest:
``day``, ``month``, ``season``, ``year``, ``years``, ``decade``, ``century``
(see :data:`DATE_PRECISIONS`). ``qualifier`` keeps hedges such as ``about``,
``late``, ``by`` or ``or`` (alternatives).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Figure",
    "DateValue",
    "parse_figure",
    "parse_date",
    "QUALITATIVE_LEVELS",
    "DATE_PRECISIONS",
    "FIGURE_PRECISIONS",
]

from .vocab import DATE_PRECISIONS, FIGURE_PRECISIONS, QUALITATIVE_LEVELS

MIN_YEAR, MAX_YEAR = 1000, 1899
MAX_FIGURE = 10_000_000


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """A parsed figure: bounds, an optional qualitative level and a precision code."""

    low: int | None
    high: int | None
    qualitative: str | None
    precision: str


_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_FRACTIONS = {
    "half": 50, "a half": 50, "one half": 50, "a third": 33, "one third": 33,
    "two thirds": 67, "two-thirds": 67, "a quarter": 25, "one quarter": 25,
    "three quarters": 75, "three-quarters": 75,
}
_QUAL_SYNONYMS = {
    "light": "light", "minor": "light", "few": "light", "moderate": "moderate",
    "many": "many", "numerous": "many", "considerable": "many", "significant": "many",
    "heavy": "heavy", "severe": "heavy", "great": "heavy", "large": "heavy",
    "heavier": "heavier", "very heavy": "very heavy", "massive": "very heavy",
    "catastrophic": "catastrophic", "devastating": "catastrophic",
}
_QUAL_NOUNS = {"casualties", "casualty", "losses", "loss", "civilian", "military", "damage", "devastation"}
_LOWER = ("more than", "over", "at least", "upwards of", "not less than", "no fewer than")
_UPPER = ("up to", "no more than", "less than", "fewer than", "under", "at most", "not more than")
_APPROX = ("about", "around", "approximately", "roughly", "some", "nearly", "almost", "circa", "c.", "~")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text


def _words_to_int(words: str) -> int | None:
    """English number words ("thirty thousand", "a hundred", "fifteen hundred") or None.

    Strict: "five five thousand", "twenty thirty" or "thousand thousand" are not numbers.
    """
    tokens = [t for t in re.split(r"[\s-]+", words) if t and t != "and"]
    if not tokens:
        return None
    total = current = 0
    last: str | None = None
    last_scale = None
    for tok in tokens:
        if tok in _UNITS:
            kind = "teen" if _UNITS[tok] >= 10 else "unit"
            if last in ("unit", "teen") or (kind == "teen" and last == "tens"):
                return None
            current += _UNITS[tok]
        elif tok in _TENS:
            if last in ("unit", "teen", "tens") or current % 100:
                return None
            current, kind = current + _TENS[tok], "tens"
        elif tok == "hundred":
            if last not in ("unit", "teen", None) or current >= 100:
                return None
            current, kind = max(current, 1) * 100, "hundred"
        elif tok in ("thousand", "million"):
            scale = _SCALES[tok]
            if last == "scale" or (last_scale is not None and scale >= last_scale):
                return None
            total += max(current, 1) * scale
            current, kind, last_scale = 0, "scale", scale
        else:
            return None
        last = kind
    return total + current


_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d{1,3}(?:\.\d{3})+$|^\d+$")
#: More digits than any figure can have: refused before any arithmetic.
_MAX_DIGITS = 12


def _number(tok: str) -> int | None:
    """One number written in digits ("25,000", "15.000", "600") or in words.

    Digits group with one separator throughout ("1,500,000" or "1.500.000",
    never "1.500,000").
    """
    tok = tok.strip()
    if not tok:
        return None
    if tok.endswith("%"):
        tok = tok[:-1].strip()
    if tok in ("half a million", "a half million"):
        return 500_000
    if sum(c.isdigit() for c in tok) > _MAX_DIGITS:
        raise ValueError(f"too many digits in {tok[:40]!r}")
    if _DIGITS.match(tok):
        return int(re.sub(r"[,.]", "", tok))
    m = re.match(r"^(\d+(?:[.,]\d+)?)\s+(thousand|million)$", tok)
    if m:
        return int(round(float(m.group(1).replace(",", ".")) * _SCALES[m.group(2)]))
    if tok in _FRACTIONS:
        return _FRACTIONS[tok]
    return _words_to_int(tok)


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    for p in prefixes:
        if text.startswith(p + " ") or (p == "~" and text.startswith("~")):
            return text[len(p):].strip(), True
    return text, False


def parse_figure(text: str) -> Figure:
    """Parse a figure phrase as written in a source.

    Strict: mixed digit separators ("1.500,000"), garbled number words ("five
    five thousand"), a percentage above 100 and figures above ten million are
    errors, as are negative figures and inverted ranges.

    Parameters
    ----------
    text : str
        The phrase, e.g. ``"25,000 to 50,000"``, ``"more than 30,000"``,
        ``"about 3,000"``, ``"2000-15.000"``, ``"thirty-thousand-strong"``,
        ``"Heavy"``, ``"Catastrophic (civilian losses)"`` or ``"Unknown"``.

    Returns
    -------
    Figure

    Raises
    ------
    ValueError
        If the phrase holds no recognisable figure, a negative number, or an
        inverted range (low above high); the message names the phrase. No other
        exception escapes, for any string.

    Examples
    --------
    >>> parse_figure("25,000 to 50,000")
    Figure(low=25000, high=50000, qualitative=None, precision='range')
    """
    return _strictly(_parse_figure, text, "figure")


def _strictly(parser, text, what: str):
    """Run ``parser``; any failure becomes a ValueError naming the phrase."""
    try:
        return parser(text)
    except (ValueError, OverflowError, RecursionError, IndexError, KeyError) as exc:
        msg = str(exc)
        if not isinstance(text, str) or repr(text) in msg:
            raise ValueError(msg) from None
        raise ValueError(f"cannot read {what} {text!r}: {msg}") from None


def _parse_figure(text: str) -> Figure:
    if not isinstance(text, str):
        raise ValueError(f"figure must be a string, got {type(text).__name__}")
    raw = text
    t = _norm(text)
    t = re.sub(r"\([^)]*\)", " ", t).strip()  # "(civilian losses)", "(2000-15.000)" handled below
    if not t:
        inner = re.search(r"\(([^)]*)\)", _norm(raw))
        if inner:
            t = inner.group(1).strip()
    t = re.sub(r"\s+", " ", t).strip(" .,;:")
    if not t:
        raise ValueError(f"empty figure {raw!r}")
    if t in ("unknown", "unknown.", "not known", "?"):
        return Figure(None, None, None, "unknown")
    if t in _QUAL_SYNONYMS:
        return Figure(None, None, _QUAL_SYNONYMS[t], "qualitative")
    # "heavy casualties", "catastrophic civilian casualty", "very heavy losses"
    words = t.split()
    for n in (2, 1):
        head, tail = " ".join(words[:n]), words[n:]
        if head in _QUAL_SYNONYMS and tail and all(w in _QUAL_NOUNS for w in tail):
            return Figure(None, None, _QUAL_SYNONYMS[head], "qualitative")
    if re.match(r"^-\s*\d", t):
        raise ValueError(f"negative figure {raw!r}")
    # drop trailing nouns/adjectives that are not part of the number
    t = re.sub(r"[- ]strong$", "", t).strip()
    t = re.sub(r"\s+(men|soldiers|troops|warriors|people|families|yurts|kibitkas|horses|camels|"
               r"head|cavalrymen|captives|prisoners|percent)$", "", t).strip()
    t = t.replace("per cent", "%").strip()
    if t in ("several thousand", "some thousands"):
        return Figure(2_000, 9_000, None, "vague")
    if t in ("thousands",):
        return Figure(2_000, None, None, "vague")
    if t in ("several hundred", "hundreds"):
        return Figure(200, 900 if t == "several hundred" else None, None, "vague")
    if t in ("tens of thousands",):
        return Figure(20_000, None, None, "vague")

    m = re.match(r"^(.*?)\s+or more$", t)
    if m:
        n = _number(m.group(1))
        if n is None:
            raise ValueError(f"cannot read a number in figure {raw!r}")
        return _check(Figure(n, None, None, "lower-bound"), raw)
    rest, lower = _strip_prefix(t, _LOWER)
    if lower:
        rest, _ = _strip_prefix(rest, _APPROX)
        n = _number(rest)
        if n is None:
            raise ValueError(f"cannot read a number in figure {raw!r}")
        return _check(Figure(n, None, None, "lower-bound"), raw)
    rest, upper = _strip_prefix(t, _UPPER)
    if upper:
        n = _number(rest)
        if n is None:
            raise ValueError(f"cannot read a number in figure {raw!r}")
        return _check(Figure(None, n, None, "upper-bound"), raw)
    rest, approx = _strip_prefix(t, _APPROX)
    rest, _ = _strip_prefix(rest, ("only", "just", "a total of", "total of", "around"))
    whole = _number(rest)
    if whole is not None:
        return _check(Figure(whole, whole, None, "approximate" if approx else "exact"), raw)
    m = re.match(r"^(?:between\s+|from\s+)?(.+?)\s*(?:-|\bto\b|\band\b)\s*(.+)$", rest)
    if m and _number(m.group(1).strip()) is not None and _number(m.group(2).strip()) is not None:
        lo, hi = _number(m.group(1).strip()), _number(m.group(2).strip())
        return _check(Figure(lo, hi, None, "range"), raw)
    n = _number(rest)
    if n is None:
        raise ValueError(f"cannot read a number in figure {raw!r}")
    return _check(Figure(n, n, None, "approximate" if approx else "exact"), raw)


def _check(fig: Figure, raw: str) -> Figure:
    norm = _norm(raw)
    if "%" in norm or "percent" in norm or "per cent" in norm:
        for v in (fig.low, fig.high):
            if v is not None and v > 100:
                raise ValueError(f"percentage above 100 in figure {raw!r}")
    for v in (fig.low, fig.high):
        if v is not None and v > MAX_FIGURE:
            raise ValueError(f"figure {raw!r} is implausibly large ({v:,})")
    if fig.low is not None and fig.high is not None and fig.low > fig.high:
        raise ValueError(f"inverted range in figure {raw!r}: low {fig.low:,} > high {fig.high:,}")
    return fig


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateValue:
    """A parsed date phrase: a span of years with optional month/day/season."""

    year_start: int
    year_end: int
    precision: str
    month: int | None = None
    day: int | None = None
    season: str | None = None
    qualifier: str | None = None


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"]
    )
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn", "winter": "winter"}
_PART = (r"(?P<part>early|late|mid|middle|the end|end|the beginning|beginning|the first half|first half"
         r"|the second half|second half)")
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
        "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
        "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
        "nineteenth": 19}
_CIRCA = ("about", "around", "approximately", "circa", "c.", "ca.", "roughly")


def _day(d: int, month: int, year: int, raw: str) -> int:
    """``d`` if it is a day of ``month`` in ``year`` (Julian or Gregorian calendar), else ValueError."""
    days = calendar.monthrange(year, month)[1]
    if month == 2 and year % 4 == 0:  # a Julian leap year (the sources' Russian dates are Julian)
        days = 29
    if not 1 <= d <= days:
        raise ValueError(f"day {d} in date {raw!r} is not a day of {calendar.month_name[month]} {year}")
    return d


def _year(s: str, raw: str) -> int:
    if len(s) > 4:
        raise ValueError(f"year {s[:12]!r} in date {raw!r} has too many digits")
    y = int(s)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} in date {raw!r} is outside {MIN_YEAR}–{MAX_YEAR}")
    return y


def _part_of_span(start: int, end: int, part: str | None) -> tuple[int, int]:
    """Narrow a span of years to its early / mid / late part or a half."""
    if not part:
        return start, end
    part = part.replace("the ", "")
    n = end - start + 1
    third = max(n // 3, 1)
    if part == "early" or part == "beginning":
        return start, start + third - 1 if n > 1 else start
    if part in ("mid", "middle"):
        return start + third, end - third if n > 2 else end
    if part in ("late", "end"):
        return end - third + 1 if n > 1 else end, end
    if part == "first half":
        return start, start + n // 2 - 1 if n > 1 else start
    if part == "second half":
        return start + n // 2 if n > 1 else start, end
    raise ValueError(f"unknown part {part!r}")


def _strip_articles(t: str) -> str:
    t = re.sub(r"^(?:in|during|from|since|on|at|between)\s+", "", t)
    t = re.sub(r"^the\s+", "", t)
    return t.strip(" ,.;:")


def _point(t: str, raw: str) -> DateValue | None:
    """Parse one simple date phrase (no 'or'/'to' between two dates), or None."""
    t = _strip_articles(t)
    qual = None
    for c in _CIRCA:
        if t.startswith(c + " "):
            t, qual = t[len(c):].strip(), "about"
            break
    if t.startswith("by "):
        t, qual = t[3:].strip(), "by"
    t = _strip_articles(t)

    # 6 November 1728 / December 15, 1731
    m = re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{3,4})", t) or None
    if m and m.group(2) in _MONTHS:
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2)], _year(m.group(3), raw)
        return DateValue(y, y, "day", mo, _day(d, mo, y, raw), None, qual)
    m = re.fullmatch(r"([a-z]+)\.? (\d{1,2}),? (\d{3,4})", t)
    if m and m.group(1) in _MONTHS:
        d, mo, y = int(m.group(2)), _MONTHS[m.group(1)], _year(m.group(3), raw)
        return DateValue(y, y, "day", mo, _day(d, mo, y, raw), None, qual)
    # late February 1741 / May 1646
    m = re.fullmatch(rf"(?:{_PART}[ -](?:of )?)?([a-z]+) (?:of )?(\d{{3,4}})", t)
    if m and m.group(2) in _MONTHS:
        y = _year(m.group(3), raw)
        return DateValue(y, y, "month", _MONTHS[m.group(2)], None, None, _join(qual, m.group("part")))
    # (early) spring (of) 1718 / winter of 1739-1740
    m = re.fullmatch(rf"(?:{_PART}[ -](?:of )?)?(spring|summer|autumn|fall|winter) (?:of )?(\d{{3,4}})"
                     rf"(?:-(\d{{2,4}}))?", t)
    if m:
        y0 = _year(m.group(3), raw)
        y1 = _expand_year(m.group(4), y0, raw) if m.group(4) else y0
        if y1 < y0:
            raise ValueError(f"inverted years in date {raw!r}")
        return DateValue(y0, y1, "season", None, None, _SEASONS[m.group(2)], _join(qual, m.group("part")))
    # the 1530s / 1590's / mid-1630s / second half of the 1730s
    m = re.fullmatch(rf"(?:{_PART}[ -](?:of )?(?:the )?)?(\d{{3}})0'?s", t)
    if m:
        start = _year(m.group(2) + "0", raw)
        s, e = _part_of_span(start, start + 9, m.group("part"))
        return DateValue(s, e, "decade", None, None, None, _join(qual, m.group("part")))
    # 15th century / early 16th century / mid-18th century / first half of the 18th century
    m = re.fullmatch(rf"(?:{_PART}[ -](?:of )?(?:the )?)?(\d{{1,2}})(?:st|nd|rd|th) century", t)
    if not m:
        m2 = re.fullmatch(rf"(?:{_PART}[ -](?:of )?(?:the )?)?([a-z]+) century", t)
        if m2 and m2.group(2) in _ORD:
            m = m2
    if m:
        c = int(m.group(2)) if m.group(2).isdigit() else _ORD[m.group(2)]
        start = (c - 1) * 100
        if not MIN_YEAR <= start <= MAX_YEAR:
            raise ValueError(f"century {c} in date {raw!r} is outside {MIN_YEAR}–{MAX_YEAR}")
        s, e = _part_of_span(start, start + 99, m.group("part"))
        return DateValue(s, e, "century", None, None, None, _join(qual, m.group("part")))
    # 1645-1646 / 1645-46
    m = re.fullmatch(r"(\d{3,4}) ?- ?(\d{2,4})", t)
    if m:
        y0 = _year(m.group(1), raw)
        y1 = _expand_year(m.group(2), y0, raw)
        if y1 < y0:
            raise ValueError(f"inverted years in date {raw!r}: {y0} > {y1}")
        return DateValue(y0, y1, "years" if y1 > y0 else "year", None, None, None, qual)
    # late 1739 / mid-1771 / end of 1739 / first half of 1740
    m = re.fullmatch(rf"(?:{_PART}[ -](?:of )?)?(\d{{3,4}})", t)
    if m:
        y = _year(m.group(2), raw)
        return DateValue(y, y, "year", None, None, None, _join(qual, m.group("part")))
    return None


def _expand_year(s: str, y0: int, raw: str) -> int:
    if len(s) == 2:  # 1645-46
        return _year(str(y0)[:2] + s, raw)
    return _year(s, raw)


def _join(*parts: str | None) -> str | None:
    vals = [p.replace("the ", "") for p in parts if p]
    return " ".join(vals) if vals else None


_COARSER = {p: i for i, p in enumerate(DATE_PRECISIONS)}


def _combine(a: DateValue, b: DateValue, how: str) -> DateValue:
    if b.year_end < a.year_start:
        raise ValueError(f"dates in the wrong order ({a.year_start} after {b.year_end})")
    if how == "to" and a.year_end == b.year_start and a.month and b.month:
        if (b.month, b.day or 31) < (a.month, a.day or 1):
            raise ValueError(f"range runs backwards within {a.year_end} "
                             f"(month {a.month}{f' day {a.day}' if a.day else ''} to "
                             f"month {b.month}{f' day {b.day}' if b.day else ''})")
    prec = max(a.precision, b.precision, key=_COARSER.__getitem__)
    if prec in DATE_PRECISIONS[:4] and (a.year_start != b.year_end) and how == "or":
        prec = "years"
    if prec == "year" and a.year_start != b.year_end:
        prec = "years"
    return DateValue(
        a.year_start,
        max(a.year_end, b.year_end),
        prec,
        a.month,
        a.day,
        a.season,
        _join(a.qualifier, "or" if how == "or" else None),
    )


def parse_date(text: str) -> DateValue:
    """Parse a date phrase as written in a source.

    Parameters
    ----------
    text : str
        E.g. ``"1643"``, ``"1645–1646"``, ``"late February 1741"``,
        ``"1729 or spring 1730"``, ``"December 1729 to January 1730"``,
        ``"6 November 1728"``, ``"the 1530s"``, ``"mid-1630s"``,
        ``"early 16th century"``, ``"around 1735"``, ``"by 1758"``.

    Returns
    -------
    DateValue

    Raises
    ------
    ValueError
        If no date can be read, a year lies outside 1000–1899, a day is not in
        its month ("31 February 1745"), or the phrase runs backwards in time
        (also within a year: "December 1745 to March 1745"); the message names
        the phrase. No other exception escapes, for any string.

    Examples
    --------
    >>> parse_date("late February 1741").month
    2
    """
    return _strictly(_parse_date, text, "date")


def _parse_date(text: str) -> DateValue:
    if not isinstance(text, str):
        raise ValueError(f"date must be a string, got {type(text).__name__}")
    t = _norm(text)
    t = re.sub(r"\([^)]*\)", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,.;:")
    if not t:
        raise ValueError(f"empty date {text!r}")
    p = _point(t, text)
    if p is not None:
        return p
    stripped = _strip_articles(t)
    for sep, how in ((" or ", "or"), (" to ", "to"), (" and ", "and"), (" until ", "to"), ("-", "to")):
        if sep in stripped:
            left, right = stripped.split(sep, 1)
            right = right.strip()
            # "late 16th and early 17th centuries": one plural noun for both ends
            if right.endswith("centuries"):
                right = right[: -len("centuries")] + "century"
            # "from the 17th to the mid-18th century": share the noun
            if right.endswith("century") and not left.strip().endswith("century"):
                left = left + " century"
            a = _point(left, text) if left.strip() else None
            b = _point(right, text) if right else None
            if a is not None and b is not None:
                try:
                    return _combine(a, b, how)
                except ValueError as exc:
                    raise ValueError(f"cannot read date {text!r}: {exc}") from None
    raise ValueError(f"cannot read a date in {text!r}")
