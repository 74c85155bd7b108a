"""YAML that would lose or change text, and files that are not what they should be, are located.

Every case here once published a different text, crashed with an internal error, or passed
`check` and failed the build. Each must now be one located, bilingual message that says what
to type, from `check` and from a cold build alike.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_cli, run_build

STORY = "content/stories/zhao-zhengzhou-hip.en.md"


def _edit(scratch: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in a file; the line number where it stood."""
    path = scratch / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def _append_both_ui(scratch: Path, line: str) -> int:
    lines = 0
    for lang in ("zh", "en"):
        path = scratch / f"content/ui/{lang}.yaml"
        text = path.read_text("utf-8")
        path.write_text(text + line, "utf-8")
        lines = text.count("\n") + 1
    return lines


def _refused(scratch: Path, where: str, *words: str) -> str:
    """`check` and a cold build both fail with a located message holding `words`."""
    for args in (("check",), ("--no-cache", "--out", str(scratch / "site"))):
        result = run_build(scratch, *args)
        err = result.stderr
        assert result.returncode == 1, (args, result.stdout, err)
        assert "Traceback" not in err and "Internal error" not in err, err
        assert where in err, (where, err)
        for word in words:
            assert word in err, (word, err)
        assert not (scratch / "site").exists()
    return err


# --- 2. YAML that silently loses text -------------------------------------------------------

LOSSES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    # name: (file, old, new, words the message holds)
    "anchor on a text": ("content/site.yaml", "  en: ", "  en: &Ms ", ("anchor", "double quotes")),
    "anchor on a group": ("content/site.yaml", "title: {", "title: &t {", ("anchor",)),
    "anchor on a key": ("content/centres.yaml", "  - id: ", "  - &k id: ", ("anchor",)),
    "tag !!str": ("content/centres.yaml", "  - id: ", "  - id: !!str ", ("YAML tag",)),
    "tag !!int": ("content/facts.yaml", "    value: 10\n", "    value: !!int 10\n", ("YAML tag",)),
    "tag !!binary": ("content/site.yaml", "  en: ", "  en: !!binary ", ("YAML tag",)),
    "tag !custom": ("content/site.yaml", "  en: ", "  en: !note ", ("YAML tag",)),
    "comment cuts a title": (STORY, "title: ", "title: Dr Zhao # ", ("comment", "'Dr Zhao'")),
    "comment cuts a Chinese word": (STORY, "title: ", "title: 赵女士 # ", ("comment", "'赵女士'")),
    "comment cuts a one-word title": (STORY, "title: ", "title: Dr # ", ("comment", "'Dr'")),
    "comment cuts a one-word UI text": ("content/ui/en.yaml", "Skip to", "Skip #", ("'Skip'",)),
    "comment cuts a UI text": ("content/ui/en.yaml", "Skip to", "Skip to #1", ("'Skip to'",)),
    "a word read as yes/no": (STORY, "title: ", "title: no\n# ", ("yes/no", "double quotes")),
    "a word read as null": (STORY, "title: ", "title: ~\n# ", ("yes/no", "double quotes")),
    "bidi override in YAML": ("content/site.yaml", "  en: ", "  en: \u202e", ("direction",)),
    "bidi isolate in a story": (STORY, "\n\n", "\n\nA \u2067B\u2069 C\n\n", ("direction",)),
}


@pytest.mark.parametrize("name", LOSSES)
def test_yaml_that_would_lose_text_is_refused(scratch: Path, name: str) -> None:
    rel, old, new, words = LOSSES[name]
    line = _edit(scratch, rel, old, new)
    if name == "bidi isolate in a story":
        line += 2
    _refused(scratch, f"{rel}:{line}", *words)


def test_a_yes_no_word_where_text_is_needed_says_to_quote_it(scratch: Path) -> None:
    line = _edit(scratch, "content/site.yaml", "  en: ", "  en: off\n  # ")
    err = run_build(scratch, "check").stderr
    assert f"content/site.yaml:{line}:" in err and "double quotes" in err and "'False'" not in err


@pytest.mark.parametrize("key", ["no", "yes", "off", "404", "~", "null", "1.5"])
def test_a_ui_key_yaml_reads_as_a_boolean_number_or_null_is_located(
    scratch: Path, key: str
) -> None:
    line = _append_both_ui(scratch, f"{key}: x\n")
    _refused(scratch, f"content/ui/en.yaml:{line}:1", f'"{key}":', "double quotes")


