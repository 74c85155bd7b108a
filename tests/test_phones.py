"""Phones first, in a real browser: no sideways scrolling, stacked tables, numbers kept whole,
and embeds that fit their content on another site (DESIGN.md rules 13, 14 and 18).
"""

from __future__ import annotations

import re

import pytest

CHARTS = [
    "county-hospitals",
    "henan-progress",
    "key-specialties",
    "national-projects",
    "planned-targets",
    "province-map",
    "timeline",
]
PAGES = [
    "",
    "national/",
    "timeline/",
    "provinces/",
    "provinces/henan/",
    "provinces/anhui/",
    "centres/",
    "centres/bch-baoding/",
    "centres/jishuitan-zhengzhou/",
    "stories/",
    "stories/wang-mingxiu-chordoma/",
    *(f"charts/{c}/" for c in CHARTS),
    *(f"charts/{c}/embed.html" for c in CHARTS),
    "data/",
    "about/",
    "search/",
]
ALL = [*PAGES, *(f"en/{p}" for p in PAGES), "404.html"]
TABLE_PAGES = ["centres/", "provinces/", "charts/timeline/", "charts/province-map/", "data/"]

LAYOUT = """() => {
  const items = [...document.querySelectorAll('.site-nav li')];
  const lines = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(0, 3).map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width: innerWidth,
          navItems: items.length, navLines: lines.size, wide};
}"""


@pytest.fixture(
    scope="module",
    params=[(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")],
    ids=lambda p: f"{p[0]}px-{p[1]}",
)
def page(browser, request):  # type: ignore[no-untyped-def]
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    p = context.new_page()
    yield p
    context.close()


@pytest.mark.parametrize("path", ALL)
def test_no_page_scrolls_sideways_and_the_menu_takes_two_lines(  # type: ignore[no-untyped-def]
    page, server: str, path: str
) -> None:
    page.goto(server + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    got = page.evaluate(LAYOUT)
    assert got["scroll"] <= got["width"], f"{path} scrolls sideways: {got}"
    if got["navItems"]:
        assert got["navLines"] <= (2 if got["width"] < 400 else 1), got


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_tables_stack_into_labelled_rows_on_a_phone(  # type: ignore[no-untyped-def]
    browser, server: str, path: str, lang: str
) -> None:
    """At 375 px a table needs no sideways scrolling; each row reads header, then label: value."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(server + lang + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => {
          const box = t.closest('.table-scroll') || t.parentElement;
          const rows = [...t.tBodies[0].rows].map(tr => {
            const cells = [...tr.cells].filter(c => c.textContent.trim());
            const stacked = cells.every((c, i) => i === 0
              || c.getBoundingClientRect().top >= cells[i - 1].getBoundingClientRect().bottom - 1);
            const labels = cells.slice(1).map(c => getComputedStyle(c, '::before').content);
            return {stacked, labelled: labels.every(l => l.length > 4)};
          });
          return {fits: box.scrollWidth <= box.clientWidth, rows};
        })"""
    )
    context.close()
    assert tables, path
    for t in tables:
        assert t["fits"], (path, "the table scrolls sideways")
        assert all(r["stacked"] and r["labelled"] for r in t["rows"]), (path, t["rows"][:3])


@pytest.mark.parametrize(
    "path",
    [
        "",
        "national/",
        "timeline/",
        "provinces/",
        "centres/bch-baoding/",
        "stories/wang-mingxiu-chordoma/",
        "charts/planned-targets/",
    ],
)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_a_number_stays_with_its_unit_across_line_breaks(  # type: ignore[no-untyped-def]
    browser, server: str, path: str, lang: str
) -> None:
    """125个, 2024年10月 and CNY 13.79 billion are never split over two lines at 320 px."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(server + lang + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    split = page.evaluate(
        """() => [...document.querySelectorAll('main time, main .fact-value, main a.fact,'
                                               + ' main .num')].filter(el => {
          const r = document.createRange();
          r.selectNodeContents(el);
          const text = [...el.childNodes].filter(n => n.nodeType === 3);
          const tops = text.flatMap(n => { r.selectNodeContents(n);
                                           return [...r.getClientRects()].map(x => x.top); });
          return tops.some(t => Math.abs(t - tops[0]) > 4);
        }).map(el => el.textContent)"""
    )
    context.close()
    assert split == [], split


def host_page(snippet: str, script: bool) -> str:
    if not script:
        snippet = re.sub(r"<script[^>]*></script>", "", snippet)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width"><title>A host</title></head>'
        f'<body style="margin:0"><p>Another site\'s article.</p>{snippet}<p>More.</p></body></html>'
    )


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
@pytest.mark.parametrize("width", [375, 800])
@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("chart", CHARTS)
def test_an_embedded_chart_shows_its_source_and_link_back(  # type: ignore[no-untyped-def]
    browser, server: str, chart: str, lang: str, width: int, script: bool
) -> None:
    """The snippet from the chart's page, on another site: with embed.js the iframe takes the
    chart's height; without it, the default height still shows the source and the link back."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server}{lang}charts/{chart}/")
    snippet = page.locator(".embed-code code").text_content() or ""
    # The chart's site and another site, both public names served through routes: Chromium
    # would refuse a public page's requests to a server on the loopback.
    snippet = snippet.replace("https://example.org/", "http://charts.test/")
    context.route(
        "http://charts.test/**",
        lambda route: route.fulfill(
            response=route.fetch(url=route.request.url.replace("http://charts.test/", server))
        ),
    )
    context.route(
        "http://host.test/**",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8", body=host_page(snippet, script)
        ),
    )
    page.goto("http://host.test/article")
    iframe = page.locator("iframe")
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    if script:
        page.wait_for_function(
            "() => document.querySelector('iframe').style.height !== ''", timeout=5000
        )
        page.wait_for_timeout(100)  # a second height after the load, if any
    inside = frame.evaluate(
        """() => {
          const seen = sel => { const r = document.querySelector(sel).getBoundingClientRect();
            return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 0.5; };
          return {source: seen('.chart-source'), back: seen('.chart-links a'),
                  content: Math.ceil(document.documentElement.getBoundingClientRect().height),
                  height: innerHeight, sideways: document.documentElement.scrollWidth > innerWidth};
        }"""
    )
    frame_height = iframe.bounding_box()["height"]
    context.close()
    assert inside["source"] and inside["back"], inside
    assert not inside["sideways"], inside
    if script:
        assert abs(frame_height - inside["content"]) <= 2, (frame_height, inside)
    else:
        assert frame_height == 640, frame_height
