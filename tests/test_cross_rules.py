"""Rules across records that a reader takes for granted, and dates and digits as editors type them.

Each case once passed `check` and published something a reader would misread: a CNY bar
among project counts, a province tally larger than the whole country, a story placed in
another province than its centre, a full-width date in `<time datetime>`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build

HENAN = "  - id: henan-national-centres\n"
STORY = "content/stories/zhao-zhengzhou-hip.{lang}.md"


def _edit(scratch: Path, rel: str, old: str, new: str, after: str = "") -> int:
    """Replace the first `old` after `after` in a file; the line number where it stood."""
    path = scratch / rel
    text = path.read_text("utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :], "utf-8")
    return text[:at].count("\n") + 1


def _chart_line(scratch: Path, chart: str, key: str) -> int:
    lines = (scratch / "content/charts.yaml").read_text("utf-8").splitlines()
    start = lines.index(f"  - id: {chart}")
    return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(key)) + 1


def _refused(scratch: Path, where: str, *words: str) -> None:
    result = run_build(scratch, "check")
    err = result.stderr
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in err and "Internal error" not in err, err
    assert where in err, (where, err)
    for word in words:
        assert word in err, (word, err)


# --- a chart's facts share its unit ---------------------------------------------------------

UNITS = {
    # chart: (old, new, key whose line is reported)
    "key-specialties": (
        "      - fact: key-specialty-national-projects-2022\n",
        "      - fact: key-specialty-national-projects-2022\n"
        "      - fact: key-specialty-central-funding-2022\n",
        "facts:",
    ),
    "national-projects": (
        "      - national-projects-2024-10\n",
        "      - national-projects-2024-10\n      - henan-national-centres-planned-beds\n",
        "facts:",
    ),
    "planned-targets": (
        "[henan-plan-national-centres,",
        "[henan-national-centres-planned-beds,",
        "groups:",
    ),
    "henan-progress": (
        "          - fact: henan-national-centres-planned-beds\n",
        "          - fact: henan-national-centres-total-investment\n",
        "- label:",
    ),
}


@pytest.mark.parametrize("chart", UNITS)
def test_a_chart_of_facts_in_different_units_is_refused(scratch: Path, chart: str) -> None:
    old, new, key = UNITS[chart]
    _edit(scratch, "content/charts.yaml", old, new, after=f"  - id: {chart}\n")
    line = _chart_line(scratch, chart, key)
    _refused(scratch, f"content/charts.yaml:{line}:", "different units")


def test_panels_may_differ_by_group_but_not_within_one(scratch: Path) -> None:
    """henan-progress draws beds and CNY in separate panels: that stays allowed."""
    assert run_build(scratch, "check").returncode == 0


def test_a_percent_axis_holds_percentages_only(scratch: Path) -> None:
    _edit(
        scratch,
        "content/charts.yaml",
        "    kind: bars\n",
        "    kind: bars\n    percent_axis: true\n",
    )
    _refused(scratch, "content/charts.yaml:", "percent_axis", "projects")


def test_a_tile_map_metric_no_fact_has_is_refused(scratch: Path) -> None:
    line = _edit(
        scratch,
        "content/charts.yaml",
        "metric: national_centre_projects",
        "metric: national_centres",
    )
    _refused(scratch, f"content/charts.yaml:{line}:", "national_centres", "empty")


# --- a province tally never exceeds the national total in force at its date -----------------


@pytest.mark.parametrize("value", ["500", "126", "77"])
def test_a_province_tally_over_the_national_total_in_force_is_refused(
    scratch: Path, value: str
) -> None:
    """Henan's 2023-05-24 tally against the national 76 of 2023-04-13 (in force then)."""
    line = _edit(scratch, "content/facts.yaml", "    value: 10\n", f"    value: {value}\n", HENAN)
    _refused(scratch, f"content/facts.yaml:{line}:", "national-projects-2023-04", "76")


