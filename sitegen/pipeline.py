"""The build, top to bottom: load → check → charts → pages → render → write."""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from jinja2 import Environment
from pydantic_core import to_jsonable_python

from . import LANGS, charts, cite, datasets, inputs, pages, publish, render, search, social, yamlio
from .cache import RenderCache
from .check import check
from .errors import ContentErrors
from .load import Memo, load
from .model import Content, Locator
from .outdir import claim
from .pages import Page, Prose
from .renderer import Renderer
from .write import NewSite, check_output

INDEX_EARLY_BELOW = 1000  # pages; smaller sites are indexed while the last cards render (build)


@dataclass(frozen=True)
class Project:
    """Where the inputs are and where the site goes."""

    root: Path
    base_url: str | None = None  # overrides content/site.yaml (e.g. a GitHub Pages project URL)
    cache_dir: Path | None = None  # render cache; None disables it

    @classmethod
    def at(cls, root: Path, base_url: str | None = None, cache: bool = True) -> Project:
        return cls(root, base_url, root / ".cache" / "render" if cache else None)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders of the project's own inputs (see `inputs.problems`)."""
        return (self.content, self.templates, self.static)

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Every folder a build reads: no output may hold one or lie inside one."""
        return (*self.folders, Path(__file__).resolve().parent)

    def check_inputs(self) -> None:
        """ContentErrors if an input is not a regular file or folder (before anything is read)."""
        errors = inputs.problems(self.root, self.folders)
        if errors:
            raise ContentErrors(errors)

    def output(self, out: Path) -> Path:
        """`out` resolved, if a build may replace it (see `write.check_output`)."""
        return check_output(out, self.root, self.inputs)


class Timings(dict[str, float]):
    """Seconds spent per stage, for the benchmark (`build.py --timings`)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


def validate(project: Project, timings: Timings | None = None, memo: Memo | None = None) -> Content:
    """Load and check the content, then fill in cited facts; raise ContentErrors if bad.

    With a `memo`, unchanged content files are not parsed again (see `load`).
    """
    t = timings if timings is not None else Timings()
    with t.stage("load"):
        project.check_inputs()
        content = load(project.content, memo) if memo is not None else _load_cached(project)
    with t.stage("validate"):
        check(content)
        content = cite.resolve(content)
    if project.base_url:
        content = replace(
            content, site=content.site.model_copy(update={"base_url": project.base_url})
        )
    return content


def _load_cached(project: Project) -> Content:
    """The loaded content, from the render cache while none of what it was loaded with changed.

    That is every entry under content/ (names, links and bytes), the generator's code, Python's
    and the parsers' versions, and which YAML parser (libyaml or PyYAML's own) read them.
    Parsing with positions and validating is most of `check` and ~1.8 s of a
    100× build; unpickling the result takes a sixth of that.
    """
    cache = RenderCache(project.cache_dir)
    key = [
        _digest(project.content),
        _code_digest(),
        sys.version,
        version("pydantic"),
        version("pyyaml"),
        yamlio.BASE_LOADER.__name__,
    ]
    kept = cache.load_object("content", key, Content)
    if kept is not None:
        return kept
    content = load(project.content)
    cache.store_object("content", key, content)
    return content


@dataclass(frozen=True)
class Built:
    """A site built in memory, with what it was built from.

    The preview server keeps the last one and passes it back as `previous`,
    so a rebuild renders only pages whose inputs changed. Pages read stories
    only through their own views (templates get no content model), so a
    story edit re-renders only the pages whose views show that story;
    any other content change re-renders every page, with the charts redrawn
    only when their inputs changed.
    """

    shared: Content  # the content minus stories and source positions: what every page may read
    templates: str  # digest of the template files
    views: tuple[charts.ChartView, ...]
    pages: dict[str, Page]  # output path → page
    cards: dict[str, Any]  # output path → what its card PNG was drawn from (texts, or the SVG)
    prose: Prose  # story HTML, reused while no fact changes
    datasets: dict[str, bytes]  # open data files, which depend on the shared content only
    files: dict[str, bytes]
    env: Environment = field(compare=False)  # compiled templates, kept for the next rebuild


