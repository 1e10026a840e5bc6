"""Benchmark kdwars: build, loaders, import time and notebook execution.

Usage: python scripts/bench.py [--quick] [--no-notebooks] [--raw DIR] [--json PATH]

A benchmark, not a test: it prints medians (and minima) of repeated runs in small
tables, compares a few of them with their targets (PASS/FAIL) and writes every
figure to ``reports/bench.json``. It always exits 0 once it has run.

1. ``kdwars build`` end to end (the venv's CLI in a subprocess, into a temporary
   ``--out``), and in process ``run_pipeline`` / ``write_tables``.
2. Every ``kdwars.load_*`` loader cold (first call in a fresh interpreter that has
   already imported kdwars) and warm (repeated calls in this process; target
   < 50 ms per call).
3. ``import kdwars`` against ``import pandas`` in fresh interpreters (target: at
   most 0.1 s slower), with bytecode cached in a temporary PYTHONPYCACHEPREFIX,
   and whether ``import kdwars`` pulls in matplotlib.
4. Every ``notebooks/[0-9]*.ipynb`` executed in a fresh kernel (copied to a
   temporary directory), and the whole collection against its floor: as many fresh
   kernels each running one cell that imports pandas, matplotlib (inline),
   seaborn and kdwars (target ratio <= 1.5).

Cold figures are taken with the OS file cache already warm (CSV files are read
once before), so they measure Python work, not the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
REPORT = ROOT / "reports" / "bench.json"

WARM_TARGET_MS = 50.0
IMPORT_TARGET_S = 0.1
NOTEBOOK_RATIO_TARGET = 1.5

FULL = {"build": 5, "compile": 5, "cold": 5, "warm": 50, "import": 7, "notebooks": 2}
QUICK = {"build": 2, "compile": 3, "cold": 2, "warm": 20, "import": 5, "notebooks": 1}

FLOOR_CELL = "%matplotlib inline\nimport pandas\nimport matplotlib\nimport seaborn\nimport kdwars"
LOADERS_FALLBACK = [
    "load_events", "load_casualties", "load_commanders", "load_people", "load_places",
    "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
    "load_event_places", "load_person_claims", "load_coverage",
]


# --------------------------------------------------------------------------- helpers

def summary(samples: list[float]) -> dict:
    """Median, min and max of ``samples`` (seconds), with the samples themselves."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
        "samples": [round(s, 6) for s in samples],
    }


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain aligned table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join(["  " + fmt(cells[0]), "  " + rule] + ["  " + fmt(r) for r in cells[1:]])


