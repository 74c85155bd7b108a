"""A content-addressed cache for slow work: chart SVGs, card PNGs, chart views, loaded content.

The key is a hash of everything the output depends on (the kind, its input,
the version of the library that drew it: Pillow for text cards, vl-convert
for the rest, and the installed fonts it drew with), so a stale entry can
never be used and the folder is always safe to delete. Output stays
byte-identical to an uncached build because the same renderer wrote it.
What comes out is checked: an entry whose checksum does not match, or an
object of the wrong type, is a miss and is made again. A cache that cannot be
read or written is a miss too, never a failed build. Every edit adds entries,
so after each build the entries used least recently go once the folder passes
LIMIT.
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
from typing import Any, TypeVar

from . import fonts
from .messages import msg

LIMIT = 1 << 30  # bytes (1 GiB): a 100× site needs ~300 MB a build; the real one ~10 MB


_warned: set[Path] = set()
T = TypeVar("T")


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
        self._drawn: dict[str, list[str]] = {}

    def _drawn_with(self, kind: str) -> list[str]:
        """What draws `kind` besides its key: the renderer's version and the fonts it can pick.

        The loaded content is drawn with neither; chart views hold their SVGs.
        """
        if kind == "content":
            return []
        renderer = "card" if kind == "card" else "vl-convert"
        if renderer not in self._drawn:
            drawer = _pillow_layout() if kind == "card" else version("vl-convert-python")
            self._drawn[renderer] = [drawer, fonts.installed()]
        return self._drawn[renderer]

    def _path(self, kind: str, key: Any) -> Path:
        assert self.folder is not None
        digest = hashlib.sha256(
            json.dumps(
                [kind, self._drawn_with(kind), key],
                sort_keys=True,
                ensure_ascii=False,
            ).encode()
        ).hexdigest()
        return self.folder / kind / f"{digest}.bin"

    def load(self, kind: str, key: Any) -> bytes | None:
        """The stored bytes for (kind, key), or None (also when caching is off).

        Each entry starts with the SHA-256 of its bytes, so a damaged entry
        (a full disk, a crash mid-write or a power cut leaving it empty, a
        hand edit) counts as missing and is rendered again instead of being
        published.
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

        A cache that cannot be written (any OSError: permissions, a read-only
        file system, a full disk) is switched off for this build, with one
        note, and what was half written is removed.
        """
        if self.folder is None:
            return
        path = self._path(kind, key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(data).digest() + data)
            os.replace(tmp, path)
        except OSError as exc:
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)
            _warn_once(self.folder, exc)
            self.folder = None

    def empty(self) -> bool:
        """Whether no chart SVG is stored (caching off, a new or unreadable folder): cold."""
        try:
            return self.folder is None or not (self.folder / "svg").is_dir()
        except OSError:  # say a folder of another user's: every render will miss
            return True

    def load_object(self, kind: str, key: Any, cls: type[T]) -> T | None:
        """The `cls` kept by `store_object`, or None.

        An entry that does not unpickle, or holds anything but a `cls`, counts as missing.
        """
        data = self.load(kind, key)
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # written by another version of a library, or damaged: build it again
            return None
        return value if isinstance(value, cls) else None

    def store_object(self, kind: str, key: Any, value: Any) -> None:
        """Keep a Python object.

        Its key must include the code that made it (`pipeline._code_digest`).
        """
        self.store(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, limit: int | None = None) -> int:
        """Remove the least recently used entries until at most `limit` bytes remain; how many went.

        The default limit is LIMIT. A cache that cannot be read or changed is left as it is.
        """
        entries = []
        try:
            if self.folder is None or not self.folder.is_dir():
                return 0
            for path in self.folder.rglob("*"):
                with suppress(OSError):  # another build may be pruning too
                    info = path.stat()
                    if stat.S_ISREG(info.st_mode):
                        entries.append((info.st_mtime, info.st_size, path))
        except OSError:
            return 0
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
