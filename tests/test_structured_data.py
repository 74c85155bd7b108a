"""Structured data a search engine accepts: JSON-LD and the share card's Open Graph tags.

Checked against Google's documented requirements for a Dataset (name, a description of 50 to
5000 characters, temporalCoverage, spatialCoverage, dateModified) and a NewsArticle (headline,
image, dates with a time zone), in both languages, with the expected values computed here from
the loaded content.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build
from PIL import Image

from sitegen.model import Content
from sitegen.pipeline import Project, validate

LANGS = {"zh": "", "en": "en/"}  # language → path prefix
CHINA_MIDNIGHT = re.compile(r"(\d{4}-\d\d-\d\d)T00:00:00\+08:00")
PARTIAL = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")


@cache
def content() -> Content:
    return validate(Project(ROOT))


def ld(page: BeautifulSoup) -> list[dict[str, Any]]:
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def only(page: BeautifulSoup, kind: str) -> dict[str, Any]:
    found = [d for d in ld(page) if d["@type"] == kind]
    assert len(found) == 1, f"{len(found)} {kind} objects"
    return found[0]


def meta(page: BeautifulSoup, key: str, attr: str = "property") -> str:
    tag = page.select_one(f'meta[{attr}="{key}"]')
    assert tag is not None, f"no {key}"
    return str(tag["content"])


def first_day(d: str) -> dt.date:
    """A YYYY, YYYY-MM or YYYY-MM-DD date's first day; fails on anything else."""
    assert PARTIAL.fullmatch(d), f"{d!r} is not an ISO 8601 date"
    return dt.date.fromisoformat((d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10])


def test_every_json_ld_block_is_json_and_escapes_markup(pages: dict[str, BeautifulSoup]) -> None:
    types: dict[str, int] = {}
    for path, page in pages.items():
        for script in page.select('script[type="application/ld+json"]'):
            raw = script.string
            assert "<" not in raw, f"{path}: a raw '<' in JSON-LD"
            data = json.loads(raw)
            assert data["@context"] == "https://schema.org", path
            types[data["@type"]] = types.get(data["@type"], 0) + 1
    assert types == {"Dataset": 2, "NewsArticle": 2 * len(content().stories)}


@pytest.mark.parametrize("lang", LANGS)
def test_the_dataset_has_what_google_requires(pages: dict[str, BeautifulSoup], lang: str) -> None:
    c = content()
    page = pages[f"{LANGS[lang]}data/index.html"]
    data = only(page, "Dataset")
    title = page.select_one('meta[property="og:title"]')["content"]
    assert data["name"] and data["name"] not in (title, page.title.string), "name the dataset"
    assert data["name"] == c.site.dataset.name[lang]
    assert 50 <= len(data["description"]) <= 5000
    other = "en" if lang == "zh" else "zh"
    assert data["description"] != c.site.dataset.description[other]
    assert data["inLanguage"] == {"zh": "zh-CN", "en": "en"}[lang]

    dates = [
        *(f.as_of for f in c.facts.values()),
        *(st.date for st in c.statements.values()),
        *(e.date for e in c.events),
        *(s.date for s in c.sources.values()),
    ]
    start, end = data["temporalCoverage"].split("/")
    assert first_day(start) <= first_day(end)
    assert first_day(start) == min(map(first_day, dates))
    assert first_day(end) == max(map(first_day, dates))
    assert start in dates and end in dates
    assert data["temporalCoverage"] == "2016/2024-10-23"  # what the content says today

    assert data["spatialCoverage"] == {"@type": "Place", "name": c.ui[lang]["data"]["place"]}
    assert data["spatialCoverage"]["name"] == {"zh": "中国", "en": "China"}[lang]
    modified = CHINA_MIDNIGHT.fullmatch(data["dateModified"])
    assert modified and modified.group(1) == max(s.date for s in c.sources.values())
    assert data["creator"]["name"] == c.site.title[lang]
    assert data["license"] == c.site.data_licence.path
    downloads = {d["contentUrl"].rsplit("/", 1)[1] for d in data["distribution"]}
    names = ("facts", "statements", "centres", "events", "provinces", "sources")
    assert downloads == {f"{name}.{ext}" for name in names for ext in ("csv", "json")}


@pytest.mark.parametrize("lang", LANGS)
def test_every_story_is_a_news_article_dated_in_china_time(
    pages: dict[str, BeautifulSoup], site: Path, lang: str
) -> None:
    c = content()
    for story in c.stories.values():
        page = pages[f"{LANGS[lang]}stories/{story.id}/index.html"]
        data = only(page, "NewsArticle")
        meta = story[lang].meta
        assert data["headline"] == meta.title
        published = CHINA_MIDNIGHT.fullmatch(data["datePublished"])
        modified = CHINA_MIDNIGHT.fullmatch(data["dateModified"])
        assert published and published.group(1) == meta.date
        assert modified and modified.group(1) == (meta.updated or meta.date)
        assert data["dateModified"] >= data["datePublished"]
        assert data["image"]
        for url in data["image"]:
            assert url.startswith(c.site.base_url)
            assert (site / url.removeprefix(c.site.base_url)).is_file(), url


def test_share_cards_state_their_real_size_type_and_text(
    pages: dict[str, BeautifulSoup], site: Path
) -> None:
    base = content().site.base_url
    sizes: dict[str, tuple[int, int]] = {}
    seen = 0
    for path, page in pages.items():
        image = page.select_one('meta[property="og:image"]')
        if image is None:
            continue
        seen += 1
        url = image["content"]
        if url not in sizes:
            with Image.open(site / url.removeprefix(base)) as card:
                assert card.format == "PNG", url
                sizes[url] = card.size
        assert meta(page, "og:image:type") == "image/png", path
        width, height = (int(meta(page, f"og:image:{side}")) for side in ("width", "height"))
        assert (width, height) == sizes[url], path
        alt = meta(page, "og:image:alt")
        assert alt.strip(), path
        assert meta(page, "twitter:image:alt", "name") == alt, path
        if "/social/stories/" in url or "/social/charts/" in url:
            assert alt == meta(page, "og:title"), f"{path}: the card shows the page's title"
    assert seen > 100 and set(sizes.values()) == {(1200, 630)}


def test_an_updated_story_says_when_it_changed(scratch: Path) -> None:
    for lang in LANGS:
        path = scratch / f"content/stories/songxia-achilles-tendon.{lang}.md"
        text = path.read_text("utf-8")
        day = "date: 2022-09-26\n"
        path.write_text(text.replace(day, f"{day}updated: 2022-10-08\n", 1), "utf-8")
    result = run_build(scratch, "--out", str(scratch / "site"))
    assert result.returncode == 0, result.stderr
    for lang, prefix in LANGS.items():
        page = BeautifulSoup(
            (scratch / f"site/{prefix}stories/songxia-achilles-tendon/index.html").read_text(
                "utf-8"
            ),
            "html.parser",
        )
        data = only(page, "NewsArticle")
        assert data["datePublished"] == "2022-09-26T00:00:00+08:00", lang
        assert data["dateModified"] == "2022-10-08T00:00:00+08:00", lang
        feed = (scratch / f"site/{prefix}feed.xml").read_text("utf-8")
        entry = feed[feed.index("stories/songxia-achilles-tendon/") :]
        assert "<updated>2022-10-08T00:00:00+08:00</updated>" in entry[: entry.index("</entry>")]
