"""How each kind of chart is drawn: one Altair builder per `kind` in charts.yaml.

Each builder returns the Altair chart drawn for one `Size` (narrow for phones,
wide for the desktop column), the data table a reader sees under it and the
sources it cites; `view` builds both sizes and turns them into a ChartView
with the site's styling. Every text is drawn at the size it is read at.
Kept apart from charts.py so Altair is imported only by builds that draw
charts (not by `check` or a preview rebuild after a story edit). Encodings
are channel objects (`alt.Text("x:N")`, `alt.ColorValue(...)`), never strings
or `alt.value` dicts: Altair turns those into objects by scanning its whole
schema, ~5 ms each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt

from . import formatting
from .charts import (
    AXIS,
    FONT,
    GRID,
    INK,
    MUTED,
    OUTLINE,
    PRIMARY,
    SECONDARY,
    SHADES,
    SIZES,
    TILE_METRIC,
    ChartView,
    Size,
    Table,
    derived_views,
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


PAD = 8  # the SVG's padding on each side
Built = tuple[alt.TopLevelMixin, tuple, list[str]]


def _ui(content: Content, lang: str) -> dict[str, Any]:
    return content.ui[lang]["chart"]


def _text_width(text: str, font: float) -> float:
    """About how wide a line of text is drawn: CJK a full em, Latin about 0.6 em a character."""
    return sum(font if ord(c) > 0x2E7F else font * 0.6 for c in text)


def _lines_width(texts: list[str], font: float) -> int:
    return int(max((_text_width(line, font) for t in texts for line in t.split("\n")), default=0))


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
    specs = []
    for size in SIZES:
        data = Datasets()
        altair_chart, table, sources = builder(content, chart, lang, data, size)
        # Title and subtitle are HTML around the figure, so the SVG does not repeat them.
        # Validated against the Vega-Lite schema by the tests, not on every build.
        spec = altair_chart.to_dict(validate=False)
        spec.pop("$schema", None)
        _style(spec, size)
        spec["datasets"] = data.values
        specs.append(spec)
    narrow, wide = specs
    if wide.pop("datasets") != narrow["datasets"]:
        raise ValueError(f"chart {chart.id}: the narrow and wide drawings draw other rows")
    return ChartView(
        id=chart.id,
        lang=lang,
        title=fill_facts(chart.title[lang], content, lang),
        subtitle=fill_facts(chart.subtitle[lang], content, lang),
        summary=fill_facts(chart.summary[lang], content, lang),
        sources=tuple(sorted(set(sources))),
        table=Table(tuple(ui["columns"][c] for c in table[0]), tuple(tuple(r) for r in table[1])),
        spec=narrow,
        spec_wide=wide,
        svg="",
        derived=derived_views(content, chart, lang),
    )


def _style(spec: dict[str, Any], size: Size) -> None:
    """The shared look, set on the dict (Altair's configure_* methods copy the whole chart)."""
    config = spec.setdefault("config", {})
    # No background: the page's own shows through, in light and dark mode.
    config.update(font=FONT, padding=PAD)
    spec["background"] = "transparent"
    config.setdefault("view", {})["stroke"] = None
    config["axis"] = {
        "labelColor": MUTED,
        "titleColor": MUTED,
        "labelFontSize": size.small,
        "titleFontSize": size.small,
        "domainColor": AXIS,
        "tickColor": AXIS,
        "gridColor": GRID,
    }
    config["text"] = {"fontSize": size.font, "color": INK}
    config["title"] = {"fontSize": size.font, "color": INK, "anchor": "start", "offset": 6}
    config["legend"] = {
        "labelColor": INK,
        "titleColor": MUTED,
        "orient": "bottom",
        "labelFontSize": size.small,
    }


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


def _bars(content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size) -> Built:
    rows = _fact_rows(content, list(chart.facts), lang)
    return (
        _hbars(data.add(rows), rows, size, chart.percent_axis),
        _fact_table(rows),
        [content.facts[cf.fact].source for cf in chart.facts],
    )


def _label_width(labels: list[str], size: Size) -> int:
    """The width of the label column: the longest label, at most 45% of the chart."""
    return min(_lines_width(labels, size.small) + 10, int((size.width - 2 * PAD) * 0.45))


def _hbars(
    source: alt.NamedData,
    rows: list[dict[str, Any]],
    size: Size,
    percent: bool = False,
    title: str | None = None,
    label_width: int | None = None,
    text: str = "text",
) -> alt.LayerChart | alt.FacetChart:  # what alt.layer returns
    """Horizontal bars labelled directly: the category on the left, the value at the bar's end.

    The label column and the room for the values are measured, so the SVG is
    drawn exactly `size.width` wide and nothing is cut off or scaled.
    """
    order = [r["label"] for r in rows]
    labels = label_width or _label_width(order, size)
    room = _lines_width([r[text] for r in rows], size.font) + 8
    plot = size.width - 2 * PAD - labels
    top = max(r["value"] for r in rows) or 1
    if percent:  # the axis runs to 100; a value near 100 is written beyond it
        plot -= max(0, max(room - (1 - r["value"] / 100) * plot for r in rows))
        x = alt.X(
            "value:Q",
            title=None,
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100], grid=True, labelFontSize=size.small),
        )
    else:  # the longest bar leaves room for its value inside the drawing
        x = alt.X(
            "value:Q",
            title=None,
            scale=alt.Scale(domain=[0, top * plot / max(plot - room, 1)], nice=False),
            axis=None,
        )
    base = alt.Chart(source).encode(
        y=alt.Y(
            "label:N",
            sort=order,
            title=None,
            axis=alt.Axis(
                labelLimit=labels,
                ticks=False,
                domain=False,
                labelPadding=8,
                minExtent=labels,
                maxExtent=labels,
                labelFontSize=size.small,
                labelColor=INK,
            ),
        ),
        x=x,
        tooltip=_tooltip(),
    )
    bars = base.mark_bar(color=PRIMARY, height={"band": 0.68})
    values = base.mark_text(align="left", dx=5, color=INK, fontSize=size.font).encode(
        text=alt.Text(f"{text}:N")
    )
    step = round(size.font * 2.4)
    # Sizes and titles as the layer's arguments: `.properties` validates them (~10 ms each).
    return alt.layer(bars, values, width=plot, height=alt.Step(step), title=title or alt.Undefined)


