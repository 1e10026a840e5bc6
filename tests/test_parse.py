"""Figure and date parsers: every form found in the sources, plus property-based tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kdwars.parse import DATE_PRECISIONS, QUALITATIVE_LEVELS, parse_date, parse_figure

# (as written in a source, low, high, precision, qualitative)
FIGURES = [
    ("25,000 to 50,000", 25_000, 50_000, "range", None),
    ("more than 30,000", 30_000, None, "lower-bound", None),
    ("about 3,000", 3_000, 3_000, "approximate", None),
    ("2000-15.000", 2_000, 15_000, "range", None),
    ("(2000-15.000)", 2_000, 15_000, "range", None),
    ("600–800", 600, 800, "range", None),
    ("24,000–30,000", 24_000, 30_000, "range", None),
    ("15,000 to 20,000", 15_000, 20_000, "range", None),
    ("12,000 to 150,000", 12_000, 150_000, "range", None),
    ("roughly 140,000–170,000", 140_000, 170_000, "range", None),
    ("up to 20,000", None, 20_000, "upper-bound", None),
    ("thirty-thousand-strong", 30_000, 30_000, "exact", None),
    ("eight-thousand-strong", 8_000, 8_000, "exact", None),
    ("20,000-strong", 20_000, 20_000, "exact", None),
    ("three thousand", 3_000, 3_000, "exact", None),
    ("about three thousand", 3_000, 3_000, "approximate", None),
    ("a thousand or more", 1_000, None, "lower-bound", None),
    ("a hundred", 100, 100, "exact", None),
    ("ten thousand", 10_000, 10_000, "exact", None),
    ("two hundred", 200, 200, "exact", None),
    ("only 1,000", 1_000, 1_000, "exact", None),
    ("1,500", 1_500, 1_500, "exact", None),
    ("more than 100", 100, None, "lower-bound", None),
    ("more than half a million", 500_000, None, "lower-bound", None),
    ("More than 90%", 90, None, "lower-bound", None),
    ("about three-quarters", 75, 75, "approximate", None),
    ("several thousand", 2_000, 9_000, "vague", None),
    ("Heavy", None, None, "qualitative", "heavy"),
    ("Heavier (military losses)", None, None, "qualitative", "heavier"),
    ("Catastrophic (civilian losses)", None, None, "qualitative", "catastrophic"),
    ("Catastrophic", None, None, "qualitative", "catastrophic"),
    ("many", None, None, "qualitative", "many"),
    ("Unknown", None, None, "unknown", None),
]


@pytest.mark.parametrize("text,low,high,precision,qual", FIGURES)
def test_figure_forms_from_the_sources(text, low, high, precision, qual):
    fig = parse_figure(text)
    assert (fig.low, fig.high, fig.precision, fig.qualitative) == (low, high, precision, qual)


@pytest.mark.parametrize("text", ["", "   ", "lots of", "50,000 to 25,000", "-500", "twelve apples",
                                  "20.000.000.000", "()"])
def test_bad_figures_raise_value_error_naming_the_phrase(text):
    with pytest.raises(ValueError) as exc:
        parse_figure(text)
    assert repr(text) in str(exc.value) or "empty" in str(exc.value)


def test_inverted_range_is_named():
    with pytest.raises(ValueError, match="inverted range"):
        parse_figure("50,000 to 25,000")


@given(st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_any_string_gives_a_figure_or_a_value_error(text):
    try:
        fig = parse_figure(text)
    except ValueError:
        return
    assert fig.precision in {"exact", "approximate", "range", "lower-bound", "upper-bound", "vague",
                             "qualitative", "unknown"}
    if fig.low is not None and fig.high is not None:
        assert 0 <= fig.low <= fig.high
    if fig.qualitative is not None:
        assert fig.qualitative in QUALITATIVE_LEVELS


numbers = st.integers(min_value=1, max_value=999_999)


def fmt(n: int, style: str) -> str:
    if style == "comma":
        return f"{n:,}"
    if style == "dot":
        return f"{n:,}".replace(",", ".")
    return str(n)


@given(numbers, numbers, st.sampled_from(["comma", "dot", "plain"]), st.sampled_from([" to ", "–", "-", " - "]))
def test_ranges_round_trip(a, b, style, sep):
    lo, hi = sorted((a, b))
    fig = parse_figure(fmt(lo, style) + sep + fmt(hi, style))
    assert (fig.low, fig.high) == (lo, hi)


@given(numbers, st.sampled_from(["more than ", "over ", "at least "]))
def test_lower_bounds_have_no_high(n, prefix):
    fig = parse_figure(prefix + f"{n:,}")
    assert (fig.low, fig.high, fig.precision) == (n, None, "lower-bound")


@given(numbers, st.sampled_from(["about ", "around ", "roughly ", "approximately "]))
def test_hedged_single_figures(n, prefix):
    fig = parse_figure(prefix + f"{n:,}")
    assert (fig.low, fig.high, fig.precision) == (n, n, "approximate")


UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """English words for 1..999,999 (test oracle, independent of the parser)."""
    def below_1000(m: int) -> list[str]:
        out = []
        if m >= 100:
            out += [UNITS[m // 100], "hundred"]
            m %= 100
        if m >= 20:
            out.append(TENS[m // 10] + ("-" + UNITS[m % 10] if m % 10 else ""))
        elif m >= 10:
            out.append(["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                        "seventeen", "eighteen", "nineteen"][m - 10])
        elif m > 0:
            out.append(UNITS[m])
        return out
    parts = []
    if n >= 1000:
        parts += below_1000(n // 1000) + ["thousand"]
    parts += below_1000(n % 1000)
    return " ".join(parts)


@given(numbers)
def test_number_words(n):
    assert parse_figure(words(n)).low == n


# (as written, year_start, year_end, precision, month, day, season)
DATES = [
    ("1643", 1643, 1643, "year", None, None, None),
    ("1645–1646", 1645, 1646, "years", None, None, None),
    ("late February 1741", 1741, 1741, "month", 2, None, None),
    ("1729 or spring 1730", 1729, 1730, "years", None, None, None),
    ("December 1729 to January 1730", 1729, 1730, "month", 12, None, None),
    ("spring of 1718", 1718, 1718, "season", None, None, "spring"),
    ("the early spring of 1755", 1755, 1755, "season", None, None, "spring"),
    ("late winter 1724", 1724, 1724, "season", None, None, "winter"),
    ("the Fall of 1731", 1731, 1731, "season", None, None, "autumn"),
    ("winter of 1739–1740", 1739, 1740, "season", None, None, "winter"),
    ("6 November 1728", 1728, 1728, "day", 11, 6, None),
    ("December 15, 1731", 1731, 1731, "day", 12, 15, None),
    ("8 January 1741", 1741, 1741, "day", 1, 8, None),
    ("May 1646", 1646, 1646, "month", 5, None, None),
    ("the 1530s", 1530, 1539, "decade", None, None, None),
    ("mid-1630s", 1633, 1636, "decade", None, None, None),
    ("second half of the 1730s", 1735, 1739, "decade", None, None, None),
    ("late 1730s", 1737, 1739, "decade", None, None, None),
    ("1552 to 1590's", 1552, 1599, "decade", None, None, None),
    ("15th century", 1400, 1499, "century", None, None, None),
    ("early 16th century", 1500, 1532, "century", None, None, None),
    ("from the 17th to the mid-18th century", 1600, 1766, "century", None, None, None),
    ("from the 17th to the 18th centuries", 1600, 1799, "century", None, None, None),
    ("late 16th and early 17th centuries", 1567, 1632, "century", None, None, None),
    ("around 1735", 1735, 1735, "year", None, None, None),
    ("by 1758", 1758, 1758, "year", None, None, None),
    ("late 1739", 1739, 1739, "year", None, None, None),
    ("mid-1771", 1771, 1771, "year", None, None, None),
    ("the end of 1739 and the first half of 1740", 1739, 1740, "years", None, None, None),
    ("between 1643 and 1756", 1643, 1756, "years", None, None, None),
    ("1635–1741", 1635, 1741, "years", None, None, None),
]


@pytest.mark.parametrize("text,y0,y1,prec,month,day,season", DATES)
def test_date_forms_from_the_sources(text, y0, y1, prec, month, day, season):
    d = parse_date(text)
    assert (d.year_start, d.year_end, d.precision, d.month, d.day, d.season) == (y0, y1, prec, month, day, season)


def test_date_qualifiers_are_kept():
    assert parse_date("around 1735").qualifier == "about"
    assert parse_date("by 1758").qualifier == "by"
    assert parse_date("late February 1741").qualifier == "late"
    assert parse_date("1729 or spring 1730").qualifier == "or"


@pytest.mark.parametrize("text", ["", "soon after", "1730 to 1729", "2723", "32 May 1741", "spring",
                                  "1646–1645"])
def test_bad_dates_raise_value_error(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_any_string_gives_a_date_or_a_value_error(text):
    try:
        d = parse_date(text)
    except ValueError:
        return
    assert 1000 <= d.year_start <= d.year_end <= 1899
    assert d.precision in DATE_PRECISIONS


@given(st.integers(11, 18), st.integers(0, 7), st.sampled_from([" to the ", " and "]),
       st.sampled_from(["", "early ", "late "]))
def test_century_spans_with_a_plural_noun(first, extra, sep, part):
    """'from the 17th to the 18th centuries': the plural noun serves both ends."""
    last = min(first + extra, 18)
    d = parse_date(f"from the {first}th{sep}{part}{last}th centuries")
    assert d.precision == "century"
    assert d.year_start == (first - 1) * 100
    assert (last - 1) * 100 <= d.year_end <= (last - 1) * 100 + 99
    assert d.year_start <= d.year_end


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@given(st.integers(1000, 1899), st.integers(1, 12), st.integers(1, 28), st.booleans())
def test_day_dates_round_trip(year, month, day, us_style):
    text = f"{MONTHS[month - 1]} {day}, {year}" if us_style else f"{day} {MONTHS[month - 1]} {year}"
    d = parse_date(text)
    assert (d.year_start, d.month, d.day, d.precision) == (year, month, day, "day")


@given(st.integers(1000, 1899), st.integers(0, 40),
       st.sampled_from(["spring", "summer", "autumn", "winter", None]))
def test_year_spans_round_trip(year, span, season):
    end = min(year + span, 1899)
    text = f"{year}–{end}" if end != year else str(year)
    if season:
        text = f"{season} of {text}"
    d = parse_date(text)
    assert (d.year_start, d.year_end) == (year, end)
    assert d.season == season


# --------------------------------------------------------------------------- strictness (issue 10)


@pytest.mark.parametrize("text,reason", [
    ("1.500,000", "cannot read a number"),                   # mixed separators
    ("1,500.000", "cannot read a number"),
    ("five five thousand", "cannot read a number"),          # garbled words (was 10,000)
    ("twenty thirty", "cannot read a number"),
    ("thousand thousand", "cannot read a number"),
    ("150%", "percentage above 100"),
    ("120 percent", "percentage above 100"),
    ("1" * 300 + " thousand", "cannot read figure"),         # was OverflowError
    ("9" * 5000, "cannot read figure"),                      # was a ValueError without the phrase
])
def test_strict_figures(text, reason):
    with pytest.raises(ValueError, match=reason) as exc:
        parse_figure(text)
    assert repr(text)[:40].rstrip("'") in str(exc.value)


@pytest.mark.parametrize("text,value", [
    ("fifteen hundred", 1500), ("a thousand", 1000), ("twenty-five thousand", 25_000),
    ("two hundred and fifty", 250), ("one million", 1_000_000), ("1,500,000", 1_500_000), ("1.500.000", 1_500_000),
    ("100%", 100),
])
def test_strict_figures_still_read_good_numbers(text, value):
    assert parse_figure(text).low == value


@pytest.mark.parametrize("text,reason", [
    ("31 February 1745", "not a day of February 1745"),
    ("February 30, 1745", "not a day of February 1745"),
    ("31 April 1745", "not a day of April 1745"),
    ("29 February 1745", "not a day of February 1745"),
    ("December 1745 to March 1745", "range runs backwards within 1745"),
    ("20 March 1745 to 2 March 1745", "range runs backwards within 1745"),
    ("1" * 300, "cannot read"),
])
def test_strict_dates(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_julian_leap_days_are_kept():
    # 1700 is a leap year in the Julian calendar the Russian reports used
    assert parse_date("29 February 1700").day == 29
    assert parse_date("March 1745 to December 1745").month == 3


def _names_phrase(exc: ValueError, text: str) -> bool:
    msg = str(exc)
    return repr(text) in msg or (len(repr(text)) > 40 and repr(text)[:30] in msg) or "empty" in msg


@given(st.text(max_size=80))
@settings(max_examples=400, deadline=None)
def test_fuzz_figures_value_or_value_error_naming_the_phrase(text):
    try:
        parse_figure(text)
    except ValueError as exc:
        assert _names_phrase(exc, text), str(exc)


@given(st.text(max_size=80))
@settings(max_examples=400, deadline=None)
def test_fuzz_dates_value_or_value_error_naming_the_phrase(text):
    try:
        parse_date(text)
    except ValueError as exc:
        assert _names_phrase(exc, text), str(exc)


number_words = st.lists(st.sampled_from(["one", "five", "twenty", "hundred", "thousand", "million", "and",
                                         "fifteen", "a", "ninety"]), min_size=1, max_size=8)


@given(number_words, st.sampled_from(["", "about ", "more than ", "up to "]))
@settings(max_examples=400, deadline=None)
def test_fuzz_number_words_never_crash(words, prefix):
    text = prefix + " ".join(words)
    try:
        fig = parse_figure(text)
    except ValueError as exc:
        assert _names_phrase(exc, text)
        return
    assert all(v is None or 0 <= v <= 10_000_000 for v in (fig.low, fig.high))


@given(st.from_regex(r"\d{1,400}( thousand| million)?", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_fuzz_long_digit_strings(text):
    try:
        parse_figure(text)
    except ValueError as exc:
        assert _names_phrase(exc, text)
