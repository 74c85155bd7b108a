"""Numbers and dates written the way each language's readers expect.

Chinese keeps the source's own qualifier words and 万/亿, each word where
Chinese puts it (1400余项, 70多亿元, 3年多, 30%多, 约120个; a non-round count,
where 多 or 余 cannot stand, is written 超过: 超过1401项); English uses
separators, compact on cards and tables (1,400+, CNY 7 billion+) and in words
in running text (more than 1,400). Values are Decimals, so nothing is rounded:
a scale is used only when it writes the number exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .model import Fact, Unit

_ZH_SCALES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 1.1E+4 → 11000, 87.70 → 87.7."""
    return format(d.normalize(), "f")


def _scaled(value: Decimal, scales: tuple) -> tuple[str, str]:
    """The largest scale that writes the value exactly with at most two decimals."""
    for factor, word in scales:
        if value >= factor:
            scaled = (value / factor).normalize()
            if -scaled.as_tuple().exponent <= 2:  # type: ignore[operator]
                return plain(scaled), word
    return plain(value), ""


def _grouped(text: str) -> str:
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def _round(num: str) -> bool:
    """A whole number ending in 0 (30, 400, 8000): 多/余 may follow the numeral itself."""
    return "." not in num and num.endswith("0")


def _approx_zh(num: str, scale: str, unit: Unit, word: str, percent: bool) -> str:
    """多 or 余 where Chinese puts it: after a round numeral, a scale word or the unit.

    多/余 can follow only a numeral ending in a place (30多, 3万多), never a digit
    (not 3多年). So: percent 30%多; 多 before a scale after a round number (3000多万)
    but 3万多; 余 after the scale (1万余, 3000万余); 30多年 and 1400余项; a measured
    non-round amount takes it after the unit (3年多, 6小时余). A counted thing has
    no 3个多, so 超过 (more than), what 多 and 余 mean, is written instead.
    """
    counter = unit.zh
    if percent:
        return f"{num}%{word}"
    if scale:
        if word == "多" and _round(num):
            return f"{num}多{scale}{counter}"
        return f"{num}{scale}{word}{counter}"
    if _round(num):
        return f"{num}{word}{counter}"
    if unit.measured:
        return f"{num}{counter}{word}"
    return f"超过{num}{counter}"


def number_zh(value: Decimal, qualifier: str, unit_key: str, unit: Unit) -> str:
    if unit_key == "percent":
        num, scale = str(value), ""
    else:
        num, scale = _scaled(value, _ZH_SCALES)
    if qualifier in ("plus", "over"):
        word = "多" if qualifier == "plus" else "余"
        return _approx_zh(num, scale, unit, word, unit_key == "percent")
    core = f"{num}{scale}{unit.zh}"
    return {
        "exact": core,
        "about": f"约{core}",
        "more_than": f"超过{core}",
        "at_least": f"{core}以上",
        "at_most": f"不超过{core}",
    }[qualifier]


def number_en(
    value: Decimal,
    qualifier: str,
    unit_key: str,
    unit: Unit,
    bare: bool = False,
    prose: bool = False,
) -> str:
    """English for a figure: compact (1,400+, CNY 7 billion+) or, in prose, in words.

    A sentence reads "more than 1,400 techniques", never "1,400+ techniques"; a cap in
    prose is "no more than" (不超过, ≤), since "up to" can read as "as many as".
    "1+ hours" is plural (one or more), "more than 1 hour" singular, as English says it.
    """
    mark = "+" if qualifier in ("over", "plus") and not prose else ""
    if unit_key == "percent":
        core = f"{value}%{mark}"
    else:
        num, scale = _scaled(value, _EN_SCALES)
        amount = f"{_grouped(num)} {scale}".strip()  # 1,379 million
        if unit_key == "cny":
            core = f"CNY {amount}{mark}"
        else:
            noun = "" if bare else unit.en.one if value == 1 and not mark else unit.en.other
            core = f"{amount}{mark} {noun}".rstrip()
    more = "more than " if prose else ""
    return {
        "exact": core,
        "over": f"{more}{core}",
        "plus": f"{more}{core}",
        "about": f"about {core}",
        "more_than": f"more than {core}",
        "at_least": f"at least {core}",
        "at_most": f"no more than {core}" if prose else f"up to {core}",
    }[qualifier]


def fact_value(
    fact: Fact, units: dict[str, Unit], lang: str, bare: bool = False, *, prose: bool = False
) -> str:
    """A fact's value as a reader of `lang` reads it, qualifier and unit included.

    `bare` leaves out the English unit noun when the sentence names the thing itself;
    Chinese keeps its counter (10个国家区域医疗中心). `prose` is for a number inside a
    sentence (stories, chart summaries): English then writes "more than 30%", not the
    compact "30%+" of cards and tables. Chinese is the same in both.
    """
    if lang == "zh":
        return number_zh(fact.value, fact.qualifier, fact.unit, units[fact.unit])
    return number_en(fact.value, fact.qualifier, fact.unit, units[fact.unit], bare, prose)


def date(d: str, lang: str) -> str:
    """2024-10 → 2024年10月 / October 2024, keeping the precision the source gives."""
    parts = [int(p) for p in d.split("-")]
    if lang == "zh":
        return "".join(f"{n}{s}" for n, s in zip(parts, ("年", "月", "日")))
    if len(parts) == 1:
        return str(parts[0])
    month = _EN_MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def short_value(fact: Fact, lang: str) -> str:
    """Just the number with its qualifier mark, for a map tile: 10, 1400+, ~120."""
    if lang == "zh":
        num, scale = _scaled(fact.value, _ZH_SCALES)
    else:
        num, scale = _scaled(fact.value, _EN_SCALES)
        scale = {"billion": "bn", "million": "m"}.get(scale, scale)
    mark = {
        "over": "+",
        "plus": "+",
        "more_than": ">",
        "at_least": "≥",
        "at_most": "≤",
        "about": "~",
    }.get(fact.qualifier, "")
    core = f"{num}{scale}"
    return f"{core}{mark}" if mark == "+" else f"{mark}{core}"


def unbroken(units: dict[str, Unit], lang: str) -> re.Pattern[str]:
    """What this module writes for a number with its unit, or a date: runs that must not break.

    Pages set them on one line (125个, 2024年10月, CNY 13.79 billion, 24 May 2023), in texts
    the build fills in (headline, ledes, summaries) as in figures and story citations.
    """
    if lang == "zh":
        words = "|".join(map(re.escape, sorted({u.zh for u in units.values()}, key=len)[::-1]))
        return re.compile(
            rf"\d{{4}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?"
            rf"|\d[\d,.]*(?:万|亿)?(?:余|多)?(?:{words}|%)(?:多|余)?"
        )
    nouns = sorted({n for u in units.values() for n in (u.en.one, u.en.other)}, key=len)[::-1]
    months = "|".join(_EN_MONTHS)
    return re.compile(
        rf"(?:\d{{1,2}} )?(?:{months}) \d{{4}}"
        r"|CNY \d[\d,.]*(?: (?:billion|million))?\+?"
        rf"|\d[\d,.]*\+?(?: (?:billion|million))?(?:%|(?: (?:{'|'.join(map(re.escape, nouns))}))\b)"
    )
