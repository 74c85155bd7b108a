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
        self._folders = {
            Path(".")
        }  # relative paths of the folders made so far (made once; 0755 at the swap)

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
        """Write `files` (relative path → bytes) into the new site, readable by a web server (0644, folders 0755)."""
        for rel in sorted(files):
            target = self.folder / _inside(rel)
            if target.parent.relative_to(self.folder) not in self._folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._folders.update(p for p in target.relative_to(self.folder).parents if p.parts)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fd, 0o644)  # whatever the umask
                fh.write(files[rel])

    def _swap(self) -> None:
        for folder in self._folders:
            os.chmod(self.folder / folder, 0o755)
        old = self.out.with_name(f".{self.out.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if self.out.exists():
            self.out.rename(old)
        self.folder.rename(self.out)
        shutil.rmtree(old, ignore_errors=True)


def _inside(rel: str) -> str:
    """`rel` if it names a file inside the site (relative, no `..`), else ValueError."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == "." or norm.split(os.sep)[0] == "..":
        raise ValueError(f"refusing to write outside the site: {rel}")
    return norm


def sync_site(files: dict[str, bytes], previous: dict[str, bytes], out: Path) -> int:
    """Bring a live site from `previous` to `files`, touching only what differs (the preview).

    Each changed file is replaced atomically, so a browser never reads half a
    page. Returns the number of files written or removed.
    """
    out = out.resolve()
    changed = [rel for rel, data in files.items() if previous.get(rel) != data]
    removed = [rel for rel in previous if rel not in files]
    for rel in changed:
        target = out / _inside(rel)
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
