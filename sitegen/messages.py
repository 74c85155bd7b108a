"""Bilingual messages for editors and operators, kept in `messages.yaml` rather than in code lines.

A message is a pair of templates (zh, en) filled with `str.format`; `msg` fails loudly on an
unknown key or a missing value, and tests/test_messages.py checks the table against the code.
Both templates of a message take the same values; a value that is written differently in each
language (a list: 、 in Chinese, commas in English) is passed as a `Bilingual` pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml


class Bilingual(NamedTuple):
    """A value for `msg` that differs by language: `zh` fills the Chinese text, `en` the English."""

    zh: str
    en: str


def listed(items: Iterable[str]) -> Bilingual:
    """Items as a list in running text: a、b、c in Chinese, a, b, c in English."""
    items = list(items)
    return Bilingual("、".join(items), ", ".join(items))


@cache
def _table() -> dict[str, dict[str, str]]:
    with open(Path(__file__).with_name("messages.yaml"), encoding="utf-8") as fh:
        table: dict[str, dict[str, str]] = yaml.safe_load(fh)
    return table


def msg(key: str, /, **values: Any) -> tuple[str, str]:
    """The message `key` in Chinese and English, with `values` filled in."""
    entry = _table()[key]
    zh = {k: v.zh if isinstance(v, Bilingual) else v for k, v in values.items()}
    en = {k: v.en if isinstance(v, Bilingual) else v for k, v in values.items()}
    return entry["zh"].format(**zh), entry["en"].format(**en)


def known(key: str) -> bool:
    """Whether the table has a message `key` (for codes that may come from elsewhere)."""
    return key in _table()
