"""Story Markdown → safe HTML, with numbers taken from the facts by id; what looks like a reference.

Editors write `{{fact:henan-beds-added}}`; the page shows the value in its
language, linked to a note with the source. Markdown's HTML output is
sanitised with nh3, so raw HTML or `javascript:` links in a story never run.

Anything that looks like a reference but is not a valid one would be printed as
typed, so `check` refuses it with its place and the form to type
(`problems`, `text_problems`). LOOKS_LIKE says what "looks like" means.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Container, Iterator
from html.parser import HTMLParser
from typing import NamedTuple

import markdown
import nh3

from .inputs import PRIVATE_USE
from .messages import msg

# {{fact:id}} writes value and unit; {{fact:id|number}} leaves out the English unit noun
# where the sentence names the thing itself ("10 national centres", not "10 centres national").
FACT_REF = re.compile(r"\{\{\s*fact\s*:\s*([^{}|\s]+)\s*(?:\|\s*(number)\s*)?\}\}")
# What looks like a reference, in any case, with ASCII or full-width braces (｛｝, as a Chinese
# input method types them): `ref`, braces (one or more, spaces between allowed) then the word
# fact or facts, up to the braces that close it on the same line ({Fact:id}, {{fact id}},
# {{fact:id|numbr}}, {{{fact:id}}}); `tail`, fact: or facts: then an id closed by a brace with
# no opening one (fact:id}}); `braces`, double braces anywhere, since they are kept for
# references ({{ }}, {{id}}, a stray }}). A match that is not exactly FACT_REF is an error;
# in a text that cannot cite, any `ref` or `tail` is. Prose braces stay free: {a}, {value},
# { x }, {factory}, and "in fact: {…}".
LOOKS_LIKE = re.compile(
    r"(?=[{}｛｝fF])"  # a cheap first test at each position: ten times faster on long texts
    r"(?:(?P<ref>[{｛][{｛ \t]*facts?(?![a-z])[^{}｛｝\n]*(?:[ \t]*[}｝])*)"
    r"|(?P<tail>\bfacts?[ \t]*[:：][ \t]*[^\s{}｛｝]*[ \t]*[}｝]+)"
    r"|(?P<braces>[{｛]{2}[^{}｛｝\n]*[}｝]*|[}｝]{2}))",
    re.IGNORECASE,
)
# The pieces an editor meant in a near miss: the id, and whether an option followed it.
_MEANT = re.compile(
    r"[{｛ \t]*facts?[\s:：=._-]*([a-z0-9][a-z0-9_-]*)?[^|｜/}｝]*([|｜/])?", re.IGNORECASE
)
_HELD = re.compile("\ue000(\\d+)\ue001")
_CHARREF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# id and class belong to the page (its skip target, note numbers, the style of a cited figure):
# a story's own HTML may carry neither (problems refuses them, to_html drops them).
_ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "br",
    "span",
    "sup",
}
_ALLOWED_ATTRS = {"a": {"href"}}
_OWN_ATTRS = ("id", "class")


class Problem(NamedTuple):
    """A located problem in a story body: line within the body (from 0), column, field, message."""

    line: int
    column: int
    field: str
    zh: str
    en: str


def to_html(body: str, replace: Callable[[str, bool], str]) -> str:
    """Render a story body; `replace(fact_id, bare)` returns the inline HTML for a reference.

    Each reference stands as a placeholder while Markdown and nh3 run, and is
    put back only in text: one left in an attribute (which `check` refuses) is dropped.
    """
    placeholders: list[str] = []

    def hold(m: re.Match[str]) -> str:
        placeholders.append(replace(m.group(1), bool(m.group(2))))
        return f"\ue000{len(placeholders) - 1}\ue001"

    text = FACT_REF.sub(hold, body)
    out = markdown.markdown(text, extensions=[], output_format="html")
    out = nh3.clean(
        out,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        attribute_filter=lambda _tag, _attr, value: _HELD.sub("", value),
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener",
    )

    def put_back(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return placeholders[i] if i < len(placeholders) else ""

    return _HELD.sub(put_back, out)


def _braced(text: str) -> bool:
    """Whether LOOKS_LIKE could match: most texts (quotes, labels, notes) hold no brace at all."""
    return "{" in text or "}" in text or "｛" in text or "｝" in text


def looks_like_ref(text: str) -> bool:
    """Whether a text that cannot cite holds a reference, or something like one."""
    return _braced(text) and any(m.lastgroup != "braces" for m in LOOKS_LIKE.finditer(text))


def text_problems(text: str, facts: Container[str], citable: bool) -> Iterator[tuple[str, str]]:
    """The problems with the references in one YAML text, as messages (zh, en).

    In a text that may cite, every reference-like match must be a reference to a fact;
    in any other text it is refused, since it would be printed as typed.
    """
    for m in LOOKS_LIKE.finditer(text) if _braced(text) else ():
        if not citable:
            if m.lastgroup != "braces":
                yield msg("fact_ref_not_here")
            continue
        ref = FACT_REF.fullmatch(m.group(0))
        if ref is None:
            yield _near_miss(m.group(0), facts)
        elif ref.group(1) not in facts:
            yield msg("no_fact", ident=ref.group(1))


def problems(body: str, facts: Container[str]) -> list[Problem]:
    """Every problem with the references, characters and HTML attributes of a story body.

    The body is read with its character references decoded (`&#123;` is a brace, `&#xE000;`
    a private-use character), as the page would show them.
    """
    seen, where = _decoded(body)
    found: list[Problem] = []

    def at(offset: int, field: str, message: tuple[str, str]) -> None:
        line = body.count("\n", 0, offset)
        found.append(Problem(line, offset - (body.rfind("\n", 0, offset) + 1) + 1, field, *message))

    valid: set[int] = set()
    for m in LOOKS_LIKE.finditer(seen):
        start, end = where(m.start()), where(m.end())
        ref = FACT_REF.fullmatch(m.group(0)) if end - start == len(m.group(0)) else None
        if ref is None:  # shown as typed, character references and all
            at(start, "{{fact:…}}", _near_miss(m.group(0), facts, body[start:end]))
        elif ref.group(1) not in facts:
            at(start, "{{fact:…}}", msg("no_fact_in_story", ident=ref.group(1)))
        else:
            valid.add(start)
    lines: set[int] = set()
    for m in PRIVATE_USE.finditer(seen):  # typed as &#xE000; (a raw one is refused as the file
        offset = where(m.start())  # is read: inputs.private_use)
        if body.count("\n", 0, offset) not in lines:  # one per line: a pasted run is one problem
            lines.add(body.count("\n", 0, offset))
            at(offset, "", msg("private_use_char", code=f"U+{ord(m.group(0)):04X}"))
    if lines or ("<" not in body and ("[" not in body or not valid)):
        return found  # with no link nor tag there is nothing more to find (most stories)
    scan = _Scan()
    starts: list[int] = []

    def hold(m: re.Match[str]) -> str:
        starts.append(m.start())
        return f"\ue000{len(starts) - 1}\ue001"

    scan.feed(markdown.markdown(FACT_REF.sub(hold, body), extensions=[], output_format="html"))
    scan.close()
    for i in sorted(scan.misplaced):
        if i < len(starts) and starts[i] in valid:
            at(starts[i], "{{fact:…}}", msg("fact_ref_in_link"))
    cursor = 0
    for attr, tag in scan.own:
        offset = body.find(tag, cursor)
        cursor = offset + len(tag) if offset >= 0 else cursor
        at(max(offset, 0), attr, msg("story_attribute", attr=attr, tag=_short(tag)))
    return found


class _Scan(HTMLParser):
    """Reads rendered Markdown: references held in attributes or links, and id or class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.misplaced: set[int] = set()  # placeholders in an attribute or inside a link
        self.own: list[tuple[str, str]] = []  # (attribute, the start tag as written)
        self._links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.misplaced.update(int(i) for i in _HELD.findall(value or ""))
            if name in _OWN_ATTRS:
                self.own.append((name, self.get_starttag_text() or f"<{tag}>"))
        if tag == "a":
            self._links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._links = max(0, self._links - 1)

    def handle_data(self, data: str) -> None:
        if self._links:
            self.misplaced.update(int(i) for i in _HELD.findall(data))


