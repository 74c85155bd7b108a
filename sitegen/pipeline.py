"""The build, top to bottom: load → check → charts → pages → render → write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from . import LANGS, charts, datasets, pages, publish, render, search, social
from .cache import RenderCache
from .check import check
from .load import load
from .model import Content
from .write import write_site


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


class Timings(dict[str, float]):
    """Seconds spent per stage, for the benchmark (`build.py --timings`)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


def validate(project: Project) -> Content:
    """Load and check the content; raise ContentErrors listing every problem."""
    content = load(project.content)
    check(content)
    if project.base_url:
        content = replace(content, site=content.site.model_copy(update={"base_url": project.base_url}))
    return content


def build_files(project: Project, content: Content, timings: Timings | None = None) -> dict[str, bytes]:
    """Every file of the site, in memory."""
    t = timings if timings is not None else Timings()
    cache = RenderCache(project.cache_dir)
    with t.stage("charts"):
        views = {lang: charts.build_views(content, lang) for lang in LANGS}
        rendered = charts.render_svgs([v for lang in LANGS for v in views[lang].values()], cache)
        views = {lang: {v.id: v for v in rendered if v.lang == lang} for lang in LANGS}
    with t.stage("render"):
        env = render.environment(project.templates)
        links = render.Links(content.site.base_url)
        files: dict[str, bytes] = {}
        routes = pages.routes(content, views)
        for page in routes:
            rel = page.path if page.path.endswith(".html") else f"{page.path}index.html"
            prefix = "en/" if page.lang == "en" and not page.bilingual else ""
            files[prefix + rel] = render.render_page(env, content, page, links).encode("utf-8")
        files.update(datasets.files(content))
    with t.stage("social"):
        files.update(social.cards(content, rendered, cache))
    files["sitemap.xml"] = publish.sitemap(routes, links)
    files["robots.txt"] = publish.robots(links)
    files["data/datapackage.json"] = publish.datapackage(content, links)
    for lang in LANGS:
        files[f"{'en/' if lang == 'en' else ''}feed.xml"] = publish.atom(content, lang, links)
    for asset in sorted(project.static.rglob("*")):
        if asset.is_file():
            files[f"static/{asset.relative_to(project.static).as_posix()}"] = asset.read_bytes()
    files["static/vega-embed.js"] = cache.get("js", "vega-embed bundle", _vega_bundle)
    return files


def _vega_bundle() -> bytes:
    import vl_convert as vlc

    return vlc.javascript_bundle().encode("utf-8")


def build(project: Project, out: Path, timings: Timings | None = None) -> int:
    """Validate, build and swap in the site; return the number of files written."""
    t = timings if timings is not None else Timings()
    with t.stage("load+validate"):
        content = validate(project)
    files = build_files(project, content, t)

    def index(folder: Path) -> None:
        with t.stage("search index"):
            search.index(folder)

    with t.stage("write+index"):
        write_site(files, out, finish=index)
    t["write"] = t.pop("write+index") - t["search index"]
    t["pages"] = sum(1 for f in files if f.endswith(".html"))
    return len(files)
