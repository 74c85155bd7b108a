"""What a reader gets: every page in both languages, sourced figures, charts with tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "content/site.yaml").read_text("utf-8"))["base_url"]


def _ids(name: str, key: str) -> list[str]:
    return [r["id"] for r in yaml.safe_load((ROOT / "content" / name).read_text("utf-8"))[key]]


def _twin(path: str) -> str:
    return path[3:] if path.startswith("en/") else f"en/{path}"


def test_every_page_type_exists_in_both_languages(site: Path) -> None:
    expected = ["", "timeline/", "provinces/", "centres/", "stories/", "data/", "about/"]
    expected += [f"provinces/{i}/" for i in _ids("provinces.yaml", "provinces")]
    expected += [f"centres/{i}/" for i in _ids("centres.yaml", "centres")]
    expected += [f"charts/{i}/" for i in _ids("charts.yaml", "charts")]
    expected += [
        f"stories/{p.name.split('.')[0]}/" for p in (ROOT / "content/stories").glob("*.zh.md")
    ]
    for path in expected:
        assert (site / path / "index.html").is_file(), path
        assert (site / "en" / path / "index.html").is_file(), f"en/{path}"
    assert (site / "404.html").is_file()


def test_thirty_one_province_pages_and_at_least_seven_stories(site: Path) -> None:
    assert len(list((site / "provinces").glob("*/index.html"))) == 31
    assert len(list((site / "en/stories").glob("*/index.html"))) >= 7


def test_each_page_declares_its_language_and_links_to_its_twin(
    pages: dict[str, BeautifulSoup],
) -> None:
    for path, soup in pages.items():
        if path == "404.html":
            continue
        lang = "en" if path.startswith("en/") else "zh-CN"
        assert soup.html["lang"] == lang, path
        twin = _twin(path)
        assert twin in pages, f"{path} has no twin {twin}"
        if path.endswith(
            "embed.html"
        ):  # chrome-free for iframes: no switch, canonical is the chart page
            continue
        page_url = path.removesuffix("index.html")
        alternates = {
            a["hreflang"]: a["href"] for a in soup.select('link[rel="alternate"][hreflang]')
        }
        assert alternates["zh-CN"] == BASE + (
            page_url if lang == "zh-CN" else _twin(path).removesuffix("index.html")
        )
        assert alternates["en"] == BASE + (
            page_url if lang == "en" else _twin(path).removesuffix("index.html")
        )
        assert "x-default" in alternates
        switch = soup.select_one("a.lang-switch")
        assert switch["href"] == "/" + twin.removesuffix("index.html"), path
        assert switch["lang"] == ("zh-CN" if lang == "en" else "en")


def test_henan_figures_are_formatted_per_language_with_their_source(
    pages: dict[str, BeautifulSoup],
) -> None:
    zh = pages["provinces/henan/index.html"].get_text(" ")
    en = pages["en/provinces/henan/index.html"].get_text(" ")
    for text in ("137.9亿元", "48亿元", "1.1万张", "2884张", "河南日报"):
        assert text in zh, text
    for text in (
        "CNY 13.79 billion",
        "CNY 4.8 billion",
        "11,000 beds",
        "2,884 beds",
        "Henan Daily",
    ):
        assert text in en, text


def test_national_figures_keep_the_sources_qualifiers(pages: dict[str, BeautifulSoup]) -> None:
    zh = pages["index.html"].get_text(" ")
    en = pages["en/index.html"].get_text(" ")
    assert "125个" in zh and "超过75%" in zh and "1400余项" in zh and "约120个" in zh
    assert "125 projects" in en and "more than 75%" in en and "1,400+" in en and "about 120" in en


def test_every_figure_card_names_its_source(pages: dict[str, BeautifulSoup]) -> None:
    cards = [c for soup in pages.values() for c in soup.select(".fact-card")]
    assert cards
    for card in cards:
        link = card.select_one(".fact-meta a[href*='data/#source-']")
        assert link is not None and link.get_text(strip=True), card


def test_unreported_provinces_say_not_reported_never_zero(pages: dict[str, BeautifulSoup]) -> None:
    zh_row = next(
        tr for tr in pages["provinces/index.html"].select("tbody tr") if "云南" in tr.get_text()
    )
    en_row = next(
        tr
        for tr in pages["en/provinces/index.html"].select("tbody tr")
        if "Yunnan" in tr.get_text()
    )
    assert "未报道" in zh_row.get_text() and "Not reported" in en_row.get_text()
    assert not re.search(r"\b0\b", zh_row.select("td")[1].get_text())


def test_every_chart_svg_is_in_its_page_with_its_table(pages: dict[str, BeautifulSoup]) -> None:
    for cid in _ids("charts.yaml", "charts"):
        for prefix in ("", "en/"):
            soup = pages[f"{prefix}charts/{cid}/index.html"]
            fig = soup.select_one(f"figure#chart-{cid}")
            assert fig is not None, cid
            svg = fig.select_one(".chart-frame svg")
            assert (
                svg is not None
                and svg["role"] == "img"
                and svg["aria-labelledby"] == f"{cid}-title"
            )
            assert fig.select("table tbody tr"), cid
            assert fig.select_one(".chart-summary").get_text(strip=True)
            assert fig.select_one(".chart-source a")


def test_every_chart_spec_a_browser_gets_is_valid_vega_lite(
    pages: dict[str, BeautifulSoup],
) -> None:
    # The build skips Altair's per-build schema validation for speed; this is where it happens.
    import json

    import jsonschema
    from altair.vegalite.v6.schema import core

    specs = [
        json.loads(s.string)
        for path, page in pages.items()
        if path.startswith(("charts/", "en/charts/"))
        for s in page.select("script.chart-spec")
    ]
    assert len(specs) >= 14
    for spec in specs:
        core.TopLevelSpec.validate(spec)
    broken = {**specs[0], "mark": "no-such-mark"}
    with pytest.raises(jsonschema.ValidationError):
        core.TopLevelSpec.validate(broken)


def test_chinese_chart_labels_are_in_the_svg(pages: dict[str, BeautifulSoup]) -> None:
    svg = pages["charts/province-map/index.html"].select_one("svg")
    assert "河南" in svg.get_text() and "新疆" in svg.get_text()


def test_chart_scripts_load_only_on_pages_with_charts(pages: dict[str, BeautifulSoup]) -> None:
    for path, soup in pages.items():
        has_chart = bool(soup.select("figure.chart"))
        scripts = [s.get("src", "") for s in soup.select("script[src]")]
        assert any("charts.js" in s for s in scripts) == has_chart, path
        for s in soup.select("script[src]"):
            assert s.has_attr("defer"), path
        assert not any("vega-embed" in s for s in scripts), path


def test_no_page_references_another_host(site: Path, pages: dict[str, BeautifulSoup]) -> None:
    for path, soup in pages.items():
        for tag in soup.find_all(src=True):
            assert not re.match(r"^(https?:)?//", tag["src"]), (path, tag["src"])
        for tag in soup.find_all(["link", "a"], href=True):
            href = tag["href"]
            if re.match(r"^(https?:)?//", href):
                assert href.startswith(BASE), (path, href)
    css = (site / "static/style.css").read_text("utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_story_numbers_come_from_facts_with_notes(pages: dict[str, BeautifulSoup]) -> None:
    cited = 0
    for path, soup in pages.items():
        if "/stories/" in f"/{path}" and path.count("/") >= 2:
            for a in soup.select(".prose a.fact"):
                cited += 1
                target = a["href"].lstrip("#")
                assert soup.find(id=target) is not None, (path, target)
    assert cited > 0


def test_data_downloads_exist(site: Path) -> None:
    for name in ("facts", "centres", "events", "provinces", "sources"):
        csv = (site / f"data/{name}.csv").read_bytes()
        assert csv.startswith("\ufeff".encode()), name
        assert (site / f"data/{name}.json").is_file()
    assert (site / "static/vega-embed.js").stat().st_size > 100_000
