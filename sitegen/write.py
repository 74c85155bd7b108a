"""Stage 6: put the built files on disk, all or nothing.

The site is written into a fresh directory beside the output and swapped in
only when every file is written, so a failed build leaves the previous site
untouched and files of removed content never survive a rebuild.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class NewSite:
    """A complete new site, written into a folder beside `out` and swapped in on success.

    Use as a context manager: leaving the block normally swaps the new folder
    in; an exception removes it and leaves `out` as it was. Files may be
    written in several rounds (pages first, so the search index can start).
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))

    def __enter__(self) -> NewSite:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        try:
            self._swap()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def write(self, files: dict[str, bytes]) -> None:
        """Write `files` (relative path → bytes) into the new site."""
        for rel in sorted(files):
            target = (self.folder / rel).resolve()
            if self.folder not in target.parents:
                raise ValueError(f"refusing to write outside the site: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])

    def _swap(self) -> None:
        os.chmod(self.folder, 0o755)
        for d in self.folder.rglob("*"):
            os.chmod(d, 0o755 if d.is_dir() else 0o644)
        old = self.out.with_name(f".{self.out.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if self.out.exists():
            self.out.rename(old)
        self.folder.rename(self.out)
        shutil.rmtree(old, ignore_errors=True)


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
