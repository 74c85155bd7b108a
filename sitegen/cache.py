"""A content-addressed cache for slow renders (chart SVG and PNG, the vega-embed bundle).

The key is a hash of everything the output depends on (the Vega-Lite spec,
the output kind and the vl-convert version), so a stale entry can never be
used and the folder is always safe to delete. Output stays byte-identical
to an uncached build because the same renderer wrote it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


class RenderCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def get(self, kind: str, key: Any, make: Callable[[], bytes]) -> bytes:
        """The cached bytes for (kind, key), made and stored on a miss."""
        if self.folder is None:
            self.misses += 1
            return make()
        import vl_convert

        digest = hashlib.sha256(json.dumps([kind, vl_convert.__version__, key], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        path = self.folder / kind / f"{digest}.bin"
        try:
            data = path.read_bytes()
            self.hits += 1
            return data
        except FileNotFoundError:
            pass
        self.misses += 1
        data = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return data
