"""The typed content model: what a fact, centre, event, story and source are.

Every stage after loading reads these frozen values and nothing else, so a
number typed once in `content/` is the number on every page, chart and story.
Field descriptions double as the editors' JSON Schema documentation.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from . import urls
from .yamlio import PLAIN_NUMBER, position

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_DATE_RX = re.compile(
    r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$"
)  # not \d: ２０２４ matches it


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=20000)]


def _date_text(value: Any) -> Any:
    # Unquoted `2022` arrives as an int; a date is text with a precision.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _wide_digits(value: str) -> bool:
    """Digits other than 0-9 (full-width ２, Arabic-Indic ٢…), which Python reads as numbers."""
    return any(ch.isdigit() and not "0" <= ch <= "9" for ch in value)


def _check_date(value: str) -> str:
    m = _DATE_RX.fullmatch(value)
    if not m:
        raise ValueError("digits_not_ascii" if _wide_digits(value) else "date_format")
    year, month, day = (int(g) if g else None for g in m.groups())
    if year == 0:
        raise ValueError("date_impossible")  # there is no year 0, and Python's dates start at 1
    if month is not None and not 1 <= month <= 12:
        raise ValueError("date_impossible")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:  # type: ignore[arg-type]
        raise ValueError("date_impossible")
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_date_text),
    AfterValidator(_check_date),
    Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives",
        examples=["2024-10-23", "2019-10", "2016"],
    ),
]


def _full_day(value: str) -> str:
    if len(value) != 10:
        raise ValueError("date_full")
    return value


FullDate = Annotated[PartialDate, AfterValidator(_full_day)]


def _decimal(value: Any) -> Decimal:
    """A number exactly as typed: plain decimal digits (YAML's other forms are refused on load)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError("number")
    text = str(value).strip()
    if text.startswith("-"):
        raise ValueError("negative")
    if not PLAIN_NUMBER.fullmatch(text):
        raise ValueError("digits_not_ascii" if _wide_digits(text) else "number")
    return Decimal(text)


Number = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    Field(description="A plain non-negative number in base units (137.9亿元 → 13790000000)"),
]


class Text(Frozen):
    """A reader-visible text in both languages."""

    zh: NonEmpty = Field(
        description="简体中文，按来源原文措辞 / Simplified Chinese, worded as the source words it"
    )
    en: NonEmpty = Field(description="Careful English translation")

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


Qualifier = Literal["exact", "about", "over", "plus", "more_than", "at_least", "at_most"]
Level = Literal["national", "provincial"]
Region = Literal["east", "central", "west", "northeast"]


class Licence(Frozen):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.\-]+$")] = Field(
        description="SPDX-style id, e.g. CC-BY-4.0"
    )
    path: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")]
    title: NonEmpty


class DatasetText(Frozen):
    """How search engines name and describe the open data (the data page's Dataset)."""

    name: Text = Field(description="The dataset's name, not the page's title")
    description: Text = Field(
        description="What the data holds, 50 to 5000 characters in each language (Google's rule)"
    )


class Report(Frozen):
    """Where a reader reports an error: an address, an issue tracker, or both."""

    email: (
        Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-z]{2,}$")] | None
    ) = None
    tracker: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")] | None = Field(
        None, description="The address of an issue tracker or form"
    )

    @model_validator(mode="after")
    def _one_route(self) -> Report:
        if not (self.email or self.tracker):
            raise ValueError("give an email address or a tracker address, or both")
        return self


class Correction(Frozen):
    """An entry of the about page's corrections log."""

    date: FullDate
    subject: Id | None = Field(None, description='The page corrected: "national" or an id')
    text: Text = Field(description="What was wrong and what it says now")


class Site(Frozen):
    title: Text
    description: Text
    headline: Text = Field(
        description="The home page's headline: the news, with numbers cited as {{fact:id}}"
    )
    standfirst: Text = Field(
        description="Two or three sentences under the headline; numbers cited as {{fact:id}}"
    )
    base_url: Annotated[str, AfterValidator(urls.base_url)] = Field(
        description="Where the site is published: http(s)://host/path/, ending in /",
        json_schema_extra={
            "format": "uri",
            "pattern": r"^https?://[^\s/?#@\\]+(/[A-Za-z0-9._~-]+)*/$",
        },
    )
    data_licence: Licence = Field(
        description="Licence of the open data downloads (datapackage.json)"
    )
    headline_facts: tuple[Id, ...] = Field(
        min_length=1, description="Fact ids shown as headline figures on the home page"
    )
    dataset: DatasetText = Field(
        description="The open data's name and description for search engines (schema.org Dataset)"
    )
    report: Report = Field(description="How readers report an error (the about page)")
    corrections: tuple[Correction, ...] = Field(
        (), description="The corrections log on the about page, any order"
    )


class Source(Frozen):
    id: Id
    publisher: Text = Field(description="Publisher as printed")
    title: Text = Field(description="Article title; zh as printed")
    date: FullDate = Field(description="Publication date, YYYY-MM-DD")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")] | None = Field(
        None, description="Address, only when known"
    )
    note: Text | None = None


