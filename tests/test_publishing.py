"""Publishing: links at a domain root and under a subpath, discovery files, feeds, open data, CI."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import OTHER_LOCALE, ROOT, need_locale, run_build

from sitegen.datasets import chart_fields, fields
from sitegen.pipeline import Project, validate

SUBPATH = "https://example.org/rmc/"


def crawl(site: Path, base: str) -> list[str]:
    """Every internal link, asset and anchor of every page, resolved as a browser would.

    Returns the broken ones.
    """
    base_path = urlsplit(base).path
    broken, ids = [], {}
    pages = sorted(site.rglob("*.html"))
    for p in pages:
        ids[p] = {
            t["id"] for t in BeautifulSoup(p.read_text("utf-8"), "html.parser").find_all(id=True)
        }
    for p in pages:
        rel = p.relative_to(site).as_posix()
        page_url = urljoin(base, rel.removesuffix("index.html"))
        soup = BeautifulSoup(p.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src") or tag.get("data-bundle")
            if not ref or ref.startswith(("data:", "mailto:")):
                continue
            url = urljoin(page_url, ref)
            if not url.startswith(base):
                if urlsplit(url).netloc == urlsplit(base).netloc:
                    broken.append(f"{rel}: {ref} is outside {base_path}")
                continue
            parts = urlsplit(url)
            target = site / unquote(parts.path[len(base_path) :])
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {ref}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids[target]:
                broken.append(f"{rel}: {ref} (no #{parts.fragment})")
    return broken


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sub") / "site"
    result = run_build(ROOT, "--base-url", SUBPATH, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_no_broken_internal_links_at_the_domain_root(site: Path) -> None:
    base = yaml.safe_load((ROOT / "content/site.yaml").read_text("utf-8"))["base_url"]
    assert crawl(site, base) == []


def test_no_broken_internal_links_under_a_subpath(subpath_site: Path) -> None:
    assert crawl(subpath_site, SUBPATH) == []
    home = (subpath_site / "index.html").read_text("utf-8")
    assert 'href="/rmc/static/style.css"' in home and 'href="/static/' not in home


def test_the_crawl_would_find_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/missing/">x</a><a href="#nowhere">y</a>', "utf-8"
    )
    assert len(crawl(tmp_path, "https://example.org/")) == 2


def test_sitemap_lists_every_page_with_its_alternates(site: Path, pages: dict) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert len(locs) == len(set(locs)) and len(locs) < 50_000
    expected = [p for p in pages if p.endswith("index.html") and "search/" not in p]
    assert len(locs) == len(expected)
    for url in root.findall("s:url", ns):
        langs = {link.get("hreflang") for link in url.findall("x:link", ns)}
        assert langs == {"zh-CN", "en", "x-default"}
    assert "Sitemap: https://example.org/sitemap.xml" in (site / "robots.txt").read_text("utf-8")


def test_atom_feeds_are_valid_and_dated_from_content(site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for path, lang in (("feed.xml", "zh-CN"), ("en/feed.xml", "en")):
        feed = ET.fromstring((site / path).read_bytes())
        assert (
            feed.tag == f"{atom}feed"
            and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        )
        for required in ("id", "title", "updated", "author"):
            assert feed.find(f"{atom}{required}") is not None
        entries = feed.findall(f"{atom}entry")
        assert len(entries) >= 7 + 15 - 1
        dates = [e.find(f"{atom}updated").text for e in entries]
        assert dates == sorted(dates, reverse=True) and feed.find(f"{atom}updated").text == dates[0]
        for e in entries:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", e.find(f"{atom}updated").text)
            assert e.find(f"{atom}id").text.startswith("https://example.org/")


def test_pages_carry_canonical_social_and_structured_data(pages: dict, site: Path) -> None:
    story = pages["en/stories/wang-mingxiu-chordoma/index.html"]
    assert (
        story.select_one('link[rel="canonical"]')["href"]
        == "https://example.org/en/stories/wang-mingxiu-chordoma/"
    )
    image = story.select_one('meta[property="og:image"]')["content"]
    assert image == "https://example.org/social/stories/wang-mingxiu-chordoma.en.png"
    assert (site / "social/stories/wang-mingxiu-chordoma.en.png").read_bytes()[
        :8
    ] == b"\x89PNG\r\n\x1a\n"
    data = json.loads(story.select_one('script[type="application/ld+json"]').string)
    assert (
        data["@type"] == "NewsArticle"
        and data["inLanguage"] == "en"
        and data["datePublished"] == "2022-09-26T00:00:00+08:00"
    )
    dataset = json.loads(
        pages["data/index.html"].select_one('script[type="application/ld+json"]').string
    )
    assert dataset["@type"] == "Dataset" and dataset["distribution"]
    for cid in ("national-projects", "province-map"):
        chart = pages[f"charts/{cid}/index.html"]
        assert chart.select_one('meta[property="og:image"]')["content"].endswith(
            f"/social/charts/{cid}.zh.png"
        )


def test_csv_downloads_match_the_content_model(site: Path) -> None:
    content = validate(Project(ROOT))
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    charts = {f"chart-{cid}": chart for cid, chart in content.charts.items()}
    assert package["licenses"] and [r["name"] for r in package["resources"]] == [
        "facts",
        "statements",
        "centres",
        "events",
        "provinces",
        "sources",
        *charts,
    ]
    for resource in package["resources"]:
        raw = (site / "data" / resource["path"]).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads Chinese correctly
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        chart = charts.get(resource["name"])
        assert (
            list(rows[0])
            == [f["name"] for f in resource["schema"]["fields"]]
            == [f for f, _ in (chart_fields(chart.kind) if chart else fields(resource["name"]))]
        )
        if "primaryKey" in resource["schema"]:
            assert len({r["id"] for r in rows}) == len(rows), resource["name"]
        if chart:
            assert resource["path"] == f"charts/{chart.id}.csv"
            continue  # chart data is CSV only (tests/test_chart_data.py)
        as_json = json.loads((site / "data" / f"{resource['name']}.json").read_text("utf-8"))
        assert [r["id"] for r in as_json] == [r["id"] for r in rows]
        assert [{k: str(v) for k, v in r.items()} for r in as_json] == rows
    facts = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO((site / "data/facts.csv").read_text("utf-8-sig")))
    }
    assert set(facts) == set(content.facts)
    for fid, fact in content.facts.items():
        assert (
            facts[fid]["value"] == str(fact.value)
            and facts[fid]["source"] == fact.source
            and facts[fid]["quote_zh"] == fact.quote.zh
        )
    for name, model_ids in (
        ("centres", content.centres),
        ("provinces", content.provinces),
        ("sources", content.sources),
    ):
        ids = {
            r["id"]
            for r in csv.DictReader(io.StringIO((site / f"data/{name}.csv").read_text("utf-8-sig")))
        }
        assert ids == set(model_ids)
    for cid in content.charts:
        assert (site / f"data/charts/{cid}.csv").is_file()


def test_each_chart_has_an_embeddable_page_without_site_chrome(pages: dict) -> None:
    for prefix in ("", "en/"):
        embed = pages[f"{prefix}charts/province-map/embed.html"]
        assert embed.select_one("figure.chart svg") and embed.select_one(".chart-source a")
        assert not embed.select("nav, header, footer, .lang-switch, form")
        back = embed.select_one(".chart-links a")
        assert back["href"].endswith(f"/{prefix}charts/province-map/") and back["target"] == "_top"
        snippet = (
            pages[f"{prefix}charts/province-map/index.html"]
            .select_one(".embed-code code")
            .get_text()
        )
        assert f'src="https://example.org/{prefix}charts/province-map/embed.html"' in snippet


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"TZ": "America/Los_Angeles", "SOURCE_DATE_EPOCH": "0"}, id="time zone"),
        pytest.param({"LC_ALL": OTHER_LOCALE}, id="locale"),
    ],
)
def test_builds_are_identical_across_time_zones_and_locales(
    site: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    def digest(d: Path) -> dict[str, bytes]:
        return {
            p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()
        }

    if "LC_ALL" in env:
        need_locale(env["LC_ALL"])
    out = tmp_path / "other"
    # --no-cache: the render cache is keyed by spec, so a cached build would hide a time-zone or
    # locale bug in rendering.
    result = run_build(ROOT, "--no-cache", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert digest(out) == digest(site)


def test_workflow_files_pass_actionlint() -> None:
    # The locked actionlint, installed beside this Python (make test). Its checks of `run:`
    # scripts with whatever shellcheck or pyflakes is on PATH are off, so that the result
    # depends only on the lock (GitHub's runners have a shellcheck, most machines none).
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if not actionlint:
        if os.environ.get("CI"):
            pytest.fail(f"actionlint missing beside {sys.executable} (make test installs it)")
        pytest.skip("actionlint not installed (make test installs it)")
    workflows = sorted(str(p) for p in (ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run(
        [actionlint, "-shellcheck=", "-pyflakes=", *workflows],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_story_cards_wrap_long_titles_inside_the_card(scratch: Path) -> None:
    """A title too long for one line wraps onto the next ones and never runs off the card.

    The card is 1200 × 630.
    """
    from PIL import Image

    long = {
        "zh": "一位八十二岁的老人在家门口的国家区域医疗中心做了六个小时的颈椎脊索瘤切除手术，"
        "此前他辗转多家医院都没能得到有效治疗",
        "en": "An 82-year-old had a six-hour operation on a chordoma in his cervical spine at a "
        "regional medical centre close to home, after years of searching",
    }
    for lang, title in long.items():
        path = scratch / f"content/stories/wang-mingxiu-chordoma.{lang}.md"
        path.write_text(
            re.sub(r"(?m)^title: .*$", f"title: {title}", path.read_text("utf-8"), count=1), "utf-8"
        )
    result = run_build(scratch, "--out", str(scratch / "site"), "--no-cache")
    assert result.returncode == 0, result.stderr
    for lang in long:
        card = Image.open(
            scratch / f"site/social/stories/wang-mingxiu-chordoma.{lang}.png"
        ).convert("RGB")
        assert card.size == (1200, 630)
        background = card.getpixel((0, 0))
        right_margin = card.crop((1120, 0, 1200, 630))
        assert [colour for _, colour in right_margin.getcolors(1 << 16)] == [background], (
            f"{lang}: the title runs into the right margin"
        )
        title_rows = [
            y
            for y in range(180, 520)
            if any(card.getpixel((x, y)) != background for x in range(88, 1112, 4))
        ]
        assert title_rows[-1] - title_rows[0] > 250, (
            f"{lang}: a long title should wrap onto three lines"
        )