def build_files(
    project: Project,
    content: Content,
    timings: Timings | None = None,
    previous: Built | None = None,
    pages_ready: Callable[[dict[str, bytes], bool], None] | None = None,
    renderer: Renderer | None = None,
) -> Built:
    """Every file of the site, in memory; with `previous`, reusing what did not change.

    Renders (chart SVGs, card PNGs) are submitted first and, when there are
    many, run in worker processes while this process renders the pages, so
    stage times overlap: "charts" and "social" are mostly waiting for them.
    `pages_ready` gets the pages and data files as soon as they are rendered,
    before the build waits for the last cards (so they are written meanwhile),
    and whether the renders are all done. A `renderer` given is shut down
    at the end, like the one made here without it.
    """
    t = timings if timings is not None else Timings()
    shared = replace(content, stories={}, where=Locator({}))
    templates = _digest(project.templates)
    same = previous is not None and previous.shared == shared and previous.templates == templates
    reusable = previous if same else None  # its views, prose, pages and data files still hold
    old_cards = previous.cards if previous is not None else {}
    old_files = previous.files if previous is not None else {}
    with renderer or Renderer(RenderCache(project.cache_dir)) as renderer:

        def draw(kind: str, cards: dict[str, Any]) -> dict[str, Future[bytes]]:
            """PNG futures for cards, reusing the previous build's where the card is the same."""
            todo = [path for path in cards if old_cards.get(path) != cards[path]]
            done = {path: _done(old_files[path]) for path in cards if path not in todo}
            return done | dict(
                zip(todo, renderer.submit(kind, [cards[path] for path in todo]), strict=True)
            )

        with t.stage("charts"):
            cards: dict[str, Any] = social.text_cards(content)
            # On a cold build, these are enough renders to start the worker processes.
            pngs = draw("card", cards)
            views = (
                list(reusable.views) if reusable is not None else _views(project, content, renderer)
            )
            chart_cards = (
                {p: c for p, c in old_cards.items() if p.startswith("social/charts/")}
                if reusable is not None
                else social.chart_cards(content, views)
            )
            cards.update(chart_cards)
            pngs.update(draw("png", chart_cards))
        with t.stage("render"):
            prose: Prose = {}
            by_lang = {lang: {v.id: v for v in views if v.lang == lang} for lang in LANGS}
            old_prose = reusable.prose if reusable is not None else None
            routes = {
                _output_path(page): page
                for page in pages.routes(content, by_lang, old_prose, prose)
            }
            # The previous environment recompiles a template only when its file changes.
            env = previous.env if previous is not None else render.environment(project.templates)
            links = render.Links(content.site.base_url)
            old_pages = reusable.pages if reusable is not None else {}
            files: dict[str, bytes] = {
                path: old_files[path]
                for path, page in routes.items()
                if old_pages.get(path) == page
            }
            todo = [path for path in routes if path not in files]
            files.update(
                zip(
                    todo,
                    render.render_pages(env, shared, [routes[path] for path in todo], links),
                    strict=True,
                )
            )
            data = reusable.datasets if reusable is not None else datasets.files(content, views)
            files.update(data)
            files.update(_published_files(project, content, list(routes.values()), links))
        if pages_ready is not None:
            pages_ready(dict(files), all(f.done() for f in pngs.values()))
        with t.stage("social"):
            files.update(zip(pngs, renderer.results(list(pngs.values())), strict=True))
    return Built(shared, templates, tuple(views), routes, cards, prose, data, files, env)


def _done(data: bytes) -> Future[bytes]:
    future: Future[bytes] = Future()
    future.set_result(data)
    return future


def _digest(folder: Path, suffix: str = "") -> str:
    """Every entry under `folder`: names, kinds, link targets and bytes.

    A file that cannot be read is in the digest as its error, so the loader, not this, says so.
    """
    h = hashlib.sha256()
    for path in sorted(folder.rglob(f"*{suffix}")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_symlink():
            h.update(b"link " + os.readlink(path).encode() + b"\0")
        if path.is_file():
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())  # fixed length: unambiguous
            except OSError as exc:
                h.update(f"unreadable {exc.errno}".encode() + b"\0")
    return h.hexdigest()


@functools.cache
def _code_digest() -> str:
    """Digest of the generator's own code, in every cache key that stores Python objects.

    Computed once per process.
    """
    return _digest(Path(__file__).parent, suffix=".py")


