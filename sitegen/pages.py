"""Stage 4: the site map: which pages exist, per language, and what each shows.

Each page is a route (path, language, template) with the values its template
needs, taken from the content model and the chart views. Nothing here writes
files or formats HTML; templates do the markup, `render` does the writing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from . import LANGS, formatting
from .charts import ChartView, latest_tallies
from .model import Centre, Content, Fact, Province, Story
from .prose import to_html

LATEST_STORIES = 3


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, in which language, which template, with what."""

    path: str  # relative to the language root: "", "provinces/henan/", "404.html"
    lang: str
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    charts: tuple[ChartView, ...] = ()
    bilingual: bool = False  # the 404 page carries both languages at one address


def routes(content: Content, views: dict[str, dict[str, ChartView]]) -> list[Page]:
    """Every page of the site in both languages, in a stable order."""
    pages: list[Page] = []
    for lang in LANGS:
        pages += list(_lang_pages(content, views[lang], lang))
    pages.append(Page("404.html", "zh", "404.html", f"{content.ui['zh']['not_found']['title']} · {content.ui['en']['not_found']['title']}", content.site.description.zh, bilingual=True))
    return pages


def _lang_pages(c: Content, v: dict[str, ChartView], lang: str) -> Iterator[Page]:
    ui = c.ui[lang]
    stories = sorted(c.stories.values(), key=lambda s: (s.meta.date, s.id), reverse=True)
    events = sorted(c.events, key=lambda e: (e.date, e.id))
    yield Page(
        "", lang, "home.html", c.site.title[lang], c.site.description[lang],
        {
            "headline": [c.facts[i] for i in c.site.headline_facts],
            "stories": stories[:LATEST_STORIES],
        },
        charts=(v["national-projects"], v["province-map"]),
    )
    yield Page("timeline/", lang, "timeline.html", ui["timeline"]["title"], ui["timeline"]["description"], {"events": events}, charts=(v["timeline"],))
    yield Page(
        "provinces/", lang, "provinces.html", ui["provinces"]["title"], ui["provinces"]["description"],
        {"rows": [_province_row(c, p) for p in sorted(c.provinces.values(), key=lambda p: p.code)]},
        charts=(v["province-map"],),
    )
    for p in c.provinces.values():
        yield Page(f"provinces/{p.id}/", lang, "province.html", p.name[lang], ui["provinces"]["description"], _province_context(c, p, events, stories))
    yield Page("centres/", lang, "centres.html", ui["centres"]["title"], ui["centres"]["description"], {"centres": _sorted_centres(c)})
    for ce in c.centres.values():
        yield Page(f"centres/{ce.id}/", lang, "centre.html", ce.name[lang], ce.summary[lang], _centre_context(c, ce, events, stories))
    yield Page("stories/", lang, "stories.html", ui["stories"]["title"], ui["stories"]["description"], {"stories": stories})
    for s in stories:
        body, notes = story_html(c, s, lang)
        yield Page(f"stories/{s.id}/", lang, "story.html", s[lang].meta.title, s[lang].meta.summary, {"story": s, "body": body, "notes": notes})
    for cid, view in v.items():
        yield Page(f"charts/{cid}/", lang, "chart.html", view.title, view.subtitle, {"chart_id": cid}, charts=(view,))
        yield Page(f"charts/{cid}/embed.html", lang, "embed.html", view.title, view.subtitle, {"chart_id": cid}, charts=(view,))
    yield Page("data/", lang, "data.html", ui["data"]["title"], ui["data"]["description"], {"charts": list(v.values())})
    yield Page("about/", lang, "about.html", ui["about"]["title"], ui["about"]["description"])
    yield Page("search/", lang, "search.html", ui["search"]["title"], ui["search"]["description"])


def _sorted_centres(c: Content) -> list[Centre]:
    return sorted(c.centres.values(), key=lambda ce: (ce.level != "national", c.provinces[ce.province].code, ce.id))


def _province_row(c: Content, p: Province) -> dict[str, Any]:
    national = latest_tallies(c, "national_centre_projects").get(p.id)
    provincial = latest_tallies(c, "provincial_centres").get(p.id)
    return {
        "province": p,
        "national": national,
        "provincial": provincial,
        "centres": sum(1 for ce in c.centres.values() if ce.province == p.id),
        "stories": sum(1 for s in c.stories.values() if s.meta.province == p.id),
    }


def _facts_about(c: Content, subject: str) -> tuple[list[Fact], list[Fact]]:
    facts = sorted((f for f in c.facts.values() if f.subject == subject), key=lambda f: (f.as_of, f.id))
    return [f for f in facts if not f.target], [f for f in facts if f.target]


def _province_context(c: Content, p: Province, events: list, stories: list[Story]) -> dict[str, Any]:
    reported, plans = _facts_about(c, p.id)
    return {
        "province": p,
        "reported": reported,
        "plans": plans,
        "centres": [ce for ce in _sorted_centres(c) if ce.province == p.id],
        "events": [e for e in events if e.province == p.id],
        "stories": [s for s in stories if s.meta.province == p.id],
    }


def _centre_context(c: Content, ce: Centre, events: list, stories: list[Story]) -> dict[str, Any]:
    reported, plans = _facts_about(c, ce.id)
    return {
        "centre": ce,
        "province": c.provinces[ce.province],
        "reported": reported,
        "plans": plans,
        "milestones": sorted(ce.milestones, key=lambda m: m.date),
        "events": [e for e in events if e.centre == ce.id],
        "stories": [s for s in stories if s.meta.centre == ce.id],
    }


def story_html(c: Content, story: Story, lang: str) -> tuple[Markup, list[Fact]]:
    """A story's prose as HTML, and the facts it cites (for its notes), in order of first use."""
    cited: list[Fact] = []

    def replace(fact_id: str, bare: bool) -> str:
        fact = c.facts[fact_id]
        if fact not in cited:
            cited.append(fact)
        n = cited.index(fact) + 1
        value = escape(formatting.fact_value(fact, c.units, lang, bare=bare))
        return f'<a class="fact" href="#fact-{fact.id}">{value}<sup>{n}</sup></a>'

    return Markup(to_html(story[lang].body, replace)), cited

