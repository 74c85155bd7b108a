#!/usr/bin/env python3
"""Page weight report: HTML + CSS + images of each page type, uncompressed, without scripts.

The budget for the home page is 150 KB; chart and search scripts are counted
separately because they load only on demand. Usage: python scripts/budget.py [site]
(add --json for machine-readable output). Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

BUDGETS = {"index.html": 150_000, "en/index.html": 150_000}
PAGES = [
    "index.html",
    "en/index.html",
    "provinces/henan/index.html",
    "provinces/anhui/index.html",
    "centres/bch-baoding/index.html",
    "stories/wang-mingxiu-chordoma/index.html",
    "timeline/index.html",
    "charts/province-map/index.html",
    "data/index.html",
]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.images: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.styles.append(a["href"])  # type: ignore[arg-type]
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])  # type: ignore[arg-type]
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])  # type: ignore[arg-type]
            if a.get("data-bundle"):
                self.scripts.append(a["data-bundle"])  # type: ignore[arg-type]


def weigh(site: Path, page: str) -> dict[str, int]:
    html = (site / page).read_bytes()
    assets = _Assets()
    assets.feed(html.decode("utf-8"))

    def size(urls: list[str]) -> int:
        return sum((site / u.lstrip("/")).stat().st_size for u in urls if not u.startswith("data:"))

    css, images, scripts = size(assets.styles), size(assets.images), size(assets.scripts)
    return {
        "html": len(html),
        "css": css,
        "images": images,
        "total": len(html) + css + images,
        "total_gzip": len(gzip.compress(html, 9)),
        "scripts_on_demand": scripts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "site", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "site"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = {p: weigh(args.site, p) for p in PAGES}
    over = [p for p, limit in BUDGETS.items() if report[p]["total"] > limit]
    if args.json:
        print(json.dumps({"pages": report, "over_budget": over}, indent=1))
    else:
        print(
            f"{'page':45} {'html':>8} {'css':>7} {'img':>5} {'total':>8} {'html.gz':>8} "
            f"{'js on demand':>13}"
        )
        for p, r in report.items():
            print(
                f"{p:45} {r['html']:8,} {r['css']:7,} {r['images']:5,} {r['total']:8,} "
                f"{r['total_gzip']:8,} {r['scripts_on_demand']:13,}"
            )
        for p in over:
            print(
                f"OVER BUDGET: {p} {report[p]['total']:,} > {BUDGETS[p]:,} bytes", file=sys.stderr
            )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
