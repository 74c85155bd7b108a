"""Failures that are not content errors: one bilingual message, a non-zero exit, never a traceback.

Some run the real command line; the ones that need a machine in a state a
test cannot make (a full disk, a broken search indexer) call `build.main`
in this process with the failing piece replaced.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, build_cli, run_build

from sitegen import search, write


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = build_cli.main(list(argv))
    return status, capsys.readouterr().err


def _one_message(err: str, *expected: str) -> None:
    assert "Traceback" not in err, err
    for text in expected:
        assert text in err, err


def test_failing_search_indexer_is_one_message_and_the_site_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    monkeypatch.setattr(
        search, "_command", lambda: [sys.executable, "-c", "import sys; sys.exit(3)"]
    )
    status, err = _main(capsys, "--out", str(out))
    assert status == 1
    _one_message(err, "Pagefind", "搜索索引", "exit status 3")
    assert not out.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(search, "_command", lambda: [str(tmp_path / "no-such-pagefind")])
    status, err = _main(capsys, "--out", str(out))
    assert status == 1
    _one_message(err, "Pagefind", "no-such-pagefind")


@pytest.mark.parametrize(
    "code, expected",
    [
        (errno.ENOSPC, ["The disk is full", "磁盘已满"]),
        (errno.EACCES, ["No permission", "没有权限"]),
        (errno.EROFS, ["read-only file system", "只读"]),
        (errno.EIO, ["A file operation failed", "文件操作失败"]),
    ],
)
def test_a_failing_disk_is_one_message_and_the_previous_site_stays(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    expected: list[str],
) -> None:
    out = tmp_path / "site"
    assert _main(capsys, "--out", str(out))[0] == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def fail(self: write.NewSite, files: dict[str, bytes]) -> None:
        raise OSError(code, "simulated", str(self.folder / "index.html"))

    monkeypatch.setattr(write.NewSite, "write", fail)
    status, err = _main(capsys, "--out", str(out))
    assert status == 1
    _one_message(err, *expected, "index.html")
    assert len(err.strip().splitlines()) == 2
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder left


def test_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(search, "_command", lambda: [str(tmp_path / "no-such-pagefind")])
    with pytest.raises(search.SearchIndexError):
        build_cli.main(["--out", str(tmp_path / "site"), "--debug"])


def test_a_template_error_names_the_template_and_line(scratch: Path) -> None:
    about = scratch / "templates/about.html"
    lines = about.read_text("utf-8").splitlines()
    lines.insert(4, "{{ no_such_value.title }}")
    about.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_build(scratch, "--out", str(scratch / "site"))
    assert result.returncode == 1
    _one_message(result.stderr, "templates/about.html", "line 5", "'no_such_value' is undefined")
    about.write_text(about.read_text("utf-8").replace("{% block", "{% blok", 1), "utf-8")
    result = run_build(scratch, "--out", str(scratch / "site"))
    assert result.returncode == 1
    _one_message(result.stderr, "templates/about.html", "unknown tag 'blok'")
    assert not (scratch / "site").exists()


def test_a_damaged_or_unwritable_cache_does_not_stop_the_build(scratch: Path) -> None:
    first = run_build(scratch, "--out", str(scratch / "a"))
    assert first.returncode == 0, first.stderr
    entries = sorted((scratch / ".cache/render").rglob("*.bin"))
    assert entries
    for entry in entries:  # a crash or a full disk mid-write: every entry damaged
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    again = run_build(scratch, "--out", str(scratch / "b"))
    assert again.returncode == 0, again.stderr
    built = lambda d: {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}  # noqa: E731
    assert built(scratch / "a") == built(scratch / "b")
    for path in sorted((scratch / ".cache/render").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (scratch / ".cache/render").rmdir()
    (scratch / ".cache/render").write_text("not a folder")  # a cache that cannot be written
    third = run_build(scratch, "--out", str(scratch / "c"))
    assert third.returncode == 0 and "Traceback" not in third.stderr
    assert "cannot write the cache" in third.stderr and third.stderr.count("cache") <= 3
    assert built(scratch / "a") == built(scratch / "c")


# What a cache folder that cannot be used does to the file calls under it (the rest are untouched):
# "no access" (another user's folder) refuses every call, "read-only" (a read-only file system)
# every change, and on a "full" disk files and folders are made but no byte gets into a file.
_FAULTY_CACHE = """
import errno, io, os, sys
sys.path.insert(0, {root!r})
CACHE, FAULT = {cache!r}, {fault!r}
ERRNO = {{"no access": errno.EACCES, "read-only": errno.EROFS, "full": errno.ENOSPC}}[FAULT]
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
real_open, real_io_open = os.open, io.open

def refused(path, change):
    inside = isinstance(path, (str, os.PathLike)) and os.path.abspath(path).startswith(CACHE)
    if inside and (FAULT == "no access" or (FAULT == "read-only" and change)):
        raise OSError(ERRNO, os.strerror(ERRNO), os.fspath(path))
    return inside and FAULT == "full" and change

def guard(real, change):
    def call(path, *args, **kwargs):
        refused(path, change)
        return real(path, *args, **kwargs)
    return call

def os_open(path, flags, *args, **kwargs):
    if refused(path, flags & WRITES):
        os.close(real_open(path, flags, *args, **kwargs))
        return real_open("/dev/full", os.O_WRONLY)  # every write: ENOSPC
    return real_open(path, flags, *args, **kwargs)

