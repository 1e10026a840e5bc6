"""Atomic output: the tables switch as one set, under a lock; killed or concurrent builds never mix sets."""

from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kdwars
from kdwars import build as B
from kdwars.cli import main

from ._mini import EVENTS, make_raw
from .conftest import tree_digest

REPO = Path(__file__).resolve().parents[1]
EXTRA_EVENT = EVENTS.replace("- event_id: war-1640", """\
- event_id: raid-1650
  name: A raid
  type: raid
  place: Turkistan
  summary: Own words about a raid.
  dates:
    - {id: d0000009, as_written: "1650", source: overview, section: Lead}
  places:
    - {id: p0000009, place: Turkistan, role: site, source: overview, section: Lead}
- event_id: war-1640""", 1)

# A build in a subprocess, each table written slowly so that a kill lands inside the write stage.
SLOW_BUILD = """
import sys, time
from pathlib import Path
import pandas as pd
import kdwars.build as B
_to_csv = pd.DataFrame.to_csv
def slow(self, *a, **k):
    time.sleep(float(sys.argv[2]))
    return _to_csv(self, *a, **k)
pd.DataFrame.to_csv = slow
# argv: out, delay, n, raw... (the builds cycle through the raw folders)
out, delay, n, raws = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
for i in range(n):
    B.build(Path(raws[i % len(raws)]), out)
"""


@pytest.fixture
def variants(tmp_path):
    """Two raw folders: A with two events, B with three."""
    return make_raw(tmp_path / "a"), make_raw(tmp_path / "b", events_01=EXTRA_EVENT)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _snapshot(out: Path, check: bool = True) -> int:
    """Load every table from ``out`` (each verified against datapackage.json); the number of events.

    With ``check``, the tables must also agree with each other (no set switched during the pass).
    """
    os.environ["KDWARS_DATA_DIR"] = str(out)
    try:
        kdwars.data._CACHE.clear()
        ev = kdwars.load_events()
        tables = {name: kdwars.data._load(name) for name in B.TABLES}
        if check:
            ids = set(ev["event_id"])
            for name, df in tables.items():
                if "event_id" in df.columns:
                    assert set(df["event_id"].dropna()) <= ids, f"{name} refers to events of another set"
        return len(ev)
    finally:
        del os.environ["KDWARS_DATA_DIR"]


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_build_killed_at_random_points_leaves_one_complete_set(tmp_path, variants):
    a, b = variants
    out = tmp_path / "out"
    B.build(a, out)
    rng = random.Random(10)
    for i in range(8):
        raw = (a, b)[i % 2]
        proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(out), "0.03", "1", str(raw)], env=_env())
        time.sleep(rng.uniform(0.3, 2.0))
        proc.kill()
        proc.wait()
        assert _snapshot(out) in (2, 3)
    B.build(b, out)
    assert _snapshot(out) == 3
    assert _siblings(out) == [], "temporary folders of killed builds were not cleaned"


def test_concurrent_builds_and_readers_only_see_complete_sets(tmp_path, variants):
    a, b = variants
    out = tmp_path / "out"
    B.build(a, out)
    builders = [subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(out), "0.002", "4", str(x), str(y)],
                                 env=_env(), stderr=subprocess.PIPE, text=True)
                for x, y in ((a, b), (b, a))]
    def generation():
        st = (out / "datapackage.json").stat()
        return st.st_ino, st.st_mtime_ns, st.st_size

    seen, switched_mid_pass = set(), 0
    while any(p.poll() is None for p in builders):
        before = generation()
        try:
            n = _snapshot(out)  # every table is verified against the descriptor it was read with
        except AssertionError:
            # tables of two sets in one pass: only possible if a set switched during the pass
            assert generation() != before, "tables of two sets with no switch between them"
            switched_mid_pass += 1
            continue
        seen.add(n)
    for p in builders:
        assert p.wait() == 0, p.stderr.read()
    assert seen <= {2, 3} and seen
    assert _snapshot(out) in (2, 3) and _siblings(out) == []


def test_stale_temporary_folders_are_cleaned(tmp_path, variants):
    out = tmp_path / "out"
    B.build(variants[0], out)
    (tmp_path / ".out.new-1-dead").mkdir()
    (tmp_path / ".out.new-1-dead" / "events.csv").write_text("half")
    (tmp_path / ".out.old-2-dead").mkdir()
    B.build(variants[1], out)
    assert _siblings(out) == [] and _snapshot(out) == 3


def test_a_build_killed_between_two_renames_is_repaired(tmp_path, variants):
    out = tmp_path / "out"
    B.build(variants[0], out)
    os.rename(out, tmp_path / ".out.old-3-dead")  # the fallback path died here
    B.build(variants[1], out)
    assert _snapshot(out) == 3 and _siblings(out) == []


def _fails(argv, capsys, *expected):
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def test_out_folder_is_a_file(tmp_path, variants, capsys):
    out = tmp_path / "out"
    out.write_text("not a folder")
    _fails(["build", "--raw", str(variants[0]), "--out", str(out)], capsys, str(out), "is a file, not a folder")
    assert out.read_text() == "not a folder"


def test_out_folder_not_writable(tmp_path, variants, capsys, monkeypatch):
    out = tmp_path / "ro" / "out"
    B.build(variants[0], out)
    before = tree_digest(out)
    if os.geteuid() != 0:
        os.chmod(out.parent, 0o555)
    else:  # root writes anywhere: simulate the refusal
        real_mkdir = Path.mkdir

        def refuse(self, *a, **k):
            if self.name.startswith(".out.new-"):
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_mkdir(self, *a, **k)
        monkeypatch.setattr(Path, "mkdir", refuse)
    try:
        _fails(["build", "--raw", str(variants[1]), "--out", str(out)], capsys, "Permission denied",
               "previous tables are unchanged")
    finally:
        os.chmod(out.parent, 0o755)
    assert tree_digest(out) == before


def test_disk_full_leaves_the_previous_set(tmp_path, variants, capsys, monkeypatch):
    out = tmp_path / "out"
    B.build(variants[0], out)
    before = tree_digest(out)
    real = B.write_set

    def full(tables, directory):
        real(tables, directory)
        raise OSError(errno.ENOSPC, "No space left on device", str(directory / "datapackage.json"))
    monkeypatch.setattr(B, "write_set", full)
    _fails(["build", "--raw", str(variants[1]), "--out", str(out)], capsys, "No space left on device",
           "datapackage.json")
    assert tree_digest(out) == before and _siblings(out) == []


def test_the_descriptor_and_tables_of_a_set_agree(tmp_path, variants):
    out = tmp_path / "out"
    B.build(variants[1], out)
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in desc["resources"]} == {p.name for p in out.glob("*.csv")}
