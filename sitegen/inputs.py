"""The project's inputs are regular files inside the project: checked before anything is read.

A symbolic link in `static/` to `/proc/self/environ` would publish the build's
environment, one in `content/` a file from anywhere on the machine, and a
FIFO or a device as a story would hang the build or fill its memory. So every
entry under content/, templates/ and static/ must be a regular file or a
folder; a symbolic link is allowed only to a regular file inside one of
those three folders (never to a folder, nor to anything else in the project
such as `.git/` or a `.env` file).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import ContentError
from .messages import msg


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
