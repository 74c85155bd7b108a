"""What the templates and builders read from content/ by name, declared once and checked at load.

Templates render with StrictUndefined and builders index plain dicts, so a UI
string or a chart that an editor renames or deletes would pass every other
check and then stop the build with a traceback. Declared here, its loss is a
located content error instead. tests/test_required.py scans the templates
and builders, so this declaration cannot drift from what they really read.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from typing import Any

from . import LANGS
from .errors import ContentError
from .messages import Bilingual, listed, msg
from .model import ChartDef, Level, Locator, Region, StatementKind
from .yamlio import Positions, position

TEXT, LIST, GROUP = "text", "list", "group"  # a group is any key that declared keys sit under
LISTS = frozenset({"about.paragraphs", "data.method_paragraphs"})  # lists of texts (paragraphs)

# Sub-keys read with a computed part (`ui.level[e.level]`) or from a loop, listed in full.
LEVELS = typing.get_args(Level)
REGIONS = typing.get_args(Region)
NAV = ("national", "timeline", "provinces", "centres", "stories", "data", "about")  # the menu
DATASETS = ("facts", "statements", "centres", "events", "provinces", "sources")  # open data
COLUMNS = (  # tables
    *("item", "value", "as_of", "source", "province", "date", "level", "event", "centres"),
)


def _each(group: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{group}.{k}" for k in keys)


_FACT = ("target", "as_of", "source", "colon", "source_words", "not_reported", "note")
KINDS = typing.get_args(StatementKind)
_CENTRE = ("centre.level", "centre.province", "centre.city", "centre.specialties")

UI_USERS: dict[str, tuple[str, ...]] = {  # who reads which UI strings (dotted keys)
    "templates/_macros.html": (
        *_FACT,
        "semicolon",
        "comma",
        "paren_open",
        "paren_close",
        *_each("chart", ("show_table", "full_page", "own_page", "csv", "embed", "embed_help")),
        *_each("data", ("original", "no_original")),
        *_each("chart", ("computed", "computed_from", "computed_rounded")),
        "statement_facts",
        "list_sep",
    ),
    "templates/about.html": (
        *_each("about", ("errors_title", "email", "tracker", "corrections_title")),
        "about.no_corrections",
        "colon",
    ),
    "templates/base.html": (
        "skip",
        "language_name",
        *_each("search", ("label", "placeholder", "button")),
        "nav.label",
        *_each("nav", NAV),
        *_each("footer", ("sources", "sources_link", "note")),
    ),
    "templates/centre.html": (
        *_CENTRE,
        *_each("centre", ("partners", "milestones")),
        "statements",
        *_each("nav", ("centres", "timeline", "stories")),
        "reported_figures",
        "plans",
        "source",
        "sources",
        "colon",
    ),
    "templates/centres.html": (*_CENTRE, "centre.name", "colon"),
    "templates/chart.html": ("nav.data",),
    "templates/data.html": (
        *_each("data", ("datasets", "dataset", "downloads", "charts", "methodology")),
        *_each("data", ("credits",)),
        "sources",
        "colon",
        "list_sep",
    ),
    "templates/home.html": _each("home", ("headline", "latest", "all_stories")),
    "templates/province.html": (
        *_each("nav", ("provinces", "centres", "timeline", "stories")),
        *_each("nearby", ("national", "centres", "none", "tell_us")),
        "reported_figures",
        "plans",
        "statements",
        "national_page.title",
        "provinces.table",
        "about.errors_title",
    ),
    "templates/provinces.html": (
        *_each("provinces", ("table", "province", "region", "national", "provincial")),
        *_each("provinces", ("on_site", "note")),
        "colon",
    ),
    "templates/search.html": ("search.label", "search.noscript"),
    "templates/story.html": (
        "nav.stories",
        *_each("story", ("figures", "also", "related", "where")),
        *("as_of", "sources", "colon", "paren_open", "paren_close", "stop", "note"),
        "semicolon",
    ),
    "templates/timeline.html": ("timeline.all",),
    "templates/national.html": (
        *_each("national_page", ("lede", "contents")),
        "statements",
    ),
    "sitegen/chartkinds.py": (
        "national",
        "colon",
        *_each("chart", ("reported", "target", "not_reported", "not_covered", "tally_callout")),
        *_each("chart.map_keys", ("count", "dashed")),
        *_each("chart.columns", COLUMNS),
        *_each("chart.level_short", LEVELS),
    ),
    "sitegen/views.py": (
        "national",
        "list_sep",
        "centre.level_inferred",
        *_each("chart.level_short", LEVELS),
        *_each("level", LEVELS),
        *_each("statement_kind", KINDS),
    ),
    "sitegen/pages.py": (
        *(
            f"{page}.{text}"
            for page in (
                "national_page",
                "timeline",
                "provinces",
                "centres",
                "stories",
                "data",
                "about",
                "search",
            )
            for text in ("title", "description")
        ),
        *_each("not_found", ("title", "text", "home", "search")),
        "search.button",
        "home.lede",
        "about.paragraphs",
        "about.errors",
        *_each("data", ("method_paragraphs", "tile_credit")),
        *_each("data.names", DATASETS),
        "provinces.code",
        "provinces.table",
        *_each("region", REGIONS),
        *_each("level", LEVELS),
        "list_sep",
        *_each("centre", ("batch", "level_inferred")),
        *_each("lede", ("figure", "none", "no_centres", "latest", "centre", "place", "batch")),
        *_each("lede.figures", ("one", "other")),
        *_each("lede.centres", ("one", "other", "many")),
        *_each("lede.level", LEVELS),
        *("none_province_level", "plans_below", "see_centres", "none_reported"),
    ),
    "sitegen/render.py": ("data.place",),  # the Dataset's spatialCoverage
}


@dataclass(frozen=True)
class Chart:
    """A chart in charts.yaml that pages show by its id."""

    kind: str | None  # the kind it must have, where the page is built around it
    pages: tuple[str, ...]  # the templates of the pages showing it (sitegen/pages.py)


CHARTS: dict[str, Chart] = {
    "national-projects": Chart(None, ("templates/home.html",)),
    # The provinces page is the map's page; the methods text explains its tiles.
    "province-map": Chart("tile_map", ("templates/home.html", "templates/provinces.html")),
    "timeline": Chart("events", ("templates/timeline.html",)),  # the timeline page's chart
}


def _users() -> dict[str, tuple[str, ...]]:
    """Dotted key (groups too) → who reads it, from UI_USERS."""
    out: dict[str, list[str]] = {}
    for user, keys in UI_USERS.items():
        for key in keys:
            parts = key.split(".")
            for n in range(1, len(parts) + 1):
                users = out.setdefault(".".join(parts[:n]), [])
                if user not in users:
                    users.append(user)
    return {key: tuple(sorted(users)) for key, users in out.items()}


USERS = _users()


def _tree() -> dict[str, Any]:
    """The declared keys as nested groups: name → sub-tree (a group), TEXT or LIST."""
    tree: dict[str, Any] = {}
    for key in dict.fromkeys(k for keys in UI_USERS.values() for k in keys):  # in declared order
        *groups, leaf = key.split(".")
        node = tree
        for g in groups:
            node = node.setdefault(g, {})
            assert isinstance(node, dict), f"{key}: its group is also declared as a text"
        assert leaf not in node, f"{key} is declared both as a group and as a text"
        node[leaf] = LIST if key in LISTS else TEXT
    return tree


_TREE = _tree()


def shape(key: str) -> str | None:
    """TEXT, LIST or GROUP for a declared dotted key; None when nothing reads it."""
    node: Any = _TREE
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return GROUP if isinstance(node, dict) else str(node)


def _fits(value: Any, want: Any) -> bool:
    if isinstance(want, dict):
        return isinstance(value, dict)
    if want == LIST:
        return isinstance(value, list)
    return not isinstance(value, (dict, list))


def _has_text(value: Any) -> bool:
    """Whether a value holds a string the translation check (load._load_ui) compares."""
    if isinstance(value, dict):
        return any(_has_text(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_text(v) for v in value)
    return True


def _what(value: Any) -> Bilingual:
    if isinstance(value, dict):
        return Bilingual("一组文字", "a group")
    if isinstance(value, list):
        return Bilingual("列表", "a list")
    if value is None:
        return Bilingual("空值", "empty")
    return Bilingual("一段文字", "a single text")


def ui_errors(
    ui: dict[str, dict[str, Any]], positions: dict[str, Positions]
) -> tuple[list[ContentError], set[str]]:
    """Required UI strings missing from both languages or of the wrong shape, per file.

    A key that only one language lacks is left to the translation check,
    which names the line the other file has it on. Also returns the keys of
    the wrong shape: the translation check's messages under them (a missing
    'nav.label' when 'nav' became a text) would only repeat the problem.
    """
    errors: list[ContentError] = []
    wrong: set[str] = set()

    def walk(lang: str, data: dict[str, Any], other: Any, tree: dict[str, Any], at: tuple) -> None:
        rel = f"content/ui/{lang}.yaml"
        for name, want in tree.items():
            path = (*at, name)
            key = ".".join(path)
            theirs = other.get(name) if isinstance(other, dict) else None
            if name not in data:
                if not (
                    isinstance(other, dict)
                    and name in other
                    and _fits(theirs, want)
                    and _has_text(theirs)
                ):  # else the translation check names the other file's line
                    line, col = position(positions[lang], path) if at else (None, None)
                    errors.append(ContentError(rel, line, col, key, *_missing(key, want)))
                continue
            value = data[name]
            if not _fits(value, want):
                wrong.add(key)
                line, col = position(positions[lang], path)
                errors.append(ContentError(rel, line, col, key, *_shape(key, want, value)))
            elif isinstance(want, dict):
                walk(lang, value, theirs, want, path)
            elif want == LIST:
                for i, item in enumerate(value):
                    if isinstance(item, (dict, list)):
                        wrong.add(f"{key}[{i}]")
                        line, col = position(positions[lang], (*path, i))
                        said = msg("ui_item_not_text")
                        errors.append(ContentError(rel, line, col, f"{key}[{i}]", *said))

    for lang in LANGS:
        data = ui.get(lang)
        if data is not None:
            other = next((ui.get(o) for o in LANGS if o != lang), None)
            walk(lang, data, other if other is not None else {}, _TREE, ())
    return errors, wrong


def covered(wrong: set[str], field: str) -> bool:
    """Whether a UI message about `field` is at or under a key reported for its shape."""
    return any(field == w or field.startswith((f"{w}.", f"{w}[")) for w in wrong)


_BUILDERS = {  # how a message names a builder to an editor
    "sitegen/chartkinds.py": Bilingual(
        "图表程序 sitegen/chartkinds.py", "the chart builder sitegen/chartkinds.py"
    ),
    "sitegen/pages.py": Bilingual("页面程序 sitegen/pages.py", "the page builder sitegen/pages.py"),
    "sitegen/views.py": Bilingual("页面程序 sitegen/views.py", "the page views sitegen/views.py"),
    "sitegen/render.py": Bilingual(
        "页面程序 sitegen/render.py", "the page renderer sitegen/render.py"
    ),
}


def _who(key: str) -> Bilingual:
    """Who reads `key`, listed in each language (a builder is named in words)."""
    named = [_BUILDERS.get(u, Bilingual(u, u)) for u in USERS.get(key, ())]
    return Bilingual("、".join(n.zh for n in named), ", ".join(n.en for n in named))


def _missing(key: str, want: Any) -> tuple[str, str]:
    if isinstance(want, dict):
        return msg("ui_group_missing", key=key, keys=listed(want), users=_who(key))
    return msg("ui_text_missing", key=key, users=_who(key))


def _shape(key: str, want: Any, value: Any) -> tuple[str, str]:
    users, found = _who(key), _what(value)
    if isinstance(want, dict):
        return msg("ui_not_group", key=key, keys=listed(want), found=found, users=users)
    if want == LIST:
        return msg("ui_not_list", key=key, found=found, users=users)
    leaf = key.rsplit(".", 1)[-1]
    return msg("ui_not_text", key=key, found=found, users=users, leaf=leaf)


_CHART_MISSING = {  # (the page needs a kind, a spare chart's id is close) → the message
    (False, False): "chart_missing",
    (False, True): "chart_missing_guess",
    (True, False): "chart_missing_of_kind",
    (True, True): "chart_missing_of_kind_guess",
}


def chart_errors(charts: tuple[ChartDef, ...], where: Locator) -> list[ContentError]:
    """Charts the pages show by id: each must exist, with the kind its page is built around."""
    errors: list[ContentError] = []
    ids = [c.id for c in charts]
    for cid, need in CHARTS.items():
        pages = listed(need.pages)
        if cid not in ids:
            line, col = where.at("charts.yaml", ("charts",))
            spare = [i for i in ids if i not in CHARTS]
            guess = difflib.get_close_matches(cid, spare, n=1, cutoff=0.5)
            key = _CHART_MISSING[bool(need.kind), bool(guess)]  # it takes the values it names
            said = msg(key, chart=cid, pages=pages, kind=need.kind, guess=guess[0] if guess else "")
            errors.append(ContentError("content/charts.yaml", line, col, "charts", *said))
            continue
        i = ids.index(cid)
        if need.kind and charts[i].kind != need.kind:
            line, col = where.at("charts.yaml", ("charts", i, "kind"))
            errors.append(
                ContentError(
                    "content/charts.yaml",
                    line,
                    col,
                    f"charts[{i}].kind",
                    *msg("chart_kind", chart=cid, kind=need.kind, pages=pages),
                )
            )
    return errors