def clean_error(exc: BaseException, limit: int = 600) -> str:
    """A one-paragraph error message: ANSI colours removed, traceback reduced to its last lines."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    tail = "\n".join(lines[-3:]) if type(exc).__name__ == "CellExecutionError" else text
    return f"{type(exc).__name__}: {tail[-limit:]}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def heading(text: str) -> None:
    print(f"\n== {text}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def sec(seconds: float) -> str:
    return f"{seconds:.3f}"


def run_python(code: str, env: dict | None = None) -> str:
    """Run ``code`` in a fresh interpreter of this venv; return its stdout (raise on failure)."""
    proc = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"subprocess failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return proc.stdout


def kdwars_cli() -> list[str]:
    exe = BIN / "kdwars"
    return [str(exe)] if exe.is_file() else [PYTHON, "-m", "kdwars"]


def machine_info(reps: dict, quick: bool) -> dict:
    def git(*args: str) -> str | None:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    versions = {}
    for mod in ("kdwars", "pandas", "numpy", "matplotlib", "seaborn", "nbclient", "ipykernel"):
        try:
            versions[mod] = version(mod)
        except PackageNotFoundError:
            versions[mod] = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = None
    status = git("status", "--porcelain")
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_usable": usable,
        "processor": platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_executable": PYTHON,
        "versions": versions,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "quick": quick,
        "repetitions": reps,
    }


# --------------------------------------------------------------------------- 1. build

def bench_build_cli(raw: Path, runs: int) -> dict:
    """``kdwars build --raw RAW --out TMP`` in a subprocess, ``runs`` times."""
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="kdwars-bench-build-") as out:
            t0 = time.perf_counter()
            proc = subprocess.run([*kdwars_cli(), "build", "--raw", str(raw), "--out", out],
                                  capture_output=True, text=True, cwd=ROOT)
            elapsed = time.perf_counter() - t0
            if proc.returncode != 0:
                output = (proc.stderr or proc.stdout).strip()[:1500]
                return {"error": f"kdwars build exited {proc.returncode}: {output}"}
            samples.append(elapsed)
    return summary(samples)


def bench_build_inprocess(raw: Path, runs: int) -> dict:
    """``run_pipeline(raw)`` and ``write_tables`` in this process (module imported beforehand)."""
    from kdwars import build

    compile_s, write_s = [], []
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            tables, _report = build.run_pipeline(raw)
            compile_s.append(time.perf_counter() - t0)
            with tempfile.TemporaryDirectory(prefix="kdwars-bench-write-") as out:
                t0 = time.perf_counter()
                build.write_tables(tables, Path(out))
                write_s.append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - RawDataError and friends: report, don't crash
        return {"error": clean_error(exc, 1500)}
    return {"run_pipeline": summary(compile_s), "write_tables": summary(write_s)}


def build_section(raw: Path, reps: dict) -> dict:
    heading(f"1. build (raw: {raw})")
    cli = bench_build_cli(raw, reps["build"])
    inproc = bench_build_inprocess(raw, reps["compile"])
    rows = []
    for name, res in (("kdwars build (CLI, subprocess)", cli),
                      ("run_pipeline (in process)", inproc.get("run_pipeline", inproc)),
                      ("write_tables (in process)", inproc.get("write_tables", inproc))):
        if "error" in res:
            rows.append([name, "ERROR", "", ""])
        else:
            rows.append([name, res["n"], sec(res["median"]), sec(res["min"])])
    print(table(["step", "runs", "median s", "min s"], rows))
    for res in (cli, inproc):
        if "error" in res:
            print("  ! " + res["error"].replace("\n", "\n    "))
    return {"cli": cli, **({"error": inproc["error"]} if "error" in inproc else inproc)}


# --------------------------------------------------------------------------- 2. loaders

def loader_names() -> list[str]:
    import kdwars

    names = [n for n in getattr(kdwars, "__all__", []) if n.startswith("load_")]
    return names or LOADERS_FALLBACK


def bench_loader_cold(name: str, runs: int, env: dict) -> dict:
    """First call of ``kdwars.<name>()`` in a fresh interpreter that has imported kdwars."""
    code = (
        "import time, kdwars\n"
        f"f = kdwars.{name}\n"
        "t = time.perf_counter(); f(); print(time.perf_counter() - t)\n"
    )
    samples = []
    for _ in range(runs):
        samples.append(float(run_python(code, env).split()[-1]))
    return summary(samples)


def bench_loader_warm(fn: Callable, calls: int) -> tuple[dict, int]:
    """Per-call time of ``fn()`` after a first (caching) call; also the number of rows."""
    rows = len(fn())
    samples = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return summary(samples), rows


def loaders_section(reps: dict, data_dir: Path) -> dict:
    heading(f"2. loaders (data: {data_dir}; target warm < {WARM_TARGET_MS:.0f} ms per call)")
    import kdwars

    env = {**os.environ, "KDWARS_DATA_DIR": str(data_dir)}
    os.environ["KDWARS_DATA_DIR"] = str(data_dir)
    results, rows = {}, []
    for name in loader_names():
        try:
            warm, nrows = bench_loader_warm(getattr(kdwars, name), reps["warm"])
            cold = bench_loader_cold(name, reps["cold"], env)
        except Exception as exc:  # noqa: BLE001
            results[name] = {"error": clean_error(exc, 800)}
            rows.append([name, "ERROR", "", "", "", "", ""])
            continue
        ok = warm["median"] * 1000 < WARM_TARGET_MS
        results[name] = {"rows": nrows, "cold": cold, "warm": warm, "warm_target_ms": WARM_TARGET_MS, "pass": ok}
        rows.append([name, nrows, ms(cold["median"]), ms(cold["min"]), ms(warm["median"]), ms(warm["min"]),
                     verdict(ok)])
    print(table(["loader", "rows", "cold med ms", "cold min ms", "warm med ms", "warm min ms", "warm<50ms"], rows))
    print(f"  cold: {reps['cold']} fresh interpreter(s) per loader; "
          f"warm: median of {reps['warm']} calls after the first")
    for name, res in results.items():
        if "error" in res:
            print(f"  ! {name}: {res['error']}")
    return results


# --------------------------------------------------------------------------- 3. import

IMPORT_CODE = "import time; t = time.perf_counter(); import {mod}; print(time.perf_counter() - t)"
OWN_CODE = "import pandas, time; t = time.perf_counter(); import kdwars; print(time.perf_counter() - t)"
MODULES_CODE = (
    "import sys, json; import pandas; mid = set(sys.modules); import kdwars\n"
    "top = lambda s: sorted({m.split('.')[0] for m in s if not m.startswith('_')})\n"
    "print(json.dumps({'matplotlib': 'matplotlib' in sys.modules, 'seaborn': 'seaborn' in sys.modules,"
    " 'cartopy': 'cartopy' in sys.modules, 'extra': top(set(sys.modules) - mid)}))"
)


def import_env(pycache: Path) -> dict:
    """This environment with bytecode caching on, into ``pycache`` (nothing written to the repository).

    PYTHONDONTWRITEBYTECODE would otherwise make an editable kdwars recompile its
    sources at every import, which no ordinary installation does.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def bench_imports(runs: int, env: dict) -> dict:
    """Interleaved fresh-interpreter timings of ``import pandas``, ``import kdwars`` and kdwars on top of pandas."""
    samples = {"pandas": [], "kdwars": [], "kdwars_after_pandas": []}
    for _ in range(2):  # warm-up: file cache and bytecode cache, discarded
        run_python(IMPORT_CODE.format(mod="kdwars"), env)
    for _ in range(runs):
        samples["pandas"].append(float(run_python(IMPORT_CODE.format(mod="pandas"), env).split()[-1]))
        samples["kdwars"].append(float(run_python(IMPORT_CODE.format(mod="kdwars"), env).split()[-1]))
        samples["kdwars_after_pandas"].append(float(run_python(OWN_CODE, env).split()[-1]))
    return {k: summary(v) for k, v in samples.items()}


