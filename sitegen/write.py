"""Stage 6: put the built files on disk, all or nothing.

The site is written into a fresh directory beside the output (`.site-new-*`
for `site/`) and swapped in only when every file is written, so a failed
build leaves the previous site untouched and files of removed content never
survive a rebuild. On Linux the swap is one atomic exchange (renameat2), so
`site/` is at every instant the whole old site or the whole new one; elsewhere
the old site is first moved aside (`.site-old-*`), and the next build puts it
back if a crash struck in between (outdir.py).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from . import outdir
from .errors import UsageError
from .messages import msg
from .outdir import MARKER, is_site

_MARKER_TEXT = b"Built by build.py (rmc-tracker). Each build replaces this whole folder.\n"


def check_output(out: Path, root: Path, inputs: Iterable[Path]) -> Path:
    """The resolved output folder, or UsageError if building there could destroy something.

    A build replaces its output folder whole, so it may only replace a site
    it built itself (one holding MARKER), an empty folder or a path that does
    not exist. The project root, the inputs and every folder above them are
    refused whatever they hold, and so is anything inside the inputs.
    """
    real = out.resolve()
    shown = str(out)
    if real == root.resolve() or root.resolve().is_relative_to(real):
        raise UsageError(*msg("out_project", out=shown))
    for folder in inputs:
        folder = folder.resolve()
        if folder.is_relative_to(real) or real.is_relative_to(folder):
            raise UsageError(*msg("out_inputs", out=shown, inputs=folder))
    try:
        info = real.lstat()
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise UsageError(*msg("out_unreadable", out=shown, error=exc.strerror)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(*msg("out_not_folder", out=shown))
    if not is_site(real) and any(real.iterdir()):
        raise UsageError(*msg("out_not_site", out=shown, marker=MARKER))
    return real


class NewSite:
    """A complete new site, written into a folder beside `out` and swapped in on success.

    Made while holding `claim(out)`. Use as a context manager: leaving the
    block normally swaps the new folder in; an exception removes it and
    leaves `out` as it was. Files may be written in several rounds (pages
    first, so the search index can start).
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        self._folders = {Path(".")}  # folders made so far, relative (made once; 0755 at the swap)
        try:
            self.write({MARKER: _MARKER_TEXT})
        except BaseException:
            outdir.remove_quietly(self.folder)
            raise

    def __enter__(self) -> NewSite:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            outdir.remove_quietly(self.folder)
            return
        try:
            self._swap()
        except BaseException:
            outdir.remove_quietly(self.folder)
            raise

    def write(self, files: dict[str, bytes]) -> None:
        """Write `files` (relative path → bytes) into the new site.

        Everything is readable by a web server (files 0644, folders 0755).
        """
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
        # Checked again at the last moment: only a site, an empty folder or nothing is replaced.
        if self.out.is_dir() and not is_site(self.out) and any(self.out.iterdir()):
            raise UsageError(*msg("out_not_site", out=self.out, marker=MARKER))
        if not os.path.lexists(self.out):
            self.folder.rename(self.out)
        elif outdir.exchange(self.folder, self.out):
            outdir.discard(self.folder)  # now the old site
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-old-", dir=self.out.parent))
            # Onto the empty folder just made: nothing else is ever removed. A crash before the
            # next rename leaves no `out`; the next build puts this whole old site back.
            os.rename(self.out, old)
            try:
                self.folder.rename(self.out)
            except BaseException:
                os.rename(old, self.out)
                raise
            # Under the new site's old name, so that a `-old-` folder is always a whole site.
            with suppress(OSError):
                old = old.rename(self.folder)
            outdir.discard(old)


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
