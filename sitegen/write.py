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


def sync_site(files: dict[str, bytes], previous: dict[str, bytes], out: Path) -> int:
    """Bring a live site from `previous` to `files`, touching only what differs (the preview).

    Each changed file is replaced atomically, so a browser never reads half a
    page. Returns the number of files written or removed.
    """
    out = out.resolve()
    changed = [rel for rel, data in files.items() if previous.get(rel) != data]
    removed = [rel for rel in previous if rel not in files]
    for rel in changed:
        target = (out / rel).resolve()
        if out not in target.parents:
            raise ValueError(f"refusing to write outside the site: {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".new-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(files[rel])
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    for rel in removed:
        (out / rel).unlink(missing_ok=True)
        folder = (out / rel).parent
        while folder != out and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return len(changed) + len(removed)
