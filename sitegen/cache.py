"""A content-addressed cache for slow work: chart SVGs, card PNGs, chart views, loaded content.

The key is a hash of everything the output depends on (the kind, its input
and the version of the library that drew it: Pillow for text cards,
vl-convert for the rest), so a stale entry can never be used and the
folder is always safe to delete. Output stays byte-identical to an uncached
build because the same renderer wrote it. Every edit adds entries, so after
each build the entries used least recently go once the folder passes LIMIT.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import sys
import tempfile
from contextlib import suppress
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .messages import msg

LIMIT = 1 << 30  # bytes (1 GiB): a 100× site needs ~300 MB a build; the real one ~10 MB


_warned: set[Path] = set()


def _pillow_layout() -> str:
    """Pillow's version and its text layout libraries: with raqm and fribidi the cards differ."""
    from PIL import features

    layout = [f"{lib}={features.version(lib)}" for lib in ("raqm", "fribidi", "harfbuzz")]
    return " ".join([version("pillow"), *layout])


def _warn_once(folder: Path, exc: OSError) -> None:
    """Say once per folder that the cache is off: the build goes on, only slower."""
    if folder not in _warned:
        _warned.add(folder)
        zh, en = msg("cache_unwritable", folder=folder, error=exc.strerror or exc)
        print(f"{zh}\n{en}", file=sys.stderr, flush=True)


class RenderCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self._versions = {"card": _pillow_layout()}
        self._version = version("vl-convert-python")

    def _path(self, kind: str, key: Any) -> Path:
        assert self.folder is not None
        digest = hashlib.sha256(
            json.dumps(
                [kind, self._versions.get(kind, self._version), key],
                sort_keys=True,
                ensure_ascii=False,
            ).encode()
        ).hexdigest()
        return self.folder / kind / f"{digest}.bin"

    def load(self, kind: str, key: Any) -> bytes | None:
        """The stored bytes for (kind, key), or None (also when caching is off).

        Each entry starts with the SHA-256 of its bytes, so a damaged entry
        (a full disk, a crash mid-write, a hand edit) counts as missing and
        is rendered again instead of being published.
        """
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            stored = path.read_bytes()
        except OSError:  # missing, or unreadable: rendered again
            return None
        data = stored[32:]
        if hashlib.sha256(data).digest() != stored[:32]:
            with suppress(OSError):
                path.unlink()
            return None
        with suppress(OSError):
            os.utime(path)  # used now: pruned last
        return data

    def store(self, kind: str, key: Any, data: bytes) -> None:
        """Keep `data`.

        A cache that cannot be written is switched off for this build, with a warning.
        """
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(data).digest() + data)
            os.replace(tmp, path)
        except OSError as exc:
            _warn_once(self.folder, exc)
            self.folder = None

    def empty(self) -> bool:
        """Whether no chart SVG is stored (caching off, or a new folder): a cold build."""
        return self.folder is None or not (self.folder / "svg").is_dir()

    def load_object(self, kind: str, key: Any) -> Any:
        """A Python object kept by `store_object`, or None.

        An unreadable entry counts as missing.
        """
        data = self.load(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # written by another version of a library, or damaged: build it again
            return None

    def store_object(self, kind: str, key: Any, value: Any) -> None:
        """Keep a Python object.

        Its key must include the code that made it (`pipeline._code_digest`).
        """
        self.store(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, limit: int | None = None) -> int:
        """Remove the least recently used entries until at most `limit` bytes remain; how many went.

        The default limit is LIMIT. A cache that cannot be read or changed is left as it is.
        """
        if self.folder is None or not self.folder.is_dir():
            return 0
        entries = []
        for path in self.folder.rglob("*"):
            with suppress(OSError):  # another build may be pruning too
                info = path.stat()
                if stat.S_ISREG(info.st_mode):
                    entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        limit = LIMIT if limit is None else limit
        removed = 0
        for _, size, path in sorted(entries):
            if total <= limit:
                break
            with suppress(OSError):
                path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
