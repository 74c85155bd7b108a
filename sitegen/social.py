"""Social cards (og:image): a PNG per story and per chart, per language, and one for the site.

Story and site cards are text on the site colour, drawn with Pillow (a few
milliseconds each: at newsroom scale there are thousands). A chart card is
a small SVG that nests the chart's own SVG, rasterised by vl-convert's SVG
renderer (resvg), so no chart is drawn twice. Both are 1200 × 630 and use
the installed Chinese font (fonts.py), which also measures every title so
it wraps without running off the card.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

from . import HTML_LANG, LANGS, fonts, formatting
from .charts import FONT, INK, MUTED, PRIMARY, ChartView
from .model import Content, Story

CARD_W, CARD_H = 600, 315  # the layout's units; drawn at SCALE × → 1200 × 630, the usual size
SCALE = 2
CARD_SIZE = (CARD_W * SCALE, CARD_H * SCALE)  # every card PNG's pixels (og:image:width, height)
_PALE = "#dbe7f7"


def chart_cards(content: Content, views: list[ChartView]) -> dict[str, str]:
    """Path under the site root → card SVG, for every chart view (whose SVG is rendered)."""
    return {
        f"social/charts/{v.id}.{v.lang}.png": _chart_card(v, content.site.title[v.lang])
        for v in views
    }


def text_cards(content: Content) -> dict[str, dict[str, Any]]:
    """Path under the site root → what `draw_text_card` draws.

    A card for every story in both languages, and for the site.
    """
    out = {}
    for story in content.stories.values():
        for lang in LANGS:
            out[f"social/stories/{story.id}.{lang}.png"] = _story_card(content, story, lang)
    for lang in LANGS:
        out[f"social/site.{lang}.png"] = _text_card("", content.site.title[lang], "", lang)
    return out


def draw_text_card(card: dict[str, Any]) -> bytes:
    """A text card as PNG: kicker, title lines (wrapped already) and footer.

    They are white and pale blue on the site colour. The texts are drawn as
    coverage masks and stored as a 32-colour palette image (16 shades of
    each text colour over the background): the same picture as full colour,
    at a third of the bytes and half the time.
    """
    from PIL import Image, ImageChops, ImageDraw

    regular, bold = (fonts.FontFile(*card[k]) for k in ("regular", "bold"))
    size = CARD_SIZE
    title, small = Image.new("L", size), Image.new("L", size)
    texts = [(small, (88, 112), card["kicker"], regular, 40)]
    texts.append((small, (88, (CARD_H - 30) * 2), card["footer"], regular, 40))
    texts += [(title, (88, 264 + i * 104), line, bold, 80) for i, line in enumerate(card["lines"])]
    for mask, xy, text, font, px in texts:  # the language given: never the locale's (fonts.wrap)
        ImageDraw.Draw(mask).text(
            xy,
            text,
            font=fonts.truetype(font, px),
            fill=255,
            anchor="ls",
            language=card["language"],
        )
    # The texts never overlap.
    shades = ImageChops.lighter(title.point(_WHITE_SHADE), small.point(_PALE_SHADE))
    image = Image.frombytes("P", size, shades.tobytes())
    image.putpalette(_PALETTE)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()


def _blend(colour: str, t: float) -> list[int]:
    """`colour` at opacity t over the site colour, as RGB."""
    over, under = (bytes.fromhex(c.lstrip("#")) for c in (colour, PRIMARY))
    return [round(u + (o - u) * t) for o, u in zip(over, under)]


_PALETTE = [c for colour in ("#ffffff", _PALE) for i in range(16) for c in _blend(colour, i / 15)]
_WHITE_SHADE = [(v * 15 + 127) // 255 for v in range(256)]  # coverage → palette index 0-15
_PALE_SHADE = [16 + (v * 15 + 127) // 255 if v else 0 for v in range(256)]  # coverage → 16-31


def image_for(page_path: str, lang: str) -> str:
    """The card a page shares: its story's or chart's own, else the site card."""
    parts = page_path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ("stories", "charts"):
        return f"social/{parts[0]}/{parts[1]}.{lang}.png"
    return f"social/site.{lang}.png"


def _story_card(content: Content, story: Story, lang: str) -> dict[str, Any]:
    meta = story[lang].meta
    place = (
        content.provinces[meta.province].name[lang] if meta.province in content.provinces else ""
    )
    return _text_card(
        content.site.title[lang], meta.title, f"{formatting.date(meta.date, lang)} · {place}", lang
    )


def _text_card(kicker: str, title: str, footer: str, lang: str) -> dict[str, Any]:
    """The card's texts and fonts: all its PNG depends on, so also its cache key."""
    return {
        "kicker": kicker,
        "lines": list(fonts.wrap(title, 80, (CARD_W - 88) * 2, 3, HTML_LANG[lang], bold=True)),
        "footer": footer,
        "language": HTML_LANG[lang],
        "regular": list(fonts.cjk_font(bold=False)),
        "bold": list(fonts.cjk_font(bold=True)),
    }


def _chart_card(view: ChartView, site_title: str) -> str:
    lines = fonts.wrap(view.title, 20, CARD_W - 48, 2, HTML_LANG[view.lang], bold=True)
    body = [_text(24, 36 + i * 26, line, 20, INK, bold=True) for i, line in enumerate(lines)]
    top = 36 + len(lines) * 26
    subtitle = fonts.wrap(view.subtitle, 13, CARD_W - 48, 1, HTML_LANG[view.lang])[0]
    body.append(_text(24, top - 4, subtitle, 13, MUTED))
    body.append(_fit(view.svg_wide, 24, top + 10, CARD_W - 48, CARD_H - 40 - top))
    body.append(_text(24, CARD_H - 12, site_title, 12, MUTED))
    return _svg("#ffffff", body)


def _fit(svg: str, x: float, y: float, width: float, height: float) -> str:
    """The chart's SVG drawn in the box, scaled to fit and centred.

    It is drawn as a group, not a nested <svg>, which rasterises 3× slower.
    """
    head, _, inner = svg.partition(">")
    w, h = (_number(head, attr) for attr in ("width", "height"))
    k = min(width / w, height / h)
    dx, dy = x + (width - w * k) / 2, y + (height - h * k) / 2
    body = inner.rpartition("</svg>")[0]
    return f'<g transform="translate({dx:.2f},{dy:.2f}) scale({k:.4f})">{body}</g>'


def _number(tag: str, attr: str) -> float:
    """A number attribute of an SVG tag (vl-convert always writes width and height)."""
    found = re.search(rf' {attr}="([\d.]+)"', tag)
    assert found is not None, f"no {attr} in {tag}"
    return float(found.group(1))


def _svg(background: str, body: list[str]) -> str:
    size = f'width="{CARD_W}" height="{CARD_H}" viewBox="0 0 {CARD_W} {CARD_H}"'
    head = f'<svg xmlns="http://www.w3.org/2000/svg" {size}>'
    return (
        head
        + f'<rect width="{CARD_W}" height="{CARD_H}" fill="{background}"/>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: int, y: int, text: str, size: int, colour: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    font = f'font-family="{escape(FONT)}" font-size="{size}"{weight}'
    return f'<text x="{x}" y="{y}" {font} fill="{colour}">{escape(text)}</text>'
