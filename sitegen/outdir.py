"""Around the output folder: one writer at a time, and what killed builds left beside it.

A lock file beside the output (`.site.lock` for `site/`, removed after use)
lets one build or preview at a time write there; a second one waits for the
first. Holding it, a build removes the folders earlier builds were killed
with (`.site-new-*`, `.site-old-*`) and, if a crash left no `site/`, puts the
old site back. Removal copes with a read-only site, and the swap uses an
atomic exchange where the system has one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from .errors import SetupError
from .messages import msg

MARKER = ".rmc-site"  # written into every site built; only a folder holding it is ever replaced
LOCK_WAIT = 300.0  # seconds a build waits for another build or preview of the same output
_held: set[Path] = set()  # outputs this process holds (a preview's builds take them again)


def is_site(folder: Path) -> bool:
    try:
        return stat.S_ISREG((folder / MARKER).lstat().st_mode)
    except OSError:
        return False


@contextmanager
def claim(out: Path) -> Iterator[None]:
    """Hold the output folder `out` (resolved) for one build or preview, then let it go.

    Another process holding it is waited for, up to LOCK_WAIT seconds, then
    SetupError. Once held, what builds killed earlier left beside `out` is
    cleared away (see `_tidy`). Folders made above `out` go again if empty.
    """
    if out in _held:
        yield
        return
    made = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    fd = _lock(lock, out)
    _held.add(out)
    try:
        _tidy(out)
        yield
    finally:
        _held.discard(out)
        with suppress(OSError):  # unlinked while held, so a waiting build never locks a stale file
            if _same_file(lock, fd):
                lock.unlink()
        os.close(fd)
        for folder in made:
            with suppress(OSError):
                folder.rmdir()


def _lock(path: Path, out: Path) -> int:
    """An open descriptor of `path`, locked (flock) for this process; writes our pid into it."""
    start, told = time.monotonic(), False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    values = {"out": out, "pid": _holder(path), "seconds": round(LOCK_WAIT)}
                    if time.monotonic() - start >= LOCK_WAIT:
                        raise SetupError(*msg("out_busy", **values)) from None
                    if not told:
                        print("\n".join(msg("out_waiting", **values)), file=sys.stderr, flush=True)
                        told = True
                    time.sleep(0.1)
            if _same_file(path, fd):  # else the holder removed it as we opened it: lock the new one
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _same_file(path: Path, fd: int) -> bool:
    try:
        here, held = path.lstat(), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


def _holder(path: Path) -> str:
    try:
        return path.read_text("ascii").strip() or "?"
    except (OSError, ValueError):
        return "?"


def _tidy(out: Path) -> None:
    """Clear away what builds killed earlier left beside `out` (called holding its lock).

    Only folders of ours go: named `.site-new-*` or `.site-old-*` (for `site`),
    not links, and holding the marker or nothing. If `out` is missing, a
    `.site-old-*` is the whole old site moved aside by a swap without atomic
    exchange, killed before the new one was in place: it is put back.
    """
    ours = []
    for entry in os.scandir(out.parent):
        name = entry.name
        if name.startswith((f".{out.name}-new-", f".{out.name}-old-")):
            folder = Path(entry.path)
            if entry.is_dir(follow_symlinks=False) and (is_site(folder) or _empty(folder)):
                ours.append(folder)
    aside = [p for p in ours if p.name.startswith(f".{out.name}-old-") and is_site(p)]
    if aside and not os.path.lexists(out):
        newest = max(aside, key=lambda p: (p / MARKER).lstat().st_mtime_ns)
        newest.rename(out)
        ours.remove(newest)
    for folder in ours:
        discard(folder)


def _empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return False


def discard(folder: Path) -> None:
    """Remove a folder of ours; if it cannot be, say so and go on (the next build tries again)."""
    try:
        remove(folder)
    except OSError as exc:
        error = exc.strerror or exc
        if exc.filename:
            error = f"{exc.filename}: {error}"
        print("\n".join(msg("out_leftover", folder=folder, error=error)), file=sys.stderr)


def remove(folder: Path) -> None:
    """Delete `folder`, making it writable first if need be; its marker goes last.

    So a removal cut short leaves a folder still known as ours, which the
    next build removes. A link is removed itself, never what it points to.
    """
    if os.path.islink(folder):
        os.unlink(folder)
        return
    try:
        _delete(folder)
    except PermissionError:  # a read-only site (chmod -R a-w): ours, so made writable
        _writable(folder)
        _delete(folder)


def remove_quietly(folder: Path) -> None:
    """`remove`, ignoring failure (a build that failed clears away its new folder)."""
    with suppress(OSError):
        remove(folder)


def _delete(folder: Path) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


def _writable(folder: Path) -> None:
    folder.chmod(0o700)
    for top, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(top, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)  # before os.walk lists it


@cache
def _renameat2() -> Any:
    """glibc's renameat2 (Linux 3.15+, glibc 2.28+), or None."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel, or file system
        return False
    raise OSError(code, os.strerror(code), str(b))