class Tile(Frozen):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        description="Two-letter tile code"
    )
    row: int = Field(ge=1, le=20, description="1 = north")
    col: int = Field(ge=1, le=20, description="1 = west")


class Province(Frozen):
    id: Id
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")] = Field(
        description="GB/T 2260 code, quoted"
    )
    name: Text
    region: Region
    tile: Tile


class UncoveredUnit(Frozen):
    """A provincial-level unit on the map that none of the tracker's sources covers.

    The sources do not say whether the programme includes it, so the site
    claims neither: it is shown as "not covered by this tracker's sources".
    """

    id: Id
    name: Text
    tile: Tile


class UnitNames(Frozen):
    one: NonEmpty
    other: NonEmpty


class Unit(Frozen):
    zh: NonEmpty = Field(description="Counter written after the number: 个, 张, 元 …")
    en: UnitNames
    measured: bool = Field(
        False,
        description="True for a quantity with fractions (time, age, area, money, percent): "
        "多/余 after a number not ending in 0 then follows the counter (3年多, 6小时余). "
        "A counted thing has no such form (not 3个多), so 超过 is written instead",
    )


class Fact(Frozen):
    id: Id
    subject: Id = Field(
        description='"national", a province id, a centre id, or a story id for a figure only '
        "that story tells (a patient's age)"
    )
    metric: Key = Field(
        description="snake_case; facts with the same metric are comparable over time"
    )
    label: Text
    value: Number
    qualifier: Qualifier = Field(
        description="exact | about 约 | over …余 | plus …多 | more_than 超过 | "
        "at_least …以上 | at_most 不超过"
    )
    unit: Key = Field(description="A key of units.yaml")
    target: bool = Field(
        False, description="True for a plan, goal or cap rather than something achieved"
    )
    as_of: PartialDate = Field(description="The date the figure is true for")
    source: Id
    quote: Text = Field(description="The source's own sentence (zh verbatim) and its translation")
    note: Text | None = None


class Milestone(Frozen):
    date: PartialDate
    text: Text
    source: Id


class Centre(Frozen):
    id: Id
    name: Text
    level: Level
    level_stated: bool = Field(
        True,
        description="False when no source names the level and it is read from the report's "
        "context; the page says so",
    )
    province: Id
    city: Text | None = Field(None, description="Only when a source states it")
    batch: int | None = Field(
        None, ge=1, le=20, description="Batch number, only when a source states it"
    )
    partners: tuple[Text, ...] = Field(
        (), description="Output or supporting hospitals as the source names them"
    )
    specialties: tuple[Text, ...] = ()
    summary: Text = Field(description="Cite numbers as {{fact:id}}")
    milestones: tuple[Milestone, ...] = ()
    sources: tuple[Id, ...] = Field(min_length=1)


class Event(Frozen):
    id: Id
    date: PartialDate
    level: Level
    level_stated: bool = Field(
        True, description="False when the level is read from the report's context; shown"
    )
    province: Id | None = None
    centre: Id | None = None
    title: Text = Field(description="Cite numbers as {{fact:id}}")
    summary: Text = Field(description="Cite numbers as {{fact:id}}")
    sources: tuple[Id, ...] = Field(min_length=1)


StatementKind = Literal["goal", "plan", "requirement", "approach", "result"]


class Statement(Frozen):
    """What a source says about a plan, goal, requirement, approach or result, in its own words.

    For the claims that are not one number: the quote carries the source's
    wording (numbers in it are the source's words); figures the site tracks
    are facts, listed in `facts` so the page links them.
    """

    id: Id
    subject: Id = Field(description='"national", a province id or a centre id')
    kind: StatementKind = Field(description="goal | plan | requirement | approach | result")
    theme: Id | None = Field(None, description="A theme of themes.yaml; needed when national")
    date: PartialDate = Field(description="The date the statement is made or true for")
    title: Text = Field(description="A short heading; cite numbers as {{fact:id}}")
    quote: Text = Field(description="The source's own words (zh verbatim) and their translation")
    source: Id
    facts: tuple[Id, ...] = Field((), description="Facts the quote states, shown with it")
    note: Text | None = None


class Theme(Frozen):
    """A heading of the national figures page and the metrics of national facts under it."""

    id: Id
    title: Text
    metrics: tuple[Key, ...] = Field(min_length=1)


class StoryMeta(Frozen):
    """Front matter of one language file of a story."""

    title: NonEmpty
    date: FullDate
    centre: Id
    province: Id
    summary: NonEmpty
    sources: tuple[Id, ...] = Field(min_length=1)
    updated: FullDate | None = Field(
        None, description="The day the story was last changed, not before `date`; default: date"
    )

    @property
    def modified(self) -> str:
        """The day the story was last changed: `updated`, else its date."""
        return self.updated or self.date


