"""The declaration in sitegen/required.py is what the templates and builders really read.

Templates are scanned with Jinja's own parser (chains of `.x` and `[x]` from
`ui`, `ui_other` and `uis[lang]`), builders with Python's (`….ui[lang][…]`
chains and the names bound to them). A key read with a computed part, such
as `ui.level[e.level]`, counts as a read of the whole group; a loop over a
literal list, such as `{% for key in ['timeline', …] %}`, is followed.
"""

from __future__ import annotations

import ast
import itertools

import pytest
from conftest import ROOT
from jinja2 import nodes

from sitegen import render
from sitegen.required import CHARTS, UI_USERS, shape

Part = frozenset[str] | None  # the keys a step of a chain can take; None: computed, not known
Use = tuple[tuple[str, ...], bool]  # dotted key as a tuple, and whether it is a whole group
UI_NAMES = ("ui", "ui_other")  # one language's strings; `uis` maps each language to them
NOT_SCANNED = {  # they read the UI files or declare their keys, rather than use the strings
    "load.py",
    "required.py",
}


def _expand(parts: list[Part]) -> set[Use]:
    """Every dotted key a chain can read; a computed step makes it a read of the group before it."""
    known = list(itertools.takewhile(lambda p: p is not None, parts))
    whole = len(known) < len(parts)
    return {(tuple(key), whole) for key in itertools.product(*known)}  # type: ignore[arg-type]


# Templates.


def _template_parts(node: nodes.Node, loops: dict[str, Part]) -> Part:
    if isinstance(node, nodes.Getattr):
        return frozenset({node.attr})
    arg = node.arg  # type: ignore[attr-defined]
    if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
        return frozenset({arg.value})
    if isinstance(arg, nodes.Name):
        return loops.get(arg.name)
    return None


def template_uses(source: str) -> set[Use]:
    """The UI keys a template's source reads; fails on a use it cannot follow."""
    tree = render.environment(ROOT / "templates").parse(source)
    loops: dict[str, Part] = {}
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name):
            items = getattr(loop.iter, "items", None)
            known = items is not None and all(
                isinstance(i, nodes.Const) and isinstance(i.value, str) for i in items
            )
            values = frozenset(i.value for i in items) if known else None  # type: ignore[union-attr]
            seen = loops.get(loop.target.name, frozenset())
            loops[loop.target.name] = None if values is None or seen is None else seen | values
    steps = [*tree.find_all(nodes.Getattr), *tree.find_all(nodes.Getitem)]
    inner = {id(s.node) for s in steps}
    uses: set[Use] = set()
    for step in steps:
        if id(step) in inner:
            continue
        parts: list[Part] = []
        node: nodes.Node = step
        while isinstance(node, (nodes.Getattr, nodes.Getitem)):
            parts.insert(0, _template_parts(node, loops))
            node = node.node
        if isinstance(node, nodes.Name) and node.name == "uis":
            parts = parts[1:]  # the language
        elif not (isinstance(node, nodes.Name) and node.name in UI_NAMES):
            continue
        assert parts, f"the strings of one language are used whole: {source[:80]!r}"
        uses |= _expand(parts)
    followed = {id(s.node) for s in steps}
    for name in tree.find_all(nodes.Name):
        if name.name in (*UI_NAMES, "uis") and id(name) not in followed:
            raise AssertionError(f"'{name.name}' is used whole, so its keys cannot be followed")
    return uses


# Builders.


