"""Bilingual messages for editors and operators, kept in `messages.yaml` rather than in code lines.

A message is a pair of templates (zh, en) filled with `str.format`; `msg` fails loudly on an
unknown key or a missing value, and a test checks that every key used in the code exists.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def _table() -> dict[str, dict[str, str]]:
    with open(Path(__file__).with_name("messages.yaml"), encoding="utf-8") as fh:
        table: dict[str, dict[str, str]] = yaml.safe_load(fh)
    return table


def msg(key: str, **values: Any) -> tuple[str, str]:
    """The message `key` in Chinese and English, with `values` filled in."""
    entry = _table()[key]
    return entry["zh"].format(**values), entry["en"].format(**values)


def keys() -> set[str]:
    return set(_table())