class ChartFact(Frozen):
    """A fact shown in a chart, with a shorter label when the fact's own is too long for a bar."""

    fact: Id
    label: Text | None = None


def _chart_fact(value: Any) -> Any:
    return {"fact": value} if isinstance(value, str) else value


ChartFactRef = Annotated[ChartFact, BeforeValidator(_chart_fact)]


class ChartGroup(Frozen):
    """A panel (kind `panels`) or a row of bars (kind `grouped`) of a chart."""

    label: Text
    facts: tuple[ChartFactRef, ...] = Field(min_length=1)


ChartKind = Literal["bars_over_time", "bars", "panels", "grouped", "tile_map", "events"]


class ChartNote(Frozen):
    """An event a timeline chart names on the chart itself, with a label short enough to fit."""

    event: Id
    label: Text


class DerivedFigure(Frozen):
    """A number the build computes from two facts (never typed): a share or a difference."""

    kind: Literal["share", "difference"] = Field(
        description="share: of ÷ to, as a percentage; difference: of − to, in their unit"
    )
    of: Id = Field(description="share: the part; difference: the later or larger figure")
    to: Id = Field(description="share: the whole; difference: the figure it is compared with")
    text: Text = Field(description="What it says, with {value} where the computed number goes")


class ChartDef(Frozen):
    id: Id
    kind: ChartKind = Field(
        description="bars_over_time | bars | panels | grouped | tile_map | events"
    )
    title: Text
    subtitle: Text
    summary: Text = Field(description="Text alternative; cite numbers as {{fact:id}}")
    facts: tuple[ChartFactRef, ...] = Field((), description="For bars and bars_over_time")
    groups: tuple[ChartGroup, ...] = Field((), description="For panels and grouped")
    metric: Key | None = Field(None, description="For tile_map: the metric shown per province")
    percent_axis: bool = Field(False, description="Axis from 0 to 100 (for percentages)")
    annotate: tuple[ChartNote, ...] = Field(
        (), description="For events: the key events named on the chart"
    )
    derived: tuple[DerivedFigure, ...] = Field(
        (), description="Shares and differences the build computes from the chart's facts"
    )


# One model per content file: the shape editors write.
class SourcesFile(Frozen):
    sources: tuple[Source, ...]


class ProvincesFile(Frozen):
    provinces: tuple[Province, ...]
    not_covered: tuple[UncoveredUnit, ...] = ()


class UnitsFile(Frozen):
    units: dict[Key, Unit]


class FactsFile(Frozen):
    facts: tuple[Fact, ...]


class CentresFile(Frozen):
    centres: tuple[Centre, ...]


class EventsFile(Frozen):
    events: tuple[Event, ...]


class ChartsFile(Frozen):
    charts: tuple[ChartDef, ...]


class StatementsFile(Frozen):
    statements: tuple[Statement, ...]


class ThemesFile(Frozen):
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class StoryText:
    """One language of a story: its front matter and Markdown body with fact references."""

    meta: StoryMeta
    body: str
    file: str
    body_line: int  # line of the file where the body starts, for located errors


@dataclass(frozen=True)
class Story:
    id: str
    zh: StoryText
    en: StoryText

    def __getitem__(self, lang: str) -> StoryText:
        return getattr(self, lang)

    @property
    def meta(self) -> StoryMeta:
        return self.zh.meta


@dataclass(frozen=True)
class Locator:
    """Where each value of each content file stands, so later stages can locate their errors."""

    positions: dict[str, dict[tuple, tuple[int, int]]]

    def at(self, file: str, path: tuple) -> tuple[int | None, int | None]:
        return position(self.positions.get(file, {}), path)


@dataclass(frozen=True)
class Content:
    """Everything in `content/`, validated; the single input of every later stage."""

    site: Site
    sources: dict[str, Source]
    provinces: dict[str, Province]
    not_covered: tuple[UncoveredUnit, ...]
    units: dict[str, Unit]
    facts: dict[str, Fact]
    centres: dict[str, Centre]
    events: tuple[Event, ...]  # in file order; pages sort by date
    statements: dict[str, Statement]
    themes: dict[str, Theme]
    stories: dict[str, Story]
    charts: dict[str, ChartDef]
    ui: dict[str, dict[str, Any]]  # lang → nested UI strings
    where: Locator

    def subject_page(self, subject: str) -> str:
        """The page about a subject (its path under a language's root): the national figures
        page, or the province's, centre's or story's page."""
        if subject in self.provinces:
            return f"provinces/{subject}/"
        if subject in self.centres:
            return f"centres/{subject}/"
        if subject in self.stories:
            return f"stories/{subject}/"
        return "national/"

    def subject_name(self, subject: str) -> Text | None:
        if subject in self.provinces:
            return self.provinces[subject].name
        if subject in self.centres:
            return self.centres[subject].name
        return None


def date_start(d: str) -> str:
    """The earliest day a partial date can mean, for comparisons: 2023 → 2023-01-01."""
    return (d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10] if len(d) == 7 else d