def _bars_over_time(
    content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size
) -> Built:
    """Figures of one measure at several dates.

    A few dates are a comparison, not a trend: bars side by side, each labelled
    with its date and value. Many dates are drawn as columns along the time axis.
    """
    rows = sorted(_fact_rows(content, list(chart.facts), lang), key=lambda r: r["as_of"])
    sources = [content.facts[cf.fact].source for cf in chart.facts]
    if len(rows) <= 3:
        for r in rows:
            r["label"] = r["date"]
        return _hbars(data.add(rows), rows, size), _fact_table(rows), sources
    base = alt.Chart(data.add(rows)).encode(
        x=alt.X(
            "date:N",
            sort=[r["date"] for r in rows],
            title=None,
            axis=alt.Axis(labelAngle=0, ticks=False, domainColor=AXIS, labelFontSize=size.small),
        ),
        y=alt.Y("value:Q", title=None, axis=None),
        tooltip=_tooltip(),
    )
    chart_ = alt.layer(
        base.mark_bar(color=PRIMARY, width={"band": 0.6}),
        base.mark_text(baseline="bottom", dy=-4, color=INK, fontWeight="bold").encode(
            text=alt.Text("text:N")
        ),
        width=size.width - 2 * PAD,
        height=round(size.width * 0.45),
    )
    return chart_, _fact_table(rows), sources


def _panels(content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size) -> Built:
    groups = [_fact_rows(content, list(g.facts), lang, g.label) for g in chart.groups]
    labels = _label_width([r["label"] for rows in groups for r in rows], size)
    panels = [
        _hbars(data.add(rows), rows, size, title=g.label[lang], label_width=labels)
        for g, rows in zip(chart.groups, groups, strict=True)
    ]
    sources = [content.facts[cf.fact].source for g in chart.groups for cf in g.facts]
    all_rows = [r for rows in groups for r in rows]
    table = _fact_table(all_rows, lambda r: f"{r['group']} · {r['label']}")
    return alt.vconcat(*panels, spacing=round(size.font * 1.6)), table, sources


