"""Quality bars measured on the built site: valid HTML (W3C Nu checker) and page weight."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NODE_MODULES, ROOT

VNU = NODE_MODULES / "vnu-jar/build/dist/vnu.jar"


def test_every_page_is_valid_html(site: Path) -> None:
    if not VNU.exists() or not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("vnu.jar or java missing in CI (see .ci/run)")
        pytest.skip("the Nu HTML checker needs `npm ci` and a JRE")
    pages = sorted(str(p) for p in site.rglob("*.html") if "pagefind" not in p.parts)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[:5000]
    assert len(pages) > 100


def test_the_checker_would_catch_an_error(tmp_path: Path) -> None:
    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("the Nu HTML checker needs `npm ci` and a JRE")
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html lang=en><head><title>x</title></head>"
        "<body><p><div></p></body></html>",
        "utf-8",
    )
    assert (
        subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", str(bad)], capture_output=True, timeout=120
        ).returncode
        != 0
    )


def test_home_page_weight_is_within_budget(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/budget.py"), str(site), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["over_budget"] == [], report
    for home in ("index.html", "en/index.html"):
        assert report["pages"][home]["total"] <= 150_000
        assert (
            report["pages"][home]["scripts_on_demand"] > 0
        )  # the chart bundle exists but is not in the budget
    pages = report["pages"]
    assert pages["provinces/anhui/index.html"]["scripts_on_demand"] == 0  # no chart, no script
    assert pages["provinces/henan/index.html"]["scripts_on_demand"] > 0  # its own chart
