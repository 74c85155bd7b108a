#!/usr/bin/env python3
"""The floor for a Python generator: a bare PyYAML + Markdown + Jinja loop in two processes.

bench/run.py times this over the same Markdown pages it gives Pelican and
Hugo, as the reference the performance issue names ("about 430 pages/s" for
2,000 pages on a 2-core machine), so each run shows how fast this machine
runs Python against the Go binary. Usage: python bench/bare.py SOURCE OUT
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path

import markdown
import yaml
from jinja2 import Template

PAGE = Template(
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1>{{ body }}</body></html>"
)


def _build(job: tuple[Path, Path]) -> None:
    source, out = job
    _, front, body = source.read_text("utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    target = out / source.stem / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(PAGE.render(title=meta["title"], body=markdown.markdown(body)), "utf-8")


def main(source: Path, out: Path) -> None:
    with Pool(2) as pool:
        pool.map(_build, [(path, out) for path in sorted(source.glob("*.md"))], chunksize=64)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