def _views(project: Project, content: Content, renderer: Renderer) -> list[charts.ChartView]:
    """Every chart in both languages, rendered; each from the cache if none of its inputs changed.

    Making the specs with Altair is the slow part of a warm build (~30 ms a
    chart), so each finished view is cached, keyed by exactly what its
    builder is given (`charts.chart_inputs`), the generator's code and the
    Altair version: a fact edit redraws only the charts that show that fact.
    """
    shared = _json_digest(
        [
            content.site,
            content.sources,
            content.provinces,
            content.not_covered,
            content.units,
            content.ui,
            _code_digest(),
            version("altair"),
        ]
    )
    inputs = {cid: charts.chart_inputs(content, chart) for cid, chart in content.charts.items()}
    keys = {
        cid: _json_digest([shared, i.charts, i.facts, i.centres, i.events])
        for cid, i in inputs.items()
    }
    order = [(lang, cid) for lang in LANGS for cid in content.charts]
    views = {
        key: renderer.cache.load_object("view", [keys[key[1]], key[0]], charts.ChartView)
        for key in order
    }
    todo = [key for key, kept in views.items() if kept is None]
    renderer.expect(2 * len(todo))  # two SVGs a view (narrow and wide)
    made, svgs = [], []
    for lang, cid in todo:  # each view's SVGs render while the next views' specs are made
        made.append(charts.view(inputs[cid], content.charts[cid], lang))
        svgs += renderer.submit("svg", charts.render_specs(made[-1:]))
    for key, view in zip(todo, charts.with_svgs(made, renderer.results(svgs)), strict=True):
        views[key] = view
        renderer.cache.store_object("view", [keys[view.id], view.lang], view)
    return [view for view in views.values() if view is not None]


def _json_digest(value: Any) -> str:
    """A digest of models and plain data that depends only on their values (cache keys)."""
    return hashlib.sha256(
        json.dumps(to_jsonable_python(value), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _output_path(page: pages.Page) -> str:
    rel = page.path if page.path.endswith(".html") else f"{page.path}index.html"
    return ("en/" if page.lang == "en" and not page.bilingual else "") + rel


def _published_files(
    project: Project, content: Content, routes: list[pages.Page], links: render.Links
) -> dict[str, bytes]:
    """Feeds, sitemap, robots.txt, the data package and the static assets."""
    files = {}
    files["sitemap.xml"] = publish.sitemap(routes, links)
    files["robots.txt"] = publish.robots(links)
    files["data/datapackage.json"] = publish.datapackage(content, links)
    for lang in LANGS:
        files[f"{'en/' if lang == 'en' else ''}feed.xml"] = publish.atom(content, lang, links)
    for asset in sorted(project.static.rglob("*")):
        if asset.is_file():
            files[f"static/{asset.relative_to(project.static).as_posix()}"] = asset.read_bytes()
    return files


def build(
    project: Project,
    out: Path,
    timings: Timings | None = None,
    keep: bool = True,
    memo: Memo | None = None,
) -> Built | None:
    """Validate, build and swap in the whole site, all or nothing.

    The pages are written while the last card renders finish, and Pagefind
    starts on them at once, unless the site is large and renders are still
    running: Pagefind needs ~140 KB a page (~600 MB at 100× content) and the
    render workers ~150 MB each, so then it waits for the workers to finish.
    The new folder replaces `out` only once all is done. With keep=False
    (the command line) the built files are let go before waiting for
    Pagefind. Last, the render cache is trimmed to its limit (`cache.LIMIT`),
    least recently used entries first. One build or preview at a time writes
    to `out` (`outdir.claim`); another waits for it.
    """
    out = project.output(out)  # before anything is read or written
    with claim(out):
        return _build(project, out, timings if timings is not None else Timings(), keep, memo)


def _build(project: Project, out: Path, t: Timings, keep: bool, memo: Memo | None) -> Built | None:
    renderer = Renderer(RenderCache(project.cache_dir))
    if renderer.cache.empty():  # every render will miss: start the workers while content loads
        renderer.start()
    result: Built | None = None  # what is returned, with keep=True
    with renderer:  # its workers are shut down also when the content is bad
        content = validate(project, t, memo)
        with NewSite(out) as site:
            early: set[str] = set()
            indexing: list[search.Indexing] = []

            def pages_ready(files: dict[str, bytes], rendered: bool) -> None:
                with t.stage("write"):
                    site.write(files)
                early.update(files)
                if (
                    rendered
                    or sum(1 for path in files if path.endswith(".html")) < INDEX_EARLY_BELOW
                ):
                    indexing.append(search.start(site.folder))

            try:
                built = build_files(project, content, t, pages_ready=pages_ready, renderer=renderer)
                indexing = indexing or [search.start(site.folder)]
                with t.stage("write"):
                    site.write(
                        {path: data for path, data in built.files.items() if path not in early}
                    )
            except BaseException:
                for running in indexing:
                    running.cancel()
                raise
            t["files"] = len(built.files)
            t["pages"] = sum(1 for f in built.files if f.endswith(".html"))
            if keep:
                result = built
            else:
                del content, built
                _release_memory()
            with t.stage("search index"):
                indexing[0].wait()
    RenderCache(project.cache_dir).prune()
    return result


def _release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc).

    Pages the allocator kept would otherwise still count while Pagefind runs.
    """
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
