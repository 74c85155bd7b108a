"""Full-text search with Pagefind, indexed at build time and served from the site itself.

Pagefind's extended build segments Chinese, and keeps one index per `<html
lang>`, so each language's search page finds that language's pages. Only the
search pages load its script; every other page carries a plain GET form.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    """Pagefind failed; the build stops before the new site is swapped in."""


def index(site: Path) -> None:
    """Write the search bundle into `site/pagefind/`."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"],
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    # Pagefind lists languages in hash-map order; sort them so builds are byte-identical.
    entry = site / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, separators=(",", ":")), "utf-8")
