"""Chart colours: AA contrast as graphics, and still distinguishable with colour-vision deficiency.

Colour-vision deficiency is simulated with Machado et al. (2009) matrices at full
severity, and pairs are compared by CIE76 ΔE in Lab, the way chart tools such as
Datawrapper check a palette.
"""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import ROOT

from sitegen import charts

MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 20.0


def _linear(hex_colour: str) -> tuple[float, ...]:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)


def _simulate(lin: tuple[float, ...], kind: str | None) -> tuple[float, ...]:
    if kind is None:
        return lin
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin)))) for row in MACHADO[kind])


def _lab(lin: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str, kind: str | None) -> float:
    la, lb = _lab(_simulate(_linear(a), kind)), _lab(_simulate(_linear(b), kind))
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


def contrast(a: str, b: str) -> float:
    lum = lambda h: sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), _linear(h)))  # noqa: E731
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


SERIES = [charts.PRIMARY, charts.SECONDARY]
MAP_STATES = list(charts.SHADES)  # the tile map: 0, 1, 2-3 and 4+ centres


@pytest.mark.parametrize("kind", [None, *MACHADO])
def test_series_and_map_colours_stay_distinguishable(kind: str | None) -> None:
    for a, b in [*itertools.combinations(SERIES, 2), *itertools.combinations(MAP_STATES, 2)]:
        assert delta_e(a, b, kind) >= MIN_DELTA_E, (a, b, kind, delta_e(a, b, kind))


def test_the_check_rejects_a_red_green_pair() -> None:
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E


def test_bar_colours_and_chart_text_have_enough_contrast_on_white() -> None:
    for colour in SERIES:
        assert contrast(colour, "#ffffff") >= 3.0, colour  # WCAG 1.4.11 non-text contrast
    assert contrast(charts.INK, "#ffffff") >= 4.5 and contrast(charts.MUTED, "#ffffff") >= 4.5
    assert contrast("#ffffff", charts.PRIMARY) >= 4.5  # white text on the site colour
    assert contrast("#ffffff", charts.SHADES[3]) >= 4.5  # white numbers on the darkest tiles
    for shade in charts.SHADES[:3]:
        assert contrast(charts.INK, shade) >= 4.5, shade


def _dark_theme() -> dict[tuple[str, str], str]:
    """(attribute, light colour) → its dark-mode colour, from the charts block of style.css."""
    css = (ROOT / "static/style.css").read_text("utf-8")
    block = css[css.index("/* charts */") : css.index("/* end charts */")]
    page = dict(
        re.findall(r"--(ink|muted|bg): (#[0-9a-f]{6})", css.split("prefers-color-scheme: dark")[1])
    )
    rules = re.findall(
        r'\[(fill|stroke)="(#[0-9a-f]{6})"\] \{ \1: (var\(--(\w+)\)|#[0-9a-f]{6}); \}', block
    )
    return {(attr, light): page[var] if var else dark for attr, light, dark, var in rules}


DARK_BG = "#151617"


def test_every_chart_colour_has_a_dark_mode_colour() -> None:
    dark = _dark_theme()
    fills = [charts.INK, charts.MUTED, charts.PRIMARY, charts.SECONDARY, charts.EMPTY]
    fills += list(charts.SHADES[1:])
    assert [c for c in fills if ("fill", c) not in dark] == []
    assert [c for c in (charts.AXIS, charts.GRID) if ("stroke", c) not in dark] == []


@pytest.mark.parametrize("kind", [None, *MACHADO])
def test_dark_mode_colours_stay_distinguishable(kind: str | None) -> None:
    dark = _dark_theme()
    series = [dark["fill", c] for c in SERIES]
    shades = [DARK_BG, *(dark["fill", c] for c in charts.SHADES[1:])]
    for a, b in [*itertools.combinations(series, 2), *itertools.combinations(shades, 2)]:
        assert delta_e(a, b, kind) >= MIN_DELTA_E, (a, b, kind, delta_e(a, b, kind))


def test_dark_mode_chart_colours_have_enough_contrast() -> None:
    dark = _dark_theme()
    for colour in SERIES:
        assert contrast(dark["fill", colour], DARK_BG) >= 3.0, colour
    ink = dark["fill", charts.INK]
    assert contrast(ink, DARK_BG) >= 4.5 and contrast(dark["fill", charts.MUTED], DARK_BG) >= 4.5
    for shade in charts.SHADES[1:3]:
        assert contrast(ink, dark["fill", shade]) >= 4.5, shade
    # The white numbers on the darkest tiles turn the page colour in dark mode.
    assert contrast(DARK_BG, dark["fill", charts.SHADES[3]]) >= 4.5
