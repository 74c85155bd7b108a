"""The number formatter: each qualifier where its language puts it, for every unit.

A fact-check found 3多年 for 3年多, 30多% for 百分之三十几 and "30%+" in English running
text; the explicit table pins the rules unit by unit, and the invariants run over every
real fact so a new fact or unit that breaks them fails here, not in print.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.formatting import fact_value
from sitegen.load import load
from sitegen.model import Content, Fact, Text, Unit

ROOT = Path(__file__).resolve().parent.parent
QUALIFIERS = ("exact", "about", "over", "plus", "more_than", "at_least", "at_most")


@pytest.fixture(scope="module")
def content() -> Content:
    return load(ROOT / "content")


@pytest.fixture(scope="module")
def units(content: Content) -> dict[str, Unit]:
    return content.units


def fact(value: str, qualifier: str, unit: str) -> Fact:
    return Fact(
        id="t",
        subject="national",
        metric="m",
        label=Text(zh="标签", en="label"),
        value=value,  # type: ignore[arg-type]  # validated from text, as YAML gives it
        qualifier=qualifier,  # type: ignore[arg-type]
        unit=unit,
        as_of="2024",
        source="s",
        quote=Text(zh="原文", en="quote"),
    )


# --- (1) the explicit table ---------------------------------------------------------------

# Counted things have no 3个多: a non-round 多/余 is written 超过 (more than), its meaning.
COUNTED = {
    "centres",
    "projects",
    "batches",
    "categories",
    "hospitals",
    "health_centres",
    "cities",
    "zones",
    "specialties",
    "techniques",
    "gaps",
    "disease_types",
    "beds",
    "rooms",
    "people",
    "children",
    "experts",
    "operations",
    "cases",
}
# Measured quantities take 多/余 after the unit when the number does not end in 0: 3年多.
MEASURED = {"hours", "minutes", "years", "years_of_age", "square_metres"}

# value: round (30), non-round (3), zh scale round (30万) and non-round (3万), both scales.
VALUES = ("30", "3", "300000", "30000", "30000000", "1")
EXACT_ZH = {
    "30": "30{c}",
    "3": "3{c}",
    "300000": "30万{c}",
    "30000": "3万{c}",
    "30000000": "3000万{c}",
    "1": "1{c}",
}
ZH = {
    "plus": {
        "30": "30多{c}",
        "300000": "30多万{c}",
        "30000": "3万多{c}",
        "30000000": "3000多万{c}",
    },
    "over": {
        "30": "30余{c}",
        "300000": "30万余{c}",
        "30000": "3万余{c}",
        "30000000": "3000万余{c}",
    },
}
ZH_NON_ROUND = {  # value 3 and value 1, by kind of unit
    "counted": {"plus": "超过{n}{c}", "over": "超过{n}{c}"},
    "measured": {"plus": "{n}{c}多", "over": "{n}{c}余"},
}
EN_AMOUNT = {
    "30": "30",
    "3": "3",
    "300000": "300,000",
    "30000": "30,000",
    "30000000": "30 million",
    "1": "1",
}


def zh_expected(unit: str, c: str, value: str, qualifier: str) -> str:
    exact = EXACT_ZH[value].format(c=c)
    if qualifier in ("plus", "over"):
        if value in ("3", "1"):
            kind = "measured" if unit in MEASURED else "counted"
            return ZH_NON_ROUND[kind][qualifier].format(n=value, c=c)
        return ZH[qualifier][value].format(c=c)
    return {
        "exact": exact,
        "about": f"约{exact}",
        "more_than": f"超过{exact}",
        "at_least": f"{exact}以上",
        "at_most": f"不超过{exact}",
    }[qualifier]


def en_expected(one: str, other: str, value: str, qualifier: str, prose: bool) -> str:
    amount = EN_AMOUNT[value]
    if qualifier in ("plus", "over") and not prose:
        return f"{amount}+ {other}"  # 1+ reads as "one or more": plural
    noun = one if value == "1" else other  # "more than one hour", "about 1 hour"
    words = {
        "exact": "",
        "about": "about ",
        "over": "more than ",
        "plus": "more than ",
        "more_than": "more than ",
        "at_least": "at least ",
        "at_most": "no more than " if prose else "up to ",
    }[qualifier]
    return f"{words}{amount} {noun}"


def test_the_table_names_every_unit(units: dict[str, Unit]) -> None:
    assert set(units) == COUNTED | MEASURED | {"cny", "percent"}


COUNTER_CASES = [(u, v, q) for u in sorted(COUNTED | MEASURED) for v in VALUES for q in QUALIFIERS]


@pytest.mark.parametrize(("unit", "value", "qualifier"), COUNTER_CASES)
def test_counters(units: dict[str, Unit], unit: str, value: str, qualifier: str) -> None:
    u = units[unit]
    f = fact(value, qualifier, unit)
    assert fact_value(f, units, "zh") == zh_expected(unit, u.zh, value, qualifier)
    for prose in (False, True):
        want = en_expected(u.en.one, u.en.other, value, qualifier, prose)
        assert fact_value(f, units, "en", prose=prose) == want
    bare = fact_value(f, units, "en", bare=True, prose=True)
    assert bare == en_expected("", "", value, qualifier, True).rstrip()


def test_measured_examples(units: dict[str, Unit]) -> None:
    """The house examples, spelled out."""
    cases = {
        ("3", "plus", "years"): "3年多",
        ("30", "plus", "years"): "30多年",
        ("6", "plus", "hours"): "6小时多",
        ("3", "plus", "years_of_age"): "3岁多",
        ("30", "plus", "years_of_age"): "30多岁",
        ("3", "over", "years"): "3年余",
        ("1.5", "plus", "hours"): "1.5小时多",
        ("45", "plus", "minutes"): "45分钟多",
        ("400", "plus", "experts"): "400多位",
        ("8000", "plus", "operations"): "8000多台",
        ("8000", "over", "operations"): "8000余台",
        ("1400", "over", "techniques"): "1400余项",
        ("10000", "over", "cases"): "1万余例",
        ("10000", "plus", "cases"): "1万多例",
        ("30000000", "plus", "people"): "3000多万人",
        ("13", "plus", "centres"): "超过13个",
    }
    for (value, qualifier, unit), want in cases.items():
        assert fact_value(fact(value, qualifier, unit), units, "zh") == want


# (value, qualifier) → zh, en compact, en prose
CNY = {
    ("30", "exact"): ("30元", "CNY 30", "CNY 30"),
    ("3", "plus"): ("3元多", "CNY 3+", "more than CNY 3"),
    ("3", "over"): ("3元余", "CNY 3+", "more than CNY 3"),
    ("30", "plus"): ("30多元", "CNY 30+", "more than CNY 30"),
    ("30", "over"): ("30余元", "CNY 30+", "more than CNY 30"),
    ("300000", "plus"): ("30多万元", "CNY 300,000+", "more than CNY 300,000"),
    ("30000", "plus"): ("3万多元", "CNY 30,000+", "more than CNY 30,000"),
    ("30000", "over"): ("3万余元", "CNY 30,000+", "more than CNY 30,000"),
    ("7000000000", "plus"): ("70多亿元", "CNY 7 billion+", "more than CNY 7 billion"),
    ("700000000", "plus"): ("7亿多元", "CNY 700 million+", "more than CNY 700 million"),
    ("7000000000", "over"): ("70亿余元", "CNY 7 billion+", "more than CNY 7 billion"),
    ("1379000000", "about"): ("约13.79亿元", "about CNY 1,379 million", "about CNY 1,379 million"),
    ("50000000", "more_than"): (
        "超过5000万元",
        "more than CNY 50 million",
        "more than CNY 50 million",
    ),
    ("50000000", "at_least"): (
        "5000万元以上",
        "at least CNY 50 million",
        "at least CNY 50 million",
    ),
    ("200000000", "at_most"): (
        "不超过2亿元",
        "up to CNY 200 million",
        "no more than CNY 200 million",
    ),
    ("1", "exact"): ("1元", "CNY 1", "CNY 1"),
}
PERCENT = {
    ("30", "plus"): ("30%多", "30%+", "more than 30%"),
    ("35", "plus"): ("35%多", "35%+", "more than 35%"),
    ("30", "over"): ("30%余", "30%+", "more than 30%"),
    ("3.5", "over"): ("3.5%余", "3.5%+", "more than 3.5%"),
    ("87.70", "exact"): ("87.70%", "87.70%", "87.70%"),
    ("75", "more_than"): ("超过75%", "more than 75%", "more than 75%"),
    ("5", "about"): ("约5%", "about 5%", "about 5%"),
    ("50", "at_least"): ("50%以上", "at least 50%", "at least 50%"),
    ("50", "at_most"): ("不超过50%", "up to 50%", "no more than 50%"),
}


@pytest.mark.parametrize(
    ("unit", "value", "qualifier", "want"),
    [("cny", v, q, w) for (v, q), w in CNY.items()]
    + [("percent", v, q, w) for (v, q), w in PERCENT.items()],
)
def test_money_and_percent(
    units: dict[str, Unit], unit: str, value: str, qualifier: str, want: tuple[str, str, str]
) -> None:
    f = fact(value, qualifier, unit)
    got = (
        fact_value(f, units, "zh"),
        fact_value(f, units, "en"),
        fact_value(f, units, "en", prose=True),
    )
    assert got == want
    assert fact_value(f, units, "en", bare=True, prose=True) == want[2]  # no noun to leave out


# --- (2) invariants over every real fact (and every table case) ---------------------------

_ZH_NUMBER = re.compile(r"(\d+(?:\.\d+)?)[多余]?([万亿])?")
_EN_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\+?(?: (million|billion))?")
_ZH_SCALE = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, None: Decimal(1)}
_EN_SCALE = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, None: Decimal(1)}


def check_zh(f: Fact, unit: Unit, text: str) -> None:
    assert "多%" not in text and "余%" not in text, text
    # 3多年, 3多万: 多/余 never follows a digit 1–9; it follows a round numeral or a unit.
    assert not re.search(r"[1-9][多余]", text), text
    assert not re.search(r"\.\d*[多余]", text), text
    assert unit.zh in text, text
    assert len(re.findall(r"\d+(?:\.\d+)?", text)) == 1, text
    m = _ZH_NUMBER.search(text)
    assert m is not None and Decimal(m[1]) * _ZH_SCALE[m[2]] == f.value, text
    words = {"about": "约", "more_than": "超过", "at_least": "以上", "at_most": "不超过"}
    q = f.qualifier
    if q in words:
        assert words[q] in text, text
    elif q == "plus":
        assert "多" in text or text.startswith("超过"), text
    elif q == "over":
        assert "余" in text or text.startswith("超过"), text
    else:
        assert not re.search("[约超以多余]", text), text


def check_en(f: Fact, unit: Unit, text: str, prose: bool) -> None:
    m = _EN_NUMBER.search(text)
    assert m is not None and len(_EN_NUMBER.findall(text)) == 1, text
    value = Decimal(m[1].replace(",", "")) * _EN_SCALE[m[2]]
    assert value == f.value, text
    if f.unit == "cny":
        assert "CNY " in text, text
    elif f.unit != "percent":
        assert text.endswith((" " + unit.en.one, " " + unit.en.other)), text
    q = f.qualifier
    if prose:
        assert "+" not in text, text
        if q in ("over", "plus", "more_than"):
            assert text.startswith("more than "), text
    elif q in ("over", "plus"):
        assert "+" in text and "more than" not in text, text
    words = {"about": "about ", "at_least": "at least ", "more_than": "more than "}
    if q in words:
        assert text.startswith(words[q]), text
    if q == "at_most":
        assert text.startswith("no more than " if prose else "up to "), text
    if q == "exact":
        assert not re.search(r"\+|about|more|least|up to", text), text


def check(f: Fact, units: dict[str, Unit]) -> None:
    unit = units[f.unit]
    check_zh(f, unit, fact_value(f, units, "zh"))
    check_en(f, unit, fact_value(f, units, "en"), prose=False)
    check_en(f, unit, fact_value(f, units, "en", prose=True), prose=True)


def test_every_real_fact_reads_right(content: Content) -> None:
    assert content.facts
    for f in content.facts.values():
        check(f, content.units)


def test_the_invariants_hold_for_every_unit_and_qualifier(units: dict[str, Unit]) -> None:
    values = ("30", "3", "1", "1.5", "300000", "30000", "30000000", "7000000000", "87.70")
    for unit in units:
        for value in values:
            for q in QUALIFIERS:
                check(fact(value, q, unit), units)


# --- (3) the built site --------------------------------------------------------------------


def test_yaan_story_prints_thirty_odd_percent(
    content: Content, pages: dict[str, BeautifulSoup]
) -> None:
    (story,) = [
        s
        for s in content.stories.values()
        if "{{fact:yaan-surgery-growth}}" in s.zh.body + s.en.body
    ]
    zh = pages[f"stories/{story.id}/index.html"].select_one(".prose").get_text()
    en = pages[f"en/stories/{story.id}/index.html"].select_one(".prose").get_text()
    assert "30%多" in zh and "30多%" not in zh
    assert "more than 30%" in en and "30%+" not in en