def import_section(reps: dict) -> dict:
    heading(f"3. import (fresh interpreters, {reps['import']} each; target kdwars - pandas <= {IMPORT_TARGET_S} s)")
    with tempfile.TemporaryDirectory(prefix="kdwars-bench-pycache-") as pycache:
        env = import_env(Path(pycache))
        res = bench_imports(reps["import"], env)
        mods = json.loads(run_python(MODULES_CODE, env).strip().splitlines()[-1])
    diff = res["kdwars"]["median"] - res["pandas"]["median"]
    ok = diff <= IMPORT_TARGET_S
    print(table(["import", "median s", "min s"], [
        ["import pandas", sec(res["pandas"]["median"]), sec(res["pandas"]["min"])],
        ["import kdwars", sec(res["kdwars"]["median"]), sec(res["kdwars"]["min"])],
        ["import kdwars (pandas already imported)", sec(res["kdwars_after_pandas"]["median"]),
         sec(res["kdwars_after_pandas"]["min"])],
    ]))
    diff_min = res["kdwars"]["min"] - res["pandas"]["min"]
    own = res["kdwars_after_pandas"]["median"]
    print(f"  kdwars - pandas: {diff:+.3f} s (medians), {diff_min:+.3f} s (minima)  {verdict(ok)}")
    print(f"  kdwars's own cost measured directly (pandas already imported): {own:.3f} s  "
          f"{verdict(own <= IMPORT_TARGET_S)}")
    print("  (bytecode cached in a temporary PYTHONPYCACHEPREFIX, as in an ordinary installation)")
    print(f"  matplotlib imported by `import kdwars`: {'YES' if mods['matplotlib'] else 'no'}"
          f"  (seaborn: {'YES' if mods['seaborn'] else 'no'}, cartopy: {'YES' if mods['cartopy'] else 'no'})  "
          f"{verdict(not mods['matplotlib'])}")
    print(f"  top-level modules kdwars adds beyond pandas: {', '.join(mods['extra']) or '(none)'}")
    return {**res, "difference_s": diff, "difference_min_s": diff_min, "target_s": IMPORT_TARGET_S, "pass": ok,
            "own_pass": own <= IMPORT_TARGET_S, "imports_matplotlib": mods["matplotlib"],
            "imports_seaborn": mods["seaborn"], "imports_cartopy": mods["cartopy"],
            "modules_added_beyond_pandas": mods["extra"]}


