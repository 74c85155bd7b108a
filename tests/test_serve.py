"""The live preview as editors use it: serve, break a file, see the overlay, fix it, see it go."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from conftest import ROOT, start_preview

from sitegen import search
from sitegen.serve import RELOAD_PATH


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
    proc, port = start_preview(scratch)
    try:
        base = f"http://127.0.0.1:{port}/"
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


class Preview:
    """`build.py serve` running on a scratch project, its output collected line by line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc, self.port = start_preview(root, stderr=subprocess.PIPE)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, lines in ((self.proc.stdout, self.stdout), (self.proc.stderr, self.stderr)):
            threading.Thread(target=self._drain, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _drain(stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def ask(self, request: bytes, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        """Send raw bytes; return the status, headers and body of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as conn:
            conn.sendall(request)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status, *fields = head.decode("latin-1").split("\r\n")
        assert status.startswith("HTTP/"), answer[:200]
        headers = dict(f.lower().split(": ", 1) for f in fields)
        return int(status.split()[1]), headers, body

    def get(self, target: str, host: str = "127.0.0.1", method: str = "GET") -> tuple[int, bytes]:
        status, _, body = self.ask(f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        return status, body


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("preview")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    running = Preview(root)
    try:
        yield running
    finally:
        running.proc.send_signal(signal.SIGINT)
        running.proc.wait(timeout=60)
    assert not any("Traceback" in line for line in running.stderr), "".join(running.stderr)
    assert not search.previous_bundle(root / "site").exists()  # removed on Ctrl-C


def test_two_hundred_readers_at_once_are_all_answered_within_seconds(preview: Preview) -> None:
    # The stdlib's listen backlog of 5 left most of 200 connections waiting on SYN retries.
    n = 200
    start = threading.Barrier(n)
    answers: list[tuple[float, int | str]] = []

    def read() -> None:
        start.wait()
        began = time.monotonic()
        try:
            status: int | str = preview.get("/")[0]
        except OSError as exc:
            status = repr(exc)
        answers.append((time.monotonic() - began, status))

    readers = [threading.Thread(target=read) for _ in range(n)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert sorted({status for _, status in answers}, key=str) == [200]
    slowest = max(seconds for seconds, _ in answers)
    assert slowest < 5, f"the slowest of {n} readers waited {slowest:.1f} s"


MALFORMED = [
    (b"GET /" + b"a" * 300 + b" HTTP/1.1", 404),  # longer than a file name may be (ENAMETOOLONG)
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1", 404),
    (b"GET /" + b"a" * 300 + b"/ HTTP/1.1", 404),
    (b"GET /" + b"a" * 300 + b".html HTTP/1.1", 404),
    (b"GET /pagefind/" + b"a" * 300 + b".js HTTP/1.1", 404),
    (b"GET /" + b"a/" * 3000 + b" HTTP/1.1", 404),  # a path longer than PATH_MAX
    (b"HEAD /" + b"a" * 300 + b" HTTP/1.1", 404),
    (b"GET /%00 HTTP/1.1", 404),
    (b"GET /x%00.html HTTP/1.1", 404),
    (b"GET /%zz%4 HTTP/1.1", 404),
    (b"GET /%ff%fe HTTP/1.1", 404),
    (b"GET /%ed%a0%80.html HTTP/1.1", 404),
    (b"GET /\xff\xfe HTTP/1.1", 404),
    (b"GET /../../../etc/passwd HTTP/1.1", 404),
    (b"GET /" + b"a" * 70000 + b" HTTP/1.1", 414),
    (b"GET /__reload?v=" + b"9" * 5000 + b" HTTP/1.1", 400),
    (b"GET /__reload?v=\xb2 HTTP/1.1", 400),  # a superscript two: str.isdigit says yes
    (b"GET /__reload?v=-1 HTTP/1.1", 400),
    (b"POST / HTTP/1.1", 501),
]


def test_malformed_requests_get_a_plain_answer_and_leave_the_terminal_quiet(
    preview: Preview,
) -> None:
    before = len(preview.stderr)
    answered = []
    for request, expected in MALFORMED:
        try:
            status = preview.ask(request + b"\r\nHost: localhost\r\n\r\n", timeout=10)[0]
        except (OSError, AssertionError) as exc:  # the connection closed without an answer
            status = repr(exc)[:60]
        answered.append((request[:40], status, expected))
    headers = [b"X-Long: " + b"a" * 70000, b"\r\n".join([b"X: a"] * 200)]
    for extra in headers:
        status = preview.ask(b"GET / HTTP/1.1\r\nHost: localhost\r\n" + extra + b"\r\n\r\n")[0]
        answered.append((extra[:20], status, 431))
    time.sleep(0.5)
    assert [a for a in answered if a[1] != a[2]] == []
    assert preview.stderr[before:] == []


def test_head_answers_as_get_would_without_the_body(preview: Preview) -> None:
    for target in ("/", "/en/", "/no-such-page/", "/__reload?v=0", "/robots.txt"):
        got = preview.ask(f"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        head = preview.ask(f"HEAD {target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        assert head[0] == got[0], target
        assert head[1]["content-length"] == str(len(got[2])), target
        assert head[2] == b"", target


def test_only_requests_for_localhost_are_answered(preview: Preview) -> None:
    """A page on another site that rebinds its name to 127.0.0.1 must not read the preview."""
    port = preview.port
    for host in (
        "localhost",
        f"localhost:{port}",
        "LocalHost.",
        f"127.0.0.1:{port}",
        f"[::1]:{port}",
        f"zh.rmc.localhost:{port}",
    ):
        assert preview.get("/", host=host)[0] == 200, host
    assert preview.ask(b"GET / HTTP/1.0\r\n\r\n")[0] == 200  # no Host at all: no name to trust
    for host in (
        "evil.example",
        f"evil.example:{port}",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "localhost:80:80",
        "",
    ):
        status, body = preview.get("/", host=host)
        assert status == 403, host
        assert "localhost" in body.decode() and "预览" in body.decode(), body
    status, _, _ = preview.ask(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")
    assert status == 403
    assert preview.get(f"{RELOAD_PATH}?v=0", host="evil.example")[0] == 403


def test_a_search_begun_before_the_index_is_redone_finds_every_file_it_asks_for(
    preview: Preview,
) -> None:
    bundle = preview.root / "site/pagefind"
    old = sorted(
        "/" + p.relative_to(preview.root / "site").as_posix()
        for p in bundle.rglob("*")
        if p.is_file()
    )
    entry = json.loads(preview.get("/pagefind/pagefind-entry.json")[1])
    missing: list[tuple[str, int]] = []
    stop = threading.Event()

    def search() -> None:  # a reader running searches all through the rebuild
        while not stop.is_set():
            for target in ("/pagefind/pagefind-entry.json", "/pagefind/pagefind.js"):
                status = preview.get(target)[0]
                if status != 200:
                    missing.append((target, status))

    reader = threading.Thread(target=search)
    reader.start()
    try:
        indexed = sum("Search index updated" in line for line in preview.stdout)
        story = preview.root / "content/stories/huang-ningxia-surgery.en.md"
        story.write_text(
            story.read_text("utf-8") + "\nA word found nowhere: zyxwvutsrq.\n", "utf-8"
        )
        _wait_for(
            lambda: sum("Search index updated" in line for line in preview.stdout) > indexed, 120
        )
    finally:
        stop.set()
        reader.join()
    assert json.loads(preview.get("/pagefind/pagefind-entry.json")[1]) != entry
    assert missing == []
    assert [(t, s) for t in old if (s := preview.get(t)[0]) != 200] == []
