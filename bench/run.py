#!/usr/bin/env python3
"""Build benchmark at several content scales: cold, warm, check and one-edit rebuilds.

Generates a synthetic but valid content tree at each scale from the real
content's shapes (centres, facts about them, events, stories in both
languages; charts grow with scale/10), builds it with the real command line
and reports pages, pages per second, peak memory and seconds per stage, as a
table and as JSON. Usage: python bench/run.py [--scales 1 10 100] [--runs 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.check import TALLY_METRICS  # noqa: E402
from sitegen.yamlio import parse  # noqa: E402


def _read(path: Path) -> dict:
    data, _, errors = parse(path.read_text("utf-8"), str(path))
    assert not errors, errors
    return data


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # content files refuse anchors and aliases
        return True


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")


def generate(k: int, dest: Path) -> None:
    """A valid content tree with k times the real centres, facts, events and stories."""
    shutil.copytree(ROOT / "content", dest / "content")
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, dest / name)
    c = dest / "content"
    centres, facts, events, charts = (_read(c / f) for f in ("centres.yaml", "facts.yaml", "events.yaml", "charts.yaml"))
    provinces = [p["id"] for p in _read(c / "provinces.yaml")["provinces"]]
    tallied = {f["subject"] for f in facts["facts"] if f["metric"] in TALLY_METRICS.values()}
    free = [p for p in provinces if p not in tallied]  # clones must not break "listed ≤ reported" rules
    base_centres = list(centres["centres"])
    centre_ids = {ce["id"] for ce in base_centres}
    stories = sorted((c / "stories").glob("*.md"))
    for i in range(1, k):
        moved = {}
        for j, ce in enumerate(base_centres):
            clone = {**ce, "id": f"{ce['id']}-x{i}", "province": free[(i * 7 + j) % len(free)], "name": {lang: f"{t} {i}" for lang, t in ce["name"].items()}}
            moved[ce["id"]] = clone
            centres["centres"].append(clone)
        for f in [f for f in facts["facts"] if f["subject"] in centre_ids]:
            facts["facts"].append({**f, "id": f"{f['id']}-x{i}", "subject": moved[f["subject"]]["id"]})
        for e in [e for e in events["events"] if not e["id"].endswith(tuple(f"-x{n}" for n in range(1, k)))]:
            clone = {**e, "id": f"{e['id']}-x{i}"}
            if e.get("centre"):
                clone["centre"] = moved[e["centre"]]["id"]
                clone["province"] = moved[e["centre"]]["province"]
            events["events"].append(clone)
        for path in stories:
            text = path.read_text("utf-8")
            centre = re.search(r"^centre: (\S+)$", text, re.M).group(1)
            text = re.sub(r"^centre: \S+$", f"centre: {moved[centre]['id']}", text, flags=re.M)
            text = re.sub(r"^province: \S+$", f"province: {moved[centre]['province']}", text, flags=re.M)
            sid, lang = path.name.split(".")[0], path.name.split(".")[1]
            (c / "stories" / f"{sid}-x{i}.{lang}.md").write_text(text, "utf-8")
        if i % 10 == 0:
            charts["charts"] += [{**ch, "id": f"{ch['id']}-x{i}"} for ch in charts["charts"][:7]]
    for name, data in (("centres.yaml", centres), ("facts.yaml", facts), ("events.yaml", events), ("charts.yaml", charts)):
        _write(c / name, data)


def _run(root: Path, *args: str) -> dict:
    cmd = ["/usr/bin/time", "-f", "MAXRSS %M", sys.executable, str(ROOT / "build.py"), "--root", str(root), *args]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    stages = next((json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")), {})
    rss = int(re.search(r"MAXRSS (\d+)", result.stderr).group(1)) / 1024
    return {"wall": wall, "peak_mb": rss, "stages": stages}


def bench(k: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(k, root)
        out = str(root / "site")
        cold = [_run(root, "--no-cache", "--timings", "--out", out) for _ in range(runs)]
        _run(root, "--out", out)  # fill the cache
        warm = [_run(root, "--timings", "--out", out) for _ in range(runs)]
        check = [_run(root, "check") for _ in range(runs)]
        story = sorted((root / "content/stories").glob("*.zh.md"))[0]
        edit_story = []
        for n in range(runs):
            story.write_text(story.read_text("utf-8") + f"\n补充一句{n}。\n", "utf-8")
            edit_story.append(_run(root, "--timings", "--out", out))
        facts = root / "content/facts.yaml"
        edit_fact = []
        for n in range(runs):
            facts.write_text(facts.read_text("utf-8").replace("value: 2884", f"value: {2884 + n + 1}", 1).replace(f"value: {2884 + n}\n", f"value: {2884 + n + 1}\n", 1), "utf-8")
            edit_fact.append(_run(root, "--timings", "--out", out))
        pages = int(warm[0]["stages"].get("pages", 0))
    med = lambda rs: statistics.median(r["wall"] for r in rs)  # noqa: E731
    stages = {s: round(statistics.median(r["stages"][s] for r in warm), 3) for s in warm[0]["stages"] if s != "pages"}
    cold_stages = {s: round(statistics.median(r["stages"][s] for r in cold), 3) for s in cold[0]["stages"] if s != "pages"}
    return {
        "scale": k, "pages": pages,
        "cold_s": round(med(cold), 2), "warm_s": round(med(warm), 2), "check_s": round(med(check), 2),
        "edit_story_s": round(med(edit_story), 2), "edit_fact_s": round(med(edit_fact), 2),
        "pages_per_s_warm": round(pages / med(warm), 1), "pages_per_s_cold": round(pages / med(cold), 1),
        "peak_mb": round(max(r["peak_mb"] for r in cold + warm), 1),
        "stages_warm": stages, "stages_cold": cold_stages,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = []
    print(f"{'scale':>5} {'pages':>6} {'cold s':>7} {'warm s':>7} {'check s':>8} {'story s':>8} {'fact s':>7} {'pages/s':>8} {'peak MB':>8}  warm stages (s)")
    for k in args.scales:
        r = bench(k, args.runs)
        results.append(r)
        stages = ", ".join(f"{s} {v}" for s, v in r["stages_warm"].items())
        print(f"{k:>4}× {r['pages']:>6} {r['cold_s']:>7} {r['warm_s']:>7} {r['check_s']:>8} {r['edit_story_s']:>8} {r['edit_fact_s']:>7} {r['pages_per_s_warm']:>8} {r['peak_mb']:>8}  {stages}", flush=True)
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
