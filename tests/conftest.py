"""Shared fixtures: the real site built once per session, and scratch copies of the project."""

from __future__ import annotations

import functools
import importlib.util
import locale
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def run_build(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line exactly as an editor would (`env`: variables added to ours)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env} if env else None,
    )


# A locale unlike CI's C.UTF-8: another language, and one whose fonts' language forms differ.
OTHER_LOCALE = "zh_CN.UTF-8"


def has_locale(name: str) -> bool:
    """Whether locale `name` is installed (a missing one silently runs as C)."""
    before = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, name)
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    return True


def need_locale(name: str) -> None:
    """A build under a missing locale runs as C and proves nothing: skip, or fail in CI.

    scripts/setup.sh test makes the locale.
    """
    if has_locale(name):
        return
    if os.environ.get("CI"):
        pytest.fail(f"locale {name} missing in CI (scripts/setup.sh test makes it)")
    pytest.skip(
        f"locale {name} not installed (scripts/setup.sh test makes it; or as root: "
        f"localedef -i {name.split('.')[0]} -f UTF-8 {name})"
    )


def _load_cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# build.py as a module, for tests that run `main` in this process with a failing piece replaced.
build_cli = _load_cli()


def start_preview(root: Path, stderr: int = subprocess.STDOUT) -> tuple[subprocess.Popen[str], int]:
    """`build.py serve` on `root`, once it says where it serves: the process and its port."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    line = ""
    while "http://127.0.0.1:" not in line:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line, "the preview exited early"
    return proc, int(line.split("http://127.0.0.1:")[1].split("/")[0])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_build(ROOT, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "warning" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="session")
def pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every built HTML page, parsed, by path relative to the site root."""
    return {
        p.relative_to(site).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
        for p in sorted(site.rglob("*.html"))
    }


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A copy of the project's inputs that a test may break."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"


def need_browser_tools() -> None:
    """Browser tests need Debian's Chromium and the npm checkers.

    CI must have them; on a laptop the tests may be skipped.
    """
    missing = [str(p) for p in (CHROMIUM, NODE_MODULES / "axe-core/axe.min.js") if not p.exists()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing in CI: {missing} (see .ci/run)")
        pytest.skip(f"browser tools not installed: {missing} (apt-get install chromium; npm ci)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1, as a static host would."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    need_browser_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--refresh-golden",
        action="store_true",
        help="rewrite tests/golden/ from the pages built now (look at the diff before committing)",
    )
