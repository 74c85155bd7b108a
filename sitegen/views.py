"""What each template shows: one frozen view per page kind, every value formatted for its language.

Templates get a `Page` whose `view` is one of the classes below; they lay it
out and never read the content model, sort, filter or format a number or
date. `Display` turns model records (facts, sources, statements, events,
stories, centres) into these values for one language, so every page formats
a figure the same way. datasette's RowContext is the model.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from . import formatting
from .charts import ChartView
from .model import Centre, Content, Event, Fact, Source, Statement, Story


class Kind(enum.Enum):
    """The kinds of page; each has one template, and says what its head and index need."""

    HOME = "home.html"
    NATIONAL = "national.html"
    TIMELINE = "timeline.html"
    PROVINCES = "provinces.html"
    PROVINCE = "province.html"
    CENTRES = "centres.html"
    CENTRE = "centre.html"
    STORIES = "stories.html"
    STORY = "story.html"
    CHART = "chart.html"
    EMBED = "embed.html"
    DATA = "data.html"
    ABOUT = "about.html"
    SEARCH = "search.html"
    NOT_FOUND = "404.html"

    @property
    def template(self) -> str:
        return self.value

    @property
    def article(self) -> bool:
        """A news article (og:type article, NewsArticle structured data)."""
        return self is Kind.STORY

    @property
    def searchable(self) -> bool:
        """Indexed for search (the search page and the 404 page are not)."""
        return self not in (Kind.SEARCH, Kind.NOT_FOUND)

    @property
    def search_ui(self) -> bool:
        """Loads the search interface (the search page)."""
        return self is Kind.SEARCH

    @property
    def in_sitemap(self) -> bool:
        return self not in (Kind.SEARCH, Kind.EMBED, Kind.NOT_FOUND)


@dataclass(frozen=True)
class Time:
    """A date as `<time datetime>` wants it and as a reader of the language reads it."""

    iso: str
    text: str


@dataclass(frozen=True)
class Link:
    """A link inside the site: text, and a path relative to the language root."""

    text: str
    path: str


@dataclass(frozen=True)
class SourceRef:
    """A source as a page cites it; `path` is its entry in the data page's list."""

    id: str
    publisher: Markup
    title: str
    title_zh: str  # the title as printed, shown beside the English one
    date: Time
    url: str | None  # the original, where its address is known
    note: str | None
    path: str


@dataclass(frozen=True)
class Quote:
    """A source's own sentence: the Chinese as printed, the translation on English pages."""

    source: SourceRef
    zh: str
    en: str | None


