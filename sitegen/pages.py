"""Stage 4: the site map: which pages exist, per language, and what each shows.

Each page is a route (path, language, template) with the values its template
needs, taken from the content model and the chart views. Nothing here writes
files or formats HTML; templates do the markup, `render` does the writing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markupsafe import Markup, escape

from . import LANGS, formatting
from .charts import ChartView, latest_tallies
from .check import TALLY_METRICS
from .model import Centre, Content, Event, Fact, Province, Statement, Story, Text
from .prose import to_html

LATEST_STORIES = 3
T = TypeVar("T")


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


@dataclass(frozen=True)
class FactCard:
    """A figure as one card: the fact, and the same figure recorded from other sources.

    Two sources that report the same value for the same date (one reprinting
    the other's sentence) are one figure to a reader, with two sources.
    """

    fact: Fact
    also: tuple[Fact, ...] = ()

    @property
    def quotes(self) -> tuple[Fact, ...]:
        """The facts whose sentences differ, so each source's own words are shown once."""
        return tuple({f.quote.zh: f for f in (self.fact, *self.also)}.values())

    @property
    def notes(self) -> tuple[Text, ...]:
        """Each different note of the facts on the card."""
        notes = (f.note for f in (self.fact, *self.also) if f.note)
        return tuple({n.zh: n for n in notes}.values())


@dataclass(frozen=True)
class Quoted:
    """A statement as a page lists it, with the page and anchor of each figure it states."""

    statement: Statement
    figures: tuple[tuple[Fact, str], ...]  # (fact, path of the page showing it)


def _figure(f: Fact) -> tuple:
    """What makes two facts the same figure: the same thing, value and date."""
    return (f.subject, f.metric, f.value, f.qualifier, f.unit, f.target, f.as_of)


def fact_cards(facts: Iterable[Fact]) -> list[FactCard]:
    """The facts as cards, same figures from several sources merged, in first-seen order."""
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        groups.setdefault(_figure(f), []).append(f)
    return [FactCard(g[0], tuple(g[1:])) for g in groups.values()]


# (story id, language, Markdown) → story_html's result
Prose = dict[tuple[str, str, str], tuple[Markup, list[Fact]]]


def routes(
    content: Content,
    views: dict[str, dict[str, ChartView]],
    prose: Prose | None = None,
    used: Prose | None = None,
) -> list[Page]:
    """Every page of the site in both languages, in a stable order.

    Story HTML found in `prose` (the last build's, when no fact changed) is
    reused rather than converted again; `used` collects what this build used.
    """
    related = _Related.of(content)
    pages: list[Page] = []
    for lang in LANGS:
        pages += list(
            _lang_pages(
                content, views[lang], lang, related, prose or {}, used if used is not None else {}
            )
        )
    pages.append(
        Page(
            "404.html",
            "zh",
            "404.html",
            f"{content.ui['zh']['not_found']['title']} · {content.ui['en']['not_found']['title']}",
            content.site.description.zh,
            bilingual=True,
        )
    )
    return pages


@dataclass(frozen=True)
class _Related:
    """What the pages list (national, province, centre, story notes), grouped in one pass.

    Filtering every fact, event and story again for each of a thousand
    centres would make the build grow with the square of the content.
    """

    stories: list[Story]  # newest first
    events: list[Event]  # oldest first
    facts: dict[str, list[Fact]]  # subject → its facts, by as-of date
    centres: dict[str, list[Centre]]  # province → its centres, national first
    events_in: dict[tuple[str, str | None], list[Event]]  # ("province" or "centre", id) → events
    stories_in: dict[tuple[str, str | None], list[Story]]  # ("province" or "centre", id) → stories
    statements: dict[str, list[Quoted]]  # subject → its statements, by date
    figures: dict[tuple, list[Fact]]  # _figure → the facts recording it, by as-of date
    tallies: dict[str, dict[str, Fact]]  # metric → province → latest reported fact

    @classmethod
    def of(cls, c: Content) -> _Related:
        stories = sorted(c.stories.values(), key=lambda s: (s.meta.date, s.id), reverse=True)
        events = sorted(c.events, key=lambda e: (e.date, e.id))
        return cls(
            stories,
            events,
            _group(sorted(c.facts.values(), key=lambda f: (f.as_of, f.id)), lambda f: [f.subject]),
            _group(_sorted_centres(c), lambda ce: [ce.province]),
            _group(events, lambda e: [("province", e.province), ("centre", e.centre)]),
            _group(stories, lambda s: [("province", s.meta.province), ("centre", s.meta.centre)]),
            _group(
                (
                    _quoted(c, s)
                    for s in sorted(c.statements.values(), key=lambda s: (s.date, s.id))
                ),
                lambda q: [q.statement.subject],
            ),
            _group(sorted(c.facts.values(), key=lambda f: (f.as_of, f.id)), lambda f: [_figure(f)]),
            {m: latest_tallies(c, m) for m in ("national_centre_projects", "provincial_centres")},
        )

    def facts_about(self, subject: str) -> tuple[list[FactCard], list[FactCard]]:
        """Reported facts and plans (targets) about a province or centre, as cards.

        A province's tally (its approved centres) leads; the rest follow by date.
        """
        tallies = TALLY_METRICS.values()
        facts = sorted(self.facts.get(subject, []), key=lambda f: f.metric not in tallies)
        reported = fact_cards(f for f in facts if not f.target)
        return reported, fact_cards(f for f in facts if f.target)


def _group(items: Iterable[T], keys: Callable[[T], list[Any]]) -> dict[Any, list[T]]:
    """Items under each of their keys, in the order given."""
    out: dict[Any, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            out[key].append(item)
    return out


def _lang_pages(
    c: Content, v: dict[str, ChartView], lang: str, r: _Related, prose: Prose, used: Prose
) -> Iterator[Page]:
    ui = c.ui[lang]
    yield Page(
        "",
        lang,
        "home.html",
        c.site.title[lang],
        c.site.description[lang],
        {
            "headline": fact_cards(c.facts[i] for i in c.site.headline_facts),
            "stories": r.stories[:LATEST_STORIES],
        },
        charts=(v["national-projects"], v["province-map"]),
    )
    yield Page(
        "national/",
        lang,
        "national.html",
        ui["national_page"]["title"],
        ui["national_page"]["description"],
        {"themes": _national_themes(c, r, lang)},
    )
    yield Page(
        "timeline/",
        lang,
        "timeline.html",
        ui["timeline"]["title"],
        ui["timeline"]["description"],
        {"events": r.events},
        charts=(v["timeline"],),
    )
    yield Page(
        "provinces/",
        lang,
        "provinces.html",
        ui["provinces"]["title"],
        ui["provinces"]["description"],
        {"rows": [_province_row(r, p) for p in sorted(c.provinces.values(), key=lambda p: p.code)]},
        charts=(v["province-map"],),
    )
    for p in c.provinces.values():
        yield Page(
            f"provinces/{p.id}/",
            lang,
            "province.html",
            p.name[lang],
            ui["provinces"]["description"],
            _province_context(r, p),
        )
    yield Page(
        "centres/",
        lang,
        "centres.html",
        ui["centres"]["title"],
        ui["centres"]["description"],
        {"centres": _sorted_centres(c)},
    )
    for ce in c.centres.values():
        yield Page(
            f"centres/{ce.id}/",
            lang,
            "centre.html",
            ce.name[lang],
            ce.summary[lang],
            _centre_context(c, r, ce),
        )
    yield Page(
        "stories/",
        lang,
        "stories.html",
        ui["stories"]["title"],
        ui["stories"]["description"],
        {"stories": r.stories},
    )
    for s in r.stories:
        key = (s.id, lang, s[lang].body)
        body, notes = used[key] = prose[key] if key in prose else story_html(c, s, lang)
        yield Page(
            f"stories/{s.id}/",
            lang,
            "story.html",
            s[lang].meta.title,
            s[lang].meta.summary,
            {"story": s, "body": body, "notes": [_note(r, f, notes) for f in notes]},
        )
    for cid, view in v.items():
        yield Page(
            f"charts/{cid}/",
            lang,
            "chart.html",
            view.title,
            view.subtitle,
            {"chart_id": cid},
            charts=(view,),
        )
        yield Page(
            f"charts/{cid}/embed.html",
            lang,
            "embed.html",
            view.title,
            view.subtitle,
            {"chart_id": cid},
            charts=(view,),
        )
    yield Page(
        "data/",
        lang,
        "data.html",
        ui["data"]["title"],
        ui["data"]["description"],
        {"charts": list(v.values())},
    )
    yield Page("about/", lang, "about.html", ui["about"]["title"], ui["about"]["description"])
    yield Page("search/", lang, "search.html", ui["search"]["title"], ui["search"]["description"])


def _sorted_centres(c: Content) -> list[Centre]:
    return sorted(
        c.centres.values(),
        key=lambda ce: (ce.level != "national", c.provinces[ce.province].code, ce.id),
    )


def _province_row(r: _Related, p: Province) -> dict[str, Any]:
    return {
        "province": p,
        "national": r.tallies["national_centre_projects"].get(p.id),
        "provincial": r.tallies["provincial_centres"].get(p.id),
        "centres": len(r.centres.get(p.id, [])),
        "stories": len(r.stories_in.get(("province", p.id), [])),
    }


@dataclass(frozen=True)
class ThemeSection:
    """One theme of the national figures page: its figures and what the sources say."""

    id: str
    title: str
    cards: list[FactCard]
    statements: list[Quoted]


def _national_themes(c: Content, r: _Related, lang: str) -> list[ThemeSection]:
    national = r.facts.get("national", [])
    said = r.statements.get("national", [])

    def in_theme(metrics: tuple[str, ...]) -> list[Fact]:
        """A theme's facts, metric by metric in the theme's order, then by date."""
        facts = [f for f in national if f.metric in metrics]
        return sorted(facts, key=lambda f: (metrics.index(f.metric), f.as_of, f.id))

    return [
        ThemeSection(
            t.id,
            t.title[lang],
            fact_cards(in_theme(t.metrics)),
            [q for q in said if q.statement.theme == t.id],
        )
        for t in c.themes.values()
    ]


def _province_context(r: _Related, p: Province) -> dict[str, Any]:
    reported, plans = r.facts_about(p.id)
    centres = r.centres.get(p.id, [])
    return {
        "province": p,
        "reported": reported,
        "plans": plans,
        "statements": r.statements.get(p.id, []),
        "centre_figures": any(ce.id in r.facts for ce in centres),
        "centres": centres,
        "events": r.events_in.get(("province", p.id), []),
        "stories": r.stories_in.get(("province", p.id), []),
    }


def _centre_context(c: Content, r: _Related, ce: Centre) -> dict[str, Any]:
    reported, plans = r.facts_about(ce.id)
    return {
        "centre": ce,
        "province": c.provinces[ce.province],
        "reported": reported,
        "plans": plans,
        "milestones": sorted(ce.milestones, key=lambda m: m.date),
        "statements": r.statements.get(ce.id, []),
        "events": r.events_in.get(("centre", ce.id), []),
        "stories": r.stories_in.get(("centre", ce.id), []),
    }


def _note(r: _Related, f: Fact, cited: list[Fact]) -> FactCard:
    """A story's note on a fact, naming every other source that records the same figure.

    A twin the story cites itself has its own note, so it is not repeated here.
    """
    return FactCard(f, tuple(t for t in r.figures[_figure(f)] if t != f and t not in cited))


def _fact_page(c: Content, f: Fact) -> str:
    """The page that shows a fact: the national page, or its province's, centre's or story's."""
    if f.subject in c.provinces:
        return f"provinces/{f.subject}/"
    if f.subject in c.centres:
        return f"centres/{f.subject}/"
    if f.subject in c.stories:
        return f"stories/{f.subject}/"
    return "national/"


def _quoted(c: Content, s: Statement) -> Quoted:
    return Quoted(s, tuple((c.facts[fid], _fact_page(c, c.facts[fid])) for fid in s.facts))


def story_html(c: Content, story: Story, lang: str) -> tuple[Markup, list[Fact]]:
    """A story's prose as HTML, and the facts it cites (for its notes), in order of first use."""
    cited: list[Fact] = []

    def replace(fact_id: str, bare: bool) -> str:
        fact = c.facts[fact_id]
        if fact not in cited:
            cited.append(fact)
        n = cited.index(fact) + 1
        value = escape(formatting.fact_value(fact, c.units, lang, bare=bare, prose=True))
        return f'<a class="fact" href="#fact-{fact.id}">{value}<sup>{n}</sup></a>'

    return Markup(to_html(story[lang].body, replace)), cited
