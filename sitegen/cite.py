"""Numbers in the headline, corrections, events, centre texts and statement titles, cited.

Editors write `{{fact:id}}` in those texts as in stories and chart summaries.
`check` refuses an unknown id, whatever only looks like a reference
(prose.LOOKS_LIKE), and a reference in any other text (where it would be
printed as typed); then `resolve` fills the texts in once, so every
later stage (pages, charts, open data, search) reads the fact's value in the
reader's language. One table, CITABLE, says where citing is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from . import LANGS
from .charts import fill_facts
from .model import Content, Text

# Where a text may cite facts: file → the field names on the way to the text (indices left out).
# `resolve` fills all of them except the charts' texts (title, subtitle, summary, timeline labels),
# which each chart fills as it is drawn (its cache key holds the facts they cite).
CITABLE: dict[str, frozenset[tuple[str, ...]]] = {
    "site.yaml": frozenset({("headline",), ("standfirst",), ("corrections", "text")}),
    "events.yaml": frozenset({("events", "title"), ("events", "summary")}),
    "centres.yaml": frozenset({("centres", "summary"), ("centres", "milestones", "text")}),
    "statements.yaml": frozenset({("statements", "title")}),
    "charts.yaml": frozenset(
        {
            ("charts", "title"),
            ("charts", "subtitle"),
            ("charts", "summary"),
            ("charts", "annotate", "label"),
        }
    ),
}


def _names(path: tuple) -> tuple[str, ...]:
    return tuple(p for p in path if isinstance(p, str))


def citable(file: str, path: tuple) -> bool:
    """Whether the text at `path` (field names and indices) of a content file may cite facts."""
    return _names(path) in CITABLE.get(file, frozenset())


def texts(content: Content) -> Iterator[tuple[str, tuple, Text]]:
    """Every reader-visible text of the YAML content files: (file, path in the file, text)."""
    records: list[tuple[str, tuple, Any]] = [("site.yaml", (), content.site)]
    for file, key, items in (
        ("sources.yaml", "sources", content.sources.values()),
        ("provinces.yaml", "provinces", content.provinces.values()),
        ("provinces.yaml", "not_covered", content.not_covered),
        ("facts.yaml", "facts", content.facts.values()),
        ("centres.yaml", "centres", content.centres.values()),
        ("events.yaml", "events", content.events),
        ("charts.yaml", "charts", content.charts.values()),
        ("statements.yaml", "statements", content.statements.values()),
        ("themes.yaml", "themes", content.themes.values()),
    ):
        records += [(file, (key, i), item) for i, item in enumerate(items)]
    for file, path, record in records:
        yield from ((file, p, t) for p, t in _walk(record, path))


def _walk(value: Any, path: tuple) -> Iterator[tuple[tuple, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i))


def resolve(content: Content) -> Content:
    """The content with every cited fact filled in (site texts, events, centres, statements)."""

    def fill(value: Any, file: str, names: tuple[str, ...]) -> Any:
        if isinstance(value, Text):
            if names not in CITABLE[file]:
                return value
            filled = {lang: fill_facts(value[lang], content, lang) for lang in LANGS}
            return value if filled == value.model_dump() else Text(**filled)
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = fill(old, file, (*names, name))
                if new is not old:
                    updates[name] = new
            return value.model_copy(update=updates) if updates else value
        if isinstance(value, tuple):
            items = tuple(fill(item, file, names) for item in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value

    return replace(
        content,
        site=fill(content.site, "site.yaml", ()),
        events=fill(content.events, "events.yaml", ("events",)),
        centres={k: fill(v, "centres.yaml", ("centres",)) for k, v in content.centres.items()},
        statements={
            k: fill(v, "statements.yaml", ("statements",)) for k, v in content.statements.items()
        },
    )
