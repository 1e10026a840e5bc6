"""Command line: ``kdwars build``, ``kdwars validate`` and ``kdwars codebook``."""

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
    args = parser.parse_args(argv)
    if args.command == "codebook":
        from .codebook import write_codebook

        root = _paths.repo_root()
        path = write_codebook(args.out or ((root or Path(".")) / "docs" / "codebook.md"))
        print(f"kdwars codebook: wrote {path}")
        return 0

    try:
        from .build import build, validate
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
        print(str(exc), file=sys.stderr)
        return 1
    print(f"kdwars {args.command}: OK")
    print(report.summary())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
