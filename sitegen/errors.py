"""One error type for every content problem, so editors get one kind of message.

Every problem carries the file, line, column, field path and a bilingual
message that says what is wrong and what to do. Stages collect them and the
command line prints them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """A located problem in `content/`, worded for editors in both languages."""

    file: str
    line: int | None
    column: int | None
    field: str
    zh: str
    en: str

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.location()}{field}\n    {self.zh}\n    {self.en}"


class ContentErrors(Exception):
    """Raised once, after a stage has collected every problem it found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors), key=_sort_key)
        super().__init__(f"{len(self.errors)} content error(s)")

    def report(self) -> str:
        n = len(self.errors)
        head = (
            f"内容有 {n} 处问题，网站未生成 / {n} problem(s) in content/, the site was not built:"
        )
        return "\n".join([head, *(str(e) for e in self.errors)])


def _sort_key(e: ContentError) -> tuple:
    return (e.file, e.line or 0, e.column or 0, e.field, e.en)


class SetupError(Exception):
    """The machine lacks something the build needs (not a content problem); says what to install."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh}\n{en}")
