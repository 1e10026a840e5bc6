"""Switching a folder's contents as one set: a lock, a sibling folder and an atomic exchange."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the call is unavailable."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _locked(parent: Path, timeout: float) -> Iterator[None]:
    import fcntl

    fd = os.open(parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OSError(errno.EBUSY, f"another build has held the lock for {timeout:.0f} s",
                                  str(parent)) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clean_and_repair(out: Path) -> None:
    """Remove temporary folders of killed builds; restore ``out`` if a build died between two renames."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        os.rename(olds.pop(), out)
    for stale in [*out.parent.glob(f".{out.name}.new-*"), *olds]:
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def atomic_folder(out: Path, timeout: float = 120.0) -> Iterator[Path]:
    """Yield an empty sibling folder; on success its contents replace ``out`` as one set.

    Parameters
    ----------
    out : pathlib.Path
        The folder to replace (created if missing; must not be a file).
    timeout : float
        Seconds to wait for another build's lock.

    Yields
    ------
    pathlib.Path
        The folder to write into. If the block raises, it is removed and
        ``out`` is left as it was.

    Raises
    ------
    OSError
        With ``filename`` set, when ``out`` is a file, its parent cannot be
        written, or the lock is held too long.
    """
    out = Path(os.path.realpath(out)) if Path(out).is_symlink() else Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise OSError(errno.ENOTDIR, "is a file, not a folder", str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent, timeout):
        _clean_and_repair(out)
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        new = out.parent / f".{out.name}.new-{tag}"
        new.mkdir()
        try:
            yield new
            os.chmod(new, 0o755)
            _fsync_tree(new)
            _switch(new, out, out.parent / f".{out.name}.old-{tag}")
        finally:
            shutil.rmtree(new, ignore_errors=True)


def _switch(new: Path, out: Path, old: Path) -> None:
    if not out.exists():
        os.rename(new, out)
    elif _exchange(new, out):
        pass  # `new` now holds the previous set; removed by the caller
    else:
        os.rename(out, old)
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
        return
    _fsync_dir(out.parent)


def _fsync_tree(folder: Path) -> None:
    for f in folder.iterdir():
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
