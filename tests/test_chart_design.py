"""How the charts read, without a browser: the tile map's layout, computed figures, claim titles."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

from sitegen import charts
from sitegen.model import Content, DerivedFigure, Text
from sitegen.pipeline import Project, validate


@pytest.fixture(scope="module")
def content() -> Content:
    return validate(Project(ROOT))


def _cells(content: Content) -> dict[tuple[int, int], str]:
    units = [*content.provinces.values(), *content.not_covered]
    return {(u.tile.row, u.tile.col): u.id for u in units}


def _neighbours(cell: tuple[int, int]) -> list[tuple[int, int]]:
    r, c = cell
    return [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]


def holes(cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Empty cells the outside cannot reach without crossing a tile (4-neighbour flood fill)."""
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    box = {
        (r, c)
        for r in range(min(rows) - 1, max(rows) + 2)
        for c in range(min(cols) - 1, max(cols) + 2)
    }
    start = (min(rows) - 1, min(cols) - 1)
    outside, todo = {start}, [start]
    while todo:
        for n in _neighbours(todo.pop()):
            if n in box and n not in cells and n not in outside:
                outside.add(n)
                todo.append(n)
    return box - cells - outside


def test_the_hole_finder_finds_a_hole() -> None:
    ring = {(r, c) for r in range(1, 4) for c in range(1, 4)} - {(2, 2)}
    assert holes(ring) == {(2, 2)}
    assert holes(ring | {(2, 2)}) == set()


def test_every_unit_has_its_own_tile(content: Content) -> None:
    assert len(_cells(content)) == len(content.provinces) + len(content.not_covered) == 34


def test_the_tile_map_has_no_holes_and_is_compact(content: Content) -> None:
    cells = set(_cells(content))
    assert holes(cells) == set()
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    # The country fills most of its box (the old 10 × 11 grid left 76 of 110 cells empty).
    assert len(rows) * len(cols) <= 2 * len(cells), (len(rows), len(cols))


def test_the_tiles_form_one_piece(content: Content) -> None:
    cells = set(_cells(content))
    seen, todo = {min(cells)}, [min(cells)]
    while todo:
        for n in _neighbours(todo.pop()):
            if n in cells and n not in seen:
                seen.add(n)
                todo.append(n)
    assert seen == cells


@pytest.mark.parametrize("unit", ["hong-kong", "macao"])
def test_hong_kong_and_macao_sit_beside_guangdong(content: Content, unit: str) -> None:
    at = {uid: cell for cell, uid in _cells(content).items()}
    assert at[unit] in _neighbours(at["guangdong"]), (unit, at[unit], at["guangdong"])


def test_the_map_counts_the_centres_this_site_covers(content: Content) -> None:
    chart = content.charts["province-map"]
    view = charts.view(charts.chart_inputs(content, chart), chart, "en")
    drawn = {r["id"]: r["centres"] for r in charts.drawn_rows(view)}
    for pid in content.provinces:
        assert drawn[pid] == sum(1 for c in content.centres.values() if c.province == pid), pid
    assert drawn["henan"] == 4 and drawn["anhui"] == 0


def _figure(kind: str, of: str, to: str) -> DerivedFigure:
    return DerivedFigure(kind=kind, of=of, to=to, text=Text(zh="{value}", en="{value}"))


def test_a_share_is_computed_from_its_facts_and_rounded_only_for_display(
    content: Content,
) -> None:
    beds = _figure(
        "share", "henan-national-centres-beds-added", "henan-national-centres-planned-beds"
    )
    assert content.facts[beds.of].value == Decimal(2884)  # 2,884 of 11,000 = 26.2%
    assert charts.derived_value(beds, content, "zh") == "26%"
    assert charts.derived_value(beds, content, "en") == "26%"
    money = _figure(
        "share",
        "henan-national-centres-central-investment",
        "henan-national-centres-total-investment",
    )
    assert charts.derived_value(money, content, "en") == "35%"  # 4.8 of 13.79 billion = 34.8%


def test_a_half_percent_rounds_up(content: Content) -> None:
    facts = dict(content.facts)
    base = facts["henan-national-centres-beds-added"]
    facts["part"] = base.model_copy(update={"id": "part", "value": Decimal(1)})
    facts["whole"] = base.model_copy(update={"id": "whole", "value": Decimal(8)})
    from dataclasses import replace

    scratch = replace(content, facts=facts)
    assert charts.derived_value(_figure("share", "part", "whole"), scratch, "en") == "13%"


def test_a_difference_keeps_the_unit_of_its_facts(content: Content) -> None:
    more = _figure("difference", "national-projects-2024-10", "national-projects-2023-04")
    assert charts.derived_value(more, content, "zh") == "49个"
    assert charts.derived_value(more, content, "en") == "49 projects"


@pytest.mark.parametrize(
    ("path", "marker", "inputs"),
    [
        ("charts/henan-progress/index.html", "计算值", "provinces/henan/"),
        ("en/charts/henan-progress/index.html", "Computed", "en/provinces/henan/"),
        ("provinces/henan/index.html", "计算值", "provinces/henan/"),  # its own chart
        ("en/provinces/henan/index.html", "Computed", "en/provinces/henan/"),
    ],
)
def test_a_computed_figure_is_marked_and_links_to_its_inputs(
    pages: dict[str, BeautifulSoup], path: str, marker: str, inputs: str
) -> None:
    lines = pages[path].select(".chart-derived")
    assert lines, path
    for line in lines:
        assert line.select_one(".tag").get_text() == marker
        links = line.select("a")
        assert len(links) == 2
        for a in links:
            target, _, anchor = a["href"].lstrip("/").partition("#")
            assert target == inputs, a["href"]
            assert pages[target + "index.html"].find(id=anchor), f"{a['href']} has no such figure"


def test_chart_titles_state_their_finding_with_cited_numbers(
    pages: dict[str, BeautifulSoup],
) -> None:
    zh = pages["charts/province-map/index.html"].select_one(".chart-title").get_text()
    en = pages["en/charts/national-projects/index.html"].select_one(".chart-title").get_text()
    assert zh == "河南获批10个国家区域医疗中心项目，居全国第一"
    assert en == (
        "National regional medical centre projects: 76 approved by April 2023,"
        " 125 under way by October 2024"
    )  # two measures, each named: approved, then under way
    for page in pages.values():
        for title in page.select(".chart-title, .chart-subtitle"):
            assert "{{" not in title.get_text(), title


def test_an_unknown_fact_in_a_chart_title_is_located(scratch: Path) -> None:
    path = scratch / "content/charts.yaml"
    text = path.read_text("utf-8")
    old = "{{fact:henan-national-centres}}国家区域医疗中心项目，居全国第一"
    assert old in text
    path.write_text(text.replace(old, "{{fact:no-such-fact}}", 1), "utf-8")
    result = run_build(scratch, "check")
    line = text[: text.index(old)].count("\n") + 1
    assert result.returncode == 1 and f"content/charts.yaml:{line}:" in result.stderr
    assert "no-such-fact" in result.stderr


def test_a_computed_figure_of_two_units_is_refused(scratch: Path) -> None:
    path = scratch / "content/charts.yaml"
    text = path.read_text("utf-8")
    old = "        to: henan-national-centres-planned-beds"
    assert old in text
    path.write_text(
        text.replace(old, "        to: henan-national-centres-total-investment"), "utf-8"
    )
    result = run_build(scratch, "check")
    assert result.returncode == 1
    assert "two facts of the same unit" in result.stderr and "Traceback" not in result.stderr
