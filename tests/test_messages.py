"""The message table (sitegen/messages.yaml) and the code that reads it agree.

Every key the code asks for exists, every key in the table is used, and each entry has a
Chinese and an English text that take the same values and can be filled in with them.
"""

from __future__ import annotations

import ast
import keyword
import re
import string
from pathlib import Path

import pytest
import yaml

from sitegen.messages import Bilingual, listed, msg

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "sitegen").glob("*.py")) + [ROOT / "build.py"]
TABLE = yaml.safe_load((ROOT / "sitegen/messages.yaml").read_text(encoding="utf-8"))
CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # the form of a key, and of a validator's error code


def _trees() -> dict[str, ast.Module]:
    return {
        p.relative_to(ROOT).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in SOURCES
    }


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _msg_calls() -> list[tuple[str, int, list[str], set[str] | None]]:
    """Each msg(...) call: file, line, the keys its first argument names, its keyword names.

    A key given as an expression counts by the strings in it (`"a" if x else "b"` names
    both); one computed at run time (a validator's error code) names none. The keyword
    names are None when the call passes **values.
    """
    calls = []
    for file, tree in _trees().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name | ast.Attribute)
                and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "msg"
                and node.args
            ):
                names = {k.arg for k in node.keywords if k.arg is not None}
                spread = any(k.arg is None for k in node.keywords)
                calls.append((file, node.lineno, _strings(node.args[0]), None if spread else names))
    return calls


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_reads_messages_through_msg() -> None:
    keys = [key for _, _, named, _ in _msg_calls() for key in named]
    assert len(keys) > 20, "the scan found too few msg() calls: has msg been renamed?"


def test_every_key_the_code_asks_for_exists_and_gets_its_values() -> None:
    for file, line, named, values in _msg_calls():
        for key in named:
            assert TABLE.get(key) is not None, (
                f"{file}:{line}: msg({key!r}) is not in messages.yaml"
            )
            if values is not None:
                needed = _fields(TABLE[key]["zh"])
                assert values == needed, (
                    f"{file}:{line}: msg({key!r}) is given {sorted(values)}, "
                    f"its texts take {sorted(needed)}"
                )


def test_every_error_code_of_a_validator_has_its_message() -> None:
    """`raise ValueError("code")` in a validator is explained by msg(code) (load.explain)."""
    for file, tree in _trees().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name)
                and node.exc.func.id == "ValueError"
                and node.exc.args
                and isinstance(node.exc.args[0], ast.Constant)
                and CODE.match(str(node.exc.args[0].value))
            ):
                code = node.exc.args[0].value
                assert code in TABLE, f"{file}:{node.lineno}: no message for the code {code!r}"


def test_every_key_in_the_table_is_used() -> None:
    used = {s for tree in _trees().values() for s in _strings(tree)}
    unused = sorted(set(TABLE) - used)
    assert not unused, f"messages.yaml has keys that no code uses: {unused}"


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_entry_has_both_languages_with_the_same_values(key: str) -> None:
    entry = TABLE[key]
    assert CODE.match(key), f"{key!r}: keys are lowercase words joined by _"
    assert isinstance(entry, dict) and set(entry) == {"zh", "en"}, f"{key}: needs zh and en only"
    zh, en = entry["zh"], entry["en"]
    assert isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()
    assert "\n" not in zh + en, f"{key}: a message is one line in each language"
    for text in (zh, en):
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is not None:  # {zh: …} in a text must be written {{zh: …}}
                plain = name.isidentifier() and not keyword.iskeyword(name)
                assert plain and not spec and not conversion, (
                    f"{key}: {{{name}:{spec}}} is not a plain {{placeholder}}; "
                    "write literal braces as {{ and }}"
                )
    assert _fields(zh) == _fields(en), f"{key}: zh takes {_fields(zh)}, en takes {_fields(en)}"
    values = {name: f"<{name}>" for name in _fields(zh)}
    filled_zh, filled_en = msg(key, **values)
    for value in values.values():
        assert value in filled_zh and value in filled_en


def test_bilingual_values_fill_each_language() -> None:
    zh, en = msg("field_unknown", field="x", allowed=listed(["a", "b"]))
    assert zh.endswith("a、b。") and en.endswith("Fields allowed here: a, b.")
    zh, en = msg("out_unreadable", out="o", error=Bilingual("错误", "bad"))
    assert "：错误。" in zh and ": bad." in en
