"""Command line: ``kdwars build``, ``kdwars validate``, ``kdwars codebook`` and ``kdwars mentions``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, _paths

#: Modules that only the raw-data build needs (the 'build' extra in pyproject.toml).
_BUILD_EXTRA = {"yaml", "pydantic", "pydantic_core"}


def _default_raw() -> Path:
    try:
        return _paths.raw_dir()
    except FileNotFoundError:
        return Path("data/raw")


def _default_out() -> Path:
    root = _paths.repo_root()
    return root / "data" / "processed" if root else Path("data/processed")


#: At most this many problems are printed; the rest are counted.
MAX_PRINTED = 25


def format_problems(problems: list, limit: int = MAX_PRINTED) -> str:
    """The problems as a list for the terminal, at most ``limit`` of them.

    Parameters
    ----------
    problems : list of kdwars.raw.Problem
        Every problem found.
    limit : int, default :data:`MAX_PRINTED`
        How many to print; the rest are counted ("… and N more").

    Returns
    -------
    str
        A header line and one line per problem printed.
    """
    lines = [f"{len(problems)} problem(s) in the raw data:"]
    lines += [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  … and {len(problems) - limit} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 invalid data, 2 usage)."""
    parser = argparse.ArgumentParser(
        prog="kdwars", description="Build and check the Kazakh–Dzungar Wars tables."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="validate data/raw and write data/processed")
    b.add_argument("--raw", type=Path, default=None, help="raw records directory (default: data/raw)")
    b.add_argument("--out", type=Path, default=None, help="output directory (default: data/processed)")
    v = sub.add_parser("validate", help="check data/raw without writing anything")
    v.add_argument("--raw", type=Path, default=None, help="raw records directory (default: data/raw)")
    c = sub.add_parser("codebook", help="write the codebook (docs/codebook.md) from the data dictionary")
    c.add_argument("--out", type=Path, default=None, help="output file (default: docs/codebook.md)")
    m = sub.add_parser("mentions", help="index every number in the source articles against the claims")
    m.add_argument("--sources", type=Path, default=None,
                   help="folder of the article extracts (default: ../shared/sources beside the repository)")
    m.add_argument("--out", type=Path, default=None, help="CSV to write (default: reports/mention-index.csv)")
    args = parser.parse_args(argv)
    if args.command == "codebook":
        from .codebook import write_codebook

        root = _paths.repo_root()
        path = write_codebook(args.out or ((root or Path(".")) / "docs" / "codebook.md"))
        print(f"kdwars codebook: wrote {path}")
        return 0
    if args.command == "mentions":
        return _mentions(args.sources, args.out)

    try:
        from .build import OutputError, build, validate
        from .raw import RawDataError
    except ModuleNotFoundError as exc:  # a core install (pandas only) lacks PyYAML and pydantic
        if (exc.name or "").split(".")[0] not in _BUILD_EXTRA:
            raise
        print(f"kdwars {args.command}: the raw-data build needs the 'build' extra "
              f"(module {exc.name!r} is not installed): pip install 'kdwars[build]'", file=sys.stderr)
        return 2

    raw = args.raw or _default_raw()
    if not raw.is_dir():
        print(f"kdwars: raw directory {raw} does not exist", file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            out = args.out or _default_out()
            report = build(raw, out)
        else:
            report = validate(raw)
    except RawDataError as exc:
        print(f"kdwars {args.command}: FAILED — nothing was written.", file=sys.stderr)
        print(format_problems(exc.problems), file=sys.stderr)
        return 1
    except OutputError as exc:
        print(f"kdwars {args.command}: FAILED — the previous tables are unchanged.", file=sys.stderr)
        print(f"  - {exc}", file=sys.stderr)
        return 1
    print(f"kdwars {args.command}: OK")
    print(report.summary())
    return 0


def _mentions(sources: Path | None, out: Path | None) -> int:
    """``kdwars mentions``: write the mention index and print a summary per source."""
    from .mentions import (
        ExclusionError,
        claim_tables,
        load_exclusions,
        mention_index,
        summarise,
    )
    from .sources_text import read_sources

    root = _paths.repo_root()
    sources = sources or ((root.parent if root else Path("..")) / "shared" / "sources")
    out = out or ((root if root else Path(".")) / "reports" / "mention-index.csv")
    raw = _default_raw()
    try:
        sections = read_sources(sources, raw)
        exclusions = load_exclusions(raw / "mentions.yaml", {s: list(v) for s, v in sections.items()})
    except (FileNotFoundError, ValueError) as exc:  # ExclusionError is a ValueError
        kind = "bad exclusion file" if isinstance(exc, ExclusionError) else "cannot read the sources"
        print(f"kdwars mentions: {kind}: {exc}", file=sys.stderr)
        return 1
    index = mention_index(sections, claim_tables(), exclusions)
    out.parent.mkdir(parents=True, exist_ok=True)
    # the context column quotes the articles: kept for the terminal, not written to the project
    index.drop(columns=["context"]).to_csv(out, index=False)
    print(f"kdwars mentions: {len(index)} mentions written to {out}")
    print(summarise(index).to_string())
    for r in index[index["covered_by"] == ""].itertuples():
        print(f"  uncovered: {r.source_id} | {r.section} | {r.mention} | …{r.context[:60]}…")
    for e in index.attrs["unused_exclusions"]:
        why = ("no such number there" if e["matches"] < e["count"] else "a claim covers it")
        print(f"  unused exclusion: {raw / 'mentions.yaml'}:{e['line']} {e['source']} / {e['section']} / "
              f"{e['mention']!r} ({e['unused']} of {e['count']} unused: {why})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
