#!/usr/bin/env python3
"""Command line: `python build.py` builds the site into site/; `python build.py check` only validates."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _base_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?/$", value):
        raise argparse.ArgumentTypeError(
            f"{value!r}: give a full address ending in /, e.g. https://example.org/sub/"
        )
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the Regional Medical Centres Tracker (区域医疗中心观察) from content/ into site/.",
        epilog="Content errors are listed all at once with file and line; the previous site/ is then left untouched.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["build", "check", "serve", "schemas"],
        default="build",
        help="build (default): validate and write the site; check: validate only, write nothing; serve: build, preview on 127.0.0.1 and rebuild on every save; schemas: regenerate content/schemas/",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project folder holding content/, templates/ and static/ (default: this folder)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write the site (default: ROOT/site)"
    )
    parser.add_argument(
        "--base-url",
        type=_base_url,
        default=None,
        help="publish address, overriding content/site.yaml, e.g. https://example.org/sub/ (ends with /)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render every chart and card afresh instead of using .cache/ (safe to delete)",
    )
    parser.add_argument(
        "--timings",
        action="store_true",
        help="print seconds per stage as JSON (used by bench/run.py)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="serve: port on 127.0.0.1 (default 8000)"
    )
    args = parser.parse_args(argv)
    # Imported here, not at the top: render workers start by importing this file, and need none of it.
    from sitegen.errors import ContentErrors, SetupError
    from sitegen.pipeline import Project, Timings, build, validate
    from sitegen.schemas import write_schemas
    from sitegen.serve import serve

    project = Project.at(args.root.resolve(), base_url=args.base_url, cache=not args.no_cache)
    started = time.perf_counter()
    try:
        if args.command == "schemas":
            for path in write_schemas(project.content):
                print(f"wrote {path.relative_to(project.root)}")
        elif args.command == "serve":
            return serve(project, args.out or project.root / "site", args.port)
        elif args.command == "check":
            validate(project)
            print(f"内容检查通过 / Content OK ({time.perf_counter() - started:.2f} s)")
        else:
            out = args.out or project.root / "site"
            timings = Timings()
            build(project, out, timings, keep=False)
            n = int(timings.pop("files"))
            if args.timings:
                print(json.dumps(timings), file=sys.stderr)
            print(
                f"已生成 {n} 个文件 / Built {n} files into {out} ({time.perf_counter() - started:.2f} s)"
            )
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (
        KeyboardInterrupt
    ):  # Ctrl-C: a build removes its half-written folder, so the previous site stays
        print(
            "已中断，网站未改变 / Interrupted; the site is unchanged"
            if args.command == "build"
            else "已中断 / Interrupted",
            file=sys.stderr,
        )
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
