"""Offline renders with vl-convert (chart SVG, card PNG, the vega-embed bundle), through the cache.

vl-convert renders one thing at a time per process, and a cold build has
dozens of renders (thousands at newsroom scale). So when many renders miss
the cache they go to worker processes, one per core, while this process
goes on with the pages; a handful of misses (a preview rebuild after one
edit) render here, where the engine is already warm. The bytes are the same
either way, so the output does not depend on how it was rendered.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .cache import RenderCache

Job = tuple[str, Any]  # (kind, payload), see render()
POOL_FROM = 6  # misses in one submission that are worth starting worker processes for


def render(kind: str, payload: Any) -> bytes:
    """One render: "svg" (Vega-Lite spec → SVG), "png" (SVG → PNG at 2×) or "js" (the vega-embed bundle)."""
    import vl_convert as vlc

    if kind == "svg":
        return vlc.vegalite_to_svg(payload).encode("utf-8")
    if kind == "png":
        return vlc.svg_to_png(payload, scale=2)
    if kind == "js":
        return vlc.javascript_bundle().encode("utf-8")
    raise ValueError(f"unknown render kind {kind!r}")


class Renderer:
    """Submit renders, get futures; cache hits are answered at once."""

    def __init__(self, cache: RenderCache, workers: int | None = None):
        self.cache = cache
        self.workers = workers if workers is not None else len(os.sched_getaffinity(0))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def submit(self, jobs: list[Job]) -> list[Future[bytes]]:
        """One future per (kind, payload) job, in order."""
        futures: list[Future[bytes]] = []
        misses: list[tuple[int, str, Any]] = []
        for i, (kind, payload) in enumerate(jobs):
            future: Future[bytes] = Future()
            data = self.cache.load(kind, payload)
            if data is None:
                misses.append((i, kind, payload))
            else:
                future.set_result(data)
            futures.append(future)
        worth_a_pool = len(misses) >= POOL_FROM or any(kind == "js" for _, kind, _ in misses)  # the bundle alone takes ~1.3 s
        if self._pool is None and self.workers > 1 and worth_a_pool:
            # spawn, not fork: a forked child would inherit vl-convert's engine without its threads
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        for i, kind, payload in misses:
            if self._pool is None:
                data = render(kind, payload)
                self.cache.store(kind, payload, data)
                futures[i].set_result(data)
            else:
                futures[i] = self._pool.submit(render, kind, payload)
                futures[i].add_done_callback(lambda done, k=kind, p=payload: done.exception() or self.cache.store(k, p, done.result()))
        return futures
