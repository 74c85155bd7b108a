"""What a careless or hostile contributor could do to the build, refused before anything is touched.

Each test runs the real command line on a scratch copy of the project: a
build never replaces what it did not build, no page loads anything from
another host whatever the base URL, and only regular files inside the
project are read.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, need_browser_tools, run_build


def _tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (links and all) with what it holds, to prove nothing changed."""
    out = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    """A scratch project one level down, so that the folder above it holds nothing else."""
    root = tmp_path / "proj"
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "README.md").write_text("notes\n")
    return root


def _refused_out(proj: Path, out: str, cwd: Path | None = None) -> str:
    watched = proj.parent
    before = _tree(watched)
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(proj), "--out", out],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or proj,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "拒绝输出" in result.stderr and "Refusing to write the site" in result.stderr
    assert _tree(watched) == before
    return result.stderr


@pytest.mark.parametrize(
    "out",
    [".", "./", "content", "templates", "static", "content/stories", "static/new", "..", "../.."],
)
def test_build_refuses_the_project_its_inputs_and_the_folders_above(proj: Path, out: str) -> None:
    _refused_out(proj, out)


def test_build_refuses_an_absolute_path_above_the_project(proj: Path) -> None:
    _refused_out(proj, str(proj.parent), cwd=proj.parent)