# --------------------------------------------------------------------------- 4. notebooks

def load_runner():
    """``scripts/run_notebooks.py`` as a module (for its ``execute``)."""
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "scripts" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_notebook(path: Path, source: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)] if source else []
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)
    return path


def time_execute(execute: Callable, src: Path, workdir: Path) -> float:
    """Copy ``src`` into ``workdir`` and execute the copy there (output written to the copy)."""
    copy = workdir / src.name
    shutil.copy2(src, copy)
    t0 = time.perf_counter()
    execute(copy, copy)
    return time.perf_counter() - t0


def notebooks_section(reps: dict, data_dir: Path, nb_dir: Path) -> dict:
    notebooks = sorted(nb_dir.glob("[0-9]*.ipynb"))
    runs = reps["notebooks"]
    heading(f"4. notebooks ({len(notebooks)} found in {nb_dir}; {runs} run(s) each; "
            f"target total/floor <= {NOTEBOOK_RATIO_TARGET})")
    os.environ["KDWARS_DATA_DIR"] = str(data_dir)  # inherited by the kernels
    execute = load_runner().execute
    per_nb: dict[str, list[float]] = {nb.name: [] for nb in notebooks}
    errors: dict[str, str] = {}
    floor_samples: list[float] = []
    empty_samples: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kdwars-bench-nb-") as tmp:
        tmp = Path(tmp)
        floor = make_notebook(tmp / "floor.ipynb", FLOOR_CELL)
        empty = make_notebook(tmp / "empty.ipynb", "")
        work = tmp / "work"
        work.mkdir()
        time_execute(execute, empty, work)  # warm-up kernel (first start pays one-off costs), discarded
        for _ in range(runs):
            empty_samples.append(time_execute(execute, empty, work))
            for nb in notebooks:  # interleave each notebook with one floor kernel
                if nb.name in errors:
                    continue
                try:
                    per_nb[nb.name].append(time_execute(execute, nb, work))
                except Exception as exc:  # noqa: BLE001 - CellExecutionError, timeouts: report
                    errors[nb.name] = clean_error(exc)
                floor_samples.append(time_execute(execute, floor, work))
            if not notebooks:
                floor_samples.append(time_execute(execute, floor, work))
    result: dict = {"count": len(notebooks), "runs": runs, "notebooks": {}, "errors": errors,
                    "empty_kernel": summary(empty_samples), "floor_kernel": summary(floor_samples)}
    rows = []
    for name, samples in per_nb.items():
        if name in errors or not samples:
            rows.append([name, "ERROR", ""])
            continue
        result["notebooks"][name] = summary(samples)
        rows.append([name, sec(statistics.median(samples)), sec(min(samples))])
    floor_one = result["floor_kernel"]["median"]
    rows.append(["(floor: one kernel importing pandas, matplotlib, seaborn, kdwars)", sec(floor_one),
                 sec(result["floor_kernel"]["min"])])
    rows.append(["(empty kernel: start + shutdown only)", sec(result["empty_kernel"]["median"]),
                 sec(result["empty_kernel"]["min"])])
    print(table(["notebook", "median s", "min s"], rows))
    for name, err in errors.items():
        print(f"  ! {name}: " + err.replace("\n", "\n    "))
    timed = list(result["notebooks"])
    if not timed:
        print("  no notebook executed successfully: total/floor ratio not computed"
              if notebooks else f"  no {nb_dir}/[0-9]*.ipynb yet: total/floor ratio not computed")
        result.update({"total_s": None, "floor_s": None, "ratio": None, "pass": None})
        return result
    total = sum(result["notebooks"][n]["median"] for n in timed)
    floor_total = floor_one * len(timed)
    ratio = total / floor_total
    ok = ratio <= NOTEBOOK_RATIO_TARGET
    ratio_min = sum(result["notebooks"][n]["min"] for n in timed) / (result["floor_kernel"]["min"] * len(timed))
    print(f"  collection ({len(timed)} notebook(s)): total {total:.2f} s, floor {floor_total:.2f} s "
          f"({len(timed)} x {floor_one:.2f} s), ratio {ratio:.2f} (of minima: {ratio_min:.2f})  {verdict(ok)}")
    if errors:
        print(f"  (ratio over the {len(timed)} notebook(s) that executed; {len(errors)} failed)")
    result.update({"total_s": total, "floor_s": floor_total, "ratio": ratio, "ratio_of_minima": ratio_min,
                   "target_ratio": NOTEBOOK_RATIO_TARGET, "pass": ok})
    return result


