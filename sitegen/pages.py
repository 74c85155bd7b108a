"""Stage 4: the site map: which pages exist, per language, and the typed view each shows.

Each page is a route (path, language, kind) with its view (sitegen/views.py),
built here from the content model and the chart views with every value
already formatted. Nothing here writes files or makes markup; templates lay
the views out, `render` writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from markupsafe import Markup, escape

from . import HTML_LANG, LANGS, formatting
from .charts import ChartView, chart_facts, fact_page, latest_tallies
from .check import TALLY_METRICS
from .model import Centre, Content, Event, Fact, Province, Statement, Story, date_start
from .prose import to_html
from .required import DATASETS
from .views import (
    AboutView,
    CentreRow,
    CentresView,
    CentreView,
    Chart,
    ChartLink,
    ChartPageView,
    Correction,
    Dataset,
    DataView,
    Display,
    Figure,
    HomeView,
    Kind,
    Link,
    Milestone,
    NationalView,
    Nearby,
    Note,
    NoteFigure,
    NotFoundText,
    NotFoundView,
    ProvinceRow,
    ProvincesView,
    ProvinceView,
    SearchView,
    StatementItem,
    StoriesView,
    StoryView,
    Tally,
    Theme,
    TimelineView,
    View,
)

LATEST_STORIES = 3
RELATED_STORIES = 3
NEARBY_FIGURES = 3  # national key figures a province the sources say little about shows
NAMED = 2  # a province lede names its centres when it has at most this many (the list follows)
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, in which language, what kind, and its view."""

    path: str  # relative to the language root: "", "provinces/henan/", "404.html"
    lang: str
    kind: Kind
    title: str
    description: str
    view: View

    @property
    def template(self) -> str:
        return self.kind.template

    @property
    def charts(self) -> tuple[ChartView, ...]:
        """The charts the page shows, in order (its head loads their script)."""
        found: list[ChartView] = []
        for name in self.view.__dataclass_fields__:
            value = getattr(self.view, name)
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Chart):
                    found.append(item.view)
        return tuple(found)

    @property
    def bilingual(self) -> bool:
        """The 404 page carries both languages at one address."""
        return self.kind is Kind.NOT_FOUND


def _figure(f: Fact) -> tuple:
    """What makes two facts the same figure: the same thing, value and date."""
    return (f.subject, f.metric, f.value, f.qualifier, f.unit, f.target, f.as_of)


def fact_groups(facts: Iterable[Fact]) -> list[tuple[Fact, tuple[Fact, ...]]]:
    """The facts as figures, same figures from several sources merged, in first-seen order.

    Two sources that report the same value for the same date (one reprinting
    the other's sentence) are one figure to a reader, with two sources.
    """
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        groups.setdefault(_figure(f), []).append(f)
    return [(g[0], tuple(g[1:])) for g in groups.values()]


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
    pages.append(_not_found(content))
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
    statements: dict[str, list[tuple[Statement, tuple[tuple[Fact, str], ...]]]]  # subject → …
    figures: dict[tuple, list[Fact]]  # _figure → the facts recording it, by as-of date
    tallies: dict[str, dict[str, Fact]]  # metric → province → latest reported fact
    charts: dict[str, list[str]]  # subject → ids of the charts drawing its facts

    @classmethod
    def of(cls, c: Content) -> _Related:
        stories = sorted(c.stories.values(), key=lambda s: (s.meta.date, s.id), reverse=True)
        events = sorted(c.events, key=lambda e: (e.date, e.id))
        by_date = sorted(c.facts.values(), key=lambda f: (f.as_of, f.id))
        return cls(
            stories,
            events,
            _group(by_date, lambda f: [f.subject]),
            _group(_sorted_centres(c), lambda ce: [ce.province]),
            _group(events, lambda e: [("province", e.province), ("centre", e.centre)]),
            _group(stories, lambda s: [("province", s.meta.province), ("centre", s.meta.centre)]),
            _group(
                (
                    (s, tuple((c.facts[i], fact_page(c, c.facts[i])) for i in s.facts))
                    for s in sorted(c.statements.values(), key=lambda s: (s.date, s.id))
                ),
                lambda q: [q[0].subject],
            ),
            _group(by_date, lambda f: [_figure(f)]),
            {m: latest_tallies(c, m) for m in TALLY_METRICS.values()},
            _group(
                c.charts,
                lambda cid: list(
                    dict.fromkeys(c.facts[cf.fact].subject for cf in chart_facts(c.charts[cid]))
                ),
            ),
        )

    def facts_about(self, subject: str) -> tuple[list[tuple[Fact, tuple[Fact, ...]]], ...]:
        """Reported facts and plans (targets) about a province or centre, as figures.

        A province's tally (its approved centres) leads; the rest follow by date.
        """
        tallies = TALLY_METRICS.values()
        facts = sorted(self.facts.get(subject, []), key=lambda f: f.metric not in tallies)
        reported = fact_groups(f for f in facts if not f.target)
        return reported, fact_groups(f for f in facts if f.target)


