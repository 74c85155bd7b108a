"""The command line as editors and CI use it: deterministic output, located errors, exit codes."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_build


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_building_twice_gives_identical_files(site: Path, tmp_path: Path) -> None:
    """Also in another locale, when installed (test_publishing insists on it).

    Under a strict umask the site is readable by a web server (files 0644, folders 0755).
    """
    from conftest import OTHER_LOCALE, ROOT, has_locale

    again = tmp_path / "again"
    env = {"LC_ALL": OTHER_LOCALE} if has_locale(OTHER_LOCALE) else {}
    umask = os.umask(0o077)
    try:
        result = run_build(ROOT, "--out", str(again), env=env)
    finally:
        os.umask(umask)
    assert result.returncode == 0, result.stderr
    assert _digest(again) == _digest(site)
    modes = (
        {oct(p.stat().st_mode & 0o777) for p in (again, *again.rglob("*")) if p.is_dir()},
        {oct(p.stat().st_mode & 0o777) for p in again.rglob("*") if p.is_file()},
    )
    assert modes == ({"0o755"}, {"0o644"})


def test_the_render_cache_never_changes_the_output(site: Path, tmp_path: Path) -> None:
    from conftest import ROOT

    fresh = tmp_path / "fresh"
    result = run_build(ROOT, "--no-cache", "--out", str(fresh))
    assert result.returncode == 0, result.stderr
    assert _digest(fresh) == _digest(site)


def test_a_damaged_cache_is_rebuilt_not_reported(scratch: Path) -> None:
    """Cached Python objects that no longer unpickle (content, chart views) are made again."""
    first, second = scratch / "first", scratch / "second"
    assert run_build(scratch, "--out", str(first)).returncode == 0
    damaged = [
        p for kind in ("content", "view") for p in (scratch / ".cache/render" / kind).glob("*.bin")
    ]
    assert len(damaged) > 2
    for path in damaged:
        path.write_bytes(b"not a pickle")
    result = run_build(scratch, "--out", str(second))
    assert result.returncode == 0, result.stderr
    assert _digest(second) == _digest(first)
    assert all(path.read_bytes() != b"not a pickle" for path in damaged)


def test_a_cached_object_of_the_wrong_type_is_made_again(scratch: Path) -> None:
    """An entry that verifies but holds something else (a hand edit, a stray tool) is a miss.

    Entries are the SHA-256 of their bytes, then the bytes (sitegen/cache.py).
    """
    first, second = scratch / "first", scratch / "second"
    assert run_build(scratch, "--out", str(first)).returncode == 0
    wrong = pickle.dumps({"not": "content"})
    replaced = [
        p for kind in ("content", "view") for p in (scratch / ".cache/render" / kind).glob("*.bin")
    ]
    assert len(replaced) > 2
    for path in replaced:
        path.write_bytes(hashlib.sha256(wrong).digest() + wrong)
    check = run_build(scratch, "check")
    assert check.returncode == 0 and "Content OK" in check.stdout, check.stderr
    result = run_build(scratch, "--out", str(second))
    assert result.returncode == 0, result.stderr
    assert _digest(second) == _digest(first)


_WITH_FONTS_IN = """
import sys
sys.path.insert(0, {root!r})
from sitegen import fonts
fonts._DIRS = ({fonts!r},)
import build
sys.exit(build.main({argv!r}))
"""


def test_installing_a_font_draws_the_charts_and_cards_again(scratch: Path) -> None:
    """Chart text is drawn with whichever installed font has the glyphs, cards with the CJK one.

    So a chart or card cached before a font was installed, removed or updated may show the old
    font. The font folders are pointed at one in the project, holding links to the real fonts.
    """
    from conftest import ROOT

    from sitegen import fonts

    folder = scratch / "fonts"
    folder.mkdir()
    for bold in (False, True):
        real = Path(fonts.cjk_font(bold).path)
        (folder / real.name).symlink_to(real)

    def build(out: str) -> None:
        argv = ["--root", str(scratch), "--out", str(scratch / out)]
        script = _WITH_FONTS_IN.format(root=str(ROOT), fonts=str(folder), argv=argv)
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr

    def entries() -> dict[str, int]:
        kinds = (scratch / ".cache/render").iterdir()
        return {kind.name: len(list(kind.glob("*.bin"))) for kind in kinds}

    build("first")
    before = entries()
    (folder / "Installed.otf").symlink_to(Path(fonts.cjk_font(False).path))
    build("second")
    after = entries()
    assert after == {
        kind: n if kind == "content" else 2 * n for kind, n in before.items()
    }  # every chart SVG, card PNG and view drawn again; the content is not drawn
    assert _digest(scratch / "second") == _digest(scratch / "first")


def test_the_cache_is_trimmed_to_its_limit_least_recently_used_first(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every edit adds cache entries; after a build the oldest unused ones go.

    They go once the folder passes its limit, and only then.
    """
    from sitegen import cache
    from sitegen.pipeline import Project, build

    first, second = scratch / "first", scratch / "second"
    assert run_build(scratch, "--out", str(first)).returncode == 0
    folder = scratch / ".cache/render"
    entries = [p for p in folder.rglob("*.bin")]
    for path in entries:
        os.utime(
            path, (1_600_000_000, 1_600_000_000)
        )  # 2020: all older than the junk below, unless the build uses them
    junk = folder / "svg" / "junk.bin"
    junk.write_bytes(b"x" * 3_000_000)
    os.utime(junk, (1_650_000_000, 1_650_000_000))  # 2022
    size = sum(p.stat().st_size for p in entries)
    monkeypatch.setattr(cache, "LIMIT", size + 1_000_000)
    build(Project.at(scratch), second, keep=False)
    assert not junk.exists()
    used = [
        p for p in entries if p.parent.name in ("content", "view", "card", "png")
    ]  # what a warm build reads (the views hold their SVGs)
    assert used and all(p.exists() for p in used)
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) <= size + 1_000_000
    assert _digest(second) == _digest(first)