class _Module:
    """One builder module's parse tree, with what each name is bound to anywhere in it."""

    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.bound: dict[str, list[ast.expr | None]] = {}
        self.functions = {f.name: f for f in ast.walk(self.tree) if isinstance(f, ast.FunctionDef)}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                self._bind(node.targets[0], node.value)
            elif isinstance(node, (ast.For, ast.comprehension)):
                items = node.iter.elts if isinstance(node.iter, (ast.Tuple, ast.List)) else None
                for item in items or [None]:
                    self._bind(node.target, item)
            elif isinstance(node, ast.arg):
                self.bound.setdefault(node.arg, []).append(None)  # a parameter: not known

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.bound.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple):
            for t in target.elts:
                self._bind(t, None)

    def keys(self, expr: ast.expr | None) -> Part:
        """The strings an expression used as a key can be, when they are written in the code."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return frozenset({expr.value})
        if isinstance(expr, ast.IfExp):
            a, b = self.keys(expr.body), self.keys(expr.orelse)
            return a | b if a is not None and b is not None else None
        if isinstance(expr, ast.Name) and expr.id in self.bound:
            found = [self.keys(v) for v in self.bound[expr.id]]
            if any(f is None for f in found):
                return None
            return frozenset().union(*found)  # type: ignore[arg-type]
        return None

    def chain(self, expr: ast.expr, depth: int = 0) -> list[Part] | None:
        """The UI keys an expression reads, or None when it is not about the UI strings."""
        if depth > 10:
            return None
        if isinstance(expr, ast.Subscript):
            if isinstance(expr.value, ast.Attribute) and expr.value.attr == "ui":
                return []  # content.ui[lang]: the language
            base = self.chain(expr.value, depth + 1)
            return None if base is None else [*base, self.keys(expr.slice)]
        if isinstance(expr, ast.Name) and expr.id in self.bound:
            found = [
                self.chain(v, depth + 1) if v is not None else None for v in self.bound[expr.id]
            ]
            return found[0] if found and all(f == found[0] for f in found) else None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
            function = self.functions.get(expr.func.id)
            returns = (
                [r.value for r in ast.walk(function) if isinstance(r, ast.Return)]
                if function
                else []
            )
            found = [self.chain(r, depth + 1) if r is not None else None for r in returns]
            return found[0] if found and all(f == found[0] for f in found) else None
        return None

    def uses(self) -> set[Use]:
        """Keys read by maximal `[…]` chains; one bound to a name or returned counts where used."""
        aliases = {
            id(n.value)
            for n in ast.walk(self.tree)
            if isinstance(n, (ast.Return, ast.Assign)) and n.value is not None
        }
        subs = [n for n in ast.walk(self.tree) if isinstance(n, ast.Subscript)]
        inner = {id(s.value) for s in subs}
        uses: set[Use] = set()
        for s in subs:
            if id(s) in inner or id(s) in aliases:
                continue
            parts = self.chain(s)
            if parts:
                uses |= _expand(parts)
        return uses


def builder_uses(source: str) -> set[Use]:
    return _Module(source).uses()


# What is used, by whom, against what is declared.


def _all_uses() -> dict[str, set[Use]]:
    found: dict[str, set[Use]] = {}
    for path in sorted((ROOT / "templates").glob("*.html")):
        if uses := template_uses(path.read_text("utf-8")):
            found[f"templates/{path.name}"] = uses
    for path in sorted((ROOT / "sitegen").glob("*.py")):
        if path.name not in NOT_SCANNED and (uses := builder_uses(path.read_text("utf-8"))):
            found[f"sitegen/{path.name}"] = uses
    return found


def _problems(user: str, uses: set[Use], declared: set[str]) -> list[str]:
    out = []
    for key, whole in sorted(uses):
        dotted = ".".join(key)
        if whole:
            if shape(dotted) != "group" or not any(k.startswith(dotted + ".") for k in declared):
                out.append(f"{user} reads the group '{dotted}' whole: declare it with its sub-keys")
        elif dotted not in declared:
            out.append(f"{user} reads '{dotted}', not declared for it in sitegen/required.py")
        elif shape(dotted) == "group":
            out.append(f"{user} reads '{dotted}' as one value, but it is declared as a group")
    for dotted in sorted(declared):
        if (tuple(dotted.split(".")), False) not in uses and not any(
            whole and dotted.startswith(".".join(key) + ".") for key, whole in uses
        ):
            out.append(f"'{dotted}' is declared for {user}, which does not read it")
    return out


def test_every_ui_string_a_template_or_builder_reads_is_declared_for_it() -> None:
    found = _all_uses()
    assert "sitegen/chartkinds.py" in found and "sitegen/pages.py" in found  # the scan sees them
    problems = [
        p
        for user in sorted(set(found) | set(UI_USERS))
        for p in _problems(user, found.get(user, set()), set(UI_USERS.get(user, ())))
    ]
    assert not problems, "\n".join(problems)


def test_the_chart_ids_the_pages_show_are_declared_with_their_pages() -> None:
    """A chart a page names by its id (v["…"]) is declared with the templates of those pages."""
    from sitegen.views import Kind

    tree = ast.parse((ROOT / "sitegen/pages.py").read_text("utf-8"))

    def named(node: ast.AST) -> list[ast.Subscript]:
        return [
            s
            for s in ast.walk(node)
            if isinstance(s, ast.Subscript)
            and isinstance(s.value, ast.Name)
            and s.value.id == "v"
            and isinstance(s.slice, ast.Constant)
        ]

    shown: dict[str, set[str]] = {}
    in_pages: set[int] = set()
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Page":
            kind = call.args[2]
            charts = named(call)
            assert not charts or isinstance(kind, ast.Attribute), "name the kind: Kind.NAME"
            for s in charts:
                in_pages.add(id(s))
                template = Kind[kind.attr].template  # type: ignore[attr-defined]
                shown.setdefault(s.slice.value, set()).add(f"templates/{template}")  # type: ignore[attr-defined]
    anywhere = [s for s in named(tree) if id(s) not in in_pages]
    assert not anywhere, "a chart view named outside a Page(…): declare it"
    assert shown == {cid: set(need.pages) for cid, need in CHARTS.items()}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ ui.nope }}", {(("nope",), False)}),
        ("{{ uis.en.a.b }}", {(("a", "b"), False)}),
        (
            "{% for k in ['x', 'y'] %}{{ ui.g[k] }}{% endfor %}",
            {(("g", "x"), False), (("g", "y"), False)},
        ),
        ("{{ ui.level[e.level] }}", {(("level",), True)}),
        ("{{ ui_other.language_name | upper }}", {(("language_name",), False)}),
    ],
)
def test_the_template_scan_finds_what_a_template_reads(source: str, expected: set[Use]) -> None:
    assert template_uses(source) == expected


def test_the_template_scan_refuses_a_use_it_cannot_follow() -> None:
    with pytest.raises(AssertionError):
        template_uses("{{ helper(ui) }}")


def test_the_builder_scan_finds_what_a_builder_reads() -> None:
    source = (
        "def _g(content, lang):\n"
        "    return content.ui[lang]['chart']\n"
        "def f(content, lang, e, table, found):\n"
        "    ui = _g(content, lang)\n"
        "    status = 'a' if found else 'b'\n"
        "    ui[status]\n"
        "    [ui['cols'][c] for c in table]\n"
        "    content.ui[lang]['level'][e.level]\n"
        "    content.ui['zh']['x']['y']\n"
    )
    assert builder_uses(source) == {
        (("chart", "a"), False),
        (("chart", "b"), False),
        (("chart", "cols"), True),
        (("level",), True),
        (("x", "y"), False),
    }


def test_the_scans_fail_on_an_undeclared_key() -> None:
    problems = _problems("templates/x.html", template_uses("{{ ui.nav.nope }}"), {"nav.label"})
    assert any("'nav.nope', not declared" in p for p in problems)
    assert any("'nav.label' is declared" in p for p in problems)
