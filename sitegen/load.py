"""Stage 1: read `content/` into the typed model, collecting every problem.

Each file is parsed with positions (yamlio), validated by its pydantic file
model, and every validation error is turned into a located, bilingual
ContentError. Nothing is half-loaded: any error raises ContentErrors once.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import LANGS, messages, required
from .errors import ContentError, ContentErrors
from .messages import listed, msg
from .model import (
    ID_PATTERN,
    CentresFile,
    ChartsFile,
    Content,
    EventsFile,
    FactsFile,
    Locator,
    ProvincesFile,
    Site,
    SourcesFile,
    StatementsFile,
    Story,
    StoryMeta,
    StoryText,
    ThemesFile,
    UnitsFile,
)
from .yamlio import Positions, dotted, parse, position, read_text

T = TypeVar("T")

MAX_FILE_BYTES = 32_000_000  # ~100× the real content still fits; beyond, split the file
_STORY_NAME = re.compile(r"^(?P<id>.+)\.(?P<lang>[a-z]{2})\.md$")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)

FILES: dict[str, type[BaseModel]] = {
    "site.yaml": Site,
    "sources.yaml": SourcesFile,
    "provinces.yaml": ProvincesFile,
    "units.yaml": UnitsFile,
    "facts.yaml": FactsFile,
    "centres.yaml": CentresFile,
    "events.yaml": EventsFile,
    "charts.yaml": ChartsFile,
    "statements.yaml": StatementsFile,
    "themes.yaml": ThemesFile,
}


# File under content/ → the bytes it was read from, its positions, its validated model.
Memo = dict[str, tuple[bytes, Positions, Any]]


def load(root: Path, memo: Memo | None = None) -> Content:
    """Load and validate everything under `root` (the content directory).

    With a memo (the preview keeps one), a file whose bytes have not changed
    since it last loaded cleanly is not parsed again: at newsroom scale
    parsing is most of a rebuild.
    """
    errors: list[ContentError] = []
    parsed: dict[str, Any] = {}
    where = Locator({})
    for name, model in FILES.items():
        parsed[name] = _load_file(root, name, model, errors, where, memo)
    ui = _load_ui(root, errors)
    if parsed["charts.yaml"] is not None:  # reported with the files' own problems, in one go
        errors += required.chart_errors(parsed["charts.yaml"].charts, where)
    stories = _load_stories(root, errors, where, memo)
    if errors:
        raise ContentErrors(errors)

    def by_id(items: tuple, file: str, key: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, item in enumerate(items):
            if item.id in out:
                errors.append(_dup(where, file, key, i, item.id))
            out[item.id] = item
        return out

    content = Content(
        site=parsed["site.yaml"],
        sources=by_id(parsed["sources.yaml"].sources, "sources.yaml", "sources"),
        provinces=by_id(parsed["provinces.yaml"].provinces, "provinces.yaml", "provinces"),
        not_covered=parsed["provinces.yaml"].not_covered,
        units=dict(parsed["units.yaml"].units),
        facts=by_id(parsed["facts.yaml"].facts, "facts.yaml", "facts"),
        centres=by_id(parsed["centres.yaml"].centres, "centres.yaml", "centres"),
        events=parsed["events.yaml"].events,
        stories=stories,
        charts=by_id(parsed["charts.yaml"].charts, "charts.yaml", "charts"),
        statements=by_id(parsed["statements.yaml"].statements, "statements.yaml", "statements"),
        themes=by_id(parsed["themes.yaml"].themes, "themes.yaml", "themes"),
        ui=ui,
        where=where,
    )
    by_id(parsed["events.yaml"].events, "events.yaml", "events")
    if errors:
        raise ContentErrors(errors)
    return content


def _dup(where: Locator, file: str, key: str, index: int, ident: str) -> ContentError:
    line, col = where.at(file, (key, index, "id"))
    return ContentError(
        f"content/{file}", line, col, f"{key}[{index}].id", *msg("dup_id", ident=ident)
    )


def _parse_file(root: Path, name: str, errors: list[ContentError]) -> tuple[Any, Positions]:
    rel = f"content/{name}"
    path = root / name
    if not path.is_file():
        errors.append(ContentError(rel, None, None, "", *msg("file_missing")))
        return None, {}
    if path.stat().st_size > MAX_FILE_BYTES:
        errors.append(ContentError(rel, None, None, "", *msg("file_too_large")))
        return None, {}
    text, errs = read_text(path, rel)
    errors.extend(errs)
    if text is None:
        return None, {}
    data, positions, errs = parse(text, rel)
    if errs:  # nothing to validate: a half-read file would only add misleading follow-on errors
        errors.extend(errs)
        return None, {}
    if data is None:  # empty, only comments, a lone BOM or a lone `~`: nothing to read
        errors.append(ContentError(rel, None, None, "", *msg("file_empty")))
        return None, {}
    return data, positions


def _load_file(
    root: Path,
    name: str,
    model: type[BaseModel],
    errors: list[ContentError],
    where: Locator,
    memo: Memo | None = None,
) -> Any:
    def read() -> Any:
        data, positions = _parse_file(root, name, errors)
        where.positions[name] = positions
        if data is None and not positions:
            return None
        return validate(model, data, f"content/{name}", positions, errors)

    return _memoised(root / name, name, read, errors, where, memo)


def _memoised(
    path: Path,
    name: str,
    read: Callable[[], T],
    errors: list[ContentError],
    where: Locator,
    memo: Memo | None,
) -> T:
    """`read()` of one content file, or what the memo kept from its last clean read.

    The memo's result is used only while the file holds the same bytes as then.
    """
    raw = _bytes(path) if memo is not None else None
    if memo is not None and raw is not None and name in memo and memo[name][0] == raw:
        where.positions[name] = memo[name][1]
        return memo[name][2]
    before = len(errors)
    result = read()
    if (
        memo is not None
        and raw is not None
        and result is not None
        and len(errors) == before
        and _bytes(path) == raw  # not saved again meanwhile
    ):
        memo[name] = (raw, where.positions[name], result)
    return result


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def validate(
    model: type[BaseModel],
    data: Any,
    rel: str,
    positions: Positions,
    errors: list[ContentError],
    prefix: tuple = (),
) -> Any:
    """Validate data with a model; turn each pydantic error into a located ContentError."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        found = exc.errors()
        # A misspelt key is reported once, as unknown with a suggestion, not also as "missing".
        suggested = {
            (tuple(e["loc"][:-1]), g)
            for e in found
            if e["type"] == "extra_forbidden"
            for g in _fields_at(model, tuple(e["loc"][:-1]))
            if difflib.get_close_matches(str(e["loc"][-1]), [g], n=1, cutoff=0.6)
        }
        for err in found:
            if (
                err["type"] == "missing"
                and (tuple(err["loc"][:-1]), str(err["loc"][-1])) in suggested
            ):
                continue
            loc = tuple(p for p in err["loc"] if p not in ("[key]",))
            line, col = position(positions, prefix + loc)
            zh, en = explain(err, model, loc)
            errors.append(ContentError(rel, line, col, dotted(prefix + loc), zh, en))
        return None


