"""Every number in the source articles, and what in the dataset accounts for it.

:func:`extract_mentions` finds each number in a text — digits with or without
thousands separators (``1,000``, ``1.500``, ``30 000``), ranges (``600–800``,
``12,000 to 150,000``), years and full dates (``6 November 1728``), decades
(``1720s``, ``1590's``), centuries (``17th century``, ``twentieth century``),
percentages (``90%``), English number words (``three thousand``,
``thirty-thousand-strong``, ``a dozen``), fractions (``one third``, ``two thirds``,
``three-quarters``, ``half a million``) and vague quantities (``thousands``,
``several thousand``) — with its character offset and a normalised value.

:func:`mention_index` then says, for every mention in every section of every
article, which claim covers it (a date, figure, outcome or place claim citing that
same article and section) or which entry of the exclusion file (``data/raw/mentions.yaml``)
explains why it is not a claim. A mention covered by neither is *uncovered*: either a
missing claim or a missing reason.

What is not a mention: ordinal words other than centuries (``first``, ``second``,
``Third stage``), the word ``one`` on its own (a pronoun or article far more often than
a count: ``one of his sons``, ``one source``; ``one third``, ``one hundred`` are
mentions), and Roman numerals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .sources_text import fold, norm

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MENTION_COLUMNS",
    "ExclusionError",
    "Mention",
    "claim_tables",
    "extract_mentions",
    "load_exclusions",
    "mention_index",
    "summarise",
    "words_to_number",
]

#: Columns of :func:`mention_index`'s result, in order.
MENTION_COLUMNS = ["source_id", "section", "mention", "kind", "value", "low", "high", "offset",
                   "covered_by", "claims", "match", "reason", "context"]

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
             "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
             "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}

_MONTH_RE = "|".join(_MONTHS)
_NUMWORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
_ORDWORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
# a number written in digits: grouped thousands (1,000 / 1.500 / 30 000) or plain (1643, 2.5)
_NUM = r"(?<![\w.,])(?:\d{1,3}(?:[,. ]\d{3})+(?![\d])|\d+(?:\.\d+)?(?![\d]))(?!'?s(?![\w]))"
_NUM_RE = re.compile(_NUM)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(rf"(?<![\w])(?P<d>\d{{1,2}}) (?P<m>{_MONTH_RE}),? (?P<y>\d{{4}})(?![\d])")),
    ("date", re.compile(rf"(?<![\w])(?P<m>{_MONTH_RE}) (?P<d>\d{{1,2}}), (?P<y>\d{{4}})(?![\d])")),
    ("month", re.compile(rf"(?<![\w])(?P<m>{_MONTH_RE}),? (?:of )?(?P<y>\d{{4}})(?![\d])")),
    ("century", re.compile(r"(?<![\w])(?P<n>\d{1,2})(?:st|nd|rd|th)(?=[\w\s-]{0,30}?centur)")),
    ("century", re.compile(rf"(?<![\w])(?P<w>{_ORDWORD})(?=[\s-]+(?:and [\w-]+ )?centur)")),
    ("decade", re.compile(r"(?<![\w.,])(?P<n>\d{3}0)'?s(?![\w])")),
    ("percent", re.compile(rf"(?P<n>{_NUM}) ?(?:%|per ?cent\b)")),
    ("range", re.compile(rf"(?P<a>{_NUM}) ?- ?(?P<b>{_NUM})")),
    ("range", re.compile(rf"(?P<a>{_NUM}) to (?P<b>{_NUM})")),
    ("ordinal", re.compile(r"(?<![\w])(?P<n>\d+)(?:st|nd|rd|th)(?![\w])")),
    ("number", re.compile(rf"(?P<n>{_NUM}) (?P<s>million|thousand|hundred)(?![\w])")),
    ("number", re.compile(_NUM)),
    ("fraction", re.compile(r"(?<![\w])(?P<n>one|a|two|three|four)[ -](?P<f>halves|half|thirds|third|quarters|quarter)"
                            r"(?![\w])")),
    ("number", re.compile(r"(?<![\w])half an? (?P<s>million|thousand|hundred)(?![\w])")),
    ("vague", re.compile(r"(?<![\w])(?:(?:several|a few|some|many) (?:hundred|thousand)s?|tens of thousands|"
                         r"hundreds of thousands|thousands|hundreds|dozens)(?![\w])")),
    ("words", re.compile(rf"(?<![\w-])(?:an? (?=(?:hundred|thousand|million|dozen)(?![\w])))?"
                         rf"(?:{_NUMWORD})(?:(?:[ -]| and )(?:{_NUMWORD}))*(?![\w])")),
]
_PRIORITY = {kind: i for i, kind in enumerate(dict.fromkeys(k for k, _ in _PATTERNS))}


@dataclass(frozen=True)
class Mention:
    """One number found in a text.

    Attributes
    ----------
    text : str
        The mention as written (``"25,000 to 50,000"``, ``"three thousand"``).
    start, end : int
        Character offsets of the mention in the text it was found in.
    kind : str
        ``year``, ``number``, ``range``, ``year-range``, ``date`` (day or month with a
        year), ``decade``, ``century``, ``percent``, ``fraction``, ``ordinal``,
        ``words`` (a number in words) or ``vague`` (``thousands``).
    low, high : float or None
        The value (``low == high`` for a single number; the span for a range,
        decade or century; ``None`` for a vague quantity).
    value : str
        A normalised value: ``"25000"``, ``"1645-1646"``, ``"1728-11-06"``,
        ``"1720-1729"``, ``"1/3"``, ``"thousands"``.
    """

    text: str
    start: int
    end: int
    kind: str
    low: float | None
    high: float | None
    value: str

    @property
    def years(self) -> tuple[int, int] | None:
        """The span of years the mention names, if it is a year, date, decade or century."""
        if self.kind in ("year", "year-range", "date", "decade", "century") and self.low is not None:
            return int(self.low), int(self.high if self.high is not None else self.low)
        return None


def _digits(tok: str) -> float:
    """Value of a number written in digits; ``,``/``.``/space followed by 3 digits group thousands."""
    tok = tok.strip()
    if re.fullmatch(r"\d{1,3}(?:[,. ]\d{3})+", tok):
        return float(re.sub(r"[,. ]", "", tok))
    return float(tok)


def words_to_number(words: str) -> int | None:
    """Value of an English number written in words, or ``None`` if it is not one.

    Parameters
    ----------
    words : str
        Number words separated by spaces, hyphens or ``and``: ``"twenty-five
        thousand"``, ``"a hundred"``, ``"thirty-thousand"``, ``"a dozen"``.

    Returns
    -------
    int or None
        The value, or ``None`` if a word is not a number word or they do not form a
        number (``"hundred one two"``).

    Examples
    --------
    >>> words_to_number("twenty-five thousand")
    25000
    >>> words_to_number("a dozen")
    12
    >>> words_to_number("one hundred and fifty")
    150
    >>> words_to_number("several") is None
    True
    """
    toks = [t for t in re.split(r"[\s-]+", words.lower().strip()) if t and t != "and"]
    if not toks:
        return None
    if toks[0] in ("a", "an"):
        if len(toks) < 2 or toks[1] not in (*_SCALES, "dozen"):
            return None
        toks[0] = "one"
    total, current, last = 0, 0, None
    for tok in toks:
        if tok in _UNITS:
            if last in ("unit", "teen") or (last == "tens" and _UNITS[tok] >= 10):
                return None
            current += _UNITS[tok]
            last = "teen" if _UNITS[tok] >= 10 else "unit"
        elif tok in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += _TENS[tok]
            last = "tens"
        elif tok == "dozen":
            current = (current or 1) * 12
            last = "scale"
        elif tok == "hundred":
            if current % 100 == 0 and current >= 100:
                return None
            current = (current or 1) * 100
            last = "scale"
        elif tok in ("thousand", "million"):
            total += (current or 1) * _SCALES[tok]
            current = 0
            last = "scale"
        else:
            return None
    return total + current


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _is_year(x: float, grouped: bool) -> bool:
    return not grouped and float(x).is_integer() and 1000 <= x <= 2099


def _build(kind: str, m: re.Match[str], text: str) -> Mention | None:
    s, e = m.span()
    raw = text[s:e]
    g = m.groupdict()
    if kind == "date":
        y, mo = int(g["y"]), _MONTHS.index(g["m"]) + 1
        if "d" in g and g["d"] is not None:
            d = int(g["d"])
            if not 1 <= d <= 31:
                return None
            return Mention(raw, s, e, "date", y, y, f"{y:04d}-{mo:02d}-{d:02d}")
        return Mention(raw, s, e, "date", y, y, f"{y:04d}-{mo:02d}")
    if kind == "month":
        y, mo = int(g["y"]), _MONTHS.index(g["m"]) + 1
        return Mention(raw, s, e, "date", y, y, f"{y:04d}-{mo:02d}")
    if kind == "century":
        n = int(g["n"]) if g.get("n") else _ORDINALS[g["w"]]
        if n < 1:
            return None
        return Mention(raw, s, e, "century", (n - 1) * 100, (n - 1) * 100 + 99, f"{n}th century")
    if kind == "decade":
        d = int(g["n"])
        return Mention(raw, s, e, "decade", d, d + 9, f"{d}-{d + 9}")
    if kind == "percent":
        v = _digits(g["n"])
        return Mention(raw, s, e, "percent", v, v, f"{_fmt(v)}%")
    if kind == "range":
        a, b = _digits(g["a"]), _digits(g["b"])
        if a >= b:
            return None
        grouped = any(re.search(r"\d[,. ]\d", part) for part in (g["a"], g["b"]))
        k = "year-range" if _is_year(a, grouped) and _is_year(b, grouped) else "range"
        return Mention(raw, s, e, k, a, b, f"{_fmt(a)}-{_fmt(b)}")
    if kind == "ordinal":
        v = float(g["n"])
        return Mention(raw, s, e, "ordinal", v, v, _fmt(v))
    if kind == "number":
        if g.get("s") and g.get("n"):
            v = _digits(g["n"]) * _SCALES[g["s"]]
            return Mention(raw, s, e, "number", v, v, _fmt(v))
        if g.get("s"):
            v = _SCALES[g["s"]] / 2
            return Mention(raw, s, e, "number", v, v, _fmt(v))
        v = _digits(raw)
        grouped = bool(re.search(r"\d[,. ]\d{3}", raw))
        return Mention(raw, s, e, "year" if _is_year(v, grouped) else "number", v, v, _fmt(v))
    if kind == "fraction":
        n = 1 if g["n"] in ("a", "one") else _UNITS[g["n"]]
        den = _FRACTIONS[g["f"]]
        if n >= den:
            return None
        return Mention(raw, s, e, "fraction", n / den, n / den, f"{n}/{den}")
    if kind == "vague":
        return Mention(raw, s, e, "vague", None, None, " ".join(raw.split()))
    if kind == "words":
        if raw.strip() == "one":  # a pronoun or article far more often than a count
            return None
        v = words_to_number(raw)
        if v is None:
            return None
        return Mention(raw, s, e, "words", float(v), float(v), str(v))
    raise AssertionError(kind)  # pragma: no cover


def extract_mentions(text: str) -> list[Mention]:
    """Find every number in a text.

    Overlapping candidates are resolved leftmost-longest: ``6 November 1728`` is one
    date, not a day and a year; ``25,000 to 50,000`` one range.

    Parameters
    ----------
    text : str
        Any text (a section of an article).

    Returns
    -------
    list of Mention
        In order of position; offsets refer to ``text`` itself. Never raises for a
        string argument.

    Examples
    --------
    >>> [(m.text, m.kind, m.value) for m in extract_mentions("In 1643, 600 men held off 25,000 to 50,000.")]
    [('1643', 'year', '1643'), ('600', 'number', '600'), ('25,000 to 50,000', 'range', '25000-50000')]
    >>> [(m.text, m.value) for m in extract_mentions("a thirty-thousand-strong army; one third of the Horde")]
    [('thirty-thousand', '30000'), ('one third', '1/3')]
    >>> [(m.kind, m.value) for m in extract_mentions("the 1720s and the 17th century")]
    [('decade', '1720-1729'), ('century', '17th century')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_mentions expects a str, got {type(text).__name__}")
    folded = fold(text)
    cands: list[tuple[int, int, int, Mention]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(folded):
            if m.end() == m.start():
                continue
            try:
                men = _build(kind, m, folded)
            except (ValueError, KeyError, OverflowError):
                men = None
            if men is not None:
                men = Mention(text[men.start:men.end], men.start, men.end, men.kind, men.low, men.high, men.value)
                cands.append((men.start, -(men.end - men.start), _PRIORITY[kind], men))
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    out: list[Mention] = []
    taken_until = -1
    for start, _neg, _prio, men in cands:
        if start >= taken_until:
            out.append(men)
            taken_until = men.end
    return out


# --------------------------------------------------------------------------- exclusions


class ExclusionError(ValueError):
    """A problem in the exclusion file; the message names file, line, record, field and value."""


_EXCL_FIELDS = {"source", "section", "mention", "reason", "count", "near"}


def load_exclusions(path: str | Path, sources: Mapping[str, Iterable[str]] | None = None) -> list[dict]:
    """Read and check the exclusion file (``data/raw/mentions.yaml``).

    Parameters
    ----------
    path : str or Path
        The YAML file: a list of ``{source, section, mention, reason}`` records, with
        an optional integer ``count`` (default 1) and an optional ``near`` (a few
        words that must stand within 40 characters of the mention, to pick one of
        several equal numbers), ending with a ``...`` line.
    sources : mapping, optional
        ``{source_id: section names}``; when given, each record's source and section
        must be among them.

    Returns
    -------
    list of dict
        The records, each with ``count`` filled in and ``line`` (1-based) added.

    Raises
    ------
    ExclusionError
        For a file that is missing, not UTF-8, not valid YAML, lacks its end marker,
        is not a list, or has a record with a missing, unknown or ill-typed field, an
        unknown source or section, or a record repeating another's source, section,
        mention and reason. The same mention may have several records with different
        reasons (``three`` battles, ``three`` jüzes): they are used in file order.

    Examples
    --------
    >>> load_exclusions("/nonexistent.yaml")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ExclusionError: /nonexistent.yaml: file does not exist
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ExclusionError(f"{path}: file does not exist")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExclusionError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not re.search(r"(?m)^\.\.\.\s*\Z", text):
        raise ExclusionError(f"{path}: the file lacks its end marker (a last line '...'); truncated?")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ExclusionError(f"{path}{where}: YAML syntax error: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return []
    if not isinstance(data, list) or root is None:
        raise ExclusionError(f"{path}: expected a list of records, got {type(data).__name__}")
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    for i, (rec, node) in enumerate(zip(data, root.value)):
        line = node.start_mark.line + 1
        where = f"{path}:{line}, record {i}"
        if not isinstance(rec, dict):
            raise ExclusionError(f"{where}: expected a mapping, got {rec!r}")
        for field in rec:
            if field not in _EXCL_FIELDS:
                raise ExclusionError(f"{where}, field '{field}', value {rec[field]!r}: unknown field "
                                     f"(allowed: {', '.join(sorted(_EXCL_FIELDS))})")
        for field in ("source", "section", "mention", "reason"):
            value = rec.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ExclusionError(f"{where}, field '{field}': missing")
            if not isinstance(value, str):
                raise ExclusionError(f"{where}, field '{field}', value {value!r}: must be a string "
                                     f"(quote numbers: \"{value}\")")
        if "near" in rec and (not isinstance(rec["near"], str) or not rec["near"].strip()):
            raise ExclusionError(f"{where}, field 'near', value {rec['near']!r}: must be a non-empty string")
        count = rec.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ExclusionError(f"{where}, field 'count', value {count!r}: must be a positive integer")
        if sources is not None:
            if rec["source"] not in sources:
                raise ExclusionError(f"{where}, field 'source', value '{rec['source']}': unknown source "
                                     f"(known: {', '.join(sources)})")
            if rec["section"] not in set(sources[rec["source"]]):
                raise ExclusionError(f"{where}, field 'section', value '{rec['section']}': "
                                     f"no such section in '{rec['source']}'")
        key = (rec["source"], rec["section"], norm(rec["mention"]), norm(rec["reason"]))
        if key in seen:
            raise ExclusionError(f"{where}, field 'mention', value '{rec['mention']}': same mention and reason as "
                                 f"the record at line {seen[key]} (raise its count instead)")
        seen[key] = line
        out.append({**rec, "count": count, "line": line})
    return out


# --------------------------------------------------------------------------- index


def claim_tables() -> dict:
    """The claim tables the index matches against, from the processed data.

    Returns
    -------
    dict of str to DataFrame
        ``dates`` (event_dates), ``figures`` (casualties), ``outcomes``
        (event_outcomes), ``places`` (event_places with a source),
        ``participants`` (commanders) and ``people`` (person_claims).

    Examples
    --------
    >>> sorted(claim_tables())
    ['dates', 'figures', 'outcomes', 'participants', 'people', 'places']
    """
    from . import data

    return {
        "dates": data.load_event_dates(),
        "figures": data.load_casualties(),
        "outcomes": data.load_event_outcomes(),
        "places": data.load_event_places(),
        "participants": data.load_commanders(),
        "people": data.load_person_claims(),
    }


def _claims_of(tables: Mapping) -> list[dict]:
    """Flatten the claim tables to dicts with id, phrase, source, section, years, low, high."""
    import pandas as pd

    def present(v) -> bool:
        return v is not None and not bool(pd.isna(v))

    out = []
    for name, df in tables.items():
        if df is None or len(df) == 0:
            continue
        for col in ("as_written", "source_id", "section"):
            if col not in df.columns:
                raise ValueError(f"claim table {name!r} has no column {col!r}")
        for r in df.to_dict("records"):
            phrase, src, sec = r.get("as_written"), r.get("source_id"), r.get("section")
            if not isinstance(phrase, str) or not isinstance(src, str) or not isinstance(sec, str):
                continue
            cid = r.get("claim_id")
            if not isinstance(cid, str):
                parts = [r.get(k) for k in ("event_id", "person_id", "place_id", "role", "field")]
                cid = ":".join(str(p) for p in parts if isinstance(p, str) and p)
            years = None
            ys, ye = r.get("year_start"), r.get("year_end")
            if name == "dates" and present(ys):
                years = {int(ys), int(ye) if present(ye) else int(ys)}
            values = set()
            if name == "figures":
                for k in ("low", "high"):
                    v = r.get(k)
                    if present(v):
                        values.add(float(v))
            out.append({"id": cid, "phrase": norm(phrase).strip(), "source": src, "section": sec,
                        "years": years, "values": values, "table": name,
                        "event": r.get("event_id") if isinstance(r.get("event_id"), str) else None})
    return out


def _phrase_re(phrase: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(t) for t in phrase.split(" "))
    pre = r"(?<![\d])" if phrase[:1].isdigit() else (r"(?<![a-z])" if phrase[:1].isalpha() else "")
    post = r"(?![\d])" if phrase[-1:].isdigit() else (r"(?![a-z])" if phrase[-1:].isalpha() else "")
    return re.compile(pre + body + post)


def mention_index(sections: Mapping[str, Mapping[str, str]], tables: Mapping,
                  exclusions: Iterable[dict] = ()) -> pd.DataFrame:
    """Index every number in every section and say what accounts for it.

    Only claims citing the mention's own source and section can cover it, in two ways:

    * ``phrase``: the mention lies inside an occurrence of the claim's ``as_written``
      phrase in the section text. Each claim accounts for **one** occurrence of its
      phrase (with every number inside it): when ``1684`` appears twice in a section
      and one claim says ``1684``, one of the two is left for another claim or an
      exclusion. A claim is placed on the occurrence that covers the most mentions not
      yet covered, then nearest to the phrases of the same event's other claims in
      that section (a place, a commander; phrases found more than twice are ignored),
      then the earliest; claims with the fewest
      occurrences are placed first.
    * ``year`` / ``value``: for a claim whose phrase holds no number (``"March"`` with
      a year from its paragraph, ``"in the same year"``), a year mention equal to the
      claim's start or end year, or a number equal to a figure claim's low or high.

    A mention that no claim covers is matched against the exclusion entries of its
    source and section by its text (normalised) and, if the entry has ``near``, by
    those words standing within 40 characters; each entry accounts for ``count``
    occurrences, entries are used in order. Anything left is *uncovered*: a missing claim or a missing reason.

    Parameters
    ----------
    sections : mapping
        ``{source_id: {section: text}}`` as from
        :func:`kdwars.sources_text.read_sources` (text not normalised, so offsets
        refer to it).
    tables : mapping
        ``{name: DataFrame}`` of claim tables with ``as_written``, ``source_id`` and
        ``section`` (and ``claim_id``, ``year_start``/``year_end`` for dates,
        ``low``/``high`` for figures), as from :func:`claim_tables`.
    exclusions : iterable of dict
        Entries ``{source, section, mention, reason, count}``, as from
        :func:`load_exclusions`.

    Returns
    -------
    pandas.DataFrame
        One row per mention, columns :data:`MENTION_COLUMNS`: ``covered_by`` is a
        claim id (the first of several), ``'excluded'`` or empty (uncovered);
        ``claims`` lists every covering claim id, separated by ``;``;
        ``match`` says how (``phrase``, ``year``, ``value``, ``exclusion``);
        ``reason`` is the exclusion's reason or the claim table's name; ``context``
        is the mention with 30 characters either side.
        ``df.attrs['unused_exclusions']`` lists exclusion entries not (fully) used:
        ``unused`` says how many of their ``count`` matched no uncovered mention,
        ``matches`` how many mentions of that text (and ``near`` words) the section
        holds at all. ``matches < count`` means the entry is wrong (a typo, a wrong
        section, a count too high); otherwise claims now cover what it excused.

    Raises
    ------
    ValueError
        If a claim table lacks ``as_written``, ``source_id`` or ``section``.

    Examples
    --------
    >>> import pandas as pd
    >>> secs = {"a": {"Lead": "In 1643, 600 men fought; in 1643 again. See page 12."}}
    >>> dates = pd.DataFrame([{"claim_id": "e:d1", "as_written": "1643", "source_id": "a",
    ...                        "section": "Lead", "year_start": 1643, "year_end": 1643}])
    >>> figs = pd.DataFrame([{"claim_id": "e:f1", "as_written": "600", "source_id": "a",
    ...                       "section": "Lead", "low": 600, "high": 600}])
    >>> excl = [{"source": "a", "section": "Lead", "mention": "12", "reason": "page", "count": 1}]
    >>> mention_index(secs, {"dates": dates, "figures": figs}, excl)[["mention", "covered_by", "match"]]
      mention covered_by      match
    0    1643       e:d1     phrase
    1     600       e:f1     phrase
    2    1643
    3      12   excluded  exclusion
    """
    import pandas as pd

    claims = _claims_of(tables)
    by_sec: dict[tuple[str, str], list[dict]] = {}
    for c in claims:
        by_sec.setdefault((c["source"], c["section"]), []).append(c)
    excl_left: dict[tuple[str, str, str], list[list]] = {}
    slots: list[list] = []
    for e in exclusions:
        key = (e["source"], e["section"], norm(str(e["mention"])).strip())
        slot = [e, int(e.get("count", 1))]
        excl_left.setdefault(key, []).append(slot)
        slots.append(slot)

    rows = []
    for src, secs in sections.items():
        for sec, text in secs.items():
            folded = fold(text)
            mentions = extract_mentions(text)
            cover: list[list[dict]] = [[] for _ in mentions]
            how: list[str] = ["" for _ in mentions]
            numeric, plain = [], []
            # event -> (position, phrase) of its claims here; a phrase found more than twice
            # in the section ("Middle Juz") says nothing about where the event is told
            anchors: dict[str, list[tuple[int, str]]] = {}
            for c in by_sec.get((src, sec), []):
                if c["phrase"] and c["event"]:
                    found = [m.start() for m in _phrase_re(c["phrase"]).finditer(folded)]
                    if len(found) <= 2:
                        anchors.setdefault(c["event"], []).extend((pos, c["phrase"]) for pos in found)
            for c in by_sec.get((src, sec), []):
                if not c["phrase"]:
                    continue
                if extract_mentions(c["phrase"]):
                    occs = []
                    for m in _phrase_re(c["phrase"]).finditer(folded):
                        inside = [i for i, men in enumerate(mentions)
                                  if m.start() <= men.start and men.end <= m.end()]
                        if inside:
                            occs.append(inside)
                    numeric.append((c, occs))
                else:
                    plain.append(c)
            numeric.sort(key=lambda co: (len(co[1]) or 10**6, co[0]["id"]))
            for c, occs in numeric:
                if not occs:
                    continue  # its phrase is not in this section (tests/test_sources.py catches that)
                near = [pos for pos, ph in anchors.get(c["event"], []) if ph != c["phrase"]]

                def rank(ins, near=near, cover=cover, mentions=mentions):
                    fresh = sum(1 for i in ins if not cover[i])
                    gap = min((abs(mentions[ins[0]].start - pos) for pos in near), default=0)
                    return (fresh, -gap, -ins[0])

                best = max(occs, key=rank)
                for i in best:
                    cover[i].append(c)
                    how[i] = "phrase"
            for i, men in enumerate(mentions):
                if cover[i]:
                    continue
                if men.years is not None:
                    lo, hi = men.years
                    yc = [c for c in plain if c["years"] and lo in c["years"] and hi in c["years"]]
                    if yc:
                        cover[i], how[i] = yc, "year"
                        continue
                if men.low is not None and men.kind not in ("century", "decade", "date"):
                    vc = [c for c in plain if c["values"] and men.low in c["values"]
                          and (men.high == men.low or men.high in c["values"])]
                    if vc:
                        cover[i], how[i] = vc, "value"
            for i, men in enumerate(mentions):
                covered, reason = "", ""
                if cover[i]:
                    covered, reason = cover[i][0]["id"], cover[i][0]["table"]
                else:
                    window = norm(text[max(0, men.start - 40):men.end + 40])
                    slot = next((sl for sl in excl_left.get((src, sec, norm(men.text).strip()), [])
                                 if sl[1] > 0 and norm(sl[0].get("near") or "") in window), None)
                    if slot is not None:
                        slot[1] -= 1
                        covered, how[i], reason = "excluded", "exclusion", slot[0]["reason"]
                ctx = " ".join(text[max(0, men.start - 30):men.end + 30].split())
                rows.append({"source_id": src, "section": sec, "mention": men.text, "kind": men.kind,
                             "value": men.value, "low": men.low, "high": men.high, "offset": men.start,
                             "covered_by": covered, "claims": ";".join(c["id"] for c in cover[i]),
                             "match": how[i], "reason": reason, "context": ctx})
    df = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    unused = []
    for slot in slots:
        if slot[1] <= 0:
            continue
        e = slot[0]
        here = df[(df["source_id"] == e["source"]) & (df["section"] == e["section"])]
        near = norm(e.get("near") or "")
        matches = sum(
            1 for r in here.itertuples()
            if norm(r.mention).strip() == norm(str(e["mention"])).strip()
            and near in norm(sections[e["source"]][e["section"]][max(0, r.offset - 40):r.offset + len(r.mention) + 40])
        ) if e["source"] in sections and e["section"] in sections[e["source"]] else 0
        unused.append({**e, "unused": slot[1], "matches": matches})
    df.attrs["unused_exclusions"] = unused
    return df


def summarise(index: pd.DataFrame) -> pd.DataFrame:
    """Mentions per source: total, covered by claims, excluded, uncovered.

    Parameters
    ----------
    index : pandas.DataFrame
        The result of :func:`mention_index`.

    Returns
    -------
    pandas.DataFrame
        One row per ``source_id`` plus a ``total`` row, columns ``mentions``,
        ``claims``, ``excluded``, ``uncovered``.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.DataFrame({"source_id": ["a", "a", "b"], "covered_by": ["x:d1", "excluded", ""]})
    >>> summarise(idx).loc["total"].tolist()
    [3, 1, 1, 1]
    """
    import pandas as pd

    cov = index["covered_by"].fillna("")
    parts = pd.DataFrame({
        "source_id": index["source_id"],
        "mentions": 1,
        "claims": ((cov != "") & (cov != "excluded")).astype(int),
        "excluded": (cov == "excluded").astype(int),
        "uncovered": (cov == "").astype(int),
    })
    out = parts.groupby("source_id", sort=False).sum()
    out.loc["total"] = out.sum()
    return out
