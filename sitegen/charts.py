"""Stage 3: the charts, made with Altair from the content model, rendered to SVG by renderer.py.

Each chart in `content/charts.yaml` becomes, per language, a Vega-Lite spec,
a static SVG for the page (so it reads without JavaScript), a data table and
a text summary whose numbers come from the facts. vl-convert renders offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from . import LANGS, formatting
from .model import ChartDef, ChartFact, Content, Fact, Locator
from .prose import FACT_REF

# Colours chosen for WCAG AA contrast on white and for colour-vision deficiency
# (blue/orange pair; grey for "not reported").
INK = "#1a1a1a"
MUTED = "#595959"
PRIMARY = "#1f5fa8"
SECONDARY = "#b35900"
EMPTY = "#c2c2c2"
FONT = (
    '"PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", '
    "system-ui, sans-serif"
)
WIDTH = 380
TILE_METRIC = "national_centre_projects"  # what a tile map shows when charts.yaml names no metric


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
    spec: dict[str, Any]
    svg: str


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
    ids.update(
        m.group(1)
        for text in (chart.title, chart.subtitle, chart.summary)
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


def with_svgs(views: list[ChartView], svgs: list[bytes]) -> list[ChartView]:
    """The views with their rendered SVG (see renderer.py), made a labelled image for the page."""
    return [
        replace(v, svg=_accessible_svg(svg.decode("utf-8"), v.id, v.lang))
        for v, svg in zip(views, svgs, strict=True)
    ]


def _accessible_svg(svg: str, cid: str, lang: str) -> str:
    # The figure's caption and table carry the text; the SVG is one labelled image.
    head, rest = svg.split(">", 1)
    head = head.replace(' class="marks"', ' class="marks chart-svg"')
    labels = f'aria-labelledby="{cid}-title" aria-describedby="{cid}-summary"'
    return f'{head} role="img" {labels} focusable="false">' + rest


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
    """The spec as compact JSON for the page, safe inside a <script> element."""
    return json.dumps(view.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace(
        "<", "\\u003c"
    )
