"""Story Markdown → safe HTML, with numbers taken from the facts by id.

Editors write `{{fact:henan-beds-added}}`; the page shows the value in its
language, linked to a note with the source. Markdown's HTML output is
sanitised with nh3, so raw HTML or `javascript:` links in a story never run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import markdown
import nh3

# {{fact:id}} writes value and unit; {{fact:id|number}} leaves out the English unit noun
# where the sentence names the thing itself ("10 national centres", not "10 centres national").
FACT_REF = re.compile(r"\{\{\s*fact\s*:\s*([^}|\s]*)\s*(?:\|\s*(number)\s*)?\}\}")
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
_ALLOWED_ATTRS = {"a": {"href", "id", "class"}, "span": {"class"}, "sup": {"id"}}


def fact_refs(body: str) -> Iterator[tuple[str, int, int]]:
    """Each fact reference in a body: (id, line within body starting at 0, column)."""
    for m in FACT_REF.finditer(body):
        line = body.count("\n", 0, m.start())
        col = m.start() - (body.rfind("\n", 0, m.start()) + 1) + 1
        yield m.group(1), line, col


def to_html(body: str, replace: Callable[[str, bool], str]) -> str:
    """Render a story body; `replace(fact_id, bare)` returns the inline HTML for a reference."""
    placeholders: list[str] = []

    def hold(m: re.Match[str]) -> str:
        placeholders.append(replace(m.group(1), bool(m.group(2))))
        return f"\ue000{len(placeholders) - 1}\ue001"

    text = FACT_REF.sub(hold, body)
    html = markdown.markdown(text, extensions=[], output_format="html")
    html = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener",
    )
    return re.sub("\ue000(\\d+)\ue001", lambda m: placeholders[int(m.group(1))], html)
