"""Stage 5: pages → HTML text, with one Jinja environment and explicit language.

Templates get the page, its language and that language's UI strings; every
helper takes the language as an argument, so nothing depends on a "current
language" kept elsewhere.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import HTML_LANG, LANGS, required
from .charts import spec_json
from .datasets import DATASETS
from .model import Content, date_start
from .pages import Page
from .social import CARD_SIZE, image_for
from .views import Kind, StoryView

# Content dates are days in China, where the sources publish: a day starts at midnight China
# Standard Time (UTC+8, no daylight saving), so a search engine or feed reader elsewhere
# reads the same day.
CHINA_TIME = "+08:00"
SHARE_FROM = (
    1000  # pages: from here a forked copy of the process renders half of them (see render_pages)
)


def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["spec_json"] = lambda view: Markup(spec_json(view))
    return env


class Links:
    """Builds addresses under the site's base path, for one language."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.base = urlsplit(base_url).path or "/"

    def absolute(self, path: str, lang: str) -> str:
        return f"{self.base_url}{'en/' if lang == 'en' else ''}{path}"

    def url(self, path: str, lang: str) -> str:
        return f"{self.base}{'en/' if lang == 'en' else ''}{path}"

    def asset(self, path: str) -> str:
        return f"{self.base}{path}"


def render_pages(
    env: Environment, content: Content, pages: list[Page], links: Links
) -> list[bytes]:
    """The pages' HTML (UTF-8), in order.

    At newsroom scale on two cores or more, half of them render in a forked
    copy of this process. Rendering is pure, so a fork (Linux) shares the loaded content and the
    compiled templates without copying them to a worker. It is used only
    when this process runs no other thread (no render workers, not the
    preview server), since a fork copies other threads' locks but not the
    threads. Pages are dealt out alternately, so heavy pages of one kind are
    shared too. The bytes are the same either way.
    """
    shared = (
        len(pages) >= SHARE_FROM
        and sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1
        and threading.active_count() == 1
    )
    if not shared:
        return [render_page(env, content, page, links).encode("utf-8") for page in pages]
    fork = multiprocessing.get_context("fork")
    reader, writer = fork.Pipe(duplex=False)
    child = fork.Process(
        target=_render_into, args=(writer, env, content, pages[1::2], links), daemon=True
    )
    child.start()
    writer.close()
    try:
        mine = [render_page(env, content, page, links).encode("utf-8") for page in pages[0::2]]
        theirs = reader.recv()
    except EOFError:
        child.join()
        raise RuntimeError(
            f"the process rendering half of the pages stopped (exit code {child.exitcode})"
        ) from None
    except BaseException:
        child.terminate()  # this half failed: the other half is not needed
        raise
    finally:
        reader.close()
        child.join()
    if isinstance(theirs, BaseException):
        raise theirs
    out = [b""] * len(pages)
    out[0::2], out[1::2] = mine, theirs
    return out


def _render_into(
    conn: Connection, env: Environment, content: Content, pages: list[Page], links: Links
) -> None:
    """In the forked copy: render `pages`, send back their bytes or the error that stopped it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops this copy, no traceback
    try:
        result: list[bytes] | BaseException = [
            render_page(env, content, page, links).encode("utf-8") for page in pages
        ]
    except Exception as exc:
        result = exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")
    with suppress(OSError):  # the parent stopped waiting (its own half failed)
        conn.send(result)
    conn.close()


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def render_page(env: Environment, content: Content, page: Page, links: Links) -> str:
    """One page's HTML: its template given the page, its view and the language's UI strings.

    Templates read nothing else of the content: the view holds every value they show.
    """
    lang = page.lang
    other = "en" if lang == "zh" else "zh"

    def url(path: str, in_lang: str = lang) -> str:
        return links.url(path, in_lang)

    context: dict[str, Any] = {
        "page": page,
        "view": page.view,
        "lang": lang,
        "other": other,
        "html_lang": HTML_LANG[lang],
        "ui": content.ui[lang],
        "ui_other": content.ui[other],
        "site_title": content.site.title[lang],
        "langs": LANGS,
        "html_langs": HTML_LANG,
        "url": url,
        "asset": links.asset,
        "absolute": links.absolute,
        "og_image": links.base_url + image_for(page.path, lang),
        "og_image_size": CARD_SIZE,
        "og_image_alt": image_alt(content, page),
        "json_ld": Markup(json_ld(content, page, links)),
        "nav": required.NAV,
    }
    return env.get_template(page.kind.template).render(context)


def stamp(d: str) -> str:
    """A content date as the moment its day starts in China: 2024-10-23T00:00:00+08:00."""
    return f"{date_start(d)}T00:00:00{CHINA_TIME}"


def image_alt(content: Content, page: Page) -> str:
    """The text of the card a page shares: its story's or chart's title, else the site's."""
    own = image_for(page.path, page.lang) != image_for("", page.lang)
    return page.title if own else content.site.title[page.lang]


def temporal_coverage(content: Content) -> str:
    """The open data's span as an ISO 8601 interval (2016/2024-10-23).

    From the earliest to the latest date in the datasets (facts, statements, events, sources),
    each as written.
    """
    dates = [
        *(f.as_of for f in content.facts.values()),
        *(st.date for st in content.statements.values()),
        *(e.date for e in content.events),
        *(s.date for s in content.sources.values()),
    ]
    return f"{min(dates, key=_chronological)}/{max(dates, key=_chronological)}"


def _chronological(d: str) -> tuple[str, int]:
    """Sorts partial dates by their first day, then the less precise first (2016, 2016-01-01)."""
    return date_start(d), len(d)


def json_ld(content: Content, page: Page, links: Links) -> str:
    """Structured data: NewsArticle for stories, Dataset for the data page, else nothing."""
    import json

    lang = page.lang
    publisher = {
        "@type": "Organization",
        "name": content.site.title[lang],
        "url": links.absolute("", lang),
    }
    data: dict[str, Any]
    if isinstance(page.view, StoryView):
        story = page.view
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "description": story.summary,
            "datePublished": stamp(story.date.iso),
            "dateModified": stamp((story.updated or story.date).iso),
            "inLanguage": HTML_LANG[lang],
            "image": [links.base_url + image_for(page.path, lang)],
            "mainEntityOfPage": links.absolute(page.path, lang),
            "author": publisher,
            "publisher": publisher,
            "citation": [
                f"{s.publisher.striptags()}: {s.title} ({s.date.iso})" for s in story.sources
            ],
        }
    elif page.kind is Kind.DATA:
        data = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": content.site.dataset.name[lang],
            "description": content.site.dataset.description[lang],
            "url": links.absolute(page.path, lang),
            "inLanguage": HTML_LANG[lang],
            "temporalCoverage": temporal_coverage(content),
            "spatialCoverage": {"@type": "Place", "name": content.ui[lang]["data"]["place"]},
            "dateModified": stamp(max(s.date for s in content.sources.values())),
            "creator": publisher,
            "license": content.site.data_licence.path,
            "isAccessibleForFree": True,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": fmt,
                    "contentUrl": f"{links.base_url}data/{name}.{ext}",
                }
                for name in DATASETS
                for ext, fmt in (("csv", "text/csv"), ("json", "application/json"))
            ],
        }
    else:
        return ""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
