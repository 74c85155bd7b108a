"""Numbers are the numbers the editor typed, or a located error (never YAML 1.1's reading)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_build


def _with_value(scratch: Path, text: str, fact: str = "henan-national-centres") -> int:
    facts = scratch / "content/facts.yaml"
    source = facts.read_text("utf-8")
    at = source.index(f"  - id: {fact}\n")
    i = source.index("    value: ", at)
    end = source.index("\n", i) + 1
    facts.write_text(source[:i] + f"    value: {text}\n" + source[end:], "utf-8")
    return source[:i].count("\n") + 1


@pytest.mark.parametrize(
    "text",
    ["010", "0x1A", "1:30", "1e309", "1e-400", "-0.0", "1_000", ".inf", ".nan", "1.5e3", "+10"],
)
def test_a_number_yaml_would_read_otherwise_is_a_located_error(scratch: Path, text: str) -> None:
    line = _with_value(scratch, text)
    result = run_build(scratch, "check")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert f"content/facts.yaml:{line}:" in result.stderr, result.stderr
    assert any(w in result.stderr for w in ("plain decimal", "A number is needed", "negative"))


@pytest.mark.parametrize("text", ['"010"', '"-3"', '"10 个"', "-3"])
def test_a_quoted_or_negative_value_is_refused_too(scratch: Path, text: str) -> None:
    line = _with_value(scratch, text)
    result = run_build(scratch, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/facts.yaml:{line}:" in result.stderr, result.stderr


def test_a_long_decimal_is_kept_digit_for_digit(scratch: Path, tmp_path: Path) -> None:
    # not a tally: 12345678901234567.8 projects would be more than the country's (check says so)
    _with_value(scratch, "12345678901234567.8", "henan-national-centres-planned-beds")
    result = run_build(scratch, "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    facts = json.loads((tmp_path / "site/data/facts.json").read_text("utf-8"))
    text = json.dumps(facts, ensure_ascii=False)
    assert "12345678901234567.8" in text
