"""Page views, on a small bilingual project (tests/tiny_project.py): what each page kind shows.

Golden pages (tests/golden/) hold a few whole pages per language; a change to the page code or
the templates that changes them fails here until it is looked at and the files are refreshed
with `pytest tests/test_page_views.py --refresh-golden`. Chart drawings are left out of the
comparison (tests/test_chart_data.py and the browser tests cover them).
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

import tiny_project
from sitegen import pipeline, render
from sitegen.pages import Page
from sitegen.views import AboutView, Kind

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_PAGES = {
    "home": "index.html",
    "province": "provinces/henan/index.html",
    "story": "stories/xiao-qi-stem-cell-transplant/index.html",
    "chart": "charts/national-projects/index.html",
}
UI = {
    lang: yaml.safe_load((ROOT / "content/ui" / f"{lang}.yaml").read_text("utf-8"))
    for lang in ("zh", "en")
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tiny_project.write(tmp_path_factory.mktemp("tiny"))
    result = run_build(root, "--out", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def page(tiny: Path):  # type: ignore[no-untyped-def]
    def read(path: str) -> BeautifulSoup:
        return BeautifulSoup((tiny / "site" / path).read_text("utf-8"), "html.parser")

    return read


def _without_drawings(html: str) -> str:
    """A page without its chart drawings and specs, which the chart tests check."""
    html = re.sub(r"<svg\b.*?</svg>", "<svg/>", html, flags=re.S)
    return re.sub(r'(<script type="application/json"[^>]*>).*?(</script>)', r"\1\2", html, flags=re.S)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(GOLDEN_PAGES))
def test_golden_pages(tiny: Path, request: pytest.FixtureRequest, lang: str, name: str) -> None:
    prefix = "en/" if lang == "en" else ""
    built = _without_drawings((tiny / "site" / prefix / GOLDEN_PAGES[name]).read_text("utf-8"))
    golden = GOLDEN / f"{name}.{lang}.html"
    if request.config.getoption("--refresh-golden"):
        golden.write_text(built, "utf-8")
    assert golden.exists(), f"no {golden.name}: run pytest with --refresh-golden, then read it"
    assert built == golden.read_text("utf-8"), (
        f"{prefix}{GOLDEN_PAGES[name]} changed: if the change is meant, look at the page, then "
        "run `pytest tests/test_page_views.py --refresh-golden` and commit tests/golden/"
    )


def test_templates_cannot_read_the_content_model(tiny: Path, tmp_path: Path) -> None:
    """A template gets its page's view and the UI strings; `content` is not there to misuse."""
    content = pipeline.validate(pipeline.Project.at(tiny, cache=False))
    about = Page("about/", "zh", Kind.ABOUT, "t", "d", AboutView((), "r", None, None, ()))
    links = render.Links(content.site.base_url)
    templates = tmp_path / "templates"
    templates.mkdir()
    for source in ("{{ content.facts }}", "{{ value(fact) }}", "{{ view.nothing }}"):
        (templates / "about.html").write_text(source, "utf-8")
        with pytest.raises(jinja2.UndefinedError):
            render.render_page(render.environment(templates), content, about, links)
    (templates / "about.html").write_text("{{ view.report }}|{{ ui.about.title }}", "utf-8")
    assert render.render_page(render.environment(templates), content, about, links) == "r|关于本站"


