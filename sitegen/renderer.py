"""Offline renders via the cache: chart SVGs and cards with vl-convert, text cards with Pillow.

vl-convert renders one thing at a time per process, and a cold build has
dozens of renders (thousands at newsroom scale). So when many renders miss
the cache they go to worker processes, one per core, while this process
goes on with the pages; a handful of misses (a preview rebuild after one
edit) render here, where the engine is already warm. The bytes are the same
either way, so the output does not depend on how it was rendered.

Renders wait here and go to the workers one batch per idle worker, chart
SVGs first: pages wait for the SVGs, while cards are only needed at the
end, so SVGs submitted later overtake the cards already waiting. Workers
are spawned (they import the main script again), so a script that runs the
pipeline needs the usual `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import multiprocessing
import os
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from typing import Any

from .cache import RenderCache

POOL_FROM = 6  # misses in one submission worth starting worker processes for
# Renders per task (~500, ~65, ~80 and ~20 ms each): small enough to share out.
BATCH = {"warm": 1, "svg": 8, "png": 2, "card": 4}
URGENCY = {"warm": -1, "svg": 0, "png": 1, "card": 1}  # lower goes to the workers first
# What this process renders itself rather than wait idle (not SVGs: its chart engine is cold).
HELPS_WITH = {"card", "png"}


def render(kind: str, payload: Any) -> bytes:
    """One render: "svg" (Vega-Lite spec → SVG), "png" (SVG → PNG at 2×), "card" (text card → PNG).

    "warm" starts a worker's chart engine (~0.5 s) before any SVG is asked for.
    """
    if kind == "card":
        from .social import draw_text_card

        return draw_text_card(payload)
    import vl_convert as vlc

    if kind == "svg":
        return vlc.vegalite_to_svg(payload).encode("utf-8")
    if kind == "warm":
        vlc.vegalite_to_svg({"mark": "point"})
        return b""
    if kind == "png":
        from .social import SCALE  # a chart card's SVG, drawn at the cards' size

        return vlc.svg_to_png(payload, scale=SCALE)
    raise ValueError(f"unknown render kind {kind!r}")


def render_batch(kind: str, payloads: list[Any]) -> list[bytes]:
    return [render(kind, p) for p in payloads]


class Renderer:
    """Submit renders, get futures; cache hits are answered at once."""

    def __init__(self, cache: RenderCache, workers: int | None = None):
        self.cache = cache
        self.workers = workers if workers is not None else len(os.sched_getaffinity(0))
        self._pool: ProcessPoolExecutor | None = None
        # The queue is fed from this thread and from the pool's result thread.
        self._lock = threading.Lock()
        self._waiting: list[
            tuple[int, int, str, list[Any], list[Future[bytes]]]
        ] = []  # heap of (urgency, order, kind, payloads, futures)
        self._order = itertools.count()
        self._busy = 0  # batches with the workers

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._waiting.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

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
        self.expect(len(misses))
        size = max(1, min(BATCH[kind], -(-len(misses) // self.workers)))
        for start in range(0, len(misses), size):
            batch = misses[start : start + size]
            if self._pool is None:
                self._settle(
                    kind,
                    [payloads[i] for i in batch],
                    [futures[i] for i in batch],
                    render_batch(kind, [payloads[i] for i in batch]),
                )
            else:
                self._queue(kind, [payloads[i] for i in batch], [futures[i] for i in batch])
        self._feed()
        return futures

    def expect(self, misses: int) -> None:
        """Start the workers if this many renders are coming (they may come a few at a time)."""
        if misses >= POOL_FROM:
            self.start()

    def start(self) -> None:
        """Start the worker processes now (on more than one core), if not yet started."""
        if self._pool is None and self.workers > 1:
            # spawn, not fork: a forked child would inherit vl-convert's engine without its threads
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
            # Each worker warms up first, so SVGs do not wait for that behind cards.
            for _ in range(self.workers):
                self._queue("warm", [None], [Future()])

    def results(self, futures: list[Future[bytes]]) -> list[bytes]:
        """The futures' bytes, in order.

        While they are not all ready, this process renders waiting cards itself.
        """
        while not all(f.done() for f in futures):
            with self._lock:
                mine = [i for i, queued in enumerate(self._waiting) if queued[2] in HELPS_WITH]
                if not mine:
                    break
                i = min(mine, key=lambda i: self._waiting[i])
                _, _, kind, payloads, batch = self._waiting[i]
                self._waiting[i] = self._waiting[-1]
                self._waiting.pop()
                heapq.heapify(self._waiting)
            self._settle(kind, payloads, batch, render_batch(kind, payloads))
        wait(futures)
        return [f.result() for f in futures]

    def _queue(self, kind: str, payloads: list[Any], futures: list[Future[bytes]]) -> None:
        with self._lock:
            heapq.heappush(
                self._waiting, (URGENCY[kind], next(self._order), kind, payloads, futures)
            )

    def _feed(self) -> None:
        """Hand the most urgent waiting batches to idle workers (again as each batch finishes)."""
        with self._lock:
            pool, ready = self._pool, []
            while self._waiting and self._busy < self.workers and pool is not None:
                ready.append(heapq.heappop(self._waiting)[2:])
                self._busy += 1
        if pool is None:
            return  # no workers, so nothing was taken
        for kind, payloads, futures in ready:
            try:
                task = pool.submit(render_batch, kind, payloads)
            except RuntimeError as exc:  # shut down: the build is over (it failed)
                for f in futures:
                    f.set_exception(exc)
                continue
            task.add_done_callback(functools.partial(self._finished, kind, payloads, futures))

    def _finished(
        self,
        kind: str,
        payloads: list[Any],
        futures: list[Future[bytes]],
        done: Future[list[bytes]],
    ) -> None:
        with self._lock:
            self._busy -= 1
        try:
            self._settle(kind, payloads, futures, done)
        except BaseException as exc:
            # Never leave a future unresolved: the build would wait for it forever.
            for f in futures:
                if not f.done():
                    f.set_exception(exc)
        self._feed()

    def _settle(
        self,
        kind: str,
        payloads: list[Any],
        futures: list[Future[bytes]],
        result: list[bytes] | Future[list[bytes]],
    ) -> None:
        """Store a batch's renders in the cache and hand them to their futures."""
        if isinstance(result, Future):
            error = CancelledError() if result.cancelled() else result.exception()
            if error is not None:
                for f in futures:
                    f.set_exception(error)
                return
            result = result.result()
        for payload, future, data in zip(payloads, futures, result, strict=True):
            if kind != "warm":
                self.cache.store(kind, payload, data)
            future.set_result(data)
