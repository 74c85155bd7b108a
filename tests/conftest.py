"""Shared fixtures: the real site built once per session, and scratch copies of the project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line exactly as an editor would."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args], capture_output=True, text=True, timeout=300)


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
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser") for p in sorted(site.rglob("*.html"))}


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A copy of the project's inputs that a test may break."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
