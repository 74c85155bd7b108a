"""Open data: every dataset and every chart's data as CSV and JSON files.

CSV is UTF-8 with a BOM so spreadsheet programs open Chinese correctly; JSON
keeps both languages. Rows are in a stable order so builds are identical.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .charts import chart_facts
from .model import Content, Text

DATASETS = ("facts", "centres", "events", "provinces", "sources")


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
}


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else [], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def files(content: Content) -> dict[str, bytes]:
    """Path under the site root → file bytes, for every dataset and chart."""
    out: dict[str, bytes] = {}
    for name in DATASETS:
        rows = _rows(content, name)
        out[f"data/{name}.csv"] = _csv(rows)
        out[f"data/{name}.json"] = _json(rows)
    facts = {r["id"]: r for r in _rows(content, "facts")}
    events = _rows(content, "events")
    for cid, chart in content.charts.items():
        if chart.kind == "events":
            rows = events
        elif chart.kind == "tile_map":
            rows = [
                r
                for r in facts.values()
                if r["metric"] == chart.metric and r["subject"] in content.provinces
            ]
        else:
            rows = [facts[cf.fact] for cf in chart_facts(chart)]
        out[f"data/charts/{cid}.csv"] = _csv(rows)
    return out
