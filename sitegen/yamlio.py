"""Safe YAML reading that remembers where every value stands in the file.

Pydantic reports a field path such as ("facts", 12, "as_of"); the positions
map turns that path into a line and column so editors see `facts.yaml:42:5`.
Dates stay strings (the model parses them with their precision), and only
plain YAML is accepted: no tags that construct objects, no duplicate keys.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import ContentError
from .inputs import private_use
from .messages import msg

Path_ = tuple[str | int, ...]
Positions = dict[Path_, tuple[int, int]]

BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(BASE_LOADER):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text, so `2023-02-30` is our error, not PyYAML's."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# A number is plain decimal digits, as an editor types it: YAML 1.1 would read 010 as 8,
# 0x1A as 26, 1:30 as 90 and 1e309 as infinity, and a float would round 12345678901234567.8.
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_Loader.add_constructor(_FLOAT, lambda loader, node: Decimal(node.value))


def read_text(path: Path, rel: str) -> tuple[str | None, list[ContentError]]:
    """Read a content file as UTF-8, or say plainly that it is not (or holds private-use text)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            ContentError(rel, None, None, "", *msg("file_unreadable", error=exc.strerror))
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [ContentError(rel, line, None, "", *msg("not_utf8"))]
    # Characters no content may hold, wherever they stand (a value, a key, a comment, a story);
    # the text is still read, to report everything at once.
    hidden = _hidden_character(text, rel)
    return text, private_use(raw, text, rel) + ([hidden] if hidden else [])


def parse(text: str, rel: str, line_offset: int = 0) -> tuple[Any, Positions, list[ContentError]]:
    """Parse YAML text into plain data plus a path → (line, column) map."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        errors: list[ContentError] = []
        positions: Positions = {}
        _walk(node, (), positions, errors, _Source(text, rel, line_offset), set())
        if errors:
            return None, positions, errors
        return loader.construct_document(node), positions, []
    except (yaml.YAMLError, RecursionError) as exc:
        # Too deep a structure is ours to report, whatever PyYAML does with it: libyaml (in
        # PyYAML's wheels since 6.0.4) refuses 1,000 levels with its own scanner error, and the
        # pure-Python loader runs out of stack. Either way, find the first value too deep.
        deep = _too_deep(text, rel, line_offset)
        if deep is not None:
            return None, {}, [deep]
        if isinstance(exc, yaml.reader.ReaderError):  # a control character: not a located mark
            return None, {}, [_reader_error(exc, rel, line_offset, text)]
        if isinstance(exc, yaml.MarkedYAMLError):
            return None, {}, [_syntax_error(exc, rel, line_offset, text)]
        if isinstance(exc, RecursionError):
            return None, {}, [_nesting_error(rel, None, None)]
        return None, {}, [ContentError(rel, None, None, "", *msg("yaml_error", error=exc))]
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, rel: str, line_offset: int, text: str) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    col = mark.column + 1 if mark else None
    problem = exc.problem or "syntax error"
    lines = text.splitlines()
    here = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "tab" in problem.lower() or "\t" in here[: (mark.column + 1) if mark else 0]:
        zh, en = msg("yaml_tab")
    elif "tag" in problem.lower() or "constructor" in type(exc).__name__.lower():
        zh, en = msg("yaml_tag")
    elif "mapping values are not allowed" in problem and mark and here.find(":") < mark.column:
        zh, en = msg("yaml_colon")
    elif "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        zh, en = msg("yaml_flow")
    elif (
        "mapping values are not allowed" in problem
        or "'-' indicator" in problem
        or "block end" in problem
        or "expected key" in problem
        or "expected <document start>" in problem
    ):
        zh, en = msg("yaml_indent")
    else:
        zh, en = msg("yaml_syntax", problem=problem)
    return ContentError(rel, line, col, "", zh, en)


def _reader_error(
    exc: yaml.reader.ReaderError, rel: str, line_offset: int, text: str
) -> ContentError:
    # libyaml counts bytes of UTF-8, PyYAML's own reader characters (its encoding is "unicode").
    if exc.encoding == "unicode":
        offset = exc.position
    else:
        offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    line, column = _line_column(text, offset)
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    code = f"U+{char:04X}"
    return ContentError(rel, line + line_offset, column, "", *msg("control_character", code=code))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (from 1) of a character offset in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


MAX_DEPTH = 20


def _nesting_error(rel: str, line: int | None, column: int | None) -> ContentError:
    return ContentError(rel, line, column, "", *msg("too_deep", depth=MAX_DEPTH))


def _too_deep(text: str, rel: str, off: int) -> ContentError | None:
    """The first value nested deeper than MAX_DEPTH, as `_walk` would report it, or None.

    Used only when PyYAML has failed. It reads the events of PyYAML's pure-Python parser,
    which keeps its own stack (no recursion, no depth limit of its own) and stops at the
    first value too deep, so it gets there even when libyaml or the composer gave up first.
    A genuine syntax error before any such value gives None: the caller reports that instead.
    """
    open_: list[list[bool]] = []  # per open collection: [is a mapping, its next node is a key]
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            in_mapping = bool(open_) and open_[-1][0]
            is_key = in_mapping and open_[-1][1]
            if in_mapping:
                open_[-1][1] = not is_key
            if not is_key and len(open_) > MAX_DEPTH:  # keys have no path of their own in _walk
                mark = event.start_mark
                if mark is None:  # the parser always sets it; the stubs allow None
                    return _nesting_error(rel, None, None)
                return _nesting_error(rel, mark.line + 1 + off, mark.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([isinstance(event, yaml.MappingStartEvent), True])
    except (yaml.YAMLError, RecursionError):
        return None
    return None


class _Source(NamedTuple):
    """The text being parsed, the file it is from and the line the text starts on."""

    text: str
    rel: str
    off: int

    def at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.off, node.start_mark.column + 1

    def error(self, node: yaml.Node, path: Path_, code: str, **values: Any) -> ContentError:
        return ContentError(self.rel, *self.at(node), dotted(path), *msg(code, **values))


_TEXT = "tag:yaml.org,2002:str"
# After a plain text on its line, " #" starts a comment: `title: Dr Li # retired` reads "Dr Li".
_COMMENT_AFTER = re.compile(r"[ \t]+#")
# An id, a date or a unit is one ASCII word: a comment after it cuts nothing an editor wrote.
# A reader's text (a zh/en pair, a story's title or summary, any UI string) can be one word.
_TOKEN = re.compile(r"[A-Za-z0-9_.:/+-]+")
_READER_TEXT = ("zh", "en", "title", "summary")
# Characters that reorder or hide text: bidirectional embeddings, overrides and isolates, and
# a byte-order mark after the start of the file (libyaml drops one at a line's start).
_HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")


def _hidden_character(text: str, rel: str) -> ContentError | None:
    """The first character in a file's text that would reorder or hide what readers see."""
    found = _HIDDEN.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    return ContentError(
        rel, *_line_column(text, found.start()), "", *msg("hidden_character", code=code)
    )


