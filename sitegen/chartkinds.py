"""How each kind of chart is drawn: one Altair builder per `kind` in charts.yaml.

Each builder returns the Altair chart, the data table a reader sees under it
and the sources it cites; `view` turns that into a ChartView with the
site's styling. Kept apart from charts.py so Altair is imported only by
builds that draw charts (not by `check` or a preview rebuild after a story edit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt

from . import formatting
from .charts import (
    EMPTY,
    FONT,
    INK,
    MUTED,
    PRIMARY,
    SECONDARY,
    TILE_METRIC,
    WIDTH,
    ChartView,
    Table,
    fill_facts,
    latest_tallies,
)
from .model import ChartDef, ChartFact, Content, Fact, Text, date_start


class Datasets:
    """A chart's data rows, named in the Altair chart and put into the spec at the end.

    Altair validates and copies inline data at every step (encode, layer,
    configure), which grows with the rows (~3 s for a 1,500-event timeline);
    a named dataset is a few bytes to copy. Every row added is drawn as a mark
    and carries its `id` (fact, province or event), so the chart's CSV is made
    from these rows (`charts.drawn_rows`) and lists exactly what the chart shows.
    """

    def __init__(self) -> None:
        self.values: dict[str, list[dict[str, Any]]] = {}

    def add(self, rows: list[dict[str, Any]]) -> alt.NamedData:
        name = f"data-{len(self.values) + 1}"
        self.values[name] = rows
        return alt.NamedData(name=name)


def _ui(content: Content, lang: str) -> dict[str, Any]:
    return content.ui[lang]["chart"]


def _label(cf: ChartFact, fact: Fact, lang: str) -> str:
    return cf.label[lang] if cf.label else fact.label[lang]


def _fact_rows(
    content: Content, cfs: list[ChartFact], lang: str, group: Text | None = None
) -> list[dict[str, Any]]:
    rows = []
    for cf in cfs:
        f = content.facts[cf.fact]
        subject = content.subject_name(f.subject)
        rows.append(
            {
                "id": f.id,
                "label": _label(cf, f, lang),
                "group": group[lang] if group else "",
                "subject": subject[lang] if subject else content.ui[lang]["national"],
                "value": float(f.value),
                "text": formatting.fact_value(f, content.units, lang),
                "date": formatting.date(f.as_of, lang),
                "as_of": f.as_of,
                "source": content.sources[f.source].publisher[lang],
                "kind": content.ui[lang]["chart"]["target" if f.target else "reported"],
            }
        )
    return rows


def view(content: Content, chart: ChartDef, lang: str) -> ChartView:
    ui = _ui(content, lang)
    builder = _BUILDERS[chart.kind]
    data = Datasets()
    altair_chart, table, sources = builder(content, chart, lang, data)
    # Title and subtitle are HTML around the figure, so the SVG does not repeat them.
    # Validated against the Vega-Lite schema by the tests, not on every build.
    spec = altair_chart.to_dict(validate=False)
    spec.pop("$schema", None)
    # The shared look, set on the dict: Altair's configure_* methods would copy the whole chart
    # four times.
    config = spec.setdefault("config", {})
    config.update(font=FONT, background="#ffffff", padding=8)
    config.setdefault("view", {})["stroke"] = None
    config["axis"] = {
        "labelColor": MUTED,
        "titleColor": MUTED,
        "labelFontSize": 11,
        "domainColor": "#767676",
        "tickColor": "#767676",
        "gridColor": "#e6e6e6",
    }
    config["legend"] = {"labelColor": INK, "titleColor": MUTED, "orient": "bottom"}
    spec["datasets"] = data.values
    return ChartView(
        id=chart.id,
        lang=lang,
        title=chart.title[lang],
        subtitle=chart.subtitle[lang],
        summary=fill_facts(chart.summary[lang], content, lang),
        sources=tuple(sorted(set(sources))),
        table=Table(tuple(ui["columns"][c] for c in table[0]), tuple(tuple(r) for r in table[1])),
        spec=spec,
        svg="",
    )


def _fact_table(
    rows: list[dict[str, Any]], item: Callable[[dict[str, Any]], str] = lambda r: r["label"]
) -> tuple[list[str], list[list[str]]]:
    """One table row per drawn row; `item` names it as the chart does (with its group)."""
    return ["item", "value", "as_of", "source"], [
        [item(r), r["text"], r["date"], r["source"]] for r in rows
    ]


def _tooltip(name: str = "label") -> list[alt.Tooltip]:
    return [
        alt.Tooltip(f"{name}:N", title=" "),
        alt.Tooltip("text:N", title=" "),
        alt.Tooltip("date:N", title=" "),
        alt.Tooltip("source:N", title=" "),
    ]


def _bars(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    rows = _fact_rows(content, list(chart.facts), lang)
    return (
        _hbars(data, rows, chart.percent_axis),
        _fact_table(rows),
        [content.facts[cf.fact].source for cf in chart.facts],
    )


def _hbars(
    data: Datasets, rows: list[dict[str, Any]], percent: bool = False, title: str | None = None
) -> alt.LayerChart | alt.FacetChart:  # what alt.layer returns
    order = [r["label"] for r in rows]
    x = alt.X(
        "value:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False, domain=False)
    )
    if percent:
        x = alt.X(
            "value:Q",
            title=None,
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100], grid=True),
        )
    base = alt.Chart(data.add(rows)).encode(
        y=alt.Y(
            "label:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=150, ticks=False, domain=False, labelPadding=6),
        ),
        x=x,
        tooltip=_tooltip(),
    )
    bars = base.mark_bar(color=PRIMARY, height={"band": 0.7})
    labels = base.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(text="text:N")
    layered = alt.layer(bars, labels).properties(width=WIDTH - 150 if not percent else WIDTH - 150)
    return layered.properties(title=title) if title else layered


def _bars_over_time(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    rows = sorted(_fact_rows(content, list(chart.facts), lang), key=lambda r: r["as_of"])
    base = alt.Chart(data.add(rows)).encode(
        x=alt.X(
            "date:N",
            sort=[r["date"] for r in rows],
            title=None,
            axis=alt.Axis(labelAngle=0, ticks=False, domainColor="#767676"),
        ),
        y=alt.Y(
            "value:Q",
            title=None,
            axis=alt.Axis(labels=False, ticks=False, grid=False, domain=False),
        ),
        tooltip=_tooltip(),
    )
    chart_ = alt.layer(
        base.mark_bar(color=PRIMARY, width={"band": 0.6}),
        base.mark_text(baseline="bottom", dy=-4, color=INK, fontSize=13, fontWeight="bold").encode(
            text="text:N"
        ),
    ).properties(width=WIDTH, height=180)
    return chart_, _fact_table(rows), [content.facts[cf.fact].source for cf in chart.facts]


def _panels(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    panels, all_rows = [], []
    for g in chart.groups:
        rows = _fact_rows(content, list(g.facts), lang, g.label)
        all_rows += rows
        panels.append(_hbars(data, rows, title=g.label[lang]).properties(height=len(rows) * 28))
    sources = [content.facts[cf.fact].source for g in chart.groups for cf in g.facts]
    table = _fact_table(all_rows, lambda r: f"{r['group']} · {r['label']}")
    return alt.vconcat(*panels, spacing=18), table, sources


def _grouped(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    rows = [r for g in chart.groups for r in _fact_rows(content, list(g.facts), lang, g.label)]
    subjects = list(dict.fromkeys(r["subject"] for r in rows))
    base = alt.Chart(data.add(rows)).encode(
        y=alt.Y(
            "group:N",
            sort=[g.label[lang] for g in chart.groups],
            title=None,
            axis=alt.Axis(labelLimit=130, ticks=False, domain=False, labelPadding=6),
        ),
        yOffset=alt.YOffset("subject:N", sort=subjects),
        x=alt.X(
            "value:Q",
            title=None,
            axis=alt.Axis(labels=False, ticks=False, grid=False, domain=False),
        ),
        tooltip=[alt.Tooltip("subject:N", title=" "), *_tooltip("group")],
    )
    colour = alt.Color(
        "subject:N",
        sort=subjects,
        scale=alt.Scale(domain=subjects, range=[PRIMARY, SECONDARY]),
        legend=alt.Legend(title=None),
    )
    chart_ = alt.layer(
        base.mark_bar(height={"band": 0.8}).encode(color=colour),
        base.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(text="text:N"),
    ).properties(width=WIDTH - 160, height=alt.Step(22))
    sources = [content.facts[cf.fact].source for g in chart.groups for cf in g.facts]
    # Each row is named "Henan: National centres", with the colon of the chart's language.
    table = _fact_table(rows, lambda r: r["subject"] + content.ui[lang]["colon"] + r["group"])
    return chart_, table, sources


def _tile_map(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    ui = _ui(content, lang)
    tallies = latest_tallies(content, chart.metric or TILE_METRIC)
    rows = []
    for p in sorted(content.provinces.values(), key=lambda p: p.code):
        f = tallies.get(p.id)
        status = "reported" if f else "not_reported"
        rows.append(
            {
                "id": p.id,
                "fact": f.id if f else None,
                "status": status,
                "name": p.name[lang],
                "short": p.name.zh if lang == "zh" else p.tile.code,
                "row": p.tile.row,
                "col": p.tile.col,
                "legend": ui[status],
                "value": float(f.value) if f else None,
                "shown": formatting.short_value(f, lang) if f else "–",
                "tip": formatting.fact_value(f, content.units, lang) if f else ui["not_reported"],
                "date": formatting.date(f.as_of, lang) if f else "",
                "source": content.sources[f.source].publisher[lang] if f else "",
            }
        )
    for u in content.not_covered:
        rows.append(
            {
                "id": u.id,
                "fact": None,
                "status": "not_covered",
                "name": u.name[lang],
                "short": u.name.zh if lang == "zh" else u.tile.code,
                "row": u.tile.row,
                "col": u.tile.col,
                "legend": ui["not_covered"],
                "value": None,
                "shown": "",
                "tip": ui["not_covered"],
                "date": "",
                "source": "",
            }
        )
    legends = [ui["reported"], ui["not_reported"], ui["not_covered"]]
    size = 38
    base = alt.Chart(data.add(rows)).encode(
        x=alt.X("col:O", axis=None, scale=alt.Scale(domain=list(range(1, 11)), paddingInner=0.08)),
        y=alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(1, 12)), paddingInner=0.08)),
        tooltip=[
            alt.Tooltip("name:N", title=" "),
            alt.Tooltip("tip:N", title=" "),
            alt.Tooltip("date:N", title=" "),
            alt.Tooltip("source:N", title=" "),
        ],
    )
    tiles = base.mark_rect(cornerRadius=3, strokeWidth=1).encode(
        color=alt.Color(
            "legend:N",
            scale=alt.Scale(domain=legends, range=[PRIMARY, EMPTY, "#ffffff"]),
            legend=alt.Legend(title=None, symbolStrokeColor="#767676", symbolType="square"),
        ),
        stroke=alt.Stroke(
            "legend:N",
            scale=alt.Scale(domain=legends, range=[PRIMARY, "#8c8c8c", "#8c8c8c"]),
            legend=None,
        ),
        strokeDash=alt.StrokeDash(
            "legend:N",
            scale=alt.Scale(domain=legends, range=[[1, 0], [1, 0], [3, 2]]),
            legend=None,
        ),
    )
    text_colour = alt.condition(
        alt.datum.status == "reported", alt.value("#ffffff"), alt.value(INK)
    )
    names = base.mark_text(fontSize=10 if lang == "zh" else 11, dy=-7).encode(
        text="short:N", color=text_colour
    )
    values = base.mark_text(fontSize=11, dy=8, fontWeight="bold").encode(
        text="shown:N", color=text_colour
    )
    chart_ = alt.layer(tiles, names, values).properties(width=size * 10, height=size * 11)
    table_rows = [[r["name"], r["tip"], r["date"], r["source"]] for r in rows]
    return (
        chart_,
        (["province", "value", "as_of", "source"], table_rows),
        [f.source for f in tallies.values()],
    )


def _events(
    content: Content, chart: ChartDef, lang: str, data: Datasets
) -> tuple[alt.TopLevelMixin, tuple, list[str]]:
    ui = _ui(content, lang)
    events = sorted(content.events, key=lambda e: (e.date, e.id))
    rows = [
        {
            "id": e.id,
            "when": date_start(e.date),
            "date": formatting.date(e.date, lang),
            "level": ui["level_short"][e.level],
            "label": e.title[lang],
        }
        for e in events
    ]
    levels = [ui["level_short"][k] for k in ("national", "provincial")]
    chart_ = (
        alt.Chart(data.add(rows))
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X(
                "when:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0, grid=True),
            ),  # UTC: the same SVG in every time zone
            y=alt.Y(
                "level:N",
                sort=levels,
                title=None,
                axis=alt.Axis(ticks=False, domain=False, labelPadding=6),
            ),
            color=alt.Color(
                "level:N",
                sort=levels,
                scale=alt.Scale(domain=levels, range=[PRIMARY, SECONDARY]),
                legend=None,
            ),
            shape=alt.Shape(
                "level:N",
                sort=levels,
                scale=alt.Scale(domain=levels, range=["circle", "diamond"]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("date:N", title=" "), alt.Tooltip("label:N", title=" ")],
        )
        .properties(width=WIDTH - 70, height=100)
    )
    table = (["date", "level", "event"], [[r["date"], r["level"], r["label"]] for r in rows])
    return chart_, table, [s for e in events for s in e.sources]


_BUILDERS = {
    "bars_over_time": _bars_over_time,
    "bars": _bars,
    "panels": _panels,
    "grouped": _grouped,
    "tile_map": _tile_map,
    "events": _events,
}
