"""A chart's download is the chart's data: each chart's CSV holds exactly the rows it draws."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from sitegen.charts import chart_facts
from sitegen.model import Content
from sitegen.pipeline import Project, validate


@pytest.fixture(scope="module")
def content() -> Content:
    return validate(Project(ROOT))


def _csv(site: Path, cid: str) -> list[dict[str, str]]:
    raw = (site / f"data/charts/{cid}.csv").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw)))


def _number(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _drawn(page: BeautifulSoup) -> list[dict[str, Any]]:
    """Every row the chart's marks are drawn from, in order (all its named datasets)."""
    spec = json.loads(page.select_one("script.chart-spec").string)
    return [row for rows in spec["datasets"].values() for row in rows]


def test_each_chart_csv_has_exactly_the_rows_the_chart_draws(
    site: Path, pages: dict[str, BeautifulSoup], content: Content
) -> None:
    for cid in content.charts:
        rows = _csv(site, cid)
        expected = [(r["id"], _number(r.get("value"))) for r in rows]
        for prefix in ("", "en/"):
            page = pages[f"{prefix}charts/{cid}/index.html"]
            drawn = _drawn(page)
            assert len(drawn) == len(rows), f"{prefix}{cid}: draws {len(drawn)}, CSV {len(rows)}"
            assert [(r.get("id"), _number(r.get("value"))) for r in drawn] == expected, cid
            table = page.select(f"figure#chart-{cid} .chart-data tbody tr")
            assert len(table) == len(rows), f"{prefix}{cid}: table {len(table)}, CSV {len(rows)}"


def test_each_chart_csv_is_what_its_definition_asks_for(site: Path, content: Content) -> None:
    # Independent of the builders: the rows a chart of each kind should draw.
    for cid, chart in content.charts.items():
        rows = _csv(site, cid)
        ids = [r["id"] for r in rows]
        if chart.kind == "events":
            assert sorted(ids) == sorted(e.id for e in content.events), cid
        elif chart.kind == "tile_map":
            units = sorted(content.provinces.values(), key=lambda p: p.code)
            assert ids == [p.id for p in units] + [u.id for u in content.not_covered]
            for r in rows:
                fact = content.facts.get(r["fact"])
                status = "not_covered" if r["id"] not in content.provinces else r["status"]
                assert r["status"] == status and (status == "reported") == bool(fact), r
                covered = sum(1 for c in content.centres.values() if c.province == r["id"])
                assert int(r["centres_covered"]) == covered, r  # the shade and number drawn
                if fact:  # what the map shows: a reported figure of its metric for the province
                    assert not fact.target and fact.subject == r["id"], r
                    assert fact.metric == (chart.metric or "national_centre_projects"), r
        else:
            assert sorted(ids) == sorted(cf.fact for cf in chart_facts(chart)), cid
        for r in rows:
            fact = content.facts.get(r.get("fact", r["id"]))
            if chart.kind != "events" and fact:
                assert r["value"] == str(fact.value) and r["source"] == fact.source, r
                assert (r["note_zh"], r["note_en"]) == (
                    (fact.note.zh, fact.note.en) if fact.note else ("", "")
                ), r


def test_chart_tables_use_the_colon_of_their_language(pages: dict[str, BeautifulSoup]) -> None:
    for path, page in pages.items():
        if path.startswith(("charts/", "en/charts/")) and path.endswith("/index.html"):
            cells = [c.get_text() for c in page.select(".chart-data tbody th, .chart-data td")]
            wrong = "：" if path.startswith("en/") else ": "
            assert cells and not [c for c in cells if wrong in c], path


def test_the_facts_dataset_carries_every_note(site: Path, content: Content) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data/facts.csv").read_text("utf-8-sig"))))
    as_json = json.loads((site / "data/facts.json").read_text("utf-8"))
    noted = {fid: f.note for fid, f in content.facts.items() if f.note}
    assert noted
    for r in [*rows, *as_json]:
        note = noted.get(r["id"])
        assert (r["note_zh"], r["note_en"]) == ((note.zh, note.en) if note else ("", "")), r
