#!/usr/bin/env python3
"""Lighthouse (npm, mobile emulation) on the home, a province and a story page of the built site.

Budgets: performance ≥ 95, accessibility, best practices and SEO 100. Serves
site/ on 127.0.0.1 itself and uses Debian's Chromium (CHROME_PATH). Usage:
python scripts/lighthouse.py [site]. Exits 1 when a page is under budget.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "",
    "provinces/henan/",
    "stories/wang-mingxiu-chordoma/",
    "en/",
    "en/provinces/henan/",
    "en/stories/wang-mingxiu-chordoma/",
]
BUDGET = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def run(url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            "npx",
            "--no-install",
            "lighthouse",
            url,
            "--quiet",
            f"--chrome-flags={FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--output=json",
            f"--output-path={report}",
        ]
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        data = json.loads(report.read_text("utf-8"))
    return {k: v["score"] for k, v in data["categories"].items()}


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    failed = 0
    try:
        print(f"{'page':40} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
        for page in PAGES:
            scores = run(f"http://127.0.0.1:{httpd.server_port}/{page}")
            low = [k for k, floor in BUDGET.items() if (scores.get(k) or 0) < floor]
            failed += bool(low)
            row = " ".join(f"{round((scores.get(k) or 0) * 100):>5}" for k in BUDGET)
            print(
                f"/{page:39} {row}{'  UNDER BUDGET: ' + ', '.join(low) if low else ''}", flush=True
            )
    finally:
        httpd.shutdown()
    print(f"lighthouse: {len(PAGES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
