"""`python build.py serve`: preview on 127.0.0.1, rebuild on every save, reload open tabs.

After the first full build, each save re-renders and rewrites only what it
changed (incremental.py). The last good site keeps being served. A content
error is printed in the terminal and shown in the browser as an overlay over
that last good site. Only this preview server injects its reload script;
built files never have it.

It answers only requests for localhost names (a page elsewhere whose name is
rebound to 127.0.0.1 must not read it), and any request it cannot serve gets a
plain HTTP answer, never a traceback in the terminal.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import socket
import sys
import threading
import time
import traceback
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs

from . import search
from .errors import SetupError, explain_failure
from .incremental import IncrementalBuilder
from .messages import msg
from .outdir import claim
from .pipeline import Project

HOST = "127.0.0.1"
RELOAD_PATH = "/__reload"
# A Host header: a name or [IPv6 address], then perhaps a port.
_HOST_HEADER = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[^:\[\]]*)(?::[0-9]{1,5})?")


def local_host(header: str | None) -> bool:
    """Whether a request's Host names this machine: localhost, *.localhost, 127.0.0.1, [::1].

    No Host at all (HTTP/1.0) is accepted: a page elsewhere cannot send a request without one.
    """
    if header is None:
        return True
    match = _HOST_HEADER.fullmatch(header.strip().lower())
    if match is None:
        return False
    name = match["name"].removesuffix(".")
    return name in ("localhost", HOST, "[::1]") or name.endswith(".localhost")


class State:
    """What the browser needs to know: the build number and the last error, if any."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.changed = threading.Condition()

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version


_CLIENT = (
    "<script>(function(){var v=%d;function poll(){fetch('%s?v='+v)"
    ".then(function(r){return r.text()})"
    ".then(function(t){if(t!==String(v)){location.reload()}else{poll()}})"
    ".catch(function(){setTimeout(poll,1000)})}poll()})();</script>"
)

_OVERLAY = (
    '<div id="build-error" role="alert" style="position:fixed;inset:0;z-index:99999;overflow:auto;'
    "background:rgba(20,20,20,.94);color:#fff;padding:1.5rem;"
    'font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap">%s</div>'
)


