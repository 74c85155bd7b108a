"""The project's inputs are regular files inside the project: checked before anything is read.

A symbolic link in `static/` to `/proc/self/environ` would publish the build's
environment, one in `content/` a file from anywhere on the machine, and a
FIFO or a device as a story would hang the build or fill its memory. So every
entry under content/, templates/ and static/ must be a regular file or a
folder; a symbolic link is allowed only to a regular file inside one of
those three folders (never to a folder, nor to anything else in the project
such as `.git/` or a `.env` file).

No content file may hold a private-use character either (`private_use`, run
as each file is read): one means nothing to readers, and the renderer uses
two of them internally.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import ContentError
from .messages import msg

# Private-use characters (U+E000–U+F8FF and planes 15 and 16) mean nothing agreed, and the story
# renderer uses two of them as placeholders (prose.to_html): content may not hold them.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
# In UTF-8 they start with the byte EE (U+E000–U+EFFF), EF 80–A3 (to U+F8FF), F3 or F4.
_EF_PRIVATE = re.compile(rb"\xef[\x80-\xa3]")


def problems(root: Path, folders: tuple[Path, ...]) -> list[ContentError]:
    """A located error for every entry under `folders` that is not a regular file or folder."""
    inside = tuple(f.resolve() for f in folders if f.is_dir())
    errors: list[ContentError] = []
    for folder in folders:
        if folder.is_symlink():
            errors.append(_error(root, folder, "input_link_folder"))
            continue
        for top, dirs, files in os.walk(folder):
            for name in sorted(dirs + files):
                path = Path(top, name)
                code = _problem(path, inside)
                if code:
                    errors.append(_error(root, path, code))
                    if name in dirs:
                        dirs.remove(name)  # a refused folder link: not walked
    return errors


def _problem(path: Path, inside: tuple[Path, ...]) -> str | None:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "input_unreadable"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if not stat.S_ISLNK(mode):
        return "input_special"  # a FIFO, a socket or a device
    try:
        target_mode = path.stat().st_mode
    except OSError as exc:
        return "input_link_loop" if exc.errno == errno.ELOOP else "input_link_broken"
    target = Path(os.path.realpath(path))
    if stat.S_ISDIR(target_mode):
        return "input_link_folder"
    if not stat.S_ISREG(target_mode) or not any(target.is_relative_to(f) for f in inside):
        return "input_link_outside"
    return None


def _error(root: Path, path: Path, code: str) -> ContentError:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = str(path)
    return ContentError(rel, None, None, "", *msg(code))


def private_use(raw: bytes, text: str, rel: str) -> list[ContentError]:
    """A located error for each line of a content file's text that holds a private-use character.

    Found where it stands (a value, a key, a comment or a story), once per line, as the file is
    read (yamlio.read_text): a file loaded from the cache, or kept by the preview, was clean.
    """
    if not (b"\xee" in raw or b"\xf3" in raw or b"\xf4" in raw or _EF_PRIVATE.search(raw)):
        return []  # almost every file: a look for four byte patterns, not a scan of the text
    errors = []
    for n, line in enumerate(text.split("\n"), start=1):  # lines as YAML counts them
        m = PRIVATE_USE.search(line)
        if m:
            code = f"U+{ord(m.group(0)):04X}"
            errors.append(
                ContentError(rel, n, m.start() + 1, "", *msg("private_use_char", code=code))
            )
    return errors
