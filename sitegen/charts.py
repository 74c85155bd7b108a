"""Stage 3: the charts, made with Altair from the content model, rendered to SVG by renderer.py.

Each chart in `content/charts.yaml` becomes, per language, a Vega-Lite spec,
a static SVG for the page (so it reads without JavaScript), a data table and
a text summary whose numbers come from the facts. vl-convert renders offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from . import formatting
from .model import ChartDef, ChartFact, Content, Fact
from .prose import FACT_REF

# Colours chosen for WCAG AA contrast on white and for colour-vision deficiency
# (blue/orange pair; grey for "not reported").
INK = "#1a1a1a"
MUTED = "#595959"
PRIMARY = "#1f5fa8"
SECONDARY = "#b35900"
EMPTY = "#c2c2c2"
FONT = '"PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", system-ui, sans-serif'
WIDTH = 380


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
    return FACT_REF.sub(lambda m: formatting.fact_value(content.facts[m.group(1)], content.units, lang, bare=bool(m.group(2))), text)


def chart_facts(chart: ChartDef) -> list[ChartFact]:
    """Every fact a chart shows, in order (groups flattened)."""
    return [*chart.facts, *(cf for g in chart.groups for cf in g.facts)]


def build_views(content: Content, lang: str) -> dict[str, ChartView]:
    """Specs, tables and summaries for every chart in one language (SVG still empty)."""
    from .chartkinds import view  # imports Altair, which only a build that draws charts needs

    return {cid: view(content, chart, lang) for cid, chart in content.charts.items()}


def with_svgs(views: list[ChartView], svgs: list[bytes]) -> list[ChartView]:
    """The views with their rendered SVG (see renderer.py), made a labelled image for the page."""
    return [replace(v, svg=_accessible_svg(svg.decode("utf-8"), v.id, v.lang)) for v, svg in zip(views, svgs, strict=True)]


def _accessible_svg(svg: str, cid: str, lang: str) -> str:
    # The figure's caption and table carry the text; the SVG is one labelled image.
    head, rest = svg.split(">", 1)
    head = head.replace(' class="marks"', ' class="marks chart-svg"')
    return f'{head} role="img" aria-labelledby="{cid}-title" aria-describedby="{cid}-summary" focusable="false">' + rest


def latest_tallies(content: Content, metric: str) -> dict[str, Fact]:
    """Per province, the latest reported (not planned) fact of a metric."""
    out: dict[str, Fact] = {}
    for f in sorted(content.facts.values(), key=lambda f: f.as_of):
        if f.metric == metric and not f.target and f.subject in content.provinces:
            out[f.subject] = f
    return out


def spec_json(view: ChartView) -> str:
    """The spec as compact JSON for the page, safe inside a <script> element."""
    return json.dumps(view.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