class Handler(SimpleHTTPRequestHandler):
    """Static files from the site folder, plus the reload endpoint and error overlay."""

    def __init__(self, *args: Any, state: State, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass  # quiet: the terminal is for build messages

    def handle(self) -> None:
        # The tab closed or reloaded mid-answer: nothing to tell anyone.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            super().handle()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False  # the stdlib has answered (400, 414, 431...)
        hosts = self.headers.get_all("Host", [])
        if len(hosts) <= 1 and local_host(hosts[0] if hosts else None):
            return True
        url = f"http://localhost:{cast(ThreadingHTTPServer, self.server).server_port}/"
        zh, en = msg("preview_host_refused", host=hosts[-1][:100], url=url)
        refusal = f"{zh}\n{en}\n".encode()
        self._send(refusal, "text/plain; charset=utf-8", 403, body=self.command != "HEAD")
        return False

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool = True) -> None:
        """Answer GET (or HEAD, the same without the body)."""
        target, _, query = self.path.partition("?")
        if target == RELOAD_PATH:
            seen = parse_qs(query).get("v", [""])[0]
            if not re.fullmatch("[0-9]{1,18}", seen):
                self.send_error(400, "v must be a build number")
                return
            # A HEAD request is not kept waiting: it gets the build number now.
            version = self.state.wait(int(seen), timeout=25) if body else self.state.version
            self._send(str(version).encode(), "text/plain", body=body)
            return
        path = Path(self.translate_path(self.path))
        try:
            if path.is_dir():
                path = path / "index.html"
            page = path.read_text("utf-8") if path.suffix == ".html" else None
        except (OSError, ValueError):  # no such page, or a name no file can have (too long, NUL)
            page = None
        if page is not None:
            self._send(self._inject(page), "text/html; charset=utf-8", body=body)
            return
        found = self._open(path)
        if found is not None:
            with found:
                ctype = self.guess_type(path)
                self._send(found, ctype, length=os.fstat(found.fileno()).st_size, body=body)
            return
        if self.state.error:
            page = "<!DOCTYPE html><html><body></body></html>"
            self._send(self._inject(page), "text/html; charset=utf-8", body=body)
            return
        # The site's own not-found page, as a static host serving 404.html would answer.
        missing = Path(self.directory) / "404.html"
        page = missing.read_text("utf-8") if missing.is_file() else "<html><body></body></html>"
        self._send(self._inject(page), "text/html; charset=utf-8", status=404, body=body)

    def _open(self, path: Path) -> BinaryIO | None:
        """The file at `path`, open; None if there is none (or the name cannot be a file).

        A search-index file is also looked for in the bundle a rebuild just replaced, since a
        search page loaded before it still asks for that bundle's files; and looked for again
        in the new one, which may have arrived meanwhile.
        """
        tries = [path]
        index = Path(self.directory) / "pagefind"
        if path.is_relative_to(index):
            tries += [search.previous_bundle(Path(self.directory)) / path.relative_to(index), path]
        for candidate in tries:
            with contextlib.suppress(OSError, ValueError):  # a folder is an OSError too
                return candidate.open("rb")
        return None

    def _inject(self, page: str) -> bytes:
        extra = _CLIENT % (self.state.version, RELOAD_PATH)
        if self.state.error:
            extra += _OVERLAY % html.escape(self.state.error)
        return page.replace("</body>", extra + "</body>", 1).encode("utf-8")

    def _send(
        self,
        content: bytes | BinaryIO,
        ctype: str,
        status: int = 200,
        length: int | None = None,
        body: bool = True,
    ) -> None:
        """Answer with `content` (bytes, or an open file of `length` bytes)."""
        if isinstance(content, bytes):
            length = len(content)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        if isinstance(content, bytes):
            self.wfile.write(content)
        else:
            shutil.copyfileobj(content, self.wfile)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a long-polling tab never keeps Ctrl-C waiting
    # The stdlib's backlog of 5 made a burst of 200 connections wait on SYN retries (up to a
    # minute); the kernel caps this at net.core.somaxconn.
    request_queue_size = socket.SOMAXCONN

    def handle_error(self, request: object, client_address: object) -> None:
        """One line, not a traceback, when answering a browser fails (it was told nothing)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            print(f"预览服务器出错 / Preview server error: {exc!r}", file=sys.stderr, flush=True)


def _rebuild(builder: IncrementalBuilder, state: State, debug: bool = False) -> None:
    started = time.perf_counter()
    try:
        n = builder.rebuild()
    except Exception as exc:  # shown in the terminal and over the last good site, which stays
        report = traceback.format_exc() if debug else explain_failure(exc)[1]
        print(report, file=sys.stderr, flush=True)
        state.publish(report)
        return
    state.publish(None)
    ms = (time.perf_counter() - started) * 1000
    print(f"已更新 {n} 个文件 / Updated {n} files ({ms:.0f} ms)", flush=True)


def serve(project: Project, out: Path, port: int, debug: bool = False) -> int:
    """Build, serve and watch until Ctrl-C.

    The port is taken before anything is built, so a busy port changes nothing.
    """
    out = project.output(out)
    state = State()
    try:
        server = _Server((HOST, port), partial(Handler, state=state, directory=str(out)))
    except OSError as exc:
        raise SetupError(*msg("port_busy", port=port, error=exc.strerror or exc)) from None
    with claim(out):  # no build writes into the preview's site while it runs
        return _serve(project, out, server, state, debug)


def _serve(project: Project, out: Path, server: _Server, state: State, debug: bool) -> int:
    import watchfiles

    builder = IncrementalBuilder(project, out)
    _rebuild(builder, state, debug)
    out.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        f"预览 / Preview: http://{HOST}:{server.server_port}/  (Ctrl-C 停止 / to stop)",
        flush=True,
    )
    package = Path(__file__).resolve().parent
    watched = [
        p for p in (project.content, project.templates, project.static, package) if p.exists()
    ]
    try:
        for changes in watchfiles.watch(*watched, debounce=100, step=20):
            if any(Path(p).suffix == ".py" and Path(p).is_relative_to(package) for _, p in changes):
                print("代码已修改，重新启动 / Code changed, restarting", flush=True)
                builder.close()
                server.shutdown()
                server.server_close()
                os.execv(sys.executable, [sys.executable, *sys.argv])
            _rebuild(builder, state, debug)
    except KeyboardInterrupt:
        pass
    finally:
        builder.close()
        server.shutdown()
        server.server_close()
    print("已停止 / Stopped", flush=True)
    return 0