def _grouped(content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size) -> Built:
    """Bars in groups, one colour per subject, each bar labelled with its subject (no legend)."""
    rows = [r for g in chart.groups for r in _fact_rows(content, list(g.facts), lang, g.label)]
    sep = content.ui[lang]["colon"]
    for r in rows:
        r["shown"] = r["subject"] + sep + r["text"]
    subjects = list(dict.fromkeys(r["subject"] for r in rows))
    labels = _label_width([g.label[lang] for g in chart.groups], size)
    room = _lines_width([r["shown"] for r in rows], size.font) + 8
    plot = size.width - 2 * PAD - labels
    top = max(r["value"] for r in rows) or 1
    base = alt.Chart(data.add(rows)).encode(
        y=alt.Y(
            "group:N",
            sort=[g.label[lang] for g in chart.groups],
            title=None,
            axis=alt.Axis(
                labelLimit=labels,
                ticks=False,
                domain=False,
                labelPadding=8,
                minExtent=labels,
                maxExtent=labels,
                labelFontSize=size.small,
                labelColor=INK,
            ),
        ),
        yOffset=alt.YOffset("subject:N", sort=subjects),
        x=alt.X(
            "value:Q",
            title=None,
            scale=alt.Scale(domain=[0, top * plot / max(plot - room, 1)], nice=False),
            axis=None,
        ),
        tooltip=[alt.Tooltip("subject:N", title=" "), *_tooltip("group")],
    )
    colour = alt.Color(
        "subject:N",
        sort=subjects,
        scale=alt.Scale(domain=subjects, range=[PRIMARY, SECONDARY]),
        legend=None,
    )
    chart_ = alt.layer(
        base.mark_bar(height={"band": 0.8}).encode(color=colour),
        base.mark_text(align="left", dx=5, color=INK).encode(text=alt.Text("shown:N")),
        width=plot,
        height=alt.Step(round(size.font * 2.2)),
    )
    sources = [content.facts[cf.fact].source for g in chart.groups for cf in g.facts]
    # Each row is named "Henan: National centres", with the colon of the chart's language.
    table = _fact_table(rows, lambda r: r["subject"] + content.ui[lang]["colon"] + r["group"])
    return chart_, table, sources


def _tile_name(name: str, font: int, room: float) -> str:
    """A province's name in lines that fit a tile: at a space, else between pinyin syllables."""
    if _text_width(name, font) <= room:
        return name
    if " " in name:
        return name.replace(" ", "\n", 1)
    splits = [
        (abs(2 * i - len(name)), i)
        for i in range(2, len(name) - 2)
        if name[i - 1] in "aeioung"
        and name[i] not in "aeiou"
        and not name[i:].startswith(("ng", "g"))
    ]
    if not splits:
        return name
    i = min(splits)[1]
    return f"{name[:i]}-\n{name[i:]}"


def _covered(content: Content) -> dict[str, int]:
    """How many centres the site covers in each province (computed from centres.yaml)."""
    counts: dict[str, int] = {}
    for ce in content.centres.values():
        counts[ce.province] = counts.get(ce.province, 0) + 1
    return counts