def _walk(
    node: yaml.Node,
    path: Path_,
    positions: Positions,
    errors: list[ContentError],
    src: _Source,
    seen_nodes: set[int],
) -> None:
    here = src.at(node)
    if id(node) in seen_nodes:
        # An alias (*name) reuses a node; refusing them stops "billion laughs" expansion.
        alias = msg("yaml_alias")
        if not any((e.zh, e.en) == alias for e in errors):  # once per file is enough
            errors.append(ContentError(src.rel, *here, dotted(path), *alias))
        return
    seen_nodes.add(id(node))
    if len(path) > MAX_DEPTH:
        errors.append(_nesting_error(src.rel, *here))
        return
    positions[path] = here
    problem = _lost_text(node, src.text, _reader_text(src.rel, path))
    if problem:
        errors.append(src.error(node, path, problem, text=_shown(node)))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TEXT:
                errors.append(src.error(key_node, path, "key_not_text", key=_shown(key_node)))
            elif problem := _lost_text(key_node, src.text):
                errors.append(src.error(key_node, path, problem, text=key))
            if key in seen:
                errors.append(src.error(key_node, path + (key,), "key_twice", key=key))
            seen.add(key)
            _walk(value_node, path + (key,), positions, errors, src, seen_nodes)
            if isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)):
                # A nested block is found by its key, which is where editors look.
                positions[path + (key,)] = src.at(key_node)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), positions, errors, src, seen_nodes)


def _shown(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "?"


_MARKS = {"&": "yaml_anchor", "!": "yaml_tag"}


def _reader_text(rel: str, path: Path_) -> bool:
    return rel.startswith("content/ui/") or (bool(path) and path[-1] in _READER_TEXT)


def _lost_text(node: yaml.Node, text: str, reader_text: bool = False) -> str | None:
    """The message code for a value YAML would not read as written, or None.

    An anchor (&name) or a tag (!!str, !!binary) is dropped from the text or changes its type,
    a number in another form than plain digits is read as another number, and a comment
    after a plain text cuts it short.
    """
    first = text[node.start_mark.index : node.start_mark.index + 1]
    if first in _MARKS:
        return _MARKS[first]
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag in (_INT, _FLOAT) and not PLAIN_NUMBER.fullmatch(node.value.removeprefix("-")):
        # A leading minus passes, so that the model says what is wrong: it cannot be negative.
        return "number_not_plain"
    if (
        node.tag == _TEXT
        and node.style in (None, "")
        and (reader_text or not _TOKEN.fullmatch(node.value))
        and _COMMENT_AFTER.match(text, node.end_mark.index)
    ):
        return "comment_cuts_text"
    return None


def dotted(path: Path_) -> str:
    """Render ("facts", 12, "as_of") as `facts[12].as_of`, the way editors read it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def position(positions: Positions, path: Path_) -> tuple[int | None, int | None]:
    """The closest known position for a path: the field itself, else its nearest parent."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return positions.get((), (None, None))