def _decoded(body: str) -> tuple[str, Callable[[int], int]]:
    """The body with its character references decoded, and decoded offset → source offset."""
    if "&" not in body:
        return body, lambda i: i
    pieces: list[str] = []
    source: list[int] = []
    pos = 0
    for m in _CHARREF.finditer(body):
        pieces.append(body[pos : m.start()])
        source.extend(range(pos, m.start()))
        char = html.unescape(m.group(0))
        pieces.append(char)
        source.extend([m.start()] * len(char))
        pos = m.end()
    pieces.append(body[pos:])
    source.extend(range(pos, len(body) + 1))
    return "".join(pieces), source.__getitem__


def _near_miss(span: str, facts: Container[str], typed: str | None = None) -> tuple[str, str]:
    """The message for a reference-like span that is not a reference: what to type instead.

    `typed` is the span as the editor typed it, when that differs (character references).
    """
    meant = _MEANT.match(span)
    ident = (meant.group(1) or "").lower() if meant else ""
    shown = _short(span if typed is None else typed)
    if not ident:
        return msg("fact_ref_incomplete", text=shown)
    if ident not in facts:
        return msg("fact_ref_malformed_unknown", text=shown, ident=ident)
    option = "|number" if meant and meant.group(2) else ""
    return msg("fact_ref_malformed", text=shown, fixed=f"{{{{fact:{ident}{option}}}}}")


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