def _shade(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count < 4 else 3


def _tile_map(content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size) -> Built:
    """The country as tiles: shaded by the centres this site covers, the reported tally ringed.

    The sources report a province's tally for one province only, so the map
    shows what the site can count itself (the centres it covers, computed
    from centres.yaml) and rings and names each province with a reported tally.
    Units none of the sources cover are dashed outlines with no number.
    """
    ui = _ui(content, lang)
    tallies = latest_tallies(content, chart.metric or TILE_METRIC)
    covered = _covered(content)
    tile = (size.width - 2 * PAD) // 8 if size.name == "narrow" else 76
    units: list[tuple[Any, str]] = [
        (p, "reported" if p.id in tallies else "not_reported")
        for p in sorted(content.provinces.values(), key=lambda p: p.code)
    ]
    units += [(u, "not_covered") for u in content.not_covered]
    rows = []
    for u, status in units:
        f = tallies.get(u.id)
        count = covered.get(u.id, 0)
        name = u.name[lang]
        rows.append(
            {
                "id": u.id,
                "fact": f.id if f else None,
                "status": status,
                "name": name,
                "short": name if lang == "zh" else u.tile.code,
                "lines": name if lang == "zh" else _tile_name(name, 12, 70),
                "row": u.tile.row,
                "col": u.tile.col,
                "centres": count,
                "shade": _shade(count) if status != "not_covered" else 0,
                "shown": str(count) if count else "",
                "value": float(f.value) if f else None,
                "tip": formatting.fact_value(f, content.units, lang) if f else ui[status],
                "callout": (
                    ui["tally_callout"].format(
                        name=name, value=formatting.fact_value(f, content.units, lang)
                    )
                    if f
                    else ""
                ),
                "date": formatting.date(f.as_of, lang) if f else "",
                "source": content.sources[f.source].publisher[lang] if f else "",
            }
        )
    cols = max(r["col"] for r in rows)
    nrows = max(r["row"] for r in rows)
    source = data.add(rows)
    base = alt.Chart(source).encode(
        x=alt.X("col:O", axis=None, scale=alt.Scale(domain=list(range(1, cols + 1)))),
        y=alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(1, nrows + 1)))),
        tooltip=[
            alt.Tooltip("name:N", title=" "),
            alt.Tooltip("centres:Q", title=ui["columns"]["centres"]),
            alt.Tooltip("tip:N", title=" "),
            alt.Tooltip("source:N", title=" "),
        ],
    )
    inset = 2  # the gap between tiles
    side = tile - 2 * inset
    shades = alt.Fill(
        "shade:O", scale=alt.Scale(domain=[0, 1, 2, 3], range=list(SHADES)), legend=None
    )
    tiles = (
        base.transform_filter(alt.datum.status != "not_covered")
        .mark_rect(width=side, height=side, strokeWidth=1, stroke=OUTLINE)
        .encode(fill=shades)
    )
    # A mark property: an encoded strokeDash is not drawn in the static SVG.
    uncovered = (
        base.transform_filter(alt.datum.status == "not_covered")
        .mark_rect(width=side, height=side, strokeWidth=1, stroke=OUTLINE, strokeDash=[3, 3])
        .encode(fill=shades)
    )
    ring = (
        base.transform_filter(alt.datum.status == "reported")
        .mark_rect(width=side - 2, height=side - 2, filled=False, strokeWidth=3)
        .encode(stroke=alt.StrokeValue(SECONDARY))
    )
    text_colour = alt.ColorValue(
        **alt.condition(alt.datum.shade == 3, alt.value("#ffffff"), alt.value(INK))
    )
    label = "short" if size.name == "narrow" else "lines"
    edge = tile // 2 - inset - (3 if size.name == "narrow" else 6)  # text's distance from centre
    names = base.mark_text(
        fontSize=size.small,
        baseline="top",
        dy=-edge,
        lineBreak="\n",
        lineHeight=size.small + 1,
    ).encode(text=alt.Text(f"{label}:N"), color=text_colour)
    counts = base.mark_text(
        fontSize=size.font, baseline="bottom", dy=edge, fontWeight="bold"
    ).encode(text=alt.Text("shown:N"), color=text_colour)
    map_w, map_h = tile * cols, tile * nrows
    keys = [ui["map_keys"]["count"], ui["map_keys"]["dashed"]]
    if lang == "en" and size.name == "narrow":  # the tiles show codes: the key decodes them
        keys += _code_key(rows, size, map_w)
    line = size.small + 5
    if size.name == "narrow":
        kx, ky = 0, map_h + 16
    else:
        kx, ky = map_w + 24, 18
    callouts = (
        base.transform_filter(alt.datum.status == "reported")
        .transform_window(n="row_number()")
        .transform_calculate(ky=f"{ky - line} + datum.n * {line}")
        .mark_text(align="left", baseline="middle", fontSize=size.small, fontWeight="bold")
        .encode(
            x=alt.XValue(kx + 16),
            y=alt.Y("ky:Q", scale=None),
            text=alt.Text("callout:N"),
            color=alt.ColorValue(INK),
        )
    )
    marker = (
        base.transform_filter(alt.datum.status == "reported")
        .transform_window(n="row_number()")
        .transform_calculate(ky=f"{ky - line} + datum.n * {line}")
        .mark_rect(width=10, height=10, filled=False, strokeWidth=3)
        .encode(
            x=alt.XValue(kx + 5), y=alt.Y("ky:Q", scale=None), stroke=alt.StrokeValue(SECONDARY)
        )
    )
    n_called = len(tallies)
    key = (  # one text of several lines (a layer per line would cost ~30 ms each to build)
        base.transform_aggregate(n="count()")
        .mark_text(
            align="left",
            baseline="top",
            fontSize=size.small,
            color=MUTED,
            lineBreak="\n",
            lineHeight=line,
        )
        .encode(
            x=alt.XValue(kx),
            y=alt.YValue(ky + n_called * line - line / 2),
            text=alt.TextValue("\n".join(keys)),
        )
    )
    chart_ = alt.layer(
        *(tiles, uncovered, ring, names, counts, marker, callouts, key),
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
        width=map_w,
        height=map_h,
    )
    table_rows = [[r["name"], str(r["centres"]), r["tip"], r["date"], r["source"]] for r in rows]
    return (
        chart_,
        (["province", "centres", "value", "as_of", "source"], table_rows),
        [f.source for f in tallies.values()],
    )