@dataclass(frozen=True)
class Figure:
    """A figure as a card: value, whose figure it is, one quiet source line, notes, sentences."""

    id: str
    anchors: tuple[str, ...]  # the ids of the same figure from other sources
    value: str
    label: str
    target: bool
    as_of: Time
    sources: tuple[SourceRef, ...]
    notes: tuple[str, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class StatementItem:
    id: str
    kind: str
    date: Time
    title: Markup
    quote: Quote
    note: str | None
    figures: tuple[Link, ...]  # the figures it states, on the pages that show them


@dataclass(frozen=True)
class EventItem:
    id: str
    date: Time
    level: str  # with "level inferred" where no source states it
    province: Link | None
    title: Markup
    summary: Markup
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class StoryCard:
    path: str
    title: str
    summary: str
    date: Time
    place: str  # province · centre


@dataclass(frozen=True)
class CentreCard:
    path: str
    name: str
    meta: str  # level · province · city


@dataclass(frozen=True)
class Milestone:
    date: Time
    text: Markup
    source: SourceRef


@dataclass(frozen=True)
class Chart:
    """A chart with its sources formatted."""

    view: ChartView
    sources: tuple[SourceRef, ...]
    summary: Markup  # the view's summary, numbers kept whole


@dataclass(frozen=True)
class Tally:
    value: str
    date: Time


@dataclass(frozen=True)
class HomeView:
    headline: Markup
    standfirst: Markup
    lead: Chart
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...]
    lede: Markup
    stories: tuple[StoryCard, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    figures: tuple[Figure, ...]
    statements: tuple[StatementItem, ...]


@dataclass(frozen=True)
class NationalView:
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class TimelineView:
    lede: Markup  # the page's description, as its opening line
    charts: tuple[Chart, ...]
    events: tuple[EventItem, ...]


@dataclass(frozen=True)
class ProvinceRow:
    name: Link
    region: str
    national: Tally | None
    provincial: Tally | None
    centres: int
    stories: int


@dataclass(frozen=True)
class ProvincesView:
    lede: Markup  # the page's description, as its opening line
    charts: tuple[Chart, ...]
    rows: tuple[ProvinceRow, ...]


@dataclass(frozen=True)
class Nearby:
    """What a province the sources say little about gets: the country, and centres near it."""

    figures: tuple[Figure, ...]  # national key figures
    region: str
    centres: tuple[CentreCard, ...]  # covered centres in other provinces of its region


@dataclass(frozen=True)
class ProvinceView:
    name: str
    meta: str
    lede: Markup
    charts: tuple[Chart, ...]
    figures: tuple[Figure, ...]
    plans: tuple[Figure, ...]
    none_text: str | None  # what the figures section says when it has no figure
    statements: tuple[StatementItem, ...]
    centres: tuple[CentreCard, ...]
    events: tuple[EventItem, ...]
    stories: tuple[StoryCard, ...]
    nearby: Nearby | None


@dataclass(frozen=True)
class CentreRow:
    name: Link
    level: str
    province: Link
    city: str | None
    specialties: str | None


@dataclass(frozen=True)
class CentresView:
    lede: Markup  # the page's description, as its opening line
    rows: tuple[CentreRow, ...]


@dataclass(frozen=True)
class CentreView:
    name: str
    lede: Markup
    summary: Markup
    level: str
    province: Link
    city: str | None
    partners: str | None
    specialties: str | None
    charts: tuple[Chart, ...]
    figures: tuple[Figure, ...]
    plans: tuple[Figure, ...]
    statements: tuple[StatementItem, ...]
    milestones: tuple[Milestone, ...]
    events: tuple[EventItem, ...]
    stories: tuple[StoryCard, ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class StoriesView:
    lede: Markup  # the page's description, as its opening line
    stories: tuple[StoryCard, ...]


@dataclass(frozen=True)
class NoteFigure:
    value: str
    label: str
    as_of: Time


@dataclass(frozen=True)
class Note:
    """One source sentence a story cites, once, with every figure the story takes from it."""

    number: int
    anchors: tuple[str, ...]  # fact-… ids: the facts cited and their twins from other sources
    figures: tuple[NoteFigure, ...]
    quote: Quote
    also: tuple[SourceRef, ...]  # other sources reporting the same figures
    notes: tuple[str, ...]


@dataclass(frozen=True)
class StoryView:
    title: str
    summary: str
    date: Time
    updated: Time | None
    province: Link
    centre: Link
    body: Markup
    notes: tuple[Note, ...]
    sources: tuple[SourceRef, ...]
    related: tuple[StoryCard, ...]


@dataclass(frozen=True)
class ChartPageView:
    chart: Chart


@dataclass(frozen=True)
class Dataset:
    name: str
    key: str


@dataclass(frozen=True)
class ChartLink:
    title: str
    path: str  # the chart's page
    csv: str  # its data, as a site asset path


@dataclass(frozen=True)
class DataView:
    lede: Markup  # the page's description, as its opening line
    datasets: tuple[Dataset, ...]
    charts: tuple[ChartLink, ...]
    methodology: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    credit: str


@dataclass(frozen=True)
class Correction:
    date: Time
    text: Markup
    page: Link | None


@dataclass(frozen=True)
class AboutView:
    paragraphs: tuple[str, ...]
    report: str  # how to report an error
    email: str | None
    tracker: str | None
    corrections: tuple[Correction, ...]


@dataclass(frozen=True)
class SearchView:
    links: tuple[Link, ...]  # what to browse without JavaScript


@dataclass(frozen=True)
class NotFoundText:
    lang: str
    html_lang: str
    title: str
    text: str
    home: Link
    search_label: str
    search_button: str
    search_path: str


@dataclass(frozen=True)
class NotFoundView:
    texts: tuple[NotFoundText, ...]  # both languages, at one address


View = (
    HomeView
    | NationalView
    | TimelineView
    | ProvincesView
    | ProvinceView
    | CentresView
    | CentreView
    | StoriesView
    | StoryView
    | ChartPageView
    | DataView
    | AboutView
    | SearchView
    | NotFoundView
)


class Display:
    """Model records as the values pages show, in one language."""

    def __init__(self, content: Content, lang: str):
        self.c = content
        self.lang = lang
        self._runs = formatting.unbroken(content.units, lang)

    def text(self, text: str) -> Markup:
        """A text the build filled in, with each number and its unit, and each date, kept whole."""
        return Markup(
            self._runs.sub(lambda m: f'<span class="num">{m.group(0)}</span>', str(escape(text)))
        )

    def time(self, d: str) -> Time:
        return Time(d, formatting.date(d, self.lang))

    def value(self, f: Fact) -> str:
        return formatting.fact_value(f, self.c.units, self.lang)

    def name(self, subject: str | None) -> str:
        ui = self.c.ui[self.lang]
        text = self.c.subject_name(subject) if subject else None
        return text[self.lang] if text else ui["national"]

    def source(self, source_id: str) -> SourceRef:
        s: Source = self.c.sources[source_id]
        lang = self.lang
        return SourceRef(
            s.id,
            self.text(s.publisher[lang]),
            s.title[lang],
            s.title.zh,
            self.time(s.date),
            s.url,
            s.note[lang] if s.note else None,
            f"data/#source-{s.id}",
        )

    def quote(self, f: Fact | Statement) -> Quote:
        return Quote(self.source(f.source), f.quote.zh, f.quote.en if self.lang == "en" else None)

    def figure(self, fact: Fact, also: tuple[Fact, ...] = ()) -> Figure:
        facts = (fact, *also)
        notes = {f.note.zh: f.note[self.lang] for f in facts if f.note}
        quotes = {f.quote.zh: self.quote(f) for f in facts}
        return Figure(
            fact.id,
            tuple(a.id for a in also),
            self.value(fact),
            fact.label[self.lang],
            fact.target,
            self.time(fact.as_of),
            tuple(self.source(f.source) for f in facts),
            tuple(notes.values()),
            tuple(quotes.values()),
        )

    def statement(self, s: Statement, figures: tuple[tuple[Fact, str], ...]) -> StatementItem:
        ui = self.c.ui[self.lang]
        return StatementItem(
            s.id,
            ui["statement_kind"][s.kind],
            self.time(s.date),
            self.text(s.title[self.lang]),
            self.quote(s),
            s.note[self.lang] if s.note else None,
            tuple(Link(self.value(f), f"{path}#fact-{f.id}") for f, path in figures),
        )

    def level(self, level: str, stated: bool) -> str:
        ui = self.c.ui[self.lang]
        return ui["chart"]["level_short"][level] + (
            "" if stated else ui["centre"]["level_inferred"]
        )

    def event(self, e: Event) -> EventItem:
        return EventItem(
            e.id,
            self.time(e.date),
            self.level(e.level, e.level_stated),
            Link(self.name(e.province), f"provinces/{e.province}/") if e.province else None,
            self.text(e.title[self.lang]),
            self.text(e.summary[self.lang]),
            tuple(self.source(s) for s in e.sources),
        )

    def story_card(self, s: Story) -> StoryCard:
        meta = s[self.lang].meta
        return StoryCard(
            f"stories/{s.id}/",
            meta.title,
            meta.summary,
            self.time(s.meta.date),
            f"{self.name(s.meta.province)} · {self.name(s.meta.centre)}",
        )

    def centre_card(self, ce: Centre) -> CentreCard:
        ui = self.c.ui[self.lang]
        parts = [ui["level"][ce.level], self.name(ce.province)]
        if ce.city:
            parts.append(ce.city[self.lang])
        return CentreCard(f"centres/{ce.id}/", ce.name[self.lang], " · ".join(parts))

    def chart(self, view: ChartView) -> Chart:
        return Chart(view, tuple(self.source(s) for s in view.sources), self.text(view.summary))

    def listed(self, texts: Any) -> str | None:
        """Texts joined as the language lists them, or None when there are none."""
        ui = self.c.ui[self.lang]
        items = [t[self.lang] for t in texts]
        return ui["list_sep"].join(items) if items else None
