"""Chinese typography in the built pages, and embeds whose links leave the frame.

Every Chinese string the build makes uses full-width punctuation (（）、，：), so the
Chinese pages' reader text never has a half-width , : ( ) beside a Chinese character;
numbers keep plain text in the open data (no-break characters are a matter for CSS).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef《》“”]"
HALF_WIDTH = re.compile(rf"{CJK}[ \u00a0]*[,:()]|[,:()][ \u00a0]*{CJK}")
# Attributes a reader sees or hears: tooltips, labels, the stacked tables' cell labels.
READER_ATTRS = ("title", "aria-label", "alt", "placeholder", "data-label")


def chinese_text(soup: BeautifulSoup) -> tuple[str, list[str]]:
    """A Chinese page's reader text (code, scripts and English passages left out)."""
    soup = BeautifulSoup(str(soup), "html.parser")  # a copy: the session's pages stay whole
    for tag in soup(["script", "style", "code", "pre", "svg"]):
        tag.decompose()
    for tag in soup.select('[lang^="en"]'):
        tag.decompose()
    attrs = [
        v for el in soup.find_all(True) for a in READER_ATTRS if isinstance(v := el.get(a), str)
    ]
    meta = [m.get("content", "") for m in soup.select('meta[name="description"]')]
    title = soup.title.get_text() if soup.title else ""
    body = soup.body.get_text("") if soup.body else ""
    return body, [*attrs, *meta, title]


def test_chinese_pages_use_full_width_punctuation(pages: dict[str, BeautifulSoup]) -> None:
    found = []
    for path, soup in pages.items():
        if path.startswith(("en/", "pagefind/")):
            continue
        body, others = chinese_text(soup)
        for m in HALF_WIDTH.finditer(body):
            found.append((path, body[max(0, m.start() - 12) : m.end() + 12]))
        found += [(path, v) for v in others if HALF_WIDTH.search(v)]
    assert found == [], found[:10]


def test_the_checker_sees_half_width_punctuation_beside_chinese() -> None:
    soup = BeautifulSoup(
        "<html><body><p>河南日报, <time>2024年5月</time></p><p lang='en'>Henan (China)</p>"
        "<code>a: 河南</code><p>10个 (2024年)</p></body></html>",
        "html.parser",
    )
    body, _ = chinese_text(soup)
    assert [m.group() for m in HALF_WIDTH.finditer(body)] == ["报,", "个 (", "年)"]


def test_open_data_keeps_plain_text(site: Path) -> None:
    """No no-break space or word joiner in the CSV and JSON: numbers stay together by CSS."""
    for p in sorted((site / "data").rglob("*")):
        if p.suffix in (".csv", ".json"):
            text = p.read_text("utf-8-sig")
            assert "\u00a0" not in text and "\u2060" not in text, p


def test_every_link_in_an_embed_opens_outside_the_frame(pages: dict[str, BeautifulSoup]) -> None:
    embeds = {p: s for p, s in pages.items() if p.endswith("/embed.html")}
    assert len(embeds) >= 14
    for path, soup in embeds.items():
        base = soup.select_one("head base[target]")
        default = base["target"] if base else ""
        for a in soup.select("a[href]"):
            assert (a.get("target") or default) in ("_top", "_blank"), (path, a)
        assert soup.select_one('script[src$="static/embed.js"]'), path


def test_the_embed_snippet_includes_the_resize_script(pages: dict[str, BeautifulSoup]) -> None:
    for path, soup in pages.items():
        if path.startswith(("charts/", "en/charts/")) and path.endswith("/index.html"):
            snippet = soup.select_one(".embed-code code").get_text()
            assert re.search(r'<iframe [^>]*height="\d+"', snippet), path
            assert snippet.endswith(
                '<script src="https://example.org/static/embed.js" async></script>'
            ), path


def test_numbers_in_texts_the_build_fills_in_are_kept_whole(
    pages: dict[str, BeautifulSoup],
) -> None:
    """Headline, standfirst, ledes, chart summaries and events set each number with its unit
    (and each date) in one unbreakable run, as figure cards and story citations do."""
    import yaml

    from sitegen.formatting import unbroken
    from sitegen.model import UnitsFile

    root = Path(__file__).resolve().parent.parent
    units = UnitsFile(**yaml.safe_load((root / "content/units.yaml").read_text("utf-8"))).units
    runs = {lang: unbroken(units, lang) for lang in ("zh", "en")}
    texts = ".headline, .standfirst, .lede, .chart-summary, .events h3, .events li > p"
    checked = 0
    for path, soup in pages.items():
        lang = "en" if path.startswith("en/") else "zh"
        for el in BeautifulSoup(str(soup), "html.parser").select(texts):
            whole = [n.get_text() for n in el.select(".num")]
            for n in el.select(".num, time"):
                n.decompose()
            assert not runs[lang].search(el.get_text()), (path, el.get_text())
            checked += len(whole)
    assert checked > 100
