"""The live preview as editors use it: serve, break a file, see the overlay, fix it, see it go."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_serve_rebuilds_shows_errors_over_the_last_good_site_and_stops_on_ctrl_c(
    scratch: Path,
) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(scratch), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = ""
        while "http://127.0.0.1:" not in line:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "server exited early"
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)  # type: ignore[union-attr]
        home = _get(base)
        assert "__reload" in home and "build-error" not in home
        version = re.search(r"var v=(\d+)", home).group(1)  # type: ignore[union-attr]

        facts = scratch / "content/facts.yaml"
        good = facts.read_text("utf-8")
        facts.write_text(good.replace("    value: 2884\n", "    value: -2884\n", 1), "utf-8")
        assert _get(f"{base}__reload?v={version}") != version  # the open tab is told to reload
        _wait_for(lambda: "build-error" in _get(base))
        page = _get(base)
        assert "The value cannot be negative" in page and "content/facts.yaml:" in page
        assert "区域医疗中心观察" in page  # the last good site is still served under the overlay

        facts.write_text(good, "utf-8")
        _wait_for(lambda: "build-error" not in _get(base))
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)  # seen taking over 20 s once on a loaded machine
    assert proc.returncode == 0
    assert "Traceback" not in out and "Stopped" in out
