"""Read a source article's plain-text extract and cut it into the sections that claims cite.

The five articles are kept outside the project (``../shared/sources`` beside the
repository); ``data/raw/sources.yaml`` names each one's file and the sections a claim
may cite. This module reads an extract and splits it into those sections: infobox lines
(``- Field: value``) form the ``Infobox``, prose before the first heading is the
``Lead``, and a heading line opens the section it names — ``== Heading ==`` lines in
the current articles, bare heading lines in the older web-mirror copy.

End matter that no claim may cite (``See also``, ``References``, ``Bibliography``,
``External links``, ``Notes``) opens a section of its own, so that a reference list
is not counted as part of the narrative section above it. Any other unlisted
``== Heading ==`` line stays inside the section it follows, as before.

Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = ["END_MATTER", "fold", "norm", "read_sources", "section_heading", "split_sections"]

#: Headings of end matter: they open a section of their own (never cited by a claim).
END_MATTER = ("See also", "References", "Bibliography", "External links", "Notes", "Further reading")

_HEADING = re.compile(r"^=+\s*(.*?)\s*=+$")
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-"}
_QUOTES = {"\u02bb": "'", "\u2019": "'", "\u2018": "'", "\u02bc": "'"}


def norm(text: str) -> str:
    """Normalise text for phrase comparison.

    NFKC, en and em dashes to ``-``, typographic apostrophes to ``'``, runs of
    whitespace to one space, lower case.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> norm("Yalangto\u02bbsh  Bakhodir, 1645\u20131646")
    "yalangto'sh bakhodir, 1645-1646"
    """
    text = unicodedata.normalize("NFKC", text).replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u02bb", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).lower()


def fold(text: str) -> str:
    r"""Normalise text character by character, keeping its length (so offsets still hold).

    Dashes become ``-``, typographic apostrophes ``'``, every whitespace character a
    space, letters lower case. Characters whose lower case is longer than one
    character are left as they are.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Text of the same length as ``text``.

    Examples
    --------
    >>> fold("In\u00a01643\u2013Orbulaq")
    'in 1643-orbulaq'
    >>> len(fold("\u0130stanbul")) == len("\u0130stanbul")
    True
    """
    out = []
    for ch in text:
        if ch in _DASHES:
            out.append("-")
        elif ch in _QUOTES:
            out.append("'")
        elif ch.isspace():
            out.append(" ")
        else:
            low = ch.lower()
            out.append(low if len(low) == 1 else ch)
    return "".join(out)


def section_heading(line: str, names: list[str] | tuple[str, ...]) -> str | None:
    """The section a line opens, or ``None`` if it is not a heading line.

    A ``== Heading ==`` line (any number of ``=``, but not the ``= Title =`` line of
    the article) opens the section it names when that name is listed in ``names`` or
    is end matter (:data:`END_MATTER`); so does a bare line equal to such a name (the
    web-mirror copy has no ``=`` marks).

    Parameters
    ----------
    line : str
        One line of the extract.
    names : list of str
        Section names listed for the article in ``sources.yaml``.

    Returns
    -------
    str or None
        The section name, or ``None``.

    Examples
    --------
    >>> section_heading("== 1635–1658 ==", ["Lead", "1635–1658"])
    '1635–1658'
    >>> section_heading("Bibliography", ["Lead"])
    'Bibliography'
    >>> section_heading("= Kazakh–Dzungar Wars =", ["Lead"]) is None
    True
    """
    m = _HEADING.match(line)
    head = m.group(1) if m and not line.startswith("= ") else line.strip()
    if head in names or head in END_MATTER:
        return head
    return None


def split_sections(text: str, names: list[str] | tuple[str, ...], normalise: bool = True) -> dict[str, str]:
    r"""Cut an article extract into its sections.

    Lines before the first heading form the ``Lead``, except the infobox: the line
    ``Infobox`` (when ``Infobox`` is listed) and the ``- Field: value`` lines after it
    form the ``Infobox`` section, which ends at the first non-blank line that is not
    a field. A heading line (see :func:`section_heading`) opens a new section and is
    kept as its first line. An unlisted ``== Heading ==`` stays in the current section.

    Parameters
    ----------
    text : str
        The whole extract.
    names : list of str
        The article's section names, from ``sources.yaml``.
    normalise : bool, default True
        Apply :func:`norm` to each section's text (for phrase look-ups); with
        ``False`` the lines are joined with ``\n`` unchanged (for offsets).

    Returns
    -------
    dict of str to str
        Section name to section text, in the order met; always has ``Lead``.
        End matter (``Bibliography``, ``See also``...) appears under its own name.

    Examples
    --------
    >>> text = "Infobox\n- Date: 1643\nThe lead.\n== Aftermath ==\nLater.\n== Notes ==\n1. x"
    >>> split_sections(text, ["Infobox", "Lead", "Aftermath"])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'Lead': 'the lead.', 'Infobox': 'infobox - date: 1643', 'Aftermath': '== aftermath == later.',
     'Notes': '== notes == 1. x'}
    """
    out: dict[str, list[str]] = {"Lead": []}
    current = "Lead"
    for line in text.splitlines():
        head = section_heading(line, names)
        if head is not None:
            current = head
            out.setdefault(current, []).append(line)
            continue
        if current == "Infobox" and line.strip() and not line.startswith("- "):
            current = "Lead"
        out.setdefault(current, []).append(line)
    if normalise:
        return {k: norm("\n".join(v)).strip() for k, v in out.items()}
    return {k: "\n".join(v) for k, v in out.items()}


def read_sources(sources_dir: str | Path, raw_dir: str | Path | None = None,
                 normalise: bool = False) -> dict[str, dict[str, str]]:
    """Read every article named in ``sources.yaml`` and split it into sections.

    Parameters
    ----------
    sources_dir : str or Path
        Folder holding the extracts (``../shared/sources`` beside the repository).
    raw_dir : str or Path, optional
        Folder holding ``sources.yaml`` (default: the checkout's ``data/raw``).
    normalise : bool, default False
        Passed to :func:`split_sections`.

    Returns
    -------
    dict
        ``{source_id: {section: text}}``.

    Raises
    ------
    FileNotFoundError
        If ``sources.yaml`` or an article's file is missing (the message names it).
    ValueError
        If ``sources.yaml`` is not a list of records with ``source_id``, ``file`` and
        ``sections``.

    Examples
    --------
    >>> read_sources("/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    FileNotFoundError: ...
    """
    sources_dir = Path(sources_dir)
    if raw_dir is None:
        from . import _paths

        raw_dir = _paths.raw_dir()
    listing = Path(raw_dir) / "sources.yaml"
    if not sources_dir.is_dir():
        raise FileNotFoundError(f"source articles folder {sources_dir} does not exist")
    records = _read_sources_yaml(listing)
    out: dict[str, dict[str, str]] = {}
    for i, rec in enumerate(records):
        path = sources_dir / rec["file"]
        if not path.is_file():
            raise FileNotFoundError(f"{listing}, record {i} '{rec['source_id']}', field 'file', "
                                    f"value '{rec['file']}': no such file in {sources_dir}")
        out[rec["source_id"]] = split_sections(path.read_text(encoding="utf-8"), rec["sections"],
                                               normalise=normalise)
    return out


def _read_sources_yaml(listing: Path) -> list[dict]:
    import yaml  # a dependency of the package; kept local so the splitting itself is stdlib only

    if not listing.is_file():
        raise FileNotFoundError(f"{listing} does not exist")
    data = yaml.safe_load(listing.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{listing}: expected a list of source records")  # noqa: TRY004 (bad file content)
    for i, rec in enumerate(data):
        for field in ("source_id", "file", "sections"):
            if not isinstance(rec, dict) or field not in rec:
                raise ValueError(f"{listing}, record {i}, field '{field}': missing")
    return data
