"""Offline renders (chart SVGs and chart cards with vl-convert, text cards with Pillow), through the cache.

vl-convert renders one thing at a time per process, and a cold build has
dozens of renders (thousands at newsroom scale). So when many renders miss
the cache they go to worker processes, one per core, while this process
goes on with the pages; a handful of misses (a preview rebuild after one
edit) render here, where the engine is already warm. The bytes are the same
either way, so the output does not depend on how it was rendered.
Workers are spawned (they import the main script again), so a script that
runs the pipeline needs the usual `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .cache import RenderCache

POOL_FROM = 6  # misses in one submission worth starting worker processes for
CARD_BATCH = 8  # card renders per worker task, ~20-40 ms each (SVGs are split evenly between the workers)


def render(kind: str, payload: Any) -> bytes:
    """One render: "svg" (Vega-Lite spec → SVG), "png" (SVG → PNG at 2×) or "card" (text card → PNG)."""
    if kind == "card":
        from .social import draw_text_card

        return draw_text_card(payload)
    import vl_convert as vlc

    if kind == "svg":
        return vlc.vegalite_to_svg(payload).encode("utf-8")
    if kind == "png":
        return vlc.svg_to_png(payload, scale=2)
    raise ValueError(f"unknown render kind {kind!r}")


def render_batch(kind: str, payloads: list[Any]) -> list[bytes]:
    return [render(kind, p) for p in payloads]


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

    def warm_up(self) -> None:
        """If workers are running, have them start their chart engines (~0.5 s each) before any SVG is asked for."""
        if self._pool is not None:
            for _ in range(self.workers):
                self._pool.submit(render, "svg", {"mark": "point"})

    def submit(self, kind: str, payloads: list[Any]) -> list[Future[bytes]]:
        """One future per payload, in order."""
        futures: list[Future[bytes]] = [Future() for _ in payloads]
        misses: list[int] = []
        for i, payload in enumerate(payloads):
            data = self.cache.load(kind, payload)
            if data is None:
                misses.append(i)
            else:
                futures[i].set_result(data)
        if self._pool is None and self.workers > 1 and len(misses) >= POOL_FROM:
            # spawn, not fork: a forked child would inherit vl-convert's engine without its threads
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        size = CARD_BATCH if kind != "svg" else max(1, -(-len(misses) // self.workers))
        for start in range(0, len(misses), size):
            batch = misses[start : start + size]
            if self._pool is None:
                self._settle(kind, [payloads[i] for i in batch], [futures[i] for i in batch], render_batch(kind, [payloads[i] for i in batch]))
            else:
                task = self._pool.submit(render_batch, kind, [payloads[i] for i in batch])
                task.add_done_callback(lambda done, b=batch: self._settle(kind, [payloads[i] for i in b], [futures[i] for i in b], done))
        return futures

    def _settle(self, kind: str, payloads: list[Any], futures: list[Future[bytes]], result: list[bytes] | Future[list[bytes]]) -> None:
        """Store a batch's renders in the cache and hand them to their futures."""
        if isinstance(result, Future):
            if result.exception() is not None:
                for f in futures:
                    f.set_exception(result.exception())  # type: ignore[arg-type]
                return
            result = result.result()
        for payload, future, data in zip(payloads, futures, result, strict=True):
            self.cache.store(kind, payload, data)
            future.set_result(data)