def test_build_refuses_the_generator_package_itself(proj: Path) -> None:
    """Run from a copy of the generator, so the package at stake is a scratch one."""
    shutil.copy(ROOT / "build.py", proj / "build.py")
    shutil.copytree(
        ROOT / "sitegen", proj / "sitegen", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = _tree(proj)
    result = subprocess.run(
        [sys.executable, str(proj / "build.py"), "--root", str(proj), "--out", "sitegen"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=proj,
    )
    assert result.returncode == 2, result.stderr
    assert "Refusing" in result.stderr and "Traceback" not in result.stderr
    assert _tree(proj) == before


def test_build_refuses_a_file(proj: Path) -> None:
    assert "it is a file" in _refused_out(proj, "README.md")


def test_build_refuses_a_folder_that_is_not_a_site_it_built(proj: Path) -> None:
    (proj / "notes").mkdir()
    (proj / "notes" / "draft.txt").write_text("mine\n")
    assert ".rmc-site" in _refused_out(proj, "notes")
    assert "not empty" in _refused_out(proj, ".git")


def test_build_refuses_a_link_to_an_input(proj: Path) -> None:
    (proj / "site").symlink_to(proj / "content")
    _refused_out(proj, "site")


def test_build_writes_a_new_or_empty_folder_and_replaces_only_its_own_site(proj: Path) -> None:
    (proj / "empty").mkdir()
    for out in ("new/site", "empty", "new/site"):  # the last one replaces the site just built
        result = run_build(proj, "--out", str(proj / out))
        assert result.returncode == 0, result.stderr
        assert (proj / out / ".rmc-site").is_file() and (proj / out / "index.html").is_file()
    assert sorted(p.name for p in (proj / "new").iterdir()) == ["site"]  # no folders left behind
    (proj / "new/site/.rmc-site").unlink()  # no longer a site of ours: left alone
    result = run_build(proj, "--out", str(proj / "new/site"))
    assert result.returncode == 2 and (proj / "new/site/index.html").is_file()


# Base URLs -------------------------------------------------------------------------------------

BAD_URLS = [
    ("https://example.org//evil.example/", "ordinary segments"),
    ("https://example.org/\\evil.example/", "backslashes"),
    ("https://example.org\\evil.example/", "backslashes"),
    ("https://example.org/sub//evil.example/", "ordinary segments"),
    ("https://example.org/../", "ordinary segments"),
    ("https://example.org/%2e%2e/", "ordinary segments"),
    ("https://user:secret@example.org/", "user name or password"),
    ("https://example.org/?next=x/", "query"),
    ("https://example.org/#top/", "fragment"),
    ("ftp://example.org/", "http:// or https://"),
    ("//evil.example/", "http:// or https://"),
    ("https:///", "host name"),
    ("https://example.org:99999/", "host name or port"),
    ("https://example.org/sub", "must end in /"),
    ("https://exa mple.org/", "spaces"),
]


@pytest.mark.parametrize("url, reason", BAD_URLS)
def test_bad_base_url_in_site_yaml_is_refused_with_its_line(
    scratch: Path, url: str, reason: str
) -> None:
    path = scratch / "content/site.yaml"
    text = path.read_text("utf-8")
    lines = text.splitlines()
    line = next(i for i, s in enumerate(lines, 1) if s.startswith("base_url:"))
    lines[line - 1] = "base_url: '" + url.replace("'", "''") + "'"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_build(scratch, "--out", str(scratch / "site"))
    assert result.returncode == 1, result.stderr
    assert f"content/site.yaml:{line}:" in result.stderr and "base_url" in result.stderr
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert not (scratch / "site").exists()


@pytest.mark.parametrize("url, reason", BAD_URLS)
def test_bad_base_url_on_the_command_line_is_refused(tmp_path: Path, url: str, reason: str) -> None:
    result = run_build(ROOT, "--out", str(tmp_path / "site"), "--base-url", url)
    assert result.returncode == 2, result.stderr
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


class _Host(SimpleHTTPRequestHandler):
    """A static host: files from `directory`, and the site's 404.html for any missing path."""

    not_found = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.not_found)
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The site built for each accepted kind of base URL, each served under its own base path."""
    need_browser_tools()
    root = tmp_path_factory.mktemp("hosted")
    urls = [
        "https://example.org/",
        "https://user.github.io/project/",
        "HTTP://Example.ORG:8443/news/rmc-2026/",
        "http://192.0.2.7/a.b/~c_d/",
    ]
    for i, url in enumerate(urls):
        result = run_build(ROOT, "--out", str(root / f"{i}" / "site"), "--base-url", url)
        assert result.returncode == 0, result.stderr
        path = urlsplit(url).path
        if path != "/":  # served where the base URL says: /project/ → <root>/project/
            target = root / f"{i}" / "www" / path.strip("/")
            target.parent.mkdir(parents=True)
            (root / f"{i}" / "site").rename(target)
        else:
            (root / f"{i}" / "site").rename(root / f"{i}" / "www")
    servers = []
    found = {}
    for i, url in enumerate(urls):
        www = root / f"{i}" / "www"
        handler = type(
            "Host", (_Host,), {"not_found": str(www / urlsplit(url).path[1:] / "404.html")}
        )
        handler = functools.partial(handler, directory=str(www))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        found[url] = f"http://127.0.0.1:{httpd.server_port}{urlsplit(url).path}"
    yield found
    for httpd in servers:
        httpd.shutdown()


@pytest.mark.parametrize("path", ["", "en/", "charts/province-map/", "en/search/?q=Henan", "x/"])
def test_no_request_leaves_the_host_whatever_the_base_url(  # type: ignore[no-untyped-def]
    browser,
    hosted: dict[str, str],
    path: str,
) -> None:
    for url, served in hosted.items():
        context = browser.new_context(viewport={"width": 375, "height": 900})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r, into=requested: into.append(r.url))
        page.goto(served + path)
        page.mouse.wheel(0, 20000)  # reach the charts, so their script loads too
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        context.close()
        origin = f"{urlsplit(served).scheme}://{urlsplit(served).netloc}/"
        away = [r for r in requested if not r.startswith(origin) and not r.startswith("data:")]
        assert away == [], f"{url}: {away}"
        assert len(requested) > 1, f"{url}: the page loaded nothing ({requested})"


# Inputs ----------------------------------------------------------------------------------------


def _refused_input(project: Path, where: str, *expected: str) -> None:
    for command in ("check", "build"):
        args = ["--out", str(project / "site")] if command == "build" else ["check"]
        before = _tree(project)
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
            capture_output=True,
            text=True,
            timeout=60,  # a FIFO read would hang here
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert f"\n{where}\n" in result.stderr, result.stderr
        for text in expected:
            assert text in result.stderr, result.stderr
        assert _tree(project) == before


def test_link_to_the_environment_in_static_is_refused(proj: Path) -> None:
    (proj / "static" / "env.txt").symlink_to("/proc/self/environ")
    _refused_input(proj, "static/env.txt", "symbolic link", "符号链接")


def test_link_to_a_file_outside_the_project_is_refused(proj: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text((ROOT / "content/stories/zhao-zhengzhou-hip.en.md").read_text("utf-8"))
    (proj / "content/stories/leak.en.md").symlink_to(secret)
    (proj / "templates" / "passwd.html").symlink_to("/etc/passwd")
    _refused_input(proj, "content/stories/leak.en.md", "outside content/")
    _refused_input(proj, "templates/passwd.html", "outside content/")


def test_link_to_a_file_elsewhere_in_the_project_is_refused(proj: Path) -> None:
    (proj / ".env").write_text("TOKEN=secret\n")
    (proj / "static" / "env").symlink_to(proj / ".env")
    (proj / "static" / "git").symlink_to(proj / ".git" / "HEAD")
    _refused_input(proj, "static/env", "symbolic link")
    _refused_input(proj, "static/git", "symbolic link")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder-link", "broken-link"])
def test_pipes_devices_and_odd_links_are_refused(proj: Path, kind: str) -> None:
    story = proj / "content/stories/odd.zh.md"
    if kind == "fifo":
        os.mkfifo(story)
    elif kind == "dev-zero":
        story.symlink_to("/dev/zero")
    elif kind == "folder-link":
        story = proj / "content/stories/more"
        story.symlink_to(proj / "content")
    else:
        story.symlink_to(proj / "content/stories/nothing.zh.md")
    expected = {"fifo": "not an ordinary file", "folder-link": "link to a folder"}
    _refused_input(proj, story.relative_to(proj).as_posix(), expected.get(kind, "link"))


def test_link_to_a_file_inside_the_inputs_is_read(proj: Path) -> None:
    (proj / "static" / "data-guide.css").symlink_to(proj / "static" / "style.css")
    result = run_build(proj, "--out", str(proj / "site"))
    assert result.returncode == 0, result.stderr
    served = proj / "site/static/data-guide.css"
    assert (
        not served.is_symlink() and served.read_bytes() == (proj / "static/style.css").read_bytes()
    )


def test_schemas_never_writes_through_a_link(proj: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(proj / "content/schemas", elsewhere)
    for path in elsewhere.iterdir():
        path.write_text("{}\n")
    shutil.rmtree(proj / "content/schemas")
    (proj / "content/schemas").symlink_to(elsewhere)
    before = _tree(elsewhere)
    result = run_build(proj, "schemas")
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "content/schemas" in result.stderr
    assert _tree(elsewhere) == before
    (proj / "content/schemas").unlink()
    (proj / "content/schemas").mkdir()
    target = proj / "content" / "notes.json"  # inside content/, so the link itself is allowed
    target.write_text("{}\n")
    (proj / "content/schemas/facts.schema.json").symlink_to(target)
    result = run_build(proj, "schemas")
    assert result.returncode == 2 and "Refusing to write" in result.stderr, result.stderr
    assert target.read_text() == "{}\n"
