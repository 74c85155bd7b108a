"""Stage 3: the charts, made with Altair from the content model, rendered to SVG by renderer.py.

Each chart in `content/charts.yaml` becomes, per language, a Vega-Lite spec,
a static SVG for the page (so it reads without JavaScript), a data table and
a text summary whose numbers come from the facts. vl-convert renders offline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import LANGS, formatting
from .model import ChartDef, ChartFact, Content, DerivedFigure, Fact, Locator
from .prose import FACT_REF

# Colours chosen for WCAG AA contrast on white and for colour-vision deficiency
# (blue/orange pair; grey for "not reported"). The page's dark theme maps each of
# these exact values to a dark-mode colour (the "charts" block of static/style.css),
# so a colour added here needs its rule there.
INK = "#1a1a1a"
MUTED = "#595959"
PRIMARY = "#1f5fa8"
SECONDARY = "#b35900"
EMPTY = "#c2c2c2"
AXIS = "#767676"
GRID = "#e6e6e6"
# The tile map's shades, by how many centres the site covers in a province (0, 1, 2-3, 4+).
SHADES = ("#ffffff", "#b3cdee", "#6f9ad6", "#174f8f")
OUTLINE = "#8c8c8c"
FONT = (
    '"PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", '
    "system-ui, sans-serif"
)
TILE_METRIC = "national_centre_projects"  # what a tile map shows when charts.yaml names no metric


@dataclass(frozen=True)
class Size:
    """What a chart is drawn for: the SVG's whole width in px and its text sizes.

    Each chart is drawn twice and the page shows the one that fits (style.css):
    narrow for a phone's column (375 px less the page's margins), wide for the
    desktop column (60rem less margins), so neither is scaled much.
    """

    name: str
    width: int
    font: int  # labels and values
    small: int  # the smallest text (axis labels, keys)


NARROW = Size("narrow", 343, 13, 12)
WIDE = Size("wide", 928, 13, 13)  # 13 px: still ≤ 14 px if CSS widens it a little
SIZES = (NARROW, WIDE)


@dataclass(frozen=True)
class DerivedView:
    """A computed figure in one language: its sentence and the facts it is computed from."""

    text: str
    inputs: tuple[tuple[str, str, str], ...]  # (fact id, its value as shown, page path)
    kind: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ChartView:
    """One chart in one language, ready for a template."""

    id: str
    lang: str
    title: str
    subtitle: str
    summary: str
    sources: tuple[str, ...]
    table: Table
    spec: dict[str, Any]  # the narrow drawing, with the data of both
    spec_wide: dict[str, Any]  # the wide drawing, without datasets (they are the same rows)
    svg: str  # both drawings, for the page (style.css shows the one that fits)
    svg_wide: str = ""  # the wide drawing alone (for social cards)
    derived: tuple[DerivedView, ...] = ()


def fill_facts(text: str, content: Content, lang: str) -> str:
    """Replace {{fact:id}} in a short text by the fact's value in `lang`."""
    return FACT_REF.sub(
        lambda m: formatting.fact_value(
            content.facts[m.group(1)], content.units, lang, bare=bool(m.group(2)), prose=True
        ),
        text,
    )


def chart_facts(chart: ChartDef) -> list[ChartFact]:
    """Every fact a chart shows, in order (groups flattened)."""
    return [*chart.facts, *(cf for g in chart.groups for cf in g.facts)]


def chart_inputs(content: Content, chart: ChartDef) -> Content:
    """The part of the content one chart is drawn from, and all its builder gets.

    Its own facts (listed, cited in its texts, or for a tile map every fact
    of its metric, in file order), the centres those facts are about, the
    events only for a timeline, and the small shared tables whole. Since the
    builder sees nothing else, a chart cached by these inputs cannot miss a
    change to what it shows; a builder that reached for more would fail.
    """
    ids = {cf.fact for cf in chart_facts(chart)}
    ids.update(fid for d in chart.derived for fid in (d.of, d.to))
    ids.update(
        m.group(1)
        for text in (chart.title, chart.subtitle, chart.summary, *(n.label for n in chart.annotate))
        for lang in LANGS
        for m in FACT_REF.finditer(text[lang])
    )
    metric = (chart.metric or TILE_METRIC) if chart.kind == "tile_map" else None
    facts = {fid: f for fid, f in content.facts.items() if fid in ids or f.metric == metric}
    centres = {
        f.subject: content.centres[f.subject]
        for f in facts.values()
        if f.subject in content.centres
    }
    if chart.kind == "tile_map":  # the map counts the centres the site covers per province
        centres = dict(content.centres)
    return replace(
        content,
        facts=facts,
        centres=dict(sorted(centres.items())),
        events=content.events if chart.kind == "events" else (),
        stories={},
        charts={chart.id: chart},
        where=Locator({}),
    )


