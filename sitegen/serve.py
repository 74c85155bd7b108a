"""`python build.py serve`: preview on 127.0.0.1, rebuild on every save, reload open tabs.

After the first full build, each save re-renders and rewrites only what it
changed (incremental.py). The last good site keeps being served. A content error is printed in the
terminal and shown in the browser as an overlay over that last good site.
Only this preview server injects its reload script; built files never have it.
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
import traceback
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import ContentErrors
from .incremental import IncrementalBuilder
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


_CLIENT = """<script>(function(){var v=%d;function poll(){fetch('%s?v='+v).then(function(r){return r.text()}).then(function(t){if(t!==String(v)){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,1000)})}poll()})();</script>"""

_OVERLAY = """<div id="build-error" role="alert" style="position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:1.5rem;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap">%s</div>"""


class Handler(SimpleHTTPRequestHandler):
    """Static files from the site folder, plus the reload endpoint and error overlay."""

    def __init__(self, *args, state: State, **kwargs):  # type: ignore[no-untyped-def]
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the terminal is for build messages
        pass

    def do_GET(self) -> None:
        if self.path.startswith(RELOAD_PATH):
            seen = int(self.path.partition("v=")[2] or -1)
            version = self.state.wait(seen, timeout=25)
            self._send(str(version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(self._inject(path.read_text("utf-8")), "text/html; charset=utf-8")
            return
        if not path.exists() and self.state.error:
            self._send(
                self._inject("<!DOCTYPE html><html><body></body></html>"),
                "text/html; charset=utf-8",
            )
            return
        super().do_GET()

    def _inject(self, page: str) -> bytes:
        extra = _CLIENT % (self.state.version, RELOAD_PATH)
        if self.state.error:
            extra += _OVERLAY % html.escape(self.state.error)
        return page.replace("</body>", extra + "</body>", 1).encode("utf-8")

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _rebuild(builder: IncrementalBuilder, state: State) -> None:
    started = time.perf_counter()
    try:
        n = builder.rebuild()
    except ContentErrors as exc:
        report = exc.report()
        print(report, file=sys.stderr, flush=True)
        state.publish(report)
        return
    except Exception:  # a template or code error: show it, keep serving the last good site
        report = traceback.format_exc()
        print(report, file=sys.stderr, flush=True)
        state.publish(report)
        return
    state.publish(None)
    print(
        f"已更新 {n} 个文件 / Updated {n} files ({(time.perf_counter() - started) * 1000:.0f} ms)",
        flush=True,
    )


def serve(project: Project, out: Path, port: int) -> int:
    """Build, serve and watch until Ctrl-C."""
    import watchfiles

    state = State()
    builder = IncrementalBuilder(project, out)
    _rebuild(builder, state)
    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), partial(Handler, state=state, directory=str(out))
    )
    server.daemon_threads = True
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
            _rebuild(builder, state)
    except KeyboardInterrupt:
        pass
    finally:
        builder.close()
        server.shutdown()
        server.server_close()
    print("已停止 / Stopped", flush=True)
    return 0
