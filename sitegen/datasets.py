"""Open data: every dataset as CSV and JSON, and every chart's data as CSV.

CSV is UTF-8 with a BOM so spreadsheet programs open Chinese correctly; JSON
keeps both languages. Rows are in a stable order so builds are identical. A
chart's CSV is made from the rows its marks are drawn from, one line each.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from .charts import ChartView, chart_inputs, drawn_rows
from .model import ChartDef, Content, Fact, Text
from .required import DATASETS


def _t(text: Text | None, lang: str) -> str:
    return text[lang] if text else ""


def _rows(content: Content, name: str) -> list[dict[str, Any]]:
    if name == "facts":
        return [
            {
                "id": f.id,
                "subject": f.subject,
                "metric": f.metric,
                "label_zh": f.label.zh,
                "label_en": f.label.en,
                "value": str(f.value),
                "qualifier": f.qualifier,
                "unit": f.unit,
                "target": f.target,
                "as_of": f.as_of,
                "source": f.source,
                "quote_zh": f.quote.zh,
                "quote_en": f.quote.en,
                "note_zh": _t(f.note, "zh"),
                "note_en": _t(f.note, "en"),
            }
            for f in sorted(content.facts.values(), key=lambda f: f.id)
        ]
    if name == "centres":
        return [
            {
                "id": c.id,
                "name_zh": c.name.zh,
                "name_en": c.name.en,
                "level": c.level,
                "province": c.province,
                "city_zh": _t(c.city, "zh"),
                "city_en": _t(c.city, "en"),
                "batch": c.batch or "",
                "partners_zh": "；".join(p.zh for p in c.partners),
                "partners_en": "; ".join(p.en for p in c.partners),
                "specialties_zh": "；".join(s.zh for s in c.specialties),
                "specialties_en": "; ".join(s.en for s in c.specialties),
                "sources": " ".join(c.sources),
            }
            for c in sorted(content.centres.values(), key=lambda c: c.id)
        ]
    if name == "events":
        return [
            {
                "id": e.id,
                "date": e.date,
                "level": e.level,
                "province": e.province or "",
                "centre": e.centre or "",
                "title_zh": e.title.zh,
                "title_en": e.title.en,
                "summary_zh": e.summary.zh,
                "summary_en": e.summary.en,
                "sources": " ".join(e.sources),
            }
            for e in sorted(content.events, key=lambda e: (e.date, e.id))
        ]
    if name == "statements":
        return [
            {
                "id": s.id,
                "subject": s.subject,
                "kind": s.kind,
                "theme": s.theme or "",
                "date": s.date,
                "title_zh": s.title.zh,
                "title_en": s.title.en,
                "quote_zh": s.quote.zh,
                "quote_en": s.quote.en,
                "source": s.source,
                "facts": " ".join(s.facts),
                "note_zh": _t(s.note, "zh"),
                "note_en": _t(s.note, "en"),
            }
            for s in sorted(content.statements.values(), key=lambda s: (s.date, s.id))
        ]
    if name == "provinces":
        return [
            {
                "id": p.id,
                "code": p.code,
                "name_zh": p.name.zh,
                "name_en": p.name.en,
                "region": p.region,
                "tile_code": p.tile.code,
                "tile_row": p.tile.row,
                "tile_col": p.tile.col,
            }
            for p in sorted(content.provinces.values(), key=lambda p: p.code)
        ]
    return [
        {
            "id": s.id,
            "publisher_zh": s.publisher.zh,
            "publisher_en": s.publisher.en,
            "title_zh": s.title.zh,
            "title_en": s.title.en,
            "date": s.date,
            "url": s.url or "",
        }
        for s in sorted(content.sources.values(), key=lambda s: (s.date, s.id))
    ]


_TYPES = {
    "value": "number",
    "target": "boolean",
    "tile_row": "integer",
    "tile_col": "integer",
    "batch": "integer",
    "centres_covered": "integer",
}


def fields(name: str) -> list[tuple[str, str]]:
    """Column names and Frictionless types of a dataset.

    Dates keep their precision, so they are strings.
    """
    return [(f, _TYPES.get(f, "string")) for f in _COLUMNS[name]]


_COLUMNS = {
    "facts": [
        "id",
        "subject",
        "metric",
        "label_zh",
        "label_en",
        "value",
        "qualifier",
        "unit",
        "target",
        "as_of",
        "source",
        "quote_zh",
        "quote_en",
        "note_zh",
        "note_en",
    ],
    "centres": [
        "id",
        "name_zh",
        "name_en",
        "level",
        "province",
        "city_zh",
        "city_en",
        "batch",
        "partners_zh",
        "partners_en",
        "specialties_zh",
        "specialties_en",
        "sources",
    ],
    "events": [
        "id",
        "date",
        "level",
        "province",
        "centre",
        "title_zh",
        "title_en",
        "summary_zh",
        "summary_en",
        "sources",
    ],
    "provinces": [
        "id",
        "code",
        "name_zh",
        "name_en",
        "region",
        "tile_code",
        "tile_row",
        "tile_col",
    ],
    "sources": ["id", "publisher_zh", "publisher_en", "title_zh", "title_en", "date", "url"],
    "statements": [
        "id",
        "subject",
        "kind",
        "theme",
        "date",
        "title_zh",
        "title_en",
        "quote_zh",
        "quote_en",
        "source",
        "facts",
        "note_zh",
        "note_en",
    ],
}


# A chart's CSV columns by the rows it draws: facts (bars, panels, grouped), provinces (tile map)
# or events (timeline). Names, labels and titles are the drawn texts of each language.
_FACT = [
    "value",
    "qualifier",
    "unit",
    "as_of",
    "source",
    "quote_zh",
    "quote_en",
    "note_zh",
    "note_en",
]
_CHART_COLUMNS = {
    "facts": [
        "id",
        "subject",
        "subject_zh",
        "subject_en",
        "group_zh",
        "group_en",
        "label_zh",
        "label_en",
        *_FACT[:3],
        "target",
        *_FACT[3:],
    ],
    # The map shades each unit by the centres this site covers there (computed from centres.yaml).
    "tile_map": ["id", "name_zh", "name_en", "centres_covered", "status", "fact", *_FACT],
    # The timeline draws each event's date, level and title, not its summary.
    "events": [c for c in _COLUMNS["events"] if not c.startswith("summary_")],
}


def _columns(kind: str) -> str:
    return kind if kind in ("tile_map", "events") else "facts"


def chart_fields(kind: str) -> list[tuple[str, str]]:
    """Column names and Frictionless types of the CSV of a chart of this kind."""
    return [(f, _TYPES.get(f, "string")) for f in _CHART_COLUMNS[_columns(kind)]]


def _fact(f: Fact | None) -> dict[str, Any]:
    if f is None:  # a province no source reports, or a unit no source covers
        return dict.fromkeys(_FACT, "")
    return {
        "value": str(f.value),
        "qualifier": f.qualifier,
        "unit": f.unit,
        "as_of": f.as_of,
        "source": f.source,
        "quote_zh": f.quote.zh,
        "quote_en": f.quote.en,
        "note_zh": _t(f.note, "zh"),
        "note_en": _t(f.note, "en"),
    }


def chart_rows(
    content: Content, chart: ChartDef, views: Sequence[ChartView]
) -> list[dict[str, Any]]:
    """A chart's CSV rows: one per row its marks are drawn from, in the order drawn.

    The rows of both languages are the same ones (the same ids in the same
    order); each gives its texts, and the chart's inputs the rest by id.
    """
    zh, en = (drawn_rows(next(v for v in views if v.lang == lang)) for lang in ("zh", "en"))
    if [r["id"] for r in zh] != [r["id"] for r in en]:
        raise ValueError(f"chart {chart.id} draws other rows in Chinese than in English")
    inputs = chart_inputs(content, chart)
    kind = _columns(chart.kind)
    if kind == "events":
        events = {e.id: e for e in inputs.events}
        return [
            {
                "id": z["id"],
                "date": events[z["id"]].date,
                "level": events[z["id"]].level,
                "province": events[z["id"]].province or "",
                "centre": events[z["id"]].centre or "",
                "title_zh": z["label"],
                "title_en": e["label"],
                "sources": " ".join(events[z["id"]].sources),
            }
            for z, e in zip(zh, en, strict=True)
        ]
    if kind == "tile_map":
        return [
            {
                "id": z["id"],
                "name_zh": z["name"],
                "name_en": e["name"],
                "centres_covered": z["centres"],
                "status": z["status"],
                "fact": z["fact"] or "",
                **_fact(inputs.facts[z["fact"]] if z["fact"] else None),
            }
            for z, e in zip(zh, en, strict=True)
        ]
    return [
        {
            "id": z["id"],
            "subject": inputs.facts[z["id"]].subject,
            "subject_zh": z["subject"],
            "subject_en": e["subject"],
            "group_zh": z["group"],
            "group_en": e["group"],
            "label_zh": z["label"],
            "label_en": e["label"],
            "target": inputs.facts[z["id"]].target,
            **_fact(inputs.facts[z["id"]]),
        }
        for z, e in zip(zh, en, strict=True)
    ]


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def files(content: Content, views: Sequence[ChartView]) -> dict[str, bytes]:
    """Path under the site root → file bytes, for every dataset and chart (from its views)."""
    out: dict[str, bytes] = {}
    for name in DATASETS:
        rows = _rows(content, name)
        out[f"data/{name}.csv"] = _csv(rows, _COLUMNS[name])
        out[f"data/{name}.json"] = _json(rows)
    for cid, chart in content.charts.items():
        rows = chart_rows(content, chart, [v for v in views if v.id == cid])
        out[f"data/charts/{cid}.csv"] = _csv(rows, _CHART_COLUMNS[_columns(chart.kind)])
    return out
