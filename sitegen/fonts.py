"""The installed font that draws Chinese, for text measured and drawn outside a browser.

Social cards are drawn with Pillow, and their titles are wrapped by measuring
each line with the same font resvg uses for the chart cards (Noto Sans CJK SC
or Source Han Sans SC; PingFang on a Mac), so no line runs off the card.
Without such a font Chinese would come out as boxes, so the build stops and
says what to install.
"""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import SetupError
from .messages import msg

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

# Where fonts live on Linux, macOS and Windows.
_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
# Font files as vl-convert (resvg's font database) and Pillow read them.
_FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
# File names of the fonts in charts.FONT, in its order of preference, regular then bold.
_FILES = (
    ("PingFang.ttc", "PingFang.ttc"),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"),
    ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"),
    ("SourceHanSansSC-Regular.otf", "SourceHanSansSC-Bold.otf"),
)
# Characters a line may break between (Han, CJK punctuation, full-width forms, curly double quotes).
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”…"
_TOKENS = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+|\\s+")  # one CJK character, a word, or spaces
# What str.splitlines breaks at, less \v and \f: Pillow cannot measure text holding one.
_BREAKS = re.compile("[\n\r\x1c-\x1e\x85\u2028\u2029]+")
# Punctuation that must not start a line, and that must not end one.
_NO_START = set("，。、；：？！）》」』】”’…,.;:?!)")
_NO_END = set("（《「『【“‘(")


class FontFile(NamedTuple):
    path: str
    face: int  # index of the face in a collection (.ttc): the Simplified Chinese one


def cjk_font(bold: bool) -> FontFile:
    """The regular or bold font file for Chinese text; SetupError if none is installed."""
    return _find_fonts()[1 if bold else 0]


@lru_cache(maxsize=1)
def _find_fonts() -> tuple[FontFile, FontFile]:
    dirs = [Path(os.path.expanduser(d)) for d in _DIRS]
    found = {
        p.name: p
        for d in dirs
        if d.is_dir()
        for p in sorted(d.rglob("*"))
        if p.suffix in (".ttc", ".otf")
    }
    for regular, bold in _FILES:
        if regular in found and bold in found:
            return _face(found[regular], bold=False), _face(found[bold], bold=True)
    raise SetupError(*msg("font_missing"))


@lru_cache(maxsize=1)
def installed() -> str:
    """A digest of every font file in the font folders: path, size and modification time.

    vl-convert draws chart text with whichever installed font has the glyphs,
    and Pillow the cards with `cjk_font`'s, so the render cache keys include
    this: a font installed, removed or updated draws the charts and cards
    again. Computed once per process, as the renderers load their fonts once.
    """
    h = hashlib.sha256()
    for path in _font_files():
        with suppress(OSError):  # gone meanwhile, or not readable: no renderer can use it
            info = path.stat()
            h.update(os.fsencode(path) + f"\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _font_files() -> list[Path]:
    files = []
    for d in _DIRS:
        folder = Path(os.path.expanduser(d))
        with suppress(OSError):  # a folder that cannot be read holds no font the renderers see
            files += [p for p in folder.rglob("*") if p.suffix.lower() in _FONT_SUFFIXES]
    return sorted(files)


def _face(path: Path, bold: bool) -> FontFile:
    """The Simplified Chinese face of a font file (a collection holds JP, KR, SC, TC… faces)."""
    from PIL import ImageFont

    if path.suffix != ".ttc":
        return FontFile(str(path), 0)
    for index in range(32):
        try:
            family, style = ImageFont.truetype(str(path), 10, index=index).getname()
        except OSError:
            break
        if (family or "").endswith(" SC") and (
            style in ("Bold", "Semibold") if bold else style == "Regular"
        ):
            return FontFile(str(path), index)
    return FontFile(str(path), 0)


@lru_cache(maxsize=32)
def truetype(font: FontFile, size: int) -> FreeTypeFont:
    """A loaded font at `size` px (loading one takes ~5 ms, so they are kept)."""
    from PIL import ImageFont

    return ImageFont.truetype(font.path, size, index=font.face)


@lru_cache(maxsize=8192)  # every build measures every title again; the preview rebuilds often
def wrap(
    text: str, size: int, width: float, max_lines: int, language: str, bold: bool = False
) -> tuple[str, ...]:
    """At most max_lines lines of `text` that each fit `width` px at font `size`.

    An ellipsis marks a cut. Chinese breaks between any two characters (not
    before closing or after opening punctuation), other scripts between words.
    `language` (HTML_LANG's tag) is always given: without one HarfBuzz takes
    the process's locale, and under LC_ALL=zh_CN.UTF-8 the CJK font's Chinese
    forms (of ' among others) made English titles wrap differently.
    """
    font = truetype(cjk_font(bold), size)
    fits = lambda s: font.getlength(s, language=language) <= width  # noqa: E731
    text = _BREAKS.sub(" ", text)  # a line break in a title reads as a space, as on the page
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if line and not token.isspace() and not fits(line + token) and token[0] not in _NO_START:
            carry = ""
            while line and line[-1] in _NO_END:
                line, carry = line[:-1], line[-1] + carry
            lines.append(line.rstrip())
            line = carry
        line = line + token if line or not token.isspace() else line
    lines.append(line.rstrip())
    if len(lines) <= max_lines:
        return tuple(lines)
    last = lines[max_lines - 1]
    while last and not fits(last + "…"):
        last = last[:-1]
    return (*lines[: max_lines - 1], last.rstrip() + "…")