def test_each_page_template_is_one_page_kind(tiny: Path) -> None:
    pages = {p.name for p in (ROOT / "templates").glob("*.html")} - {"base.html"}
    assert {k.template for k in Kind} == {p for p in pages if not p.startswith("_")}
    built = {p.relative_to(tiny / "site").as_posix() for p in (tiny / "site").rglob("*.html")}
    for path in ("index.html", "en/index.html", "404.html", "en/charts/timeline/embed.html"):
        assert path in built


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_province_lede_states_its_tally_centres_and_latest_step(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    prefix = "en/" if lang == "en" else ""
    henan = page(f"{prefix}provinces/henan/index.html").select_one(".lede").get_text()
    value, date = ("10个", "2023年5月24日") if lang == "zh" else ("10 projects", "24 May 2023")
    assert value in henan and date in henan, henan
    latest = UI[lang]["lede"]["latest"].replace("{date}", date).split("{")[0]
    assert latest in henan, henan  # the latest of its events and its centres' milestones
    hebei = page(f"{prefix}provinces/hebei/index.html").select_one(".lede").get_text()
    one = UI[lang]["lede"]["centres"]["one"].split("{")[0]
    assert one in hebei, hebei  # one centre: the singular sentence
    assert page(f"{prefix}provinces/hebei/index.html").select(".chart") == []  # no charts of its own


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sparse_province_gives_the_country_and_centres_nearby(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    prefix = "en/" if lang == "en" else ""
    anhui = page(f"{prefix}provinces/anhui/index.html")
    assert len(anhui.select(".fact-card")) == 1  # the national key figure (Henan's is not national)
    nearby = [a["href"] for a in anhui.select(".card-list a")]
    assert nearby == [f"/{prefix}centres/fuwai-central-china/"]  # Henan: the same region
    assert anhui.select_one(f'a[href="/{prefix}about/#report"]')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_story_cites_quietly_and_notes_each_sentence_once(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    prefix = "en/" if lang == "en" else ""
    story = page(f"{prefix}stories/xiao-qi-stem-cell-transplant/index.html")
    notes = story.select(".notes > ol > li")
    rooms = [n for n in notes if n.select_one("#fact-bch-baoding-class100-rooms")]
    assert len(rooms) == 1 and rooms[0].select_one("#fact-bch-baoding-class1000-rooms")
    assert len(rooms[0].select(".note-figures li")) == 2  # two figures, one sentence
    number = rooms[0]["id"].removeprefix("note-")
    citations = [a for a in story.select(".prose a.fact") if a["href"] == f"#note-{number}"]
    assert len(citations) == 2 and {a.sup.get_text() for a in citations} == {number}
    related = [a["href"] for a in story.select('section[aria-labelledby="related-title"] a')]
    assert related == [f"/{prefix}stories/wang-yucheng-marfan/"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_page_gives_a_route_and_the_corrections_log(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    prefix = "en/" if lang == "en" else ""
    about = page(f"{prefix}about/index.html")
    assert about.select_one('a[href="mailto:corrections@example.org"]')
    assert about.select_one('a[href="https://example.org/issues"]')
    log = about.select(".corrections li")
    assert len(log) == 1 and log[0].select_one(f'a[href="/{prefix}provinces/henan/"]')
    assert ("10个" if lang == "zh" else "10 projects") in log[0].get_text()  # cited, not typed


def test_not_found_page_serves_both_languages_with_search(page) -> None:  # type: ignore[no-untyped-def]
    gone = page("404.html")
    forms = gone.select("form[role=search]")
    assert [f["action"] for f in forms] == ["/search/", "/en/search/"]
    assert [d["lang"] for d in gone.select(".not-found")] == ["zh-CN", "en"]
    assert all(f.select_one("label").get_text() for f in forms)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_link_to_the_original_or_say_it_is_not_known(tiny: Path, page, lang: str) -> None:  # type: ignore[no-untyped-def]
    prefix = "en/" if lang == "en" else ""
    items = page(f"{prefix}data/index.html").select("ol.sources li")
    linked = [li for li in items if li.select_one('a[rel~="external"]')]
    assert [li["id"] for li in linked] == [f"source-{tiny_project.LINKED_SOURCE}"]
    assert linked[0].select_one("a[rel~=external]")["href"] == tiny_project.LINKED_URL
    for li in items[1:]:
        if li not in linked:
            assert UI[lang]["data"]["no_original"] in li.select_one(".not-reported").get_text()


def test_a_correction_about_an_unknown_page_is_located(tiny: Path) -> None:
    site = tiny / "content" / "site.yaml"
    text = site.read_text("utf-8")
    try:
        site.write_text(text.replace("    subject: henan\n", "    subject: henna\n"), "utf-8")
        result = run_build(tiny, "check")
    finally:
        site.write_text(text, "utf-8")
    line = text.splitlines().index("    subject: henan") + 1
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/site.yaml:{line}:" in result.stderr and "'henna'" in result.stderr
