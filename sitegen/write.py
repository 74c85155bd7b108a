"""Stage 6: put the built files on disk, all or nothing.

The site is written into a fresh directory beside the output and swapped in
only when every file is written, so a failed build leaves the previous site
untouched and files of removed content never survive a rebuild.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_site(files: dict[str, bytes], out: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Write `files` (relative path → bytes) as the complete new content of `out`.

    `finish(folder)` runs on the complete new site before the swap (the search index).
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = (tmp / rel).resolve()
            if tmp not in target.parents:
                raise ValueError(f"refusing to write outside the site: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        if finish:
            finish(tmp)
        os.chmod(tmp, 0o755)
        for d in tmp.rglob("*"):
            os.chmod(d, 0o755 if d.is_dir() else 0o644)
        old = out.with_name(f".{out.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
