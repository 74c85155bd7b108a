"""Property: a number or a text is what the editor typed, or a located error; never YAML's reading.

Generated values are written into a line of YAML as an editor would type them (plain, or
quoted) and read the way content files are read (sitegen/yamlio.py, then the model's types).
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sitegen.model import Id, NonEmpty, Number, PartialDate
from sitegen.yamlio import PLAIN_NUMBER, parse

NUMBER = TypeAdapter(Number)
TEXT = TypeAdapter(NonEmpty)
DATE = TypeAdapter(PartialDate)
ID = TypeAdapter(Id)

# What an editor's number can look like, including what YAML 1.1 reads otherwise.
number_texts = st.one_of(
    st.from_regex(PLAIN_NUMBER, fullmatch=True),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.floats().map(repr),
    st.integers().map(lambda i: f"{i:_}"),
    st.integers(min_value=0).map(lambda i: f"0{i:o}"),
    st.integers(min_value=0).map(hex),
    st.integers(min_value=0, max_value=10**6).map(lambda i: f"{i // 60}:{i % 60:02d}"),
    st.text(alphabet="0123456789._:+-eExXbBoO ,，%１２３", min_size=1, max_size=12),
)
# Texts with everything that means something to YAML, and characters that hide or reorder text.
text_chars = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\n\r\x85\u2028\u2029",
)
texts = st.one_of(
    st.text(alphabet=text_chars, min_size=1, max_size=30),
    st.lists(
        st.sampled_from(
            list("#&*!|>%@`'\"{}[],:-?~ \t") + ["\u202e", "\u2066", "\ufeff", " #", ": ", "1"]
        )
        | st.text(alphabet="abc张医生 ", min_size=1, max_size=4),
        min_size=1,
        max_size=8,
    ).map("".join),
)


def _read(line: str, key: str = "v") -> tuple[object, list]:
    data, _, errors = parse(line, "content/x.yaml")
    for err in errors:
        # the line, or the end of the text after it (an unclosed quote or bracket)
        assert err.file == "content/x.yaml" and err.line in (1, 2) and err.zh and err.en, err
    return (data or {}).get(key) if not errors else None, errors


@settings(max_examples=400, deadline=None)
@given(number_texts)
def test_a_number_is_read_digit_for_digit_or_refused(text: str) -> None:
    value, errors = _read(f"v: {text}\n")
    if errors:
        return
    try:
        number = NUMBER.validate_python(value)
    except ValidationError:
        return  # the model's own located error (a number is needed, cannot be negative)
    assert PLAIN_NUMBER.fullmatch(text.strip()), text
    assert number == Decimal(text.strip()) and str(number) == text.strip(), (text, number)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_a_plain_text_is_read_as_typed_or_refused(text: str) -> None:
    value, errors = _read(f"zh: {text}\n", "zh")  # a reader's text
    if errors or value is None or text.lstrip(" \t").startswith(("'", '"')):
        return  # refused, or nothing, or a quoted text (the quotes are not the text)
    try:  # a number, a yes/no, a list, an empty block (`|`): where text is needed, refused
        TEXT.validate_python(value)
    except ValidationError:
        return
    assert value == text.strip(" \t"), (text, value)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_a_quoted_text_is_always_the_text(text: str) -> None:
    """The fix every message suggests: in double quotes, any text is read exactly."""
    value, errors = _read(f"v: {json.dumps(text, ensure_ascii=False)}\n")
    if errors:  # only what no file may hold: control characters, direction overrides
        assert any(not c.isprintable() or c in "\u202e\u2066\ufeff" for c in text), text
        return
    assert value == text


@settings(max_examples=300, deadline=None)
@given(texts)
def test_a_key_is_text_as_typed_or_refused(key: str) -> None:
    data, _, errors = parse(f"{key}: x\n", "content/x.yaml")
    if errors or not isinstance(data, dict) or key.lstrip(" \t").startswith(("'", '"')):
        return  # refused, or not a key at all, or a quoted key (the fix: the text in quotes)
    if "#" in key:
        return  # `a: #…` is a key with no value and a comment, as in `headline:   # …`
    typed = key.strip(" \t")
    # libyaml drops a BOM at the start of a line, which is invisible either way
    assert list(data) in ([typed], [typed.lstrip("\ufeff").strip(" \t")]), (key, data)


@settings(max_examples=300, deadline=None)
@given(st.one_of(number_texts, texts))
def test_a_date_or_id_is_ascii_as_typed_or_refused(text: str) -> None:
    value, errors = _read(f"v: {text}\n")
    if errors or value is None:
        return
    for adapter in (DATE, ID):
        try:
            checked = adapter.validate_python(value)
        except ValidationError:
            continue
        assert checked.isascii() and checked == str(value).strip(), (text, checked)
