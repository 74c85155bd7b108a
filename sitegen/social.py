"""Social cards (og:image): a PNG per story and per chart, per language, and one for the site.

Cards are small SVG documents drawn here and turned into 1200 × 630 PNGs by
vl-convert's SVG renderer (resvg) with the installed fonts (a CJK font is
needed for Chinese). A chart card nests the chart's own SVG, so no chart is
drawn twice. Text is wrapped by character count, not measured: the limits
leave room for the widest glyphs.
"""

from __future__ import annotations

import re
import textwrap
from html import escape

from . import LANGS, formatting
from .charts import FONT, INK, MUTED, PRIMARY, ChartView
from .model import Content, Story

CARD_W, CARD_H = 600, 315  # rendered at 2× → 1200 × 630, the usual card size
_PALE = "#dbe7f7"


def chart_cards(content: Content, views: list[ChartView]) -> dict[str, str]:
    """Path under the site root → card SVG, for every chart view (whose SVG is rendered)."""
    return {f"social/charts/{v.id}.{v.lang}.png": _chart_card(v, content.site.title[v.lang]) for v in views}


def text_cards(content: Content) -> dict[str, str]:
    """Path under the site root → card SVG, for every story in both languages, and the site."""
    out = {}
    for story in content.stories.values():
        for lang in LANGS:
            out[f"social/stories/{story.id}.{lang}.png"] = _story_card(content, story, lang)
    for lang in LANGS:
        out[f"social/site.{lang}.png"] = _text_card("", content.site.title[lang], "")
    return out


def image_for(page_path: str, lang: str) -> str:
    """The card a page shares: its story's or chart's own, else the site card."""
    parts = page_path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ("stories", "charts"):
        return f"social/{parts[0]}/{parts[1]}.{lang}.png"
    return f"social/site.{lang}.png"


def _story_card(content: Content, story: Story, lang: str) -> str:
    meta = story[lang].meta
    place = content.provinces[meta.province].name[lang] if meta.province in content.provinces else ""
    return _text_card(content.site.title[lang], meta.title, f"{formatting.date(meta.date, lang)} · {place}")


def _text_card(kicker: str, title: str, footer: str) -> str:
    lines = _wrap(title, 40, CARD_W - 88, 3)
    body = [_text(44, 56, kicker, 20, _PALE)]
    body += [_text(44, 132 + i * 52, line, 40, "#ffffff", bold=True) for i, line in enumerate(lines)]
    body.append(_text(44, CARD_H - 30, footer, 20, _PALE))
    return _svg(PRIMARY, body)


def _chart_card(view: ChartView, site_title: str) -> str:
    lines = _wrap(view.title, 20, CARD_W - 48, 2)
    body = [_text(24, 36 + i * 26, line, 20, INK, bold=True) for i, line in enumerate(lines)]
    top = 36 + len(lines) * 26
    body.append(_text(24, top - 4, _wrap(view.subtitle, 13, CARD_W - 48, 1)[0], 13, MUTED))
    body.append(_fit(view.svg, 24, top + 10, CARD_W - 48, CARD_H - 40 - top))
    body.append(_text(24, CARD_H - 12, site_title, 12, MUTED))
    return _svg("#ffffff", body)


def _fit(svg: str, x: float, y: float, width: float, height: float) -> str:
    """The chart's SVG drawn in the box, scaled to fit and centred (a group, not a nested <svg>, which rasterises 3× slower)."""
    head, _, inner = svg.partition(">")
    w, h = (float(re.search(rf' {attr}="([\d.]+)"', head).group(1)) for attr in ("width", "height"))  # type: ignore[union-attr]
    k = min(width / w, height / h)
    dx, dy = x + (width - w * k) / 2, y + (height - h * k) / 2
    return f'<g transform="translate({dx:.2f},{dy:.2f}) scale({k:.4f})">{inner.rpartition("</svg>")[0]}</g>'


def _svg(background: str, body: list[str]) -> str:
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_W}" height="{CARD_H}" viewBox="0 0 {CARD_W} {CARD_H}">'
    return head + f'<rect width="{CARD_W}" height="{CARD_H}" fill="{background}"/>' + "".join(body) + "</svg>"


def _text(x: int, y: int, text: str, size: int, colour: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}" font-family="{escape(FONT)}" font-size="{size}"{weight} fill="{colour}">{escape(text)}</text>'


def _wrap(text: str, size: int, width: int, max_lines: int) -> list[str]:
    """At most max_lines lines that fit `width` px at font `size` (CJK glyphs are 1 em; Latin text about 0.6 em a letter)."""
    if any(ord(ch) >= 0x2E80 for ch in text):
        n = width // size
        lines = [text[i : i + n] for i in range(0, len(text), n)]
    else:
        lines = textwrap.wrap(text, width=int(width / (size * 0.6)))
    lines = lines or [""]
    return lines if len(lines) <= max_lines else [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