def test_pages_rendered_half_in_a_forked_process_are_the_same(scratch: Path) -> None:
    """At newsroom scale a forked copy renders every other page.

    The threshold is lowered here so that the real site is shared out.
    """
    from conftest import ROOT

    first, second, marker = scratch / "first", scratch / "second", scratch / "forked"
    assert (
        run_build(scratch, "--out", str(first)).returncode == 0
    )  # fills the cache: the next build starts no render workers
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
import build
from sitegen import render
render.SHARE_FROM = 2
original = render._render_into
def marked(*args):
    Path({str(marker)!r}).write_text("yes")
    original(*args)
render._render_into = marked
sys.exit(build.main(["--root", {str(scratch)!r}, "--out", {str(second)!r}]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert marker.exists()
    assert _digest(second) == _digest(first)


def test_ctrl_c_during_a_build_leaves_the_previous_site_and_no_traceback(scratch: Path) -> None:
    from conftest import ROOT

    out = scratch / "site"
    assert run_build(scratch, "--out", str(out)).returncode == 0
    before = _digest(out)
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--root",
            str(scratch),
            "--out",
            str(out),
            "--no-cache",
        ],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(
            signal.SIGINT, signal.SIG_DFL
        ),  # as from a terminal, even if the tests run under nohup
    )
    time.sleep(1.2)  # a cold build takes ~2.5 s: stop it while charts and cards render
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted; the site is unchanged" in err and "Traceback" not in err, err
    assert _digest(out) == before
    assert [p.name for p in scratch.iterdir() if p.name.startswith(".site-new-")] == []


def test_unknown_fact_id_in_a_story_fails_with_file_and_line(scratch: Path) -> None:
    story = sorted((scratch / "content/stories").glob("*.zh.md"))[0]
    lines = story.read_text("utf-8").splitlines()
    lines.append("")
    lines.append("新增一句：{{fact:no-such-fact}}。")
    story.write_text("\n".join(lines) + "\n", "utf-8")
    out = scratch / "site"
    result = run_build(scratch, "--out", str(out))
    assert result.returncode == 1
    assert f"content/stories/{story.name}:{len(lines)}:" in result.stderr
    assert "no-such-fact" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_failed_build_leaves_the_previous_site_untouched(scratch: Path) -> None:
    out = scratch / "site"
    assert run_build(scratch, "--out", str(out)).returncode == 0
    before = _digest(out)
    facts = scratch / "content/facts.yaml"
    facts.write_text(
        facts.read_text("utf-8").replace(
            "source: henan-daily-2023-05-24", "source: henan-daily-2099", 1
        ),
        "utf-8",
    )
    result = run_build(scratch, "--out", str(out))
    assert result.returncode == 1
    assert "henan-daily-2099" in result.stderr and "content/facts.yaml:" in result.stderr
    assert _digest(out) == before


