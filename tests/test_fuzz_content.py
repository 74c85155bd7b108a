"""Property: no mutation of valid content makes the build crash; it validates or explains."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.errors import ContentErrors
from sitegen.pipeline import Project, validate

FILES = [
    "facts.yaml",
    "centres.yaml",
    "events.yaml",
    "sources.yaml",
    "provinces.yaml",
    "units.yaml",
    "charts.yaml",
    "site.yaml",
    "ui/en.yaml",
    "stories/songxia-achilles-tendon.zh.md",
]
NASTY = [
    ":",
    " ",
    "\t",
    "-",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "#",
    "&",
    "*",
    "!",
    "|",
    ">",
    "\n",
    "0",
    "-1",
    "é",
    "\x00",
    "\ufeff",
    "2023-02-30",
    "null",
    "~",
    "{{fact:",
    "<script>",
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "content", root / "content")
    return root


mutation = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(["insert", "delete", "replace", "drop_line", "dup_line", "swap_lines"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.sampled_from(NASTY),
)


def _mutate(text: str, kind: str, a: float, b: float, token: str) -> str:
    i = int(a * len(text))
    lines = text.split("\n")
    j, k = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
    if kind == "insert":
        return text[:i] + token + text[i:]
    if kind == "delete":
        return text[:i] + text[i + 1 + int(b * 20) :]
    if kind == "replace":
        return text[:i] + token + text[i + len(token) :]
    if kind == "drop_line":
        return "\n".join(lines[:j] + lines[j + 1 :])
    if kind == "dup_line":
        return "\n".join(lines[: j + 1] + lines[j:])
    lines[j], lines[k] = lines[k], lines[j]
    return "\n".join(lines)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutation)
def test_random_mutations_never_crash_the_loader(copy: Path, m: tuple) -> None:
    name, kind, a, b, token = m
    path = copy / "content" / name
    original = (ROOT / "content" / name).read_text("utf-8")
    path.write_text(_mutate(original, kind, a, b, token), "utf-8")
    try:
        validate(Project(copy))
    except ContentErrors as exc:
        for err in exc.errors:
            assert err.file.startswith("content/") and err.zh and err.en
    finally:
        path.write_text(original, "utf-8")
