#!/usr/bin/env python3
"""Command line: `python build.py` builds the site into site/; `check`, `serve`, `schemas`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
COMMANDS = {
    "build": "validate content/ and write the whole site (the default)",
    "check": "validate content/ only; write nothing",
    "serve": "build, preview on 127.0.0.1 and rebuild on every save",
    "schemas": "regenerate content/schemas/ (the editors' JSON Schemas)",
}


def _base_url(value: str) -> str:
    from sitegen.messages import msg
    from sitegen.urls import base_url

    try:
        return base_url(value)
    except ValueError as exc:
        zh, en = msg(str(exc))
        raise argparse.ArgumentTypeError(f"{value!r}\n  {zh}\n  {en}") from None


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(
            f"{value!r}: 端口应是 0–65535 之间的整数（0 = 任选空闲端口）"
            " / the port is a whole number from 0 to 65535 (0 = any free port)"
        )
    return int(value)


def parser() -> argparse.ArgumentParser:
    from sitegen import __version__

    # --root and --debug may stand before or after the command; the others belong to one command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=argparse.SUPPRESS,
        help="project folder holding content/, templates/ and static/ (default: this folder)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the Python traceback when something fails (for developers)",
    )
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Build the Regional Medical Centres Tracker (区域医疗中心观察) "
        "from content/ into site/.",
        epilog="Content errors are listed all at once with file and line; the previous site/ "
        "is then left untouched. `build.py COMMAND --help` lists a command's options.",
        parents=[common],
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub = {
        name: commands.add_parser(name, help=text, description=text, parents=[common])
        for name, text in COMMANDS.items()
    }
    for name in ("build", "serve"):
        sub[name].add_argument(
            "--out",
            type=Path,
            default=None,
            help="where to write the site (default: ROOT/site); only a new or empty folder, or "
            "a site this tool built, is replaced",
        )
        sub[name].add_argument(
            "--base-url",
            type=_base_url,
            default=None,
            help="publish address, overriding content/site.yaml, e.g. https://example.org/sub/",
        )
    for name in ("build", "check", "serve"):
        sub[name].add_argument(
            "--no-cache",
            action="store_true",
            help="render every chart and card afresh instead of using .cache/ (safe to delete)",
        )
    sub["build"].add_argument(
        "--timings",
        action="store_true",
        help="print seconds per stage as JSON on stderr (used by bench/run.py)",
    )
    sub["serve"].add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port on 127.0.0.1 (default 8000; 0 picks a free one)",
    )
    return main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS or a in ("-h", "--help", "--version") for a in argv):
        argv.insert(0, "build")  # `build.py --out x` means `build.py build --out x`
    args = parser().parse_args(argv)
    if args.command is None:
        args.command = "build"
    root = getattr(args, "root", ROOT)
    debug = getattr(args, "debug", False)
    # Imported here, not at the top: render workers start by importing this file and need none of
    # it.
    from sitegen.errors import explain_failure

    started = time.perf_counter()
    try:
        return _run(args, root.resolve(), started)
    except KeyboardInterrupt:  # Ctrl-C: a build removes its half-written folder, so the site stays
        print(
            "已中断，网站未改变 / Interrupted; the site is unchanged"
            if args.command == "build"
            else "已中断 / Interrupted",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:
        if debug:
            raise
        status, text = explain_failure(exc)
        print(text, file=sys.stderr)
        return status


def _run(args: argparse.Namespace, root: Path, started: float) -> int:
    from sitegen.errors import UsageError
    from sitegen.messages import msg
    from sitegen.pipeline import Project, Timings, build, validate
    from sitegen.schemas import write_schemas
    from sitegen.serve import serve

    if not (root / "content").is_dir():
        raise UsageError(*msg("no_project", root=root))
    project = Project.at(
        root, base_url=getattr(args, "base_url", None), cache=not getattr(args, "no_cache", False)
    )
    if args.command == "schemas":
        project.check_inputs()
        for path in write_schemas(project.content):
            print(f"wrote {path.relative_to(project.root)}")
    elif args.command == "serve":
        out = args.out or project.root / "site"
        return serve(project, out, args.port, getattr(args, "debug", False))
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
        elapsed = time.perf_counter() - started
        print(f"已生成 {n} 个文件 / Built {n} files into {out} ({elapsed:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