def view(inputs: Content, chart: ChartDef, lang: str) -> ChartView:
    """One chart's spec, table and summary in one language (no SVG yet), from `chart_inputs`."""
    from .chartkinds import view as draw  # imports Altair, which only builds that draw charts need

    return draw(inputs, chart, lang)


def render_specs(views: list[ChartView]) -> list[dict[str, Any]]:
    """What renderer.py draws for the views: each view's narrow and wide spec, in that order."""
    return [
        spec
        for v in views
        for spec in (v.spec, {**v.spec_wide, "datasets": v.spec.get("datasets", {})})
    ]


def with_svgs(views: list[ChartView], svgs: list[bytes]) -> list[ChartView]:
    """The views with their rendered SVGs (from `render_specs`), labelled images for the page."""
    out = []
    for i, v in enumerate(views):
        narrow, wide = (_compact(svgs[2 * i + k].decode("utf-8")) for k in (0, 1))
        page = _accessible_svg(narrow, v.id, NARROW) + _accessible_svg(wide, v.id, WIDE)
        out.append(replace(v, svg=page, svg_wide=wide))
    return out


_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
_MARK_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def _compact(svg: str) -> str:
    """The static SVG, smaller: coordinates to 1/100 px, and no ARIA on its marks.

    The SVG is one labelled image (`_accessible_svg`) whose figure has the data table,
    so the marks' own labels ("col: 8; row: 3; …") would only be noise, and half the bytes.
    The interactive chart that replaces it keeps Vega's labels.
    """
    return _MARK_ARIA.sub("", _LONG_DECIMAL.sub(r"\1", svg))


def _accessible_svg(svg: str, cid: str, size: Size) -> str:
    # The figure's caption and table carry the text; the SVG is one labelled image.
    head, rest = svg.split(">", 1)
    head = head.replace(' class="marks"', f' class="marks chart-svg chart-{size.name}"')
    labels = f'aria-labelledby="{cid}-title" aria-describedby="{cid}-summary"'
    return f'{head} role="img" {labels} focusable="false">' + rest


def fact_page(content: Content, fact: Fact) -> str:
    """The page (path under the language's root) whose figure cards or notes show the fact."""
    return content.subject_page(fact.subject)


def derived_value(d: DerivedFigure, content: Content, lang: str) -> str:
    """A computed figure, rounded only here, for display: a share to a whole percent."""
    of, to = content.facts[d.of], content.facts[d.to]
    if d.kind == "share":
        pct = (Decimal(of.value) * 100 / Decimal(to.value)).quantize(Decimal(1), ROUND_HALF_UP)
        return f"{pct}%"
    diff = Decimal(of.value) - Decimal(to.value)
    unit = content.units[of.unit]
    if lang == "zh":
        return formatting.number_zh(diff, "exact", of.unit, unit)
    return formatting.number_en(diff, "exact", of.unit, unit)


def derived_views(content: Content, chart: ChartDef, lang: str) -> tuple[DerivedView, ...]:
    """The chart's computed figures in `lang`, each with links to the facts it is made from."""
    out = []
    for d in chart.derived:
        value = derived_value(d, content, lang)
        inputs = tuple(
            (f.id, formatting.fact_value(f, content.units, lang), fact_page(content, f))
            for f in (content.facts[d.of], content.facts[d.to])
        )
        out.append(DerivedView(d.text[lang].replace("{value}", value), inputs, d.kind))
    return tuple(out)


def drawn_rows(view: ChartView) -> list[dict[str, Any]]:
    """Every row the chart's marks are drawn from, in order: the rows of its named datasets.

    Its CSV is made from these (datasets.py), so the download cannot list
    more, fewer or other rows than the chart shows.
    """
    return [row for rows in view.spec.get("datasets", {}).values() for row in rows]


def latest_tallies(content: Content, metric: str) -> dict[str, Fact]:
    """Per province, the latest reported (not planned) fact of a metric."""
    out: dict[str, Fact] = {}
    for f in sorted(content.facts.values(), key=lambda f: f.as_of):
        if f.metric == metric and not f.target and f.subject in content.provinces:
            out[f.subject] = f
    return out


def spec_json(view: ChartView) -> str:
    """The spec as compact JSON for the page, safe inside a <script> element.

    The narrow drawing with the data; the wide one (without the data, the same
    rows) rides along in `usermeta`, which Vega-Lite leaves alone, for charts.js.
    """
    spec = {**view.spec, "usermeta": {"wide": view.spec_wide}}
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace(
        "<", "\\u003c"
    )