# --------------------------------------------------------------------------- main

def resolve_data_dir(raw: Path, scratch: Path) -> tuple[Path | None, str]:
    """Tables for the loaders and notebooks: KDWARS_DATA_DIR, else data/processed, else a fresh build."""
    env = os.environ.get("KDWARS_DATA_DIR")
    if env:
        return Path(env), "KDWARS_DATA_DIR"
    processed = ROOT / "data" / "processed"
    if (processed / "events.csv").is_file():
        return processed, "data/processed"
    proc = subprocess.run([*kdwars_cli(), "build", "--raw", str(raw), "--out", str(scratch)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode == 0:
        return scratch, "built into a temporary directory (data/processed is empty)"
    return None, "data/processed is empty and the build failed"


def fmt_load(load: list[float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a quick check)")
    p.add_argument("--notebooks", action=argparse.BooleanOptionalAction, default=True,
                   help="execute the notebooks and their floor (default: yes)")
    p.add_argument("--raw", type=Path, default=ROOT / "data" / "raw", help="raw records (default: data/raw)")
    p.add_argument("--notebook-dir", type=Path, default=ROOT / "notebooks",
                   help="where the numbered notebooks are (default: notebooks/)")
    p.add_argument("--json", type=Path, default=REPORT,
                   help=f"where to write the results (default: {REPORT.relative_to(ROOT)})")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reps = QUICK if args.quick else FULL
    raw = args.raw.resolve()
    info = machine_info(reps, args.quick)
    print(f"kdwars bench — {info['date']}, python {info['python']}, {info['cpu_count']} CPU(s), "
          f"{'quick' if args.quick else 'full'} mode")
    results: dict = {"machine": info}

    results["build"] = build_section(raw, reps)
    with tempfile.TemporaryDirectory(prefix="kdwars-bench-data-") as scratch:
        data_dir, origin = resolve_data_dir(raw, Path(scratch))
        results["data_dir"] = {"path": str(data_dir) if data_dir else None, "origin": origin}
        if data_dir is None:
            heading(f"2. loaders: skipped ({origin})")
        else:
            results["loaders"] = loaders_section(reps, data_dir)
        results["import"] = import_section(reps)
        if not args.notebooks:
            heading("4. notebooks: skipped (--no-notebooks)")
        elif data_dir is None:
            heading(f"4. notebooks: skipped ({origin})")
        else:
            results["notebooks"] = notebooks_section(reps, data_dir, args.notebook_dir)

    if hasattr(os, "getloadavg"):
        info["load_average_end"] = list(os.getloadavg())
        print(f"\nload average (1, 5, 15 min): start {fmt_load(info['load_average_start'])}, "
              f"end {fmt_load(info['load_average_end'])} on {info['cpu_count']} CPU(s)")
        if max(info["load_average_start"][0], info["load_average_end"][0]) > (info["cpu_count"] or 1):
            print("  the machine was busy with other work: medians are noisy, minima are the better guide")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
