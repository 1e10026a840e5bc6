"""Command line: ``kdwars build``, ``kdwars validate`` and ``kdwars codebook``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import _paths


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
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="validate data/raw and write data/processed")
    b.add_argument("--raw", type=Path, default=None, help="raw records directory (default: data/raw)")
    b.add_argument("--out", type=Path, default=None, help="output directory (default: data/processed)")
    v = sub.add_parser("validate", help="check data/raw without writing anything")
    v.add_argument("--raw", type=Path, default=None, help="raw records directory (default: data/raw)")
    c = sub.add_parser("codebook", help="write the codebook (docs/codebook.md) from the data dictionary")
    c.add_argument("--out", type=Path, default=None, help="output file (default: docs/codebook.md)")
    args = parser.parse_args(argv)
    if args.command == "codebook":
        from .codebook import write_codebook

        root = _paths.repo_root()
        path = write_codebook(args.out or ((root or Path(".")) / "docs" / "codebook.md"))
        print(f"kdwars codebook: wrote {path}")
        return 0

    from .build import OutputError, build, validate
    from .raw import RawDataError

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
