"""One error type for every content problem, so editors get one kind of message.

Every problem carries the file, line, column, field path and a bilingual
message that says what is wrong and what to do. Stages collect them and the
command line prints them all at once.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError


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


class Failure(Exception):
    """Not a content problem: what failed and what to do, in both languages.

    The command line prints it as two lines, without a traceback, and exits
    with `status`.
    """

    status = 1

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh}\n{en}")


class SetupError(Failure):
    """The machine lacks what the build needs, or an operation on it failed; says what to do."""


class UsageError(Failure):
    """The command was asked to do what it refuses to (a dangerous output folder, a bad option)."""

    status = 2


def explain_failure(exc: BaseException) -> tuple[int, str]:
    """The exit status and the message for anything that stopped a command, without a traceback.

    Content errors are listed with their locations; a Failure says itself
    what to do; an operating-system error (a full disk, a permission, a
    read-only folder) is named with its file; anything else is a bug, and
    the message says how to see where it happened.
    """
    from .messages import msg

    if isinstance(exc, ContentErrors):
        return 1, exc.report()
    if isinstance(exc, Failure):
        return exc.status, f"{exc.zh}\n{exc.en}"
    if isinstance(exc, TemplateError):
        file, line = _template_place(exc)
        error = str(exc).rstrip(".")
        return 1, "\n".join(msg("template_error", file=file, line=line, error=error))
    if isinstance(exc, OSError):
        return 1, "\n".join(msg(_OS_ERRORS.get(exc.errno or 0, "os_error"), **_os_values(exc)))
    return 1, "\n".join(msg("internal_error", error=f"{type(exc).__name__}: {exc}"))


_OS_ERRORS = {errno.ENOSPC: "os_disk_full", errno.EACCES: "os_permission"}
_OS_ERRORS |= {errno.EPERM: "os_permission", errno.EROFS: "os_read_only"}


def _template_place(exc: BaseException) -> tuple[str, object]:
    """The template file and line where rendering failed (Jinja puts them in tracebacks)."""
    file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return (Path(file).name if file else "?"), line or "?"


def _os_values(exc: OSError) -> dict[str, str]:
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return {"file": " → ".join(names) or "?", "error": exc.strerror or str(exc)}
