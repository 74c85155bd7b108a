"""Full-text search with Pagefind, indexed at build time and served from the site itself.

Pagefind's extended build segments Chinese, and keeps one index per `<html
lang>`, so each language's search page finds that language's pages. Only the
search pages load its script; every other page carries a plain GET form.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import SetupError
from .messages import msg


class SearchIndexError(SetupError):
    """Pagefind failed; the build stops before the new site is swapped in."""


class Indexing:
    """Pagefind running over a written site; `wait()` for it before the site is swapped in."""

    def __init__(self, site: Path, output: Path):
        self.output = output
        # Only pages (index.html) carry data-pagefind-body; chart embeds and the 404 page are left
        # out of the search, so Pagefind need not read them (at 100× content a third of its time
        # went on the embeds).
        command = [
            *_command(),
            "--site",
            str(site),
            "--output-path",
            str(output),
            "--glob",
            "**/index.html",
            "--silent",
        ]
        try:
            self._proc = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:  # the binary is missing or cannot run
            raise SearchIndexError(*msg("search_failed", error=f"{command[0]}: {exc}")) from None

    def cancel(self) -> None:
        """Stop Pagefind (the build failed and its folder is being removed)."""
        self._proc.kill()
        self._proc.communicate()

    def wait(self) -> None:
        out, err = self._proc.communicate(timeout=600)
        if self._proc.returncode != 0:
            said = (err.strip() or out.strip() or f"exit status {self._proc.returncode}")[-2000:]
            raise SearchIndexError(*msg("search_failed", error=said))
        # Pagefind lists languages in hash-map order; sort them so builds are byte-identical.
        entry = self.output / "pagefind-entry.json"
        entry.write_text(
            json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, separators=(",", ":")),
            "utf-8",
        )
        for path in (self.output, *self.output.rglob("*")):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def start(site: Path) -> Indexing:
    """Start indexing a site's pages into `site/pagefind/`."""
    return Indexing(site, site / "pagefind")


def previous_bundle(site: Path) -> Path:
    """Where `reindex` keeps the bundle it last replaced, inside the site."""
    return site / ".pagefind-previous"


def reindex(site: Path) -> None:
    """Index a live site again (preview): build the bundle aside, then swap it in.

    Both the new bundle and the one it replaces are kept inside the site, so that a preview
    killed meanwhile leaves nothing beside it (the next full build replaces the whole folder).
    The bundle replaced is kept at `previous_bundle(site)` until the next swap: a search page
    loaded before the swap still asks for the files its pagefind-entry.json named, and the
    preview finds them there (also in the instant between the two renames).
    """
    new = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=site))
    previous = previous_bundle(site)
    try:
        Indexing(site, new).wait()
        shutil.rmtree(previous, ignore_errors=True)
        if (site / "pagefind").exists():
            (site / "pagefind").rename(previous)
        new.rename(site / "pagefind")
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _command() -> list[str]:
    """The extended Pagefind binary itself (saves starting Python), else `python -m pagefind`."""
    try:
        from pagefind_bin_extended import get_executable

        return [str(get_executable())]
    except ImportError:
        return [sys.executable, "-m", "pagefind"]
