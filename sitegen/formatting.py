"""Numbers and dates written the way each language's readers expect.

Chinese keeps the source's own qualifier words and 万/亿 (1400余项, 70多亿元,
约120个); English uses separators and words (1,400+, CNY 7 billion+, about
120). Values are Decimals, so nothing is rounded: a scale is used only when
it writes the number exactly.
"""

from __future__ import annotations

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


def number_zh(value: Decimal, qualifier: str, unit_key: str, unit: Unit) -> str:
    if unit_key == "percent":
        num, scale = str(value), ""
    else:
        num, scale = _scaled(value, _ZH_SCALES)
    counter = unit.zh
    if qualifier == "plus":  # 多 stands before the scale: 70多亿元, 3000多万, 300多项
        return f"{num}多{scale}{counter}"
    if qualifier == "over":  # 余 stands after the scale: 1万余例, 1400余项
        return f"{num}{scale}余{counter}"
    core = f"{num}{scale}{counter}"
    return {
        "exact": core,
        "about": f"约{core}",
        "more_than": f"超过{core}",
        "at_least": f"{core}以上",
        "at_most": f"不超过{core}",
    }[qualifier]


def number_en(value: Decimal, qualifier: str, unit_key: str, unit: Unit, bare: bool = False) -> str:
    if unit_key == "percent":
        core = f"{value}%{'+' if qualifier in ('over', 'plus') else ''}"
    else:
        num, scale = _scaled(value, _EN_SCALES)
        num = _grouped(num) if not scale else num
        amount = f"{num} {scale}".strip()
        plus = "+" if qualifier in ("over", "plus") else ""
        if unit_key == "cny":
            core = f"CNY {amount}{plus}"
            plus = ""
        else:
            noun = "" if bare else unit.en.one if value == 1 and not plus else unit.en.other
            core = f"{amount}{plus} {noun}".rstrip()
            plus = ""
    return {
        "exact": core,
        "over": core,
        "plus": core,
        "about": f"about {core}",
        "more_than": f"more than {core}",
        "at_least": f"at least {core}",
        "at_most": f"up to {core}",
    }[qualifier]


def fact_value(fact: Fact, units: dict[str, Unit], lang: str, bare: bool = False) -> str:
    """A fact's value as a reader of `lang` reads it, qualifier and unit included.

    `bare` leaves out the English unit noun when the sentence names the thing itself;
    Chinese keeps its counter (10个国家区域医疗中心).
    """
    if lang == "zh":
        return number_zh(fact.value, fact.qualifier, fact.unit, units[fact.unit])
    return number_en(fact.value, fact.qualifier, fact.unit, units[fact.unit], bare)


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