def test_check_validates_without_writing(scratch: Path) -> None:
    result = run_build(scratch, "check")
    assert result.returncode == 0, result.stderr
    assert not (scratch / "site").exists()


def test_help_explains_the_commands() -> None:
    from conftest import ROOT

    result = run_build(ROOT, "--help")
    assert result.returncode == 0
    assert "check" in result.stdout and "content/" in result.stdout


def test_preview_rebuilds_only_what_an_edit_changes_and_ends_identical_to_a_full_build(
    scratch: Path, tmp_path: Path
) -> None:
    from sitegen.incremental import IncrementalBuilder
    from sitegen.pipeline import Project

    out = scratch / "site"
    builder = IncrementalBuilder(Project.at(scratch), out)
    try:
        builder.rebuild()
        stories = scratch / "content/stories"
        story = stories / "huang-ningxia-surgery.en.md"
        story.write_text(story.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
        assert builder.rebuild() == 1  # only that story's page is rewritten

        story.write_text(
            story.read_text("utf-8").replace(
                "title: A national-level team", "title: A national team", 1
            ),
            "utf-8",
        )
        assert (
            1 < builder.rebuild() < 20
        )  # its page, the lists and feed that show its title, its social card

        facts = scratch / "content/facts.yaml"
        beds = facts.read_text("utf-8").replace("    value: 2884\n", "    value: 2885\n", 1)
        facts.write_text(beds, "utf-8")  # in the Henan panels chart
        builder.rebuild()
        # Henan's tally: named in the tile map (which draws every fact of its metric) and cited
        # in its summary.
        tally = re.subn(
            r"(- id: henan-national-centres\n(?:    .*\n)*?    value: )10\n",
            r"\g<1>11\n",
            facts.read_text("utf-8"),
            count=1,
        )
        assert tally[1] == 1
        facts.write_text(tally[0], "utf-8")
        builder.rebuild()
        for lang in ("zh", "en"):
            (stories / f"zhao-zhengzhou-hip.{lang}.md").unlink()
        builder.rebuild()
        template = scratch / "templates/story.html"
        template.write_text(
            template.read_text("utf-8").replace("</article>", "<!-- edited --></article>", 1),
            "utf-8",
        )
        builder.rebuild()
        builder.wait()
    finally:
        builder.close()
    assert "<!-- edited -->" in (out / "en/stories/huang-ningxia-surgery/index.html").read_text(
        "utf-8"
    )
    assert not (out / "stories/zhao-zhengzhou-hip").exists()

    full = tmp_path / "full"
    result = run_build(
        scratch, "--out", str(full), "--no-cache"
    )  # not from the cache the preview filled: a stale chart would match itself
    assert result.returncode == 0, result.stderr
    assert _digest(out) == _digest(full)
    tile_map = (
        (out / "charts/province-map/index.html")
        .read_text("utf-8")
        .split('class="chart-frame"')[1]
        .split("</div>")[0]
    )
    assert "来源报道11个" in tile_map and "来源报道10个" not in tile_map  # the edited tally


def test_the_vega_embed_bundle_in_static_is_the_one_vl_convert_ships() -> None:
    import vl_convert
    from conftest import ROOT

    kept = (ROOT / "static/vega-embed.js").read_text("utf-8")
    assert kept == vl_convert.javascript_bundle(), (
        "static/vega-embed.js is stale: run python scripts/update_vega_embed.py and commit it"
    )


def test_a_machine_without_a_chinese_font_is_told_what_to_install(
    scratch: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Cards and charts would show boxes instead of Chinese.

    The build stops before writing anything and says what to install.
    """
    from conftest import ROOT

    from sitegen import fonts

    monkeypatch.syspath_prepend(str(ROOT))
    import build

    monkeypatch.setattr(fonts, "_DIRS", (str(tmp_path / "no-fonts-here"),))
    fonts._find_fonts.cache_clear()
    try:
        code = build.main(["--root", str(scratch), "--out", str(scratch / "site"), "--no-cache"])
    finally:
        fonts._find_fonts.cache_clear()
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "apt-get install fonts-noto-cjk" in err
        and "找不到中文字体" in err
        and "Traceback" not in err
    )
    assert not (scratch / "site").exists()