def test_a_quoted_comment_sign_anchor_or_number_key_is_text_and_kept(
    scratch: Path, tmp_path: Path
) -> None:
    """The fixes the messages suggest work: quoted, the same characters are the text."""
    _edit(scratch, STORY, "title: ", 'title: "Dr Zhao # &1 !x " \n_: ')
    _edit(scratch, STORY, "\n_: ", "\n# ")  # the rest of the old title is now a comment line
    _append_both_ui(scratch, '"404": "x"   # a comment after quotes is a comment\n')
    out = tmp_path / "site"
    result = run_build(scratch, "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "en/stories/zhao-zhengzhou-hip/index.html").read_text("utf-8")
    assert "Dr Zhao # &amp;1 !x" in page


def test_trailing_comments_after_numbers_ids_dates_and_groups_stay_allowed(scratch: Path) -> None:
    _edit(scratch, "content/facts.yaml", "    value: 10\n", "    value: 10   # 10 家\n")
    _edit(scratch, "content/facts.yaml", "    unit: projects\n", "    unit: projects  # 个\n")
    date = "    as_of: 2023-05-24"
    _edit(scratch, "content/facts.yaml", f"{date}\n", f"{date} # 见原文\n")
    result = run_build(scratch, "check")
    assert result.returncode == 0, result.stderr


# --- 3. Files that are not what they should be ----------------------------------------------

EMPTY = {
    "empty": b"",
    "only a comment": b"# nothing here yet\n",
    "only a BOM": b"\xef\xbb\xbf",
    "only whitespace": b"\n   \n",
    "only a null": b"~\n",
}


@pytest.mark.parametrize("name", ["events.yaml", "site.yaml", "ui/en.yaml", "ui/zh.yaml"])
@pytest.mark.parametrize("kind", EMPTY)
def test_an_empty_file_is_a_located_message(scratch: Path, name: str, kind: str) -> None:
    (scratch / "content" / name).write_bytes(EMPTY[kind])
    _refused(scratch, f"content/{name}\n", "empty")


@pytest.mark.parametrize(
    "rename",
    [
        lambda n: n.replace(".zh.md", ".ZH.MD"),
        lambda n: n.replace(".zh.md", ".zh.markdown"),
        lambda n: n.replace(".zh.md", ".zh.txt"),
        lambda n: n.replace(".zh.md", ".zh.md.bak"),
        lambda n: n.replace(".zh.md", ".cn.md"),
        lambda n: n.replace(".zh.md", ".md"),
    ],
    ids=["upper", "markdown", "txt", "bak", "cn", "no-lang"],
)
def test_a_story_file_of_another_name_is_not_silently_ignored(
    scratch: Path, rename: Callable[[str], str]
) -> None:
    """Both twins renamed: the story would vanish from the site without a word."""
    folder = scratch / "content/stories"
    for lang in ("zh", "en"):
        old = folder / f"zhao-zhengzhou-hip.{lang}.md"
        new = rename(old.name.replace(f".{lang}.", ".zh.")).replace(".zh", f".{lang}", 1)
        old.rename(folder / new)
    _refused(scratch, "content/stories/zhao-zhengzhou-hip.", "<id>.zh.md")


def test_editor_backups_and_hidden_files_beside_stories_are_ignored(scratch: Path) -> None:
    folder = scratch / "content/stories"
    for name in (".zhao.en.md.swp", "zhao.en.md~", "#zhao.en.md#", ".DS_Store", ".git-keep"):
        (folder / name).write_bytes(b"\x00junk")
    (folder / "drafts").mkdir()
    result = run_build(scratch, "check")
    assert result.returncode == 0, result.stderr


def test_a_failed_story_twin_is_not_also_reported_missing(scratch: Path) -> None:
    _edit(scratch, STORY, "title: ", "title: Dr # ")
    err = _refused(scratch, STORY)
    assert "is missing" not in err and "1 problem" in err


@pytest.mark.parametrize("rel", ["content/facts.yaml", "content/ui/en.yaml", STORY])
def test_an_unreadable_file_is_a_located_message(
    scratch: Path,
    rel: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As root nothing is unreadable, so the read itself fails here, as for another user."""
    target = (scratch / rel).resolve()
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    for args in (["check"], ["--out", str(scratch / "site")]):
        status = build_cli.main(["--root", str(scratch), *args])
        err = capsys.readouterr().err
        assert status == 1, err
        assert "Traceback" not in err and "Internal error" not in err, err
        assert f"{rel}\n" in err and "Permission denied" in err, err


def test_a_symlink_loop_says_it_is_a_loop(scratch: Path) -> None:
    folder = scratch / "content/stories"
    (folder / "a.zh.md").symlink_to("b.zh.md")
    (folder / "b.zh.md").symlink_to("a.zh.md")
    _refused(scratch, "content/stories/a.zh.md", "loop")


def test_warm_and_cold_check_agree_when_a_file_changes_kind(scratch: Path) -> None:
    """The content cache's key covers what the loader reads: a file become a link, a folder."""
    assert run_build(scratch, "check").returncode == 0
    folder = scratch / "content/stories"
    (folder / "zhao-zhengzhou-hip.en.md").rename(folder / "zhao-zhengzhou-hip.en.markdown")
    warm = run_build(scratch, "check")
    cold = run_build(scratch, "check", "--no-cache")
    assert warm.returncode == cold.returncode == 1
    assert warm.stderr.split("(")[0] == cold.stderr.split("(")[0]