def _group(items: Iterable[T], keys: Callable[[T], list[Any]]) -> dict[Any, list[T]]:
    """Items under each of their keys, in the order given."""
    out: dict[Any, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            out[key].append(item)
    return out


def _fill(template: str, **values: str) -> str:
    """A UI sentence with its {placeholders} filled (plain replacement: braces never fail)."""
    for key, value in values.items():
        template = template.replace(f"{{{key}}}", value)
    return template


def _lang_pages(
    c: Content, v: dict[str, ChartView], lang: str, r: _Related, prose: Prose, used: Prose
) -> Iterator[Page]:
    ui = c.ui[lang]
    d = Display(c, lang)
    yield Page(
        "",
        lang,
        Kind.HOME,
        c.site.title[lang],
        c.site.description[lang],
        HomeView(
            d.text(c.site.headline[lang]),
            d.text(c.site.standfirst[lang]),
            d.chart(v["national-projects"]),
            _cards(d, fact_groups(c.facts[i] for i in c.site.headline_facts)),
            (d.chart(v["province-map"]),),
            d.text(ui["home"]["lede"]),
            tuple(d.story_card(s) for s in r.stories[:LATEST_STORIES]),
        ),
    )
    yield Page(
        "national/",
        lang,
        Kind.NATIONAL,
        ui["national_page"]["title"],
        ui["national_page"]["description"],
        NationalView(_national_themes(c, r, d)),
    )
    yield Page(
        "timeline/",
        lang,
        Kind.TIMELINE,
        ui["timeline"]["title"],
        ui["timeline"]["description"],
        TimelineView(
            d.text(ui["timeline"]["description"]),
            (d.chart(v["timeline"]),),
            tuple(d.event(e) for e in r.events),
        ),
    )
    yield Page(
        "provinces/",
        lang,
        Kind.PROVINCES,
        ui["provinces"]["title"],
        ui["provinces"]["description"],
        ProvincesView(
            d.text(ui["provinces"]["description"]),
            (d.chart(v["province-map"]),),
            tuple(
                _province_row(d, r, p) for p in sorted(c.provinces.values(), key=lambda p: p.code)
            ),
        ),
    )
    for p in c.provinces.values():
        own = tuple(
            v[cid] for cid in _charts_of(r, [p.id, *(ce.id for ce in r.centres.get(p.id, []))])
        )
        yield Page(
            f"provinces/{p.id}/",
            lang,
            Kind.PROVINCE,
            p.name[lang],
            ui["provinces"]["description"],
            _province(d, r, p, own),
        )
    yield Page(
        "centres/",
        lang,
        Kind.CENTRES,
        ui["centres"]["title"],
        ui["centres"]["description"],
        CentresView(
            d.text(ui["centres"]["description"]),
            tuple(_centre_row(d, ce) for ce in _sorted_centres(c)),
        ),
    )
    for ce in c.centres.values():
        own = tuple(v[cid] for cid in _charts_of(r, [ce.id]))
        yield Page(
            f"centres/{ce.id}/",
            lang,
            Kind.CENTRE,
            ce.name[lang],
            ce.summary[lang],
            _centre(d, r, ce, own),
        )
    yield Page(
        "stories/",
        lang,
        Kind.STORIES,
        ui["stories"]["title"],
        ui["stories"]["description"],
        StoriesView(
            d.text(ui["stories"]["description"]), tuple(d.story_card(s) for s in r.stories)
        ),
    )
    for s in r.stories:
        key = (s.id, lang, s[lang].body)
        body, cited = used[key] = prose[key] if key in prose else story_html(c, s, lang)
        yield Page(
            f"stories/{s.id}/",
            lang,
            Kind.STORY,
            s[lang].meta.title,
            s[lang].meta.summary,
            _story(d, r, s, body, cited),
        )
    for cid, view in v.items():
        for path, kind in (
            (f"charts/{cid}/", Kind.CHART),
            (f"charts/{cid}/embed.html", Kind.EMBED),
        ):
            yield Page(path, lang, kind, view.title, view.subtitle, ChartPageView(d.chart(view)))
    yield Page(
        "data/",
        lang,
        Kind.DATA,
        ui["data"]["title"],
        ui["data"]["description"],
        DataView(
            d.text(ui["data"]["description"]),
            tuple(Dataset(ui["data"]["names"][key], key) for key in DATASETS),
            tuple(
                ChartLink(view.title, f"charts/{view.id}/", f"data/charts/{view.id}.csv")
                for view in v.values()
            ),
            tuple(ui["data"]["method_paragraphs"]),
            tuple(d.source(s.id) for s in sorted(c.sources.values(), key=lambda s: s.date)),
            ui["data"]["tile_credit"],
        ),
    )
    yield Page(
        "about/",
        lang,
        Kind.ABOUT,
        ui["about"]["title"],
        ui["about"]["description"],
        _about(d),
    )
    yield Page(
        "search/",
        lang,
        Kind.SEARCH,
        ui["search"]["title"],
        ui["search"]["description"],
        SearchView(
            (
                Link(ui["provinces"]["table"], "provinces/#table"),
                Link(ui["centres"]["title"], "centres/"),
                Link(ui["timeline"]["title"], "timeline/"),
                Link(ui["data"]["title"], "data/"),
            )
        ),
    )


def _not_found(c: Content) -> Page:
    """The 404 page: both languages at one address, each with a way home and to search."""
    texts = []
    for lang in LANGS:
        ui = c.ui[lang]
        texts.append(
            NotFoundText(
                lang,
                HTML_LANG[lang],
                ui["not_found"]["title"],
                ui["not_found"]["text"],
                Link(ui["not_found"]["home"], ""),
                ui["not_found"]["search"],
                ui["search"]["button"],
                "search/",
            )
        )
    return Page(
        "404.html",
        LANGS[0],
        Kind.NOT_FOUND,
        " · ".join(t.title for t in texts),
        c.site.description[LANGS[0]],
        NotFoundView(tuple(texts)),
    )


def _cards(d: Display, groups: list[tuple[Fact, tuple[Fact, ...]]]) -> tuple[Figure, ...]:
    """Figures (from `fact_groups`) as cards: each fact with the same figure from other sources."""
    return tuple(d.figure(f, also) for f, also in groups)


def _charts_of(r: _Related, subjects: list[str]) -> list[str]:
    """The charts drawing facts about any of these subjects, in charts.yaml order."""
    return list(dict.fromkeys(cid for s in subjects for cid in r.charts.get(s, [])))


def _sorted_centres(c: Content) -> list[Centre]:
    return sorted(
        c.centres.values(),
        key=lambda ce: (ce.level != "national", c.provinces[ce.province].code, ce.id),
    )


def _tally(d: Display, f: Fact | None) -> Tally | None:
    return Tally(d.value(f), d.time(f.as_of)) if f else None


def _province_row(d: Display, r: _Related, p: Province) -> ProvinceRow:
    ui = d.c.ui[d.lang]
    return ProvinceRow(
        Link(p.name[d.lang], f"provinces/{p.id}/"),
        ui["region"][p.region],
        _tally(d, r.tallies[TALLY_METRICS["national"]].get(p.id)),
        _tally(d, r.tallies[TALLY_METRICS["provincial"]].get(p.id)),
        len(r.centres.get(p.id, [])),
        len(r.stories_in.get(("province", p.id), [])),
    )


def _centre_row(d: Display, ce: Centre) -> CentreRow:
    ui = d.c.ui[d.lang]
    return CentreRow(
        Link(ce.name[d.lang], f"centres/{ce.id}/"),
        ui["level"][ce.level],
        Link(d.name(ce.province), f"provinces/{ce.province}/"),
        ce.city[d.lang] if ce.city else None,
        d.listed(ce.specialties),
    )


def _national_themes(c: Content, r: _Related, d: Display) -> tuple[Theme, ...]:
    national = r.facts.get("national", [])
    said = r.statements.get("national", [])

    def in_theme(metrics: tuple[str, ...]) -> list[Fact]:
        """A theme's facts, metric by metric in the theme's order, then by date."""
        facts = [f for f in national if f.metric in metrics]
        return sorted(facts, key=lambda f: (metrics.index(f.metric), f.as_of, f.id))

    return tuple(
        Theme(
            t.id,
            t.title[d.lang],
            _cards(d, fact_groups(in_theme(t.metrics))),
            tuple(d.statement(s, figs) for s, figs in said if s.theme == t.id),
        )
        for t in c.themes.values()
    )


def _statements(d: Display, r: _Related, subject: str) -> tuple[StatementItem, ...]:
    return tuple(d.statement(s, figs) for s, figs in r.statements.get(subject, []))


def _sentence(text: str) -> str:
    """A title or milestone as the end of a lede sentence: without its own full stop."""
    return text.rstrip("。.")


def _latest(d: Display, items: list[tuple[str, str]]) -> str:
    """The lede's sentence on the latest of (date, text), or nothing."""
    if not items:
        return ""
    ui = d.c.ui[d.lang]
    date, text = max(items, key=lambda item: date_start(item[0]))
    return _fill(ui["lede"]["latest"], date=formatting.date(date, d.lang), text=_sentence(text))


def _figure_sentence(d: Display, f: Fact) -> str:
    ui = d.c.ui[d.lang]
    return _fill(
        ui["lede"]["figure"],
        label=f.label[d.lang],
        value=d.value(f),
        date=formatting.date(f.as_of, d.lang),
    )


def _province(d: Display, r: _Related, p: Province, own: tuple[ChartView, ...]) -> ProvinceView:
    """A province's page: a lede from its facts, its charts, then its figures and centres."""
    ui = d.c.ui[d.lang]
    lede = ui["lede"]
    name = p.name[d.lang]
    reported, plans = r.facts_about(p.id)
    centres = r.centres.get(p.id, [])
    events = r.events_in.get(("province", p.id), [])
    figures = [f for f, _ in (*reported, *plans)]
    tally = next((f for f, _ in reported if f.metric in TALLY_METRICS.values()), None)
    if tally:
        first = _figure_sentence(d, tally)
    elif figures:
        plural = "one" if len(figures) == 1 else "other"
        first = _fill(lede["figures"][plural], name=name, n=str(len(figures)))
    else:
        first = _fill(lede["none"], name=name)
    if centres:
        count = "one" if len(centres) == 1 else "other" if len(centres) <= NAMED else "many"
        names = ui["list_sep"].join(ce.name[d.lang] for ce in centres)
        second = _fill(lede["centres"][count], name=name, n=str(len(centres)), names=names)
    else:
        second = _fill(lede["no_centres"], name=name)
    latest = [(e.date, e.title[d.lang]) for e in events] + [
        (m.date, m.text[d.lang]) for ce in centres for m in ce.milestones
    ]
    centre_figures = any(ce.id in r.facts for ce in centres)
    none_text = None
    if not reported and (figures or centres):
        none_text = (
            ui["none_province_level"]
            + (ui["plans_below"] if plans else "")
            + (ui["see_centres"] if centre_figures else "")
            if plans or centre_figures
            else ui["none_reported"]
        )
    nearby = None
    if not figures and not centres:
        national = [d.c.facts[i] for i in d.c.site.headline_facts]
        others = [
            ce
            for q in d.c.provinces.values()
            if q.region == p.region and q.id != p.id
            for ce in r.centres.get(q.id, [])
        ]
        nearby = Nearby(
            tuple(d.figure(f) for f in national if f.subject == "national")[:NEARBY_FIGURES],
            ui["region"][p.region],
            tuple(d.centre_card(ce) for ce in others),
        )
    return ProvinceView(
        name,
        f"{ui['region'][p.region]} · {ui['provinces']['code']} {p.code}",
        d.text((first + second + _latest(d, latest)).rstrip()),
        tuple(d.chart(view) for view in own),
        _cards(d, reported),
        _cards(d, plans),
        none_text,
        _statements(d, r, p.id),
        tuple(d.centre_card(ce) for ce in centres),
        tuple(d.event(e) for e in events),
        tuple(d.story_card(s) for s in r.stories_in.get(("province", p.id), [])),
        nearby,
    )


def _centre(d: Display, r: _Related, ce: Centre, own: tuple[ChartView, ...]) -> CentreView:
    """A centre's page: a lede (what it is, its latest step), its charts, then the details."""
    ui = d.c.ui[d.lang]
    lede = ui["lede"]
    province = d.c.provinces[ce.province]
    place = (
        _fill(lede["place"], province=province.name[d.lang], city=ce.city[d.lang])
        if ce.city
        else province.name[d.lang]
    )
    level = lede["level"][ce.level] + ("" if ce.level_stated else ui["centre"]["level_inferred"])
    batch = _fill(lede["batch"], n=str(ce.batch)) if ce.batch else ""
    first = _fill(lede["centre"], name=ce.name[d.lang], place=place, level=level, batch=batch)
    reported, plans = r.facts_about(ce.id)
    events = r.events_in.get(("centre", ce.id), [])
    latest = [(m.date, m.text[d.lang]) for m in ce.milestones] + [
        (e.date, e.title[d.lang]) for e in events
    ]
    batch_text = _fill(ui["centre"]["batch"], n=str(ce.batch)) if ce.batch else None
    return CentreView(
        ce.name[d.lang],
        d.text((first + _latest(d, latest)).rstrip()),
        d.text(ce.summary[d.lang]),
        d.level(ce.level, ce.level_stated) + (f" · {batch_text}" if batch_text else ""),
        Link(province.name[d.lang], f"provinces/{province.id}/"),
        ce.city[d.lang] if ce.city else None,
        d.listed(ce.partners),
        d.listed(ce.specialties),
        tuple(d.chart(view) for view in own),
        _cards(d, reported),
        _cards(d, plans),
        _statements(d, r, ce.id),
        tuple(
            Milestone(d.time(m.date), d.text(m.text[d.lang]), d.source(m.source))
            for m in sorted(ce.milestones, key=lambda m: date_start(m.date))
        ),
        tuple(d.event(e) for e in events),
        tuple(d.story_card(s) for s in r.stories_in.get(("centre", ce.id), [])),
        tuple(d.source(s) for s in ce.sources),
    )


def _sentence_key(f: Fact) -> tuple[str, str]:
    """What makes two cited facts one note: the same source sentence."""
    return (f.source, f.quote.zh)


def _story(d: Display, r: _Related, s: Story, body: Markup, cited: list[Fact]) -> StoryView:
    """A story: prose, one note per source sentence it cites, then where it happened."""
    by_sentence = _group(cited, lambda f: [_sentence_key(f)])
    notes = []
    for n, facts in enumerate(by_sentence.values(), start=1):
        twins = [t for f in facts for t in r.figures[_figure(f)] if t not in cited]
        notes.append(
            Note(
                n,
                tuple(f.id for f in (*facts, *twins)),
                tuple(NoteFigure(d.value(f), f.label[d.lang], d.time(f.as_of)) for f in facts),
                d.quote(facts[0]),
                tuple(d.source(t.source) for t in dict.fromkeys(twins)),
                tuple(dict.fromkeys(f.note[d.lang] for f in (*facts, *twins) if f.note)),
            )
        )
    meta = s.meta
    here = [
        *r.stories_in.get(("centre", meta.centre), []),
        *r.stories_in.get(("province", meta.province), []),
        *r.stories,
    ]
    related = [o for o in dict.fromkeys(here) if o.id != s.id][:RELATED_STORIES]
    return StoryView(
        s[d.lang].meta.title,
        s[d.lang].meta.summary,
        d.time(meta.date),
        d.time(meta.updated) if meta.updated else None,
        Link(d.name(meta.province), f"provinces/{meta.province}/"),
        Link(d.name(meta.centre), f"centres/{meta.centre}/"),
        body,
        tuple(notes),
        tuple(d.source(src) for src in meta.sources),
        tuple(d.story_card(o) for o in related),
    )


def _about(d: Display) -> AboutView:
    ui = d.c.ui[d.lang]
    site = d.c.site
    return AboutView(
        tuple(ui["about"]["paragraphs"]),
        ui["about"]["errors"],
        site.report.email,
        site.report.tracker,
        tuple(
            Correction(
                d.time(k.date),
                d.text(k.text[d.lang]),
                Link(d.name(k.subject), d.c.subject_page(k.subject)) if k.subject else None,
            )
            for k in sorted(site.corrections, key=lambda k: date_start(k.date), reverse=True)
        ),
    )


def story_html(c: Content, story: Story, lang: str) -> tuple[Markup, list[Fact]]:
    """A story's prose as HTML, and the facts it cites (for its notes), in order of first use.

    A citation's number is its note's: facts taken from the same source sentence share one.
    """
    cited: list[Fact] = []
    sentences: list[tuple[str, str]] = []

    def replace(fact_id: str, bare: bool) -> str:
        fact = c.facts[fact_id]
        if fact not in cited:
            cited.append(fact)
        if _sentence_key(fact) not in sentences:
            sentences.append(_sentence_key(fact))
        n = sentences.index(_sentence_key(fact)) + 1
        value = escape(formatting.fact_value(fact, c.units, lang, bare=bare, prose=True))
        return f'<a class="fact" href="#note-{n}">{value}<sup>{n}</sup></a>'

    return Markup(to_html(story[lang].body, replace)), cited
