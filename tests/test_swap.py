"""The output folder is swapped whole, one build at a time, and builds tidy up after killed ones.

Each test runs the real command line on a scratch project, puts the folder beside `site/` in a
state an interrupted or concurrent build leaves (a kill between two renames, half-written
folders, a read-only old site, a build that is still running) and checks what an editor then
sees: `site/` is always a whole site, the next build recovers, and nothing of ours is left over.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, build_cli, run_build, start_preview

from sitegen import outdir, search


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = build_cli.main(list(argv))
    return status, capsys.readouterr().err


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def _beside(out: Path) -> list[str]:
    """What lies next to the output folder whose name begins like a build's own folders."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once, so that each test starts with a filled render cache."""
    root = tmp_path_factory.mktemp("warm")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    result = run_build(root, "--out", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture()
def proj(tmp_path: Path, warm: Path) -> Path:
    """A scratch project with a built `site/` and a warm cache."""
    for name in ("content", "templates", "static", ".cache", "site"):
        shutil.copytree(warm / name, tmp_path / name)
    return tmp_path


def _break(proj: Path) -> None:
    facts = proj / "content/facts.yaml"
    facts.write_text(facts.read_text("utf-8").replace("value: 2884\n", "value: -2884\n", 1))


def _edit(proj: Path, line: str) -> None:
    """Add `line` to the about page (a template: no chart or card is drawn again)."""
    about = proj / "templates/about.html"
    about.write_text(about.read_text("utf-8").replace("</h1>", f"</h1><p>{line}</p>", 1))


def _about(out: Path) -> str:
    return (out / "en/about/index.html").read_text("utf-8")


def test_a_site_moved_aside_by_a_killed_build_is_back_even_if_the_next_build_fails(
    proj: Path,
) -> None:
    out = proj / "site"
    before = _tree(out)
    out.rename(proj / ".site-old-k1ll3d")  # the old swap, killed between its two renames
    _break(proj)
    result = run_build(proj, "--out", str(out))
    assert result.returncode == 1 and "The value cannot be negative" in result.stderr
    assert _tree(out) == before
    assert _beside(out) == []


def test_a_build_killed_while_writing_leaves_the_site_and_the_next_build_clears_up(
    proj: Path,
) -> None:
    out = proj / "site"
    before = _tree(out)
    _edit(proj, "Never published")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(proj), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    end = time.monotonic() + 120
    while not any(p.name.startswith(".site-new-") for p in proj.iterdir()):
        assert proc.poll() is None and time.monotonic() < end, "the build never began writing"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the machine's power, or the OOM killer
    proc.wait()
    assert _tree(out) == before
    assert _beside(out) != []  # its half-written folder, and its lock file
    _edit(proj, "Published")
    result = run_build(proj, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Published" in _about(out)
    assert _beside(out) == []


def test_leftovers_of_interrupted_builds_go_and_only_they(proj: Path, tmp_path: Path) -> None:
    out = proj / "site"
    before = _tree(out)
    half = proj / ".site-new-h4lf"  # killed while writing: the marker is written first
    shutil.copytree(out, half)
    for page in sorted(half.rglob("index.html"))[::2]:
        page.unlink()
    (proj / ".site-new-3mpty").mkdir()  # killed before the marker was written
    shutil.copytree(out, proj / ".site-old-r3m0v")  # killed while the old site was removed
    shutil.rmtree(proj / ".site-old-r3m0v/en")
    notes = proj / ".site-new-notes"  # not ours: no marker
    notes.mkdir()
    (notes / "draft.txt").write_text("mine\n")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out, elsewhere)
    (proj / ".site-new-link").symlink_to(elsewhere)  # a link is never followed
    (proj / ".site-old-file").write_text("a file, not a folder\n")

    result = run_build(proj, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert _tree(out) == before
    assert _beside(out) == [".site-new-link", ".site-new-notes", ".site-old-file"]
    assert (notes / "draft.txt").read_text() == "mine\n"
    assert _tree(elsewhere) == before


def _as_a_user() -> list[str]:
    """A command prefix under which file permissions count, also when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): permissions never count")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def _build_as_a_user(proj: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_as_a_user(), sys.executable, str(ROOT / "build.py"), "--root", str(proj), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(path.stat().st_mode & ~0o222)
    folder.chmod(0o555)


def test_a_read_only_old_site_is_replaced_and_removed(proj: Path) -> None:
    out = proj / "site"
    shutil.copytree(out, proj / ".site-new-r0")
    _read_only(proj / ".site-new-r0")  # a read-only leftover too
    _read_only(out)  # chmod -R a-w site
    _edit(proj, "Tracker Two")
    result = _build_as_a_user(proj, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Tracker Two" in _about(out)
    assert _beside(out) == []
    again = _build_as_a_user(proj, "--out", str(out))
    assert again.returncode == 0, again.stderr


def test_an_old_site_that_cannot_be_removed_is_named_and_the_build_succeeds(proj: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give part of the old site to another user")
    out = proj / "site"
    os.chown(out / "en", 65534, 65534)  # another user's folder, read-only: it cannot be emptied
    (out / "en").chmod(0o555)
    _edit(proj, "Tracker Three")
    result = _build_as_a_user(proj, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Tracker Three" in _about(out)
    assert "Traceback" not in result.stderr
    assert "无法删除" in result.stderr and "Could not remove the old copy" in result.stderr
    [left] = _beside(out)
    assert left in result.stderr and "next build tries again" in result.stderr
    os.chown(proj / left / "en", 0, 0)
    result = _build_as_a_user(proj, "--out", str(out))
    assert result.returncode == 0 and "Could not remove" not in result.stderr, result.stderr
    assert _beside(out) == []


@pytest.fixture()
def slow_indexer(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """An environment whose Pagefind starts 6 s late, and the file it touches when it starts."""
    shim = tmp_path / "shim"
    (shim / "pagefind_bin_extended").mkdir(parents=True)
    started = tmp_path / "indexing"
    script = shim / "slow-pagefind"
    script.write_text(
        f"#!/bin/sh\ntouch {shlex.quote(str(started))}\nsleep 6\n"
        f'exec {shlex.join(search._command())} "$@"\n'
    )
    script.chmod(0o755)
    (shim / "pagefind_bin_extended/__init__.py").write_text(
        f"def get_executable():\n    return {str(script)!r}\n"
    )
    yield {**os.environ, "PYTHONPATH": str(shim)}, started


def _popen(proj: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(proj), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    end = time.monotonic() + 120
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "the first build never started indexing"
        time.sleep(0.05)


def test_a_second_build_waits_for_the_first_and_its_content_wins(
    proj: Path, slow_indexer: tuple[dict[str, str], Path]
) -> None:
    out = proj / "site"
    env, started = slow_indexer
    first = _popen(proj, "--out", str(out), env=env)
    _wait_for(started, first)  # the first build has read its content and is indexing
    _edit(proj, "Second edition")  # templates are read before the pages are written
    second = _popen(proj, "--out", str(out))
    _, err1 = first.communicate(timeout=300)
    _, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "Traceback" not in err2
    assert "正在写入" in err2 and "Another build or preview" in err2 and str(out) in err2
    assert f"process {first.pid}" in err2
    assert "Second edition" in _about(out)
    assert _beside(out) == []


def test_builds_started_at_once_take_turns(proj: Path) -> None:
    out = proj / "site"
    procs = [_popen(proj, "--out", str(out)) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert _beside(out) == []
    assert (out / ".rmc-site").is_file() and (out / "en/index.html").is_file()


def test_a_build_gives_up_with_a_message_while_the_preview_holds_the_site(
    proj: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = proj / "site"
    preview, _ = start_preview(proj)
    try:
        before = _tree(out)
        monkeypatch.setattr(outdir, "LOCK_WAIT", 1.0)
        status, err = _main(capsys, "--root", str(proj), "--out", str(out))
        assert status == 1, err
        assert "Traceback" not in err and str(out) in err and f"process {preview.pid}" in err
        assert "仍被" in err and "is still being written by another build or preview" in err
        assert _tree(out) == before
    finally:
        preview.send_signal(signal.SIGINT)
        preview.communicate(timeout=60)
    assert preview.returncode == 0
    assert _beside(out) == []
    status, err = _main(capsys, "--root", str(proj), "--out", str(out))
    assert status == 0, err


def test_without_an_atomic_exchange_the_swap_still_leaves_a_whole_site(
    proj: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where renameat2 is missing (not Linux, or a file system without RENAME_EXCHANGE)."""
    out = proj / "site"
    monkeypatch.setattr(outdir, "exchange", lambda new, old: False)
    _edit(proj, "Fallback")
    status, err = _main(capsys, "--root", str(proj), "--out", str(out))
    assert status == 0, err
    assert "Fallback" in _about(out)
    assert _beside(out) == []
