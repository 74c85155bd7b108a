"""Social cards (og:image): a PNG per story and per chart, per language, rendered at build time.

vl-convert draws them offline with the installed fonts (a CJK font is needed
for Chinese). Charts reuse their Vega-Lite spec with the title added; stories
get a simple text card.
"""

from __future__ import annotations

import textwrap
from typing import Any

from . import formatting
from .cache import RenderCache
from .charts import FONT, INK, MUTED, PRIMARY, ChartView
from .model import Content, Story

CARD_W, CARD_H = 600, 315  # rendered at 2× → 1200 × 630, the usual card size


def _wrap(text: str, lang: str, width: int) -> list[str]:
    if lang == "zh":
        lines = [text[i : i + width] for i in range(0, len(text), width)]
    else:
        lines = textwrap.wrap(text, width=width * 2)
    return lines[:3] if len(lines) <= 3 else [*lines[:2], lines[2][:-1] + "…"]


def _card_spec(kicker: str, title: str, footer: str, lang: str) -> dict[str, Any]:
    lines = _wrap(title, lang, 15)
    rows = [{"y": 50, "t": kicker, "s": 20, "w": "normal", "c": "#dbe7f7"}]
    rows += [{"y": 120 + i * 52, "t": line, "s": 40, "w": "bold", "c": "#ffffff"} for i, line in enumerate(lines)]
    rows.append({"y": CARD_H - 36, "t": footer, "s": 20, "w": "normal", "c": "#dbe7f7"})
    return {
        "width": CARD_W,
        "height": CARD_H,
        "padding": 0,
        "background": PRIMARY,
        "config": {"view": {"stroke": None}, "font": FONT},
        "data": {"values": rows},
        "mark": {"type": "text", "align": "left", "baseline": "middle", "x": 44},
        "encoding": {
            "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, CARD_H], "range": [0, CARD_H]}, "axis": None},
            "text": {"field": "t"},
            "size": {"field": "s", "type": "quantitative", "scale": None, "legend": None},
            "color": {"field": "c", "type": "nominal", "scale": None, "legend": None},
            "fontWeight": {"field": "w", "type": "nominal", "scale": None, "legend": None},
        },
    }


def _chart_card_spec(view: ChartView) -> dict[str, Any]:
    spec = dict(view.spec)
    spec["title"] = {"text": view.title, "subtitle": view.subtitle, "anchor": "start", "fontSize": 16, "color": INK, "subtitleColor": MUTED, "subtitleFontSize": 12}
    return spec


def _png(spec: dict[str, Any], cache: RenderCache) -> bytes:
    def make() -> bytes:
        import vl_convert as vlc

        return vlc.vegalite_to_png(spec, scale=2)

    return cache.get("png", spec, make)


def cards(content: Content, views: list[ChartView], cache: RenderCache) -> dict[str, bytes]:
    """Path under the site root → PNG, for every story and chart in both languages, and the site."""
    out: dict[str, bytes] = {}
    for v in views:
        out[f"social/charts/{v.id}.{v.lang}.png"] = _png(_chart_card_spec(v), cache)
    for story in content.stories.values():
        for lang in ("zh", "en"):
            out[f"social/stories/{story.id}.{lang}.png"] = _png(_story_spec(content, story, lang), cache)
    for lang in ("zh", "en"):
        out[f"social/site.{lang}.png"] = _png(_card_spec("", content.site.title[lang], "", lang), cache)
    return out


def _story_spec(content: Content, story: Story, lang: str) -> dict[str, Any]:
    meta = story[lang].meta
    place = content.provinces[meta.province].name[lang] if meta.province in content.provinces else ""
    footer = f"{formatting.date(meta.date, lang)} · {place}"
    return _card_spec(content.site.title[lang], meta.title, footer, lang)


def image_for(page_path: str, lang: str) -> str:
    """The card a page shares: its story's or chart's own, else the site card."""
    parts = page_path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ("stories", "charts"):
        return f"social/{parts[0]}/{parts[1]}.{lang}.png"
    return f"social/site.{lang}.png"
