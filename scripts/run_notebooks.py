"""Execute notebooks top to bottom in a fresh kernel and save them with outputs.

Usage: python scripts/run_notebooks.py [--stamps DIR] notebooks/01-*.ipynb ...

With ``--stamps DIR`` (what `make` passes) a notebook is executed only when it or
its inputs (data/processed, the map extract, src/kdwars, this script, pyproject.toml)
changed since its last execution: the stamp file holds a hash of all of them, taken
after execution, since the notebook is both input and output.

Each notebook runs with its own directory as working directory, in the kernel
``kdwars`` ("Python 3 (kdwars)") that ``make install`` registers in the virtual
environment, and with MPLBACKEND removed from the environment (with MPLBACKEND=Agg an
executed notebook silently loses its figures). The saved notebook names that same
kernelspec, so that opening it in ``make lab`` changes nothing. Volatile metadata
(per-cell execution timestamps, widget state, the Python version) is stripped so
that diffs stay reviewable and the file does not depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient

TIMEOUT = 600
#: The kernel every notebook is executed in and saved with; the Makefile installs it
#: (``ipykernel install --sys-prefix --name kdwars --display-name "Python 3 (kdwars)"``).
KERNEL_NAME = "kdwars"
KERNEL_DISPLAY_NAME = "Python 3 (kdwars)"
KERNELSPEC = {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}


#: The keys of ``language_info`` that do not depend on the machine. A kernel reports more
#: (the Python version, codemirror_mode, nbconvert_exporter); JupyterLab writes them on
#: save unless its pre-save hook (scripts/jupyter_lab_config.py, used by `make lab`)
#: removes them again with :func:`strip_volatile`.
LANGUAGE_INFO_KEYS = ("name", "pygments_lexer", "file_extension", "mimetype")


def strip_volatile(nb: dict) -> dict:
    """Drop what depends on the machine or the moment: widget state, per-cell timing,
    and every ``language_info`` key but :data:`LANGUAGE_INFO_KEYS` (in place; returned).

    Works on a notebook node or on the plain dict that Jupyter's contents API saves.
    """
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    li = meta.get("language_info") or {}
    meta["language_info"] = {k: li[k] for k in LANGUAGE_INFO_KEYS if k in li}
    for cell in nb.get("cells", []):
        cell_meta = cell.get("metadata", {})
        for key in ("execution", "ExecuteTime", "collapsed"):
            cell_meta.pop(key, None)
    return nb


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata from an executed notebook and name the kernel it ran in."""
    strip_volatile(nb)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def execute(path: Path, out: Path | None = None) -> nbformat.NotebookNode:
    """Execute ``path`` in a fresh ``kdwars`` kernel; write to ``out`` (default: in place)."""
    os.environ.pop("MPLBACKEND", None)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,
        # the kernel's own log (e.g. a notice about its local TCP transport) is noise here
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute()
    except NoSuchKernel:
        raise SystemExit(f"no Jupyter kernel {KERNEL_NAME!r}: run `make install` (it registers the "
                         f"kernel in .venv), or: python -m ipykernel install --sys-prefix "
                         f"--name {KERNEL_NAME} --display-name '{KERNEL_DISPLAY_NAME}'") from None
    nb = clean(nb)
    nbformat.validate(nb)
    target = out or path
    tmp = target.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, target)
    return nb


# ---------------------------------------------------------------- stamps: execute only what changed

REPO = Path(__file__).resolve().parents[1]
#: Besides the notebook itself, what its outputs depend on (relative to the repository).
INPUT_GLOBS = (
    "data/processed/*",
    "data/external/geo/*",
    "src/kdwars/*.py",
    "scripts/run_notebooks.py",
    "pyproject.toml",
)


def inputs_digest(repo: Path = REPO) -> str:
    """SHA-256 over the names and contents of every file in :data:`INPUT_GLOBS`."""
    h = hashlib.sha256()
    for pattern in INPUT_GLOBS:
        for f in sorted(repo.glob(pattern)):
            if f.is_file():
                h.update(f"{f.relative_to(repo).as_posix()}\0".encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(sys.version.encode())  # another interpreter: execute again
    return h.hexdigest()


def notebook_key(path: Path, inputs: str) -> str:
    """The notebook's own content (it is both input and output) combined with its inputs."""
    return hashlib.sha256(inputs.encode() + hashlib.sha256(path.read_bytes()).digest()).hexdigest()


def stamp_file(stamps: Path, path: Path) -> Path:
    """Where the key of ``path``'s last execution is kept."""
    return stamps / f"{path.name}.stamp"


def is_current(path: Path, stamps: Path, inputs: str | None = None) -> bool:
    """True when ``path`` is what executing it with the current inputs gave last time:
    its stamp holds the key of its present content and the present inputs."""
    stamp = stamp_file(stamps, path)
    if not stamp.is_file():
        return False
    key = notebook_key(path, inputs if inputs is not None else inputs_digest())
    return stamp.read_text().strip() == key


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks given; with ``--stamps DIR`` only those whose inputs changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--stamps", type=Path, default=None,
                        help="folder of stamp files: skip a notebook whose content and inputs are "
                             "those of its last execution (data/processed, src/kdwars, ...)")
    args = parser.parse_args(argv)
    if not args.notebooks:
        print("no notebooks given", file=sys.stderr)
        return 2
    inputs = inputs_digest() if args.stamps else None
    for p in args.notebooks:
        if args.stamps and is_current(p, args.stamps, inputs):
            print(f"up to date: {p}")
            continue
        t0 = time.perf_counter()
        execute(p)
        print(f"executed {p} in {time.perf_counter() - t0:.1f} s")
        if args.stamps:
            args.stamps.mkdir(parents=True, exist_ok=True)
            stamp_file(args.stamps, p).write_text(notebook_key(p, inputs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
