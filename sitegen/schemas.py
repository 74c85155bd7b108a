"""JSON Schemas for the content files, generated from the typed model.

Editors' editors (VS Code with the YAML extension, JetBrains) read the
`# yaml-language-server: $schema=…` line at the top of each file and offer
completion and inline errors from these schemas. Generated, never hand-edited.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import UsageError
from .load import FILES
from .messages import msg

SCHEMA_DIR = "schemas"


def schema_path(name: str) -> str:
    """Where a content file's schema lives, relative to content/."""
    return f"{SCHEMA_DIR}/{name.removesuffix('.yaml')}.schema.json"


def schemas() -> dict[str, str]:
    """Relative path under content/ → schema text, for every content file."""
    out = {}
    for name, model in FILES.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"content/{name}"
        out[schema_path(name)] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return out


def header(name: str) -> str:
    return f"# yaml-language-server: $schema={schema_path(name)}"


def write_schemas(content_dir: Path) -> list[Path]:
    """Write every schema and make sure each YAML file starts with its schema line.

    Each file is replaced whole (written beside it, then renamed), and a path
    that is or passes through a symbolic link is refused, so nothing outside
    content/ is ever written.
    """
    written = []
    for rel, text in schemas().items():
        _write(content_dir, rel, text)
        written.append(content_dir / rel)
    for name in FILES:
        path = content_dir / name
        if path.is_file():
            text = path.read_text("utf-8")
            if not text.startswith(header(name)):
                _write(content_dir, name, f"{header(name)}\n{text}")
    return written


def _write(content_dir: Path, rel: str, text: str) -> None:
    path = content_dir / rel
    parents = reversed(path.relative_to(content_dir).parents[:-1])
    for link in (content_dir, *(content_dir / p for p in parents), path):
        if link.is_symlink():
            shown = f"content/{link.relative_to(content_dir).as_posix()}"
            raise UsageError(*msg("schemas_link", path=shown))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
