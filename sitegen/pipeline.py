"""The build, top to bottom: load → check → charts → pages → render → write."""

from __future__ import annotations

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


def validate(project: Project) -> Content:
    """Load and check the content; raise ContentErrors listing every problem."""
    content = load(project.content)
    check(content)
    if project.base_url:
        content = replace(content, site=content.site.model_copy(update={"base_url": project.base_url}))
    return content


def build_files(project: Project, content: Content) -> dict[str, bytes]:
    """Every file of the site, in memory."""
    cache = RenderCache(project.cache_dir)
    views = {lang: charts.build_views(content, lang) for lang in LANGS}
    rendered = charts.render_svgs([v for lang in LANGS for v in views[lang].values()], cache)
    views = {lang: {v.id: v for v in rendered if v.lang == lang} for lang in LANGS}
    env = render.environment(project.templates)
    links = render.Links(content.site.base_url)
    files: dict[str, bytes] = {}
    routes = pages.routes(content, views)
    for page in routes:
        rel = page.path if page.path.endswith(".html") else f"{page.path}index.html"
        prefix = "en/" if page.lang == "en" and not page.bilingual else ""
        files[prefix + rel] = render.render_page(env, content, page, links).encode("utf-8")
    files.update(datasets.files(content))
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


def build(project: Project, out: Path) -> int:
    """Validate, build and swap in the site; return the number of files written."""
    content = validate(project)
    files = build_files(project, content)
    write_site(files, out, finish=search.index)
    return len(files)