def _code_key(rows: list[dict[str, Any]], size: Size, width: int) -> list[str]:
    """Lines of "AH Anhui · BJ Beijing …", filling the width, for a map whose tiles show codes."""
    items = sorted(f"{r['short']} {r['name']}" for r in rows)
    lines, line = [], ""
    for item in items:
        candidate = f"{line} · {item}" if line else item
        if line and _text_width(candidate, size.small) > width:
            lines.append(line)
            candidate = item
        line = candidate
    return [*lines, line]


def _events(content: Content, chart: ChartDef, lang: str, data: Datasets, size: Size) -> Built:
    """Every event as a dot on a time line, one row per level; the key events named on it."""
    ui = _ui(content, lang)
    events = sorted(content.events, key=lambda e: (e.date, e.id))
    notes = {n.event: fill_facts(n.label[lang], content, lang) for n in chart.annotate}
    levels = [ui["level_short"][k] for k in ("national", "provincial")]
    first, last = int(events[0].date[:4]), int(events[-1].date[:4]) + 1
    half = (first + last) / 2
    # One line of names each. Names of later events end at their dot (right-aligned), latest on
    # top; earlier ones start at theirs, below them: no leader line then crosses a name.
    named = [e for e in events if e.id in notes]
    late = [e.id for e in reversed(named) if int(e.date[:4]) >= half]
    early = [e.id for e in named if int(e.date[:4]) < half]
    lane = {eid: i for i, eid in enumerate([*late, *early])}
    line = size.small + 6
    first_y = len(lane) * line + 28  # below the lanes of names above the dots
    step = size.font * 2 + 6
    height = first_y + step + 16
    labels = _label_width(levels, size)
    plot = size.width - 2 * PAD - labels
    rows = []
    for e in events:
        rows.append(
            {
                "id": e.id,
                "when": date_start(e.date),
                "date": formatting.date(e.date, lang),
                "level": ui["level_short"][e.level],
                "label": e.title[lang],
                "row": levels.index(ui["level_short"][e.level]),
                "note": notes.get(e.id, ""),
                "lane": lane.get(e.id, 0),
            }
        )
    x = alt.X(
        "when:T",
        title=None,
        scale=alt.Scale(type="utc", domain=[f"{first}-01-01", f"{last}-01-01"]),
        axis=alt.Axis(
            format="%Y",
            tickCount={"interval": "year", "step": 1 if size.name == "wide" else 2},
            labelAngle=0,
            grid=True,
            domain=False,
            labelFontSize=size.small,
        ),
    )  # UTC: the same SVG in every time zone
    # Positions in px are worked out per drawing, so both draw the same rows.
    base = (
        alt.Chart(data.add(rows))
        .transform_calculate(
            y=f"{first_y} + datum.row * {step}", note_y=f"14 + datum.lane * {line}"
        )
        .encode(x=x)
    )
    dots = base.mark_point(filled=True, size=size.font * 6, opacity=0.85).encode(
        y=alt.Y("y:Q", scale=None),
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
    level_names = (
        base.transform_aggregate(y="min(y)", groupby=["level"])
        .mark_text(align="right", baseline="middle", fontSize=size.small, color=INK)
        .encode(x=alt.XValue(-10), y=alt.Y("y:Q", scale=None), text=alt.Text("level:N"))
    )
    keyed = base.transform_filter(alt.datum.note != "")
    leaders = keyed.mark_rule(color=AXIS, strokeWidth=1).encode(
        y=alt.Y("note_y:Q", scale=None), y2=alt.Y2("y:Q")
    )
    names = [
        keyed.transform_filter(f"year(datum.when) {'<' if align == 'left' else '>='} {half}")
        .mark_text(
            align=align,
            baseline="bottom",
            dx=-3 if align == "left" else 3,
            dy=-2,
            fontSize=size.small,
            fontWeight="bold",
            color=INK,
        )
        .encode(y=alt.Y("note_y:Q", scale=None), text=alt.Text("note:N"))
        for align in ("left", "right")
    ]
    chart_ = alt.layer(leaders, dots, level_names, *names, width=plot, height=height)
    table = (["date", "level", "event"], [[r["date"], r["level"], r["label"]] for r in rows])
    return chart_, table, [s for e in events for s in e.sources]


_BUILDERS: dict[str, Callable[[Content, ChartDef, str, Datasets, Size], Built]] = {
    "bars_over_time": _bars_over_time,
    "bars": _bars,
    "panels": _panels,
    "grouped": _grouped,
    "tile_map": _tile_map,
    "events": _events,
}
