"""Rebuilds for the preview: re-render and rewrite only what an edit changed.

The first build is a full, atomic one. After that each rebuild validates all
content again (files whose bytes did not change are not parsed again)
and hands the last build to `build_files`, which reuses
unchanged pages, charts and cards; only files whose bytes differ are
rewritten. The search index is redone in the background after the browser has
been told to reload, since a preview reader is looking at the page, not
searching. The result is byte-identical to a full build (tested).
"""

from __future__ import annotations

import shutil
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import search
from .load import Memo
from .pipeline import Built, Project, Timings, build, build_files, validate
from .write import sync_site


class IncrementalBuilder:
    def __init__(self, project: Project, out: Path):
        self.project = project
        self.out = out
        self.last: Built | None = None
        self._memo: Memo = {}  # content files as last loaded: unchanged ones are not parsed again
        self._indexer = ThreadPoolExecutor(1, thread_name_prefix="search-index")
        self._indexing: Future[None] | None = None

    def rebuild(self, timings: Timings | None = None) -> int:
        """Validate and bring the site up to date; return how many files changed.

        Raises ContentErrors (and leaves the site as it was) when content is invalid.
        """
        if self.last is None:
            # keep=True: the build comes back.
            first = build(self.project, self.out, timings, memo=self._memo)
            assert first is not None
            self.last = first
            return len(first.files)
        content = validate(self.project, timings, self._memo)
        built = build_files(self.project, content, timings, previous=self.last)
        changed = sync_site(built.files, self.last.files, self.out)
        if any(
            path.endswith(".html") and built.files[path] != self.last.files.get(path)
            for path in built.files
        ):
            self._indexing = self._indexer.submit(self._reindex)
        self.last = built
        return changed

    def _reindex(self) -> None:
        started = time.perf_counter()
        try:
            search.reindex(self.out)
        except Exception as exc:  # the preview goes on; the next full build reports it
            print(f"搜索索引失败 / Search index failed: {exc}", file=sys.stderr, flush=True)
            return
        print(
            f"搜索索引已更新 / Search index updated ({time.perf_counter() - started:.2f} s)",
            flush=True,
        )

    def wait(self) -> None:
        """Wait for the background search index (tests, shutdown)."""
        if self._indexing is not None:
            self._indexing.result()

    def close(self) -> None:
        self._indexer.shutdown(wait=True)
        shutil.rmtree(search.previous_bundle(self.out), ignore_errors=True)