def io_open(file, mode="r", *args, **kwargs):
    if refused(file, any(c in mode for c in "wxa+")):
        real_io_open(file, mode).close()
        return real_io_open("/dev/full", "wb" if "b" in mode else "w")
    return real_io_open(file, mode, *args, **kwargs)

for name in ("stat", "lstat", "scandir", "listdir"):
    setattr(os, name, guard(getattr(os, name), False))
for name in ("mkdir", "replace", "rename", "unlink", "rmdir", "utime", "chmod"):
    setattr(os, name, guard(getattr(os, name), FAULT != "full"))
os.open, io.open = os_open, io_open
import builtins
builtins.open = io_open
import build
sys.exit(build.main({argv!r}))
"""


def _with_cache_fault(root: Path, fault: str, *argv: str) -> subprocess.CompletedProcess[str]:
    cache = str(root / ".cache") + os.sep  # what is in it, not the folder itself
    script = _FAULTY_CACHE.format(root=str(ROOT), cache=cache, fault=fault, argv=list(argv))
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )


def test_a_cache_that_cannot_be_read_or_written_never_stops_build_or_check(scratch: Path) -> None:
    """Another user's folder, a read-only file system, a full disk: one note, the same site.

    Nothing half written is left in the cache.
    """
    built = lambda d: {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}  # noqa: E731
    reference = scratch / "reference"
    assert run_build(scratch, "--out", str(reference), "--no-cache").returncode == 0
    full = ["full"] if Path("/dev/full").exists() else []  # it writes to /dev/full (Linux)
    for fault in ["no access", "read-only", *full]:
        (scratch / ".cache/render").mkdir(parents=True)
        out = scratch / fault.replace(" ", "-")
        root = ["--root", str(scratch)]
        for command in (["build", *root, "--out", str(out)], ["check", *root]):
            result = _with_cache_fault(scratch, fault, *command)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (fault, result)
            assert result.stderr.count("cannot write the cache") == 1, (fault, result.stderr)
            assert "Content OK" in result.stdout or "Built" in result.stdout, (fault, result)
        assert built(out) == built(reference), fault
        left = [p for p in (scratch / ".cache").rglob("*") if p.is_file()]
        assert left == [], (fault, left)
        shutil.rmtree(scratch / ".cache")


# Command line ---------------------------------------------------------------------------------


def test_each_command_lists_only_its_own_options() -> None:
    def options(*args: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *args, "--help"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return set(re.findall(r"(--[a-z-]+)", result.stdout))

    assert options("serve") == {
        "--help",
        "--root",
        "--debug",
        "--out",
        "--base-url",
        "--no-cache",
        "--port",
    }
    assert options("check") == {"--help", "--root", "--debug", "--no-cache"}
    assert options("schemas") == {"--help", "--root", "--debug"}
    assert "--timings" in options("build") and "--port" not in options("build")
    assert {"--version", "--root"} <= options()
    version = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and re.match(r"build\.py \d", version.stdout)


@pytest.mark.parametrize("port", ["70000", "-1", "http", "8000.5"])
def test_an_impossible_port_is_refused_in_both_languages(port: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    _one_message(result.stderr, "端口", "the port is a whole number from 0 to 65535")


# The preview ----------------------------------------------------------------------------------


def _serve(scratch: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--root",
            str(scratch),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_busy_port_is_one_message_and_the_site_is_not_touched(scratch: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        proc = _serve(scratch, busy.getsockname()[1])
        out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1
    _one_message(out, "--port", "Cannot start the preview on port")
    assert not (scratch / "site").exists()


@pytest.fixture()
def preview(scratch: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    proc = _serve(scratch, 0)
    lines = []
    try:
        while True:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "server exited early:\n" + "".join(lines)
            lines.append(line)
            if "http://127.0.0.1:" in line:
                break
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)  # type: ignore[union-attr]
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_preview_answers_odd_requests_and_closed_tabs_quietly(
    preview: tuple[str, subprocess.Popen[str]], scratch: Path
) -> None:
    base, proc = preview
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(base + "__reload?v=abc", timeout=30)
    assert bad.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(base + "no/such/page/", timeout=30)
    assert missing.value.code == 404
    page = missing.value.read().decode("utf-8")
    assert "页面不存在" in page or "not found" in page.lower()
    assert "__reload" in page  # the preview's own 404 page reloads too
    home = urllib.request.urlopen(base, timeout=30).read().decode("utf-8")
    version = re.search(r"var v=(\d+)", home).group(1)  # type: ignore[union-attr]
    for _ in range(3):  # tabs waiting for a reload, closed before it comes
        tab = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1].strip("/"))))
        tab.sendall(f"GET /__reload?v={version} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        tab.close()
        tab = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1].strip("/"))))
        tab.sendall(b"GET /static/vega-embed.js HTTP/1.1\r\nHost: x\r\n\r\n")
        tab.close()
    story = next((scratch / "content/stories").glob("*.en.md"))
    story.write_text(story.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if urllib.request.urlopen(base, timeout=30).read().decode().count(f"var v={version};") == 0:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    proc.terminate()
    out, _ = proc.communicate(timeout=60)
    assert "Traceback" not in out and "BrokenPipe" not in out and "ConnectionReset" not in out, out
