"""`python build.py serve`: preview on 127.0.0.1, rebuild on every save, reload open tabs.

After the first full build, each save re-renders and rewrites only what it
changed (incremental.py). The last good site keeps being served. A content
error is printed in the terminal and shown in the browser as an overlay over
that last good site. Only this preview server injects its reload script;
built files never have it.
"""

from __future__ import annotations

import contextlib
import html
import os
import sys
import threading
import time
import traceback
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import SetupError, explain_failure
from .incremental import IncrementalBuilder
from .messages import msg
from .outdir import claim
from .pipeline import Project

RELOAD_PATH = "/__reload"


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

    def do_GET(self) -> None:
        if self.path.startswith(RELOAD_PATH):
            seen = self.path.partition("v=")[2]
            if not seen.isdigit():
                self.send_error(400, "v must be a build number")
                return
            version = self.state.wait(int(seen), timeout=25)
            self._send(str(version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(self._inject(path.read_text("utf-8")), "text/html; charset=utf-8")
            return
        if path.exists():
            super().do_GET()
            return
        if self.state.error:
            page = "<!DOCTYPE html><html><body></body></html>"
            self._send(self._inject(page), "text/html; charset=utf-8")
            return
        # The site's own not-found page, as a static host serving 404.html would answer.
        missing = Path(self.directory) / "404.html"
        page = missing.read_text("utf-8") if missing.is_file() else "<html><body></body></html>"
        self._send(self._inject(page), "text/html; charset=utf-8", status=404)

    def _inject(self, page: str) -> bytes:
        extra = _CLIENT % (self.state.version, RELOAD_PATH)
        if self.state.error:
            extra += _OVERLAY % html.escape(self.state.error)
        return page.replace("</body>", extra + "</body>", 1).encode("utf-8")

    def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

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
        server = _Server(("127.0.0.1", port), partial(Handler, state=state, directory=str(out)))
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
        f"预览 / Preview: http://127.0.0.1:{server.server_port}/  (Ctrl-C 停止 / to stop)",
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
