"""JSON Schemas for the content files, generated from the typed model.

Editors' editors (VS Code with the YAML extension, JetBrains) read the
`# yaml-language-server: $schema=…` line at the top of each file and offer
completion and inline errors from these schemas. Generated, never hand-edited.
"""

from __future__ import annotations

import json
from pathlib import Path

from .load import FILES

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
    """Write every schema and make sure each YAML file starts with its schema line."""
    written = []
    for rel, text in schemas().items():
        path = content_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    for name in FILES:
        path = content_dir / name
        if path.is_file():
            text = path.read_text("utf-8")
            if not text.startswith(header(name)):
                path.write_text(f"{header(name)}\n{text}", "utf-8")
    return written
