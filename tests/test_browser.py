"""Every page type in a real browser (Debian's Chromium via Playwright), as readers get them.

axe-core (current, from npm) finds no violations in either language, at phone
and desktop width, light and dark; pages read fully without JavaScript; with
JavaScript, nothing is requested from another host and nothing logs an error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import NODE_MODULES

PAGES = [
    "",
    "national/",
    "timeline/",
    "provinces/",
    "provinces/henan/",
    "provinces/anhui/",
    "centres/",
    "centres/bch-baoding/",
    "stories/",
    "stories/wang-mingxiu-chordoma/",
    "charts/province-map/",
    "charts/province-map/embed.html",
    "data/",
    "about/",
    "search/",
]
ALL = [*PAGES, *(f"en/{p}" for p in PAGES), "404.html"]
AXE = (NODE_MODULES / "axe-core/axe.min.js").as_posix()


@pytest.fixture(
    scope="module",
    params=[(375, "light"), (1280, "light"), (375, "dark")],
    ids=lambda p: f"{p[0]}px-{p[1]}",
)
def page(browser, request):  # type: ignore[no-untyped-def]
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    p = context.new_page()
    yield p
    context.close()


@pytest.mark.parametrize("path", ALL)
def test_no_accessibility_violations(page, server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + path)
    page.add_script_tag(path=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert problems == [], f"{path}: {problems}"


@pytest.mark.parametrize("path", ALL)
def test_requests_stay_on_this_host_and_nothing_logs_an_error(  # type: ignore[no-untyped-def]
    browser, server: str, path: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    hosts, errors = set(), []
    page.on(
        "request", lambda r: hosts.add(urlsplit(r.url).netloc) if r.url.startswith("http") else None
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + path + ("?q=河南" if path.endswith("search/") else ""))
    page.mouse.wheel(0, 20000)  # reach the charts so their script loads too
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")
    context.close()
    assert hosts == {urlsplit(server).netloc}, hosts
    assert errors == []


@pytest.mark.parametrize("path", [p for p in ALL if "search/" not in p])
def test_pages_read_completely_without_javascript(browser, server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(server + path)
    assert page.locator("h1").first.is_visible()
    assert len(page.inner_text("main")) > 40
    for fig in page.locator("figure.chart").all():
        shown = [b for s in fig.locator(".chart-frame svg").all() if (b := s.bounding_box())]
        assert len(shown) == 1, "one drawing of each chart is shown (narrow or wide)"
        assert shown[0]["width"] > 200 and shown[0]["height"] > 50
        assert fig.locator("table tbody tr").count() > 0
    context.close()


def test_search_without_javascript_offers_the_tables(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "en/search/")
    assert page.locator("main a[href$='/en/provinces/#table']").is_visible()
    context.close()


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("search/", "河南", "/provinces/henan/"),
        ("search/", "干细胞", "/stories/xiao-qi-stem-cell-transplant/"),
        ("en/search/", "Henan", "/en/provinces/henan/"),
        ("en/search/", "stem cell", "/en/stories/xiao-qi-stem-cell-transplant/"),
    ],
)
def test_search_finds_pages_in_the_page_language(  # type: ignore[no-untyped-def]
    browser, server: str, path: str, query: str, expected: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}{path}?q={query}")
    # Pagefind adds results as it loads them: wait for the one expected, not only the first.
    page.wait_for_selector(f'.pagefind-ui__result-link[href="{expected}"]', timeout=15000)
    links = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
    context.close()
    assert expected in links, links
    assert all(link.startswith("/en/") == path.startswith("en/") for link in links), links


def test_chart_script_loads_only_when_a_reader_reaches_a_chart(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 700})
    page = context.new_page()
    loaded = []
    page.on("request", lambda r: loaded.append(r.url) if r.url.endswith("vega-embed.js") else None)
    page.goto(server)
    page.wait_for_load_state("networkidle")
    assert loaded == [], "the chart bundle loaded before the reader scrolled or touched a chart"
    page.mouse.wheel(0, 200)  # the lead chart is on the first screen: scrolling reaches it
    page.wait_for_function(
        "document.querySelector('figure.chart').getAttribute('data-enhanced') === '1'"
    )
    page.wait_for_load_state("networkidle")
    assert len(loaded) == 1
    context.close()


def test_an_interactive_chart_takes_the_place_of_the_static_one_without_moving(  # type: ignore[no-untyped-def]
    browser, server: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held: list = []  # the chart bundle's request, held back until the static chart is measured
    page.route("**/vega-embed.js", lambda route: held.append(route))
    page.goto(server + "en/charts/province-map/")
    chart = page.locator("figure.chart .chart-frame svg.chart-wide").first  # shown at 1280 px
    static = chart.element_handle()
    before = static.bounding_box()
    page.locator("figure.chart").first.dispatch_event("pointerdown")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_function(
        "svg => !svg.isConnected", arg=static
    )  # vega-embed's chart has replaced it
    after = chart.bounding_box()
    assert after == before, (
        f"the chart moved or resized when it became interactive: {before} → {after}"
    )
    context.close()


def test_focus_is_visible_and_the_skip_link_comes_first(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto(server)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " const r = e.getBoundingClientRect();"
        " return {cls: e.className, outline: s.outlineStyle, width: s.outlineWidth,"
        " top: r.top, left: r.left}; })()"
    )
    context.close()
    assert focused["cls"] == "skip"
    assert focused["outline"] != "none" and focused["width"] != "0px"
    assert focused["top"] >= 0 and focused["left"] >= 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_screen_on_a_phone_states_the_news(browser, server: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """At 375 × 812 the headline and standfirst, with their figures, are on the first screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(server + ("en/" if lang == "en" else ""))
    for selector in ("h1", ".standfirst"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= 812, selector
    news = page.locator("h1").inner_text() + page.locator(".standfirst").inner_text()
    figures = ("125个", "10个", "89家", "75%") if lang == "zh" else ("125", "10 projects", "89")
    assert all(f in news for f in figures), news
    context.close()


@pytest.mark.parametrize("path", ALL)
def test_no_chinese_text_is_set_in_italic(page, server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """Browsers slant CJK glyphs they have no italic for; Chinese uses colour or weight."""
    page.goto(server + path)
    slanted = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(el =>
            getComputedStyle(el).fontStyle !== 'normal'
            && /[\\u4e00-\\u9fff]/.test([...el.childNodes].filter(n => n.nodeType === 3)
                .map(n => n.textContent).join(''))
        ).map(el => el.tagName + ': ' + el.textContent.slice(0, 30))"""
    )
    assert not slanted, slanted


# Every chart page and the pages that show charts, in both languages.
CHART_IDS = [
    "national-projects",
    "province-map",
    "henan-progress",
    "key-specialties",
    "county-hospitals",
    "timeline",
    "planned-targets",
]
CHART_PAGES = [*(f"charts/{c}/" for c in CHART_IDS), "", "provinces/", "provinces/henan/"]
CHART_PAGES += ["timeline/"]
CHART_PAGES = [*CHART_PAGES, *(f"en/{p}" for p in CHART_PAGES)]

# Each shown chart: its drawn width, its column's width, and every text's size as rendered
# (the computed font size times the SVG's scale on the page).
_MEASURE = """() => [...document.querySelectorAll('figure.chart')].map(fig => {
    const svg = [...fig.querySelectorAll('.chart-frame svg')]
        .find(s => s.getBoundingClientRect().width > 0);
    if (!svg) return {shown: false};
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
        .map(t => [t.textContent.slice(0, 30), parseFloat(getComputedStyle(t).fontSize) * scale]);
    return {shown: true, id: fig.id, width: svg.getBoundingClientRect().width,
            column: fig.querySelector('.chart-frame').clientWidth, sizes};
})"""


def _charts(browser, server: str, path: str, width: int, scheme: str = "light"):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(server + path)
    return context, page


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_is_at_least_11px_on_a_phone(browser, server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _charts(browser, server, path, 375)
    charts = page.evaluate(_MEASURE)
    context.close()
    if not charts:
        pytest.skip(f"{path} shows no chart")
    for c in charts:
        assert c["shown"], f"{path}: a chart shows no drawing at 375 px"
        small = [(t, round(px, 1)) for t, px in c["sizes"] if px < 11]
        assert c["sizes"] and not small, f"{path} {c['id']}: text under 11 px: {small[:5]}"
        assert c["width"] <= c["column"] + 0.5, f"{path} {c['id']} is wider than the column"


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_fill_the_desktop_column_with_12_to_14px_text(
    browser, server: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    context, page = _charts(browser, server, path, 1280)
    charts = page.evaluate(_MEASURE)
    context.close()
    if not charts:
        pytest.skip(f"{path} shows no chart")
    for c in charts:
        assert c["shown"], f"{path}: a chart shows no drawing at 1280 px"
        off = [(t, round(px, 1)) for t, px in c["sizes"] if not 12 <= px <= 14]
        assert c["sizes"] and not off, f"{path} {c['id']}: text outside 12–14 px: {off[:5]}"
        assert c["width"] >= c["column"] - 1, (
            f"{path} {c['id']}: drawn {c['width']} px wide in a {c['column']} px column"
        )


_SHAPES = """() => {
    const lum = c => {
        const m = c.match(/rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/);
        if (!m || (m[4] !== undefined && parseFloat(m[4]) === 0)) return null;  // none, transparent
        const [r, g, b] = [m[1], m[2], m[3]].map(v => {
            v = v / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const out = [];
    document.querySelectorAll('figure.chart .chart-frame svg').forEach(svg => {
        const box = svg.getBoundingClientRect();
        if (!box.width) return;
        const bg = lum(getComputedStyle(svg).backgroundColor);
        out.push(['svg background', bg, box.width * box.height]);
        svg.querySelectorAll('rect, path').forEach(el => {
            const b = el.getBoundingClientRect();
            const fill = lum(getComputedStyle(el).fill);
            out.push([el.outerHTML.slice(0, 60), fill, b.width * b.height]);
        });
    });
    return {page: lum(getComputedStyle(document.body).backgroundColor)
                   ?? lum(getComputedStyle(document.documentElement).backgroundColor), shapes: out};
}"""


@pytest.mark.parametrize("path", CHART_PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_no_chart_shape_is_light_in_dark_mode(browser, server: str, path: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """A filled shape of a chart is dark on the dark page: no white panel, no pale tiles."""
    context, page = _charts(browser, server, path, width, "dark")
    page.emulate_media(color_scheme="dark")
    found = page.evaluate(_SHAPES)
    context.close()
    if not found["shapes"]:
        pytest.skip(f"{path} shows no chart")
    assert found["page"] is not None and found["page"] < 0.05, "the page itself is dark"
    light = [
        (el, round(lum, 2))
        for el, lum, area in found["shapes"]
        if lum is not None and lum > 0.4 and area > 150
    ]
    assert not light, f"{path}: light shapes on the dark page: {light[:4]}"