def test_a_province_tally_under_the_total_in_force_passes(scratch: Path) -> None:
    _edit(scratch, "content/facts.yaml", "    value: 10\n", "    value: 76\n", HENAN)
    assert run_build(scratch, "check").returncode == 0


def test_a_later_tally_is_compared_with_the_later_total(scratch: Path) -> None:
    """Dated after 2024-10-23, Henan is compared with 125, not 76: 100 passes, 130 does not."""
    _edit(scratch, "content/facts.yaml", "    value: 10\n", "    value: 100\n", HENAN)
    _edit(scratch, "content/facts.yaml", "as_of: 2023-05-24", "as_of: 2024-11-01", HENAN)
    _edit(scratch, "content/sources.yaml", "date: 2023-05-24", "date: 2024-11-01")
    ok = run_build(scratch, "check")
    assert "national-projects" not in ok.stderr, ok.stderr
    _edit(scratch, "content/facts.yaml", "    value: 100\n", "    value: 130\n", HENAN)
    _refused(scratch, "content/facts.yaml:", "national-projects-2024-10", "125")


# --- names mean one thing ----------------------------------------------------------------


@pytest.mark.parametrize("ident", ["henan", "national"])
def test_a_centre_id_that_is_a_province_or_national_is_refused(scratch: Path, ident: str) -> None:
    line = _edit(scratch, "content/centres.yaml", "  - id: fuwai-central-china", f"  - id: {ident}")
    _refused(scratch, f"content/centres.yaml:{line}:", ident, "another id")


def test_a_story_in_another_province_than_its_centre_is_refused(scratch: Path) -> None:
    for lang in ("zh", "en"):
        line = _edit(scratch, STORY.format(lang=lang), "province: henan", "province: hebei")
    _refused(scratch, f"{STORY.format(lang='en')}:{line}:", "hebei", "jishuitan-zhengzhou")


def test_an_event_in_another_province_than_its_centre_is_refused(scratch: Path) -> None:
    line = _edit(
        scratch,
        "content/events.yaml",
        "province: hebei\n    centre: bch-baoding",
        "province: henan\n    centre: bch-baoding",
    )
    _refused(scratch, f"content/events.yaml:{line}:", "henan", "bch-baoding", "hebei")


# --- dates and digits as typed --------------------------------------------------------------

WIDE = {
    "fact date, full-width": (
        "content/facts.yaml",
        "as_of: 2023-05-24",
        "as_of: ２０２３-０５-２４",
    ),
    "fact date, quoted full-width": (
        "content/facts.yaml",
        "as_of: 2023-05-24",
        'as_of: "２０２３-05-24"',
    ),
    "fact date, Arabic-Indic": ("content/facts.yaml", "as_of: 2023-05-24", "as_of: ٢٠٢٣-05-24"),
    "source date": ("content/sources.yaml", "date: 2022-10-08", "date: 2022-１0-08"),
    "story date": (STORY.format(lang="zh"), "date: 2024-10-23", "date: ２０２４-１０-２３"),
    "number": ("content/facts.yaml", "    value: 10\n", "    value: １０\n"),
    "province code": ("content/provinces.yaml", 'code: "110000"', 'code: "１１0000"'),
}


@pytest.mark.parametrize("name", WIDE)
def test_full_width_digits_are_a_located_error(scratch: Path, name: str) -> None:
    rel, old, new = WIDE[name]
    line = _edit(scratch, rel, old, new, HENAN if rel.endswith("facts.yaml") else "")
    words = ("0-9",) if name != "province code" else ()
    _refused(scratch, f"{rel}:{line}:", *words)


@pytest.mark.parametrize("date", ['"0000"', "0000-10", "0000-10-23"])
def test_year_zero_is_refused(scratch: Path, date: str) -> None:
    line = _edit(scratch, "content/facts.yaml", "as_of: 2023-05-24", f"as_of: {date}", HENAN)
    _refused(scratch, f"content/facts.yaml:{line}:", "does not exist")