def explain(err: Mapping[str, Any], model: type[BaseModel], loc: tuple) -> tuple[str, str]:
    """Say in plain words, in both languages, what is wrong and what to do."""
    kind, ctx = err["type"], err.get("ctx") or {}
    field = str(loc[-1]) if loc else ""
    given = err.get("input")
    if kind == "missing":
        return msg("field_missing", field=field)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if guess:
            return msg("field_unknown_guess", field=field, guess=guess[0])
        return msg("field_unknown", field=field, allowed=listed(allowed))
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        guess = difflib.get_close_matches(str(given), options, n=1, cutoff=0.5)
        if guess:
            return msg(
                "value_not_allowed_guess", value=given, options=listed(options), guess=guess[0]
            )
        return msg("value_not_allowed", value=given, options=listed(options))
    if kind == "value_error":
        code = str(ctx.get("error", ""))  # a validator's error code (sitegen/model.py, urls.py)
        return msg(code) if messages.known(code) else msg("value_code_unknown", code=code)
    if kind == "string_too_short":
        return msg("text_empty")
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return msg("id_pattern", value=given)
        return msg("pattern_mismatch", value=given, pattern=ctx.get("pattern"))
    if kind in ("string_type",):
        if isinstance(given, bool) or given is None:
            return msg("text_needed_word")
        return msg("text_needed", value=given)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return msg("group_needed")
    if kind in ("tuple_type", "list_type"):
        return msg("list_needed")
    if kind == "too_short":
        return msg("list_empty")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return msg("integer_needed", value=given)
    if kind in ("bool_type", "bool_parsing"):
        return msg("bool_needed", value=given)
    if kind in ("greater_than_equal", "less_than_equal"):
        return msg("out_of_range", value=given, limit=err["msg"])
    return msg("value_invalid", error=err["msg"])


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at a path, for 'did you mean' suggestions."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and part in current.model_fields
        ):
            current = _unwrap(current.model_fields[part].annotation)
        else:
            current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin in (tuple, list, dict):
            annotation = typing.get_args(annotation)[-1 if origin is dict else 0]
        elif origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _load_ui(root: Path, errors: list[ContentError]) -> dict[str, dict[str, Any]]:
    """UI strings, one file per language; every key must exist in both.

    What templates and builders read must be there too, in the shape they read it (required.py).
    """
    ui: dict[str, dict[str, Any]] = {}
    flat: dict[str, dict[str, tuple[int, int]]] = {}
    readable: dict[str, dict[str, Any]] = {}  # the files that are a mapping
    where: dict[str, Positions] = {}
    before = len(errors)
    for lang in LANGS:
        name = f"ui/{lang}.yaml"
        data, positions = _parse_file(root, name, errors)
        if not isinstance(data, dict):
            if data is not None:
                errors.append(ContentError(f"content/{name}", 1, 1, "", *msg("ui_not_mapping")))
            ui[lang] = {}
            continue
        ui[lang] = readable[lang] = data
        where[lang] = positions
        flat[lang] = {
            dotted(p): pos
            for p, pos in positions.items()
            if p and not isinstance(_get(data, p), (dict, list))
        }
        for p in positions:
            value = _get(data, p)
            if (
                p
                and not isinstance(value, (dict, list))
                and (not isinstance(value, str) or not value.strip())
            ):
                line, col = positions[p]
                errors.append(
                    ContentError(f"content/{name}", line, col, dotted(p), *msg("ui_empty"))
                )
    if len(flat) == 2:
        for lang, other in (("zh", "en"), ("en", "zh")):
            for key in sorted(set(flat[lang]) - set(flat[other])):
                line, _ = flat[lang][key]
                lacking = "ui_missing_english" if other == "en" else "ui_missing_chinese"
                errors.append(
                    ContentError(
                        f"content/ui/{other}.yaml",
                        None,
                        None,
                        key,
                        *msg(lacking, key=key, line=line),
                    )
                )
    needed, wrong = required.ui_errors(readable, where)
    errors[before:] = [
        e
        for e in errors[before:]
        if not (e.file.startswith("content/ui/") and required.covered(wrong, e.field))
    ] + needed  # a key of the wrong shape is one problem, not one per key under it
    return ui


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _load_stories(
    root: Path, errors: list[ContentError], where: Locator, memo: Memo | None = None
) -> dict[str, Story]:
    folder = root / "stories"
    texts: dict[str, dict[str, StoryText]] = {}
    unread: set[str] = set()
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = path.name
        if (name.startswith(".") and not name.endswith(".md")) or name.endswith(("~", "#")):
            continue  # .DS_Store, swap files, editors' backups and autosaves: not stories
        if path.is_dir():
            continue
        rel = f"content/stories/{path.name}"
        m = _STORY_NAME.match(path.name)
        if not m or m["lang"] not in LANGS or not re.match(ID_PATTERN, m["id"]):
            errors.append(ContentError(rel, None, None, "", *msg("story_name")))
            continue
        story_text = _load_story_text(path, rel, errors, where, memo)
        if story_text is None:
            unread.add(m["id"])  # its problems are reported; its twin is not "missing"
        else:
            texts.setdefault(m["id"], {})[m["lang"]] = story_text
    stories: dict[str, Story] = {}
    for sid, by_lang in sorted(texts.items()):
        missing = [lang for lang in LANGS if lang not in by_lang]
        if missing and sid in unread:
            continue
        if missing:
            have = next(iter(by_lang.values()))
            lacking = "story_missing_english" if missing[0] == "en" else "story_missing_chinese"
            errors.append(ContentError(have.file, 1, None, "", *msg(lacking, story=sid)))
            continue
        zh, en = by_lang["zh"], by_lang["en"]
        for key in ("date", "centre", "province", "sources", "updated"):
            theirs = getattr(zh.meta, key)
            if theirs != getattr(en.meta, key):
                said = (
                    msg("story_twin_lacks", key=key)
                    if theirs is None
                    else msg("story_twins_differ", key=key, value=_show(theirs))
                )
                errors.append(
                    ContentError(
                        en.file, *where.at(en.file.removeprefix("content/"), (key,)), key, *said
                    )
                )
        stories[sid] = Story(sid, zh, en)
    return stories


def _show(value: Any) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def _load_story_text(
    path: Path, rel: str, errors: list[ContentError], where: Locator, memo: Memo | None = None
) -> StoryText | None:
    return _memoised(
        path,
        rel.removeprefix("content/"),
        lambda: _read_story_text(path, rel, errors, where),
        errors,
        where,
        memo,
    )


def _read_story_text(
    path: Path, rel: str, errors: list[ContentError], where: Locator
) -> StoryText | None:
    if path.stat().st_size > MAX_FILE_BYTES:
        errors.append(ContentError(rel, None, None, "", *msg("story_too_large")))
        return None
    text, errs = read_text(path, rel)
    errors.extend(errs)
    if text is None:
        return None
    m = _FRONT.match(text)
    if not m:
        errors.append(ContentError(rel, 1, 1, "", *msg("story_front_matter")))
        return None
    data, positions, errs = parse(m.group(1), rel, line_offset=1)
    if errs:
        errors.extend(errs)
        return None
    where.positions[rel.removeprefix("content/")] = positions
    meta = validate(StoryMeta, data, rel, positions, errors)
    if meta is None:
        return None
    body_line = text[: m.end()].count("\n") + 1
    return StoryText(meta=meta, body=text[m.end() :], file=rel, body_line=body_line)
