"""Every class of bad content an editor can write: refused (exit 1), located, explained, site/ kept.

A good site is built once; each test breaks one thing in a scratch copy of the
project, runs the real command line and checks what the editor would read.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_build


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_site(site: Path) -> Path:
    return site


@pytest.fixture()
def project(scratch: Path, good_site: Path) -> Path:
    shutil.copytree(good_site, scratch / "site")
    return scratch


def edit(project: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in a content file by `new`; return the line where it stood."""
    path = project / "content" / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


def refused(project: Path, *expected: str) -> str:
    """Run the build; it must fail cleanly, name each expected text and leave site/ as it was."""
    before = _digest(project / "site")
    result = run_build(project, "--out", str(project / "site"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert _digest(project / "site") == before
    return result.stderr


def test_yaml_syntax_error_names_file_and_line(project: Path) -> None:
    line = edit(project, "facts.yaml", "    value: 2884\n", "    value: [2884\n")
    refused(project, f"content/facts.yaml:{line + 1}:", "[…]", "double quotes")


def test_unquoted_colon_in_text_is_explained(project: Path) -> None:
    line = edit(
        project,
        "events.yaml",
        "  - id: pilot-plan-2019\n",
        "  - id: pilot-plan-2019\n    note: Pilot: a plan\n",
    )
    refused(project, f"content/events.yaml:{line + 1}:", "contains ': '", "double quotes")


def test_misaligned_indentation_is_explained(project: Path) -> None:
    line = edit(project, "centres.yaml", "    province: guangxi\n", "     province: guangxi\n")
    refused(project, "content/centres.yaml:", "indentation does not line up")
    assert line > 1


def test_tab_indentation_is_explained(project: Path) -> None:
    line = edit(project, "events.yaml", "    level: provincial\n", "\tlevel: provincial\n")
    refused(project, f"content/events.yaml:{line}:", "Tab", "Replace the tab with spaces")


def test_file_that_is_not_utf8_is_explained(project: Path) -> None:
    path = project / "content/events.yaml"
    path.write_bytes(path.read_text("utf-8").encode("gb18030"))
    refused(project, "content/events.yaml:", "not UTF-8", "UTF-8 重新保存")


def test_non_numeric_value(project: Path) -> None:
    line = edit(project, "facts.yaml", "    value: 2884\n", "    value: 2884张\n")
    refused(project, f"content/facts.yaml:{line}:", ".value", "A number is needed here")


def test_negative_value(project: Path) -> None:
    line = edit(project, "facts.yaml", "    value: 2884\n", "    value: -2884\n")
    refused(project, f"content/facts.yaml:{line}:", "cannot be negative")


def test_missing_field(project: Path) -> None:
    edit(project, "facts.yaml", "    value: 2884\n", "")
    refused(project, "content/facts.yaml:", ".value", "The required field 'value' is missing")


def test_wrong_type_for_a_translation_pair(project: Path) -> None:
    line = edit(
        project,
        "events.yaml",
        '    title: {zh: "河南率先启动国家区域医疗中心创建工作", '
        'en: "Henan leads the way in starting work to create national regional medical centres"}',
        "    title: 河南率先启动",
    )
    refused(project, f"content/events.yaml:{line}:", "events[0].title", "{zh: 中文, en: English}")


def test_missing_english_translation(project: Path) -> None:
    line = edit(
        project,
        "events.yaml",
        ', en: "Henan leads the way in starting work to create national regional medical centres"}',
        "}",
    )
    refused(project, f"content/events.yaml:{line}:", "events[0].title.en", "'en' is missing")


def test_empty_translation(project: Path) -> None:
    line = edit(
        project,
        "events.yaml",
        'en: "Henan leads the way in starting work to create national regional medical centres"',
        'en: ""',
    )
    refused(project, f"content/events.yaml:{line}:", "events[0].title.en", "must not be empty")


def test_missing_ui_translation(project: Path) -> None:
    edit(project, "ui/en.yaml", "skip: Skip to content\n", "")
    refused(project, "content/ui/en.yaml", "skip", "translation of 'skip' is missing")


def test_duplicate_id(project: Path) -> None:
    line = edit(project, "centres.yaml", "  - id: hechi-peoples\n", "  - id: jishuitan-zhengzhou\n")
    refused(project, f"content/centres.yaml:{line}:", "jishuitan-zhengzhou", "used twice")


def test_unknown_key_suggests_the_right_one(project: Path) -> None:
    line = edit(
        project,
        "centres.yaml",
        "    sources: [henan-daily-2023-05-24, peoples-daily-2024-10-23]",
        "    sorces: [henan-daily-2023-05-24, peoples-daily-2024-10-23]",
    )
    refused(
        project,
        f"content/centres.yaml:{line}:",
        "Unknown field 'sorces'",
        "Did you mean 'sources'?",
        "你是不是想写“sources”",
    )


def test_dangling_source_reference(project: Path) -> None:
    line = edit(
        project,
        "facts.yaml",
        "    source: henan-daily-2023-05-24\n",
        "    source: henan-daily-2023-05-25\n",
    )
    refused(project, f"content/facts.yaml:{line}:", "There is no source 'henan-daily-2023-05-25'")


def test_dangling_province_reference(project: Path) -> None:
    line = edit(project, "centres.yaml", "    province: guangxi\n", "    province: guangxii\n")
    refused(project, f"content/centres.yaml:{line}:", "There is no province 'guangxii'")


def test_dangling_centre_reference_in_a_story(project: Path) -> None:
    line = edit(
        project, "stories/songxia-achilles-tendon.zh.md", "centre: yaan-tcm", "centre: yaan"
    )
    edit(project, "stories/songxia-achilles-tendon.en.md", "centre: yaan-tcm", "centre: yaan")
    refused(
        project,
        f"content/stories/songxia-achilles-tendon.zh.md:{line}:",
        "There is no centre 'yaan'",
    )


def test_story_twins_must_agree(project: Path) -> None:
    line = edit(
        project, "stories/songxia-achilles-tendon.en.md", "province: sichuan", "province: hubei"
    )
    refused(
        project,
        f"content/stories/songxia-achilles-tendon.en.md:{line}:",
        "'province' differs from the Chinese twin",
    )


def test_story_updated_before_its_date(project: Path) -> None:
    lines = [
        edit(
            project,
            f"stories/songxia-achilles-tendon.{lang}.md",
            "date: 2022-09-26\n",
            "date: 2022-09-26\nupdated: 2022-09-25\n",
        )
        + 1
        for lang in ("zh", "en")
    ]
    refused(
        project,
        *(
            f"content/stories/songxia-achilles-tendon.{lang}.md:{line}:10 updated"
            for lang, line in zip(("zh", "en"), lines)
        ),
        "The update date 2022-09-25 is before the story's date 2022-09-26",
        "更新日期 2022-09-25 早于故事日期 2022-09-26",
    )


def test_story_twins_must_agree_on_the_update(project: Path) -> None:
    line = edit(
        project,
        "stories/songxia-achilles-tendon.en.md",
        "date: 2022-09-26\n",
        "date: 2022-09-26\nupdated: 2022-10-08\n",
    )
    refused(
        project,
        f"content/stories/songxia-achilles-tendon.en.md:{line + 1}:",
        "The Chinese twin has no 'updated'",
    )


def test_unknown_fact_in_a_chart_summary(project: Path) -> None:
    edit(
        project,
        "charts.yaml",
        "{{fact:national-projects-2023-04}}国家区域",
        "{{fact:national-projects-2023}}国家区域",
    )
    refused(project, "content/charts.yaml:", "There is no fact 'national-projects-2023'")


def test_impossible_date(project: Path) -> None:
    line = edit(project, "facts.yaml", "    as_of: 2023-05-24\n", "    as_of: 2023-02-30\n")
    refused(project, f"content/facts.yaml:{line}:", "This date does not exist")


def test_ill_formed_date(project: Path) -> None:
    line = edit(project, "facts.yaml", "    as_of: 2023-05-24\n", "    as_of: 2023/05/24\n")
    refused(project, f"content/facts.yaml:{line}:", "Write YYYY-MM-DD")


def test_date_after_its_source(project: Path) -> None:
    line = edit(project, "facts.yaml", "    as_of: 2023-05-24\n", "    as_of: 2023-06\n")
    refused(project, f"content/facts.yaml:{line}:", "is after the date of its source")


def test_unknown_qualifier_suggests_one(project: Path) -> None:
    line = edit(project, "facts.yaml", "    qualifier: exact\n", "    qualifier: exactly\n")
    refused(
        project,
        f"content/facts.yaml:{line}:",
        "'exactly' is not allowed here",
        "Did you mean 'exact'?",
    )


def test_unknown_unit(project: Path) -> None:
    line = edit(project, "facts.yaml", "    unit: beds\n", "    unit: bedz\n")
    refused(project, f"content/facts.yaml:{line}:", "There is no unit 'bedz'")


def test_story_with_broken_front_matter(project: Path) -> None:
    path = project / "content/stories/songxia-achilles-tendon.zh.md"
    path.write_text(path.read_text("utf-8").replace("---\n", "", 1), "utf-8")
    refused(project, "content/stories/songxia-achilles-tendon.zh.md:1", "front matter")


def test_story_without_its_english_twin(project: Path) -> None:
    (project / "content/stories/songxia-achilles-tendon.en.md").unlink()
    refused(
        project,
        "content/stories/songxia-achilles-tendon.zh.md:1",
        "songxia-achilles-tendon.en.md is missing",
    )


def test_listed_centres_never_outnumber_the_province_tally(project: Path) -> None:
    line = edit(
        project,
        "facts.yaml",
        "    value: 2\n    qualifier: exact\n    unit: hospitals\n",
        "    value: 0\n    qualifier: exact\n    unit: hospitals\n",
    )
    refused(
        project,
        f"content/facts.yaml:{line}:",
        "lists 1 provincial centres in this province, more than the 0 reported",
    )


def test_province_sums_never_exceed_the_national_total(project: Path) -> None:
    facts = project / "content/facts.yaml"
    facts.write_text(
        facts.read_text("utf-8")
        + """
  - id: made-up-henan-2023-04
    subject: henan
    metric: national_centre_projects
    label: {zh: 测试, en: test}
    value: 100
    qualifier: exact
    unit: projects
    as_of: 2023-04-13
    source: nhc-briefing-2023-04-18
    quote: {zh: 测试, en: test}
""",
        "utf-8",
    )
    refused(project, "content/facts.yaml:", "add up to 100, more than the national total 76")


def test_every_problem_is_reported_at_once(project: Path) -> None:
    edit(project, "facts.yaml", "    value: 2884\n", "    value: -1\n")
    edit(project, "centres.yaml", "    province: guangxi\n", "    provinse: guangxi\n")
    edit(project, "events.yaml", "    level: provincial\n", "    level: local\n")
    err = refused(project, "content/facts.yaml:", "content/centres.yaml:", "content/events.yaml:")
    assert "3 problem(s)" in err  # the misspelt key is reported once, with its suggestion
    assert "Did you mean 'province'?" in err


# What the templates and builders read by name (sitegen/required.py): `check` refuses its loss too.


def cut(project: Path, rel: str, start: str, end: str, new: str = "") -> int:
    """Replace a content file's lines from `start` up to (not including) `end`; return the line."""
    path = project / "content" / rel
    text = path.read_text("utf-8")
    a = text.index(start)
    b = text.index(end, a + len(start))
    path.write_text(text[:a] + new + text[b:], "utf-8")
    return text[:a].count("\n") + 1


def line_of(project: Path, rel: str, text: str) -> int:
    """The line of a content file where `text` first stands."""
    whole = (project / "content" / rel).read_text("utf-8")
    return whole[: whole.index(text)].count("\n") + 1


def in_both_ui_files(project: Path, old: dict[str, str], new: dict[str, str]) -> dict[str, int]:
    return {lang: edit(project, f"ui/{lang}.yaml", old[lang], new[lang]) for lang in ("zh", "en")}


def test_renamed_chart_that_pages_show(project: Path) -> None:
    edit(project, "charts.yaml", "  - id: province-map\n", "  - id: province-tiles\n")
    refused(
        project,
        f"content/charts.yaml:{line_of(project, 'charts.yaml', 'charts:')}:1 charts:",
        "找不到图表“province-map”",
        "There is no chart 'province-map'",
        "templates/home.html, templates/provinces.html",
        "Did you mean 'province-tiles'?",
    )


def test_deleted_chart_whose_kind_a_page_needs(project: Path) -> None:
    cut(project, "charts.yaml", "  - id: timeline\n", "  - id: planned-targets\n")
    refused(
        project,
        "content/charts.yaml",
        "There is no chart 'timeline' (of kind 'events')",
        "templates/timeline.html",
    )


def test_chart_that_a_page_shows_as_a_map_given_another_kind(project: Path) -> None:
    line = edit(project, "charts.yaml", "    kind: tile_map\n", "    kind: events\n")
    refused(
        project,
        f"content/charts.yaml:{line}:",
        "charts[1].kind",
        "The chart 'province-map' must be of kind 'tile_map'",
    )


def test_ui_string_a_template_reads_deleted_from_both_languages(project: Path) -> None:
    in_both_ui_files(
        project,
        {"zh": "  related: 相关故事\n", "en": "  related: Related stories\n"},
        {"zh": "", "en": ""},
    )
    zh, en = (line_of(project, f"ui/{lang}.yaml", "\nstory:") + 1 for lang in ("zh", "en"))
    err = refused(
        project,
        f"content/ui/zh.yaml:{zh}:1 story.related:",  # where its group starts
        f"content/ui/en.yaml:{en}:1 story.related:",
        "界面文字“story.related”缺失",
        "The UI string 'story.related' is missing; it is used by templates/story.html.",
    )
    assert "2 problem(s)" in err


def test_ui_string_a_chart_builder_reads_deleted_is_refused_by_check_too(project: Path) -> None:
    in_both_ui_files(
        project,
        {
            "zh": "  not_covered: 本站来源未涉及\n",
            "en": "  not_covered: Not covered by this tracker's sources\n",
        },
        {"zh": "", "en": ""},
    )
    result = run_build(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "The UI string 'chart.not_covered' is missing" in result.stderr
    refused(project, "content/ui/en.yaml", "chart.not_covered", "sitegen/chartkinds.py")


def test_deleted_group_of_ui_strings_is_one_problem_per_file(project: Path) -> None:
    for lang in ("zh", "en"):
        cut(project, f"ui/{lang}.yaml", "footer:\n", "home:\n")
    err = refused(
        project,
        "content/ui/zh.yaml footer:",
        "content/ui/en.yaml footer:",
        "界面文字组“footer”缺失",
        "The group of UI strings 'footer' (sources, sources_link, note) is missing",
        "templates/base.html",
    )
    assert "2 problem(s)" in err


def test_ui_key_read_with_a_computed_part_deleted(project: Path) -> None:
    level = {
        "zh": "    provincial: 省级\n  show_table",
        "en": "    provincial: Provincial\n  show_table",
    }
    in_both_ui_files(project, level, {"zh": "  show_table", "en": "  show_table"})
    refused(
        project,
        f"content/ui/en.yaml:{line_of(project, 'ui/en.yaml', 'level_short:')}:3"
        " chart.level_short.provincial:",
        "the chart builder sitegen/chartkinds.py, the page views sitegen/views.py",
    )


def test_ui_string_turned_into_a_group(project: Path) -> None:
    lines = in_both_ui_files(
        project,
        {"zh": "skip: 跳到正文\n", "en": "skip: Skip to content\n"},
        {"zh": "skip:\n  text: 跳到正文\n", "en": "skip:\n  text: Skip to content\n"},
    )
    refused(
        project,
        f"content/ui/zh.yaml:{lines['zh']}:1 skip:",
        "“skip”应是一段文字",
        "'skip' must be a single text, not a group",
    )


def test_group_of_ui_strings_turned_into_a_text_in_one_language(project: Path) -> None:
    line = cut(project, "ui/en.yaml", "level:\n", "region:\n", "level: Level\n")
    err = refused(
        project,
        f"content/ui/en.yaml:{line}:8 level:",
        "'level' must be a group of 'key: text' lines (national, provincial), not a single text",
    )
    assert "1 problem(s)" in err  # not also a missing translation for each of its keys


def test_list_of_ui_paragraphs_turned_into_a_text(project: Path) -> None:
    for lang in ("zh", "en"):
        cut(project, f"ui/{lang}.yaml", "  paragraphs:\n", "  errors_title:", "  paragraphs: x\n")
    refused(project, "content/ui/zh.yaml", "about.paragraphs", "must be a list of texts")


def test_missing_charts_and_ui_strings_are_reported_at_once(project: Path) -> None:
    edit(project, "charts.yaml", "  - id: national-projects\n", "  - id: national-bars\n")
    edit(project, "ui/zh.yaml", "  not_covered: 本站来源未涉及\n", "")
    edit(project, "ui/en.yaml", "  not_covered: Not covered by this tracker's sources\n", "")
    edit(project, "facts.yaml", "    value: 2884\n", "    value: -1\n")
    err = refused(project, "'national-projects'", "'chart.not_covered'", "cannot be negative")
    assert "4 problem(s)" in err


# Hostile or absurd input.


def test_yaml_tags_that_construct_objects_are_refused(project: Path) -> None:
    line = edit(
        project,
        "facts.yaml",
        "    value: 2884\n",
        "    value: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    )
    refused(project, f"content/facts.yaml:{line}:", "YAML tag")
    assert not Path("/tmp/pwned").exists()


def test_alias_bomb_is_refused(project: Path) -> None:
    bomb = (
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    )
    (project / "content/units.yaml").write_text(bomb, "utf-8")
    refused(project, "content/units.yaml:", "anchors and aliases")


def test_very_large_file_is_refused(project: Path) -> None:
    path = project / "content/events.yaml"
    path.write_text(path.read_text("utf-8") + "#" + "x" * 32_100_000 + "\n", "utf-8")
    refused(project, "content/events.yaml", "too large")


DEEP = {
    "flow": ("units: " + "[" * 3000 + "]" * 3000 + "\n", "1:28"),
    "block": ("units:\n" + "".join("  " * i + "- a:\n" for i in range(1, 1500)), "12:23"),
}


@pytest.mark.parametrize("kind", DEEP)
def test_deeply_nested_structure_is_refused(project: Path, kind: str) -> None:
    """Past 1,000 levels libyaml refuses the file itself (PyYAML 6.0.4); still our message."""
    text, where = DEEP[kind]
    (project / "content/units.yaml").write_text(text, "utf-8")
    stderr = refused(
        project, f"content/units.yaml:{where}\n", "嵌套层次太深（超过 20 层）", "nested too deeply"
    )
    assert "exceeded maximum nesting depth" not in stderr


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize("levels", [21, 3000])
def test_nesting_is_located_alike_by_either_loader(
    monkeypatch: pytest.MonkeyPatch, loader: str, levels: int
) -> None:
    """With libyaml or PyYAML's pure-Python loader (which runs out of stack), shallow or deep."""
    import yaml

    from sitegen import yamlio

    base = getattr(yaml, loader, None)
    if base is None:
        pytest.skip(f"PyYAML without {loader}")
    monkeypatch.setattr(yamlio, "_Loader", type("Loader", (base,), {}))
    text = "units: " + "[" * levels + "]" * levels + "\n"
    data, _, errors = yamlio.parse(text, "content/units.yaml")
    assert data is None
    assert [(e.line, e.column, e.en) for e in errors] == [
        (1, 28, "The structure is nested too deeply (more than 20 levels). Simplify it.")
    ]


def test_path_traversal_in_an_id_is_refused(project: Path) -> None:
    line = edit(project, "centres.yaml", "  - id: hechi-peoples\n", "  - id: ../../etc/passwd\n")
    refused(project, f"content/centres.yaml:{line}:", "cannot be an id")


def test_path_traversal_in_a_story_file_name_is_refused(project: Path) -> None:
    src = project / "content/stories/songxia-achilles-tendon.zh.md"
    shutil.copy(src, project / "content/stories/..%2Fevil.zh.md")
    refused(project, "content/stories/..%2Fevil.zh.md", "<id>.zh.md")


def test_javascript_url_for_a_source_is_refused(project: Path) -> None:
    line = edit(
        project,
        "sources.yaml",
        "    date: 2022-10-08\n",
        "    date: 2022-10-08\n    url: javascript:alert(1)\n",
    )
    refused(project, f"content/sources.yaml:{line + 1}:", "javascript:alert(1)")


def test_html_in_text_fields_and_markdown_is_never_executed(scratch: Path) -> None:
    edit(
        scratch,
        "events.yaml",
        "河南率先启动国家区域医疗中心创建工作",
        "<script>alert(1)</script>河南率先",
    )
    story = scratch / "content/stories/songxia-achilles-tendon.zh.md"
    story.write_text(
        story.read_text("utf-8")
        + "\n<script>alert(2)</script> <img src=x onerror=alert(3)> [点我](javascript:alert(4)) "
        '<a href="javascript:alert(5)">链接</a>\n',
        "utf-8",
    )
    out = scratch / "site"
    result = run_build(scratch, "--out", str(out))
    assert result.returncode == 0, result.stderr
    for page in out.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "<script>alert" not in html, page
        assert "javascript:" not in html, page
        assert "onerror" not in html, page
    timeline = (out / "timeline/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;河南率先" in timeline


def test_schemas_are_up_to_date_and_named_in_each_file() -> None:
    from sitegen.load import FILES
    from sitegen.schemas import header, schemas

    for rel, text in schemas().items():
        assert (ROOT / "content" / rel).read_text("utf-8") == text, (
            f"content/{rel} is stale: run `python build.py schemas`"
        )
    for name in FILES:
        assert (ROOT / "content" / name).read_text("utf-8").startswith(header(name) + "\n"), name


# Fact references: anything that looks like one is one, or a located error saying what to type.

STORY = "stories/songxia-achilles-tendon.en.md"
AT = f"content/{STORY}"


def append(project: Path, rel: str, *paragraphs: str) -> list[int]:
    """Add paragraphs at the end of a story; return the line of each."""
    path = project / "content" / rel
    text = path.read_text("utf-8").rstrip("\n")
    lines = []
    for paragraph in paragraphs:
        text += "\n\n"
        lines.append(text.count("\n") + 1)
        text += paragraph
    path.write_text(text + "\n", "utf-8")
    return lines


NEAR_MISSES = {  # typed → what the message says to type (or what it says is wrong)
    "{{fact:sichuan-zones|numbr}}": "Write {{fact:sichuan-zones|number}}.",
    "{{Fact:sichuan-zones}}": "Write {{fact:sichuan-zones}}.",
    "{{fact sichuan-zones}}": "Write {{fact:sichuan-zones}}.",
    "{fact:sichuan-zones}": "Write {{fact:sichuan-zones}}.",
    "｛｛fact：sichuan-zones｝｝": "Write {{fact:sichuan-zones}}.",
    "{{{fact:sichuan-zones}}}": "Write {{fact:sichuan-zones}}.",
    "{{fact:sichuan-zones}": "Write {{fact:sichuan-zones}}.",
    "fact:sichuan-zones}}": "Write {{fact:sichuan-zones}}.",
    "&#123;&#123;fact:sichuan-zones}}": "Write {{fact:sichuan-zones}}.",
    "{{FACT:Sichuan-Zones | Number}}": "Write {{fact:sichuan-zones|number}}.",
    "{{fact:no-such-fact|x}}": "and there is no fact 'no-such-fact' in content/facts.yaml",
    "{{ }}": "is not a whole fact reference",
    "{{fact:}}": "is not a whole fact reference",
    "}}": "is not a whole fact reference",
}


def test_near_miss_references_in_a_story_are_each_located_with_what_to_type(
    project: Path,
) -> None:
    lines = append(project, STORY, *(f"Zones: {typed} here." for typed in NEAR_MISSES))
    err = refused(
        project,
        *(f"{AT}:{line}:8 {{{{fact:…}}}}:\n" for line in lines),
        *(f"'{typed}' " for typed in NEAR_MISSES),
        *NEAR_MISSES.values(),
        "请改成 {{fact:sichuan-zones|number}}。",
    )
    assert f"{len(NEAR_MISSES)} problem(s)" in err


def test_near_miss_references_in_yaml_texts_are_located(project: Path) -> None:
    chart = edit(
        project,
        "charts.yaml",
        "{{fact:national-projects-2023-04|number}} approved",
        "{{Fact:national-projects-2023-04|number}} approved",
    )
    summary = edit(project, "charts.yaml", "国家分{{fact:", "国家分{fact:")
    event = edit(project, "events.yaml", '      en: "According to Henan Daily', '      en: "{{')
    headline = edit(
        project,
        "site.yaml",
        '"{{fact:national-projects-2024-10|number}} national',
        '"{{fact:national-projects-2024-10|Number}} national',
    )
    err = refused(
        project,
        f"content/charts.yaml:{chart}:129 charts[0].title.en:\n",
        "Write {{fact:national-projects-2023-04|number}}.",
        f"content/charts.yaml:{summary}:11 charts[0].summary.zh:\n",
        "Write {{fact:national-batches-2023-04}}.",
        f"content/events.yaml:{event}:11 events[0].summary.en:\n",
        "is not a whole fact reference",
        f"content/site.yaml:{headline}:7 headline.en:\n",
        "Write {{fact:national-projects-2024-10|number}}.",
    )
    assert "4 problem(s)" in err


def test_reference_like_text_where_citing_is_not_allowed(project: Path) -> None:
    note = edit(
        project,
        "facts.yaml",
        '      zh: "出自2021年7月1日',
        '      zh: "{Fact:x} {{ 出自2021年7月1日',  # double braces alone are prose here
    )
    title = edit(
        project,
        STORY,
        "title: Herdsman Songxia",
        "title: Herdsman {Fact:sichuan-zones} Songxia",
    )
    err = refused(
        project,
        f"content/facts.yaml:{note}:11 facts[2].note.zh:\n",
        f"{AT}:{title}:8 title:\n",  # where the title starts
        "A number cannot be cited here",
    )
    assert "2 problem(s)" in err


def test_references_in_link_addresses_link_texts_and_tags_are_refused(project: Path) -> None:
    typed = {
        "See [x]({{fact:sichuan-zones}}).": 9,
        'See <a href="{{fact:sichuan-zones}}">y</a>.': 14,
        "See [about {{fact:sichuan-zones}}](https://example.org/).": 12,
        "See <https://example.org/{{fact:sichuan-zones}}>.": 26,
        'See [z](https://example.org/ "{{fact:sichuan-zones}}").': 31,
        "See ![{{fact:sichuan-zones}}](https://example.org/a.png).": 7,
        "[r]: {{fact:sichuan-zones}}\n\nSee [r].": 6,
    }
    lines = append(project, STORY, *typed)
    err = refused(
        project,
        *(f"{AT}:{line}:{col} {{{{fact:…}}}}:\n" for line, col in zip(lines, typed.values())),
        "A fact reference cannot stand in a link (its address or its text)",
        "链接的网址、链接文字或 HTML 标签里不能引用数字",
    )
    assert f"{len(typed)} problem(s)" in err


def test_id_and_class_in_story_html_are_refused(project: Path) -> None:
    typed = {
        '<span class="fact">5 zones</span> imitates a citation.': "class",
        'A note number <sup id="note-1">1</sup>.': "id",
        'Top <a ID="main" href="#top">link</a>.': "id",
        '<p class="lede">A paragraph.</p>': "class",
    }
    lines = append(project, STORY, *typed)
    err = refused(
        project,
        f"{AT}:{lines[0]}:1 class:\n",
        f"{AT}:{lines[1]}:15 id:\n",
        f"{AT}:{lines[2]}:5 id:\n",
        f"{AT}:{lines[3]}:1 class:\n",
        "HTML in a story cannot carry the attribute 'class' (here <span class=\"fact\">)",
        'cannot carry the attribute \'id\' (here <a ID="main" href="#top">)',
    )
    assert f"{len(typed)} problem(s)" in err


def test_private_use_characters_are_located_wherever_they_stand(project: Path) -> None:
    (body,) = append(project, STORY, "Pasted from a PDF: \ue000 and \ue00099\ue001.")
    title = edit(project, "charts.yaml", "Henan's {{fact:", "Henan's \uf8ff{{fact:")
    event = edit(project, "events.yaml", "    date: 2019-10\n", "    date: 2019-10 # \U0010fffd\n")
    front = edit(project, STORY, "title: Herdsman", "title: \U000f0000Herdsman")
    err = refused(
        project,
        f"{AT}:{body}:20\n",
        "There is a private-use character (U+E000) here",
        f"content/charts.yaml:{title}:",
        "(U+F8FF)",
        f"content/events.yaml:{event}:",
        "(U+10FFFD)",
        f"{AT}:{front}:8\n",
        "(U+F0000)",
        "这里有一个私用区字符 U+E000",
    )
    assert "4 problem(s)" in err  # one per line


def test_private_use_characters_typed_as_character_references_are_located(project: Path) -> None:
    (line,) = append(project, STORY, "Typed: &#xE000;99&#xE001; and &#57344;.")
    refused(project, f"{AT}:{line}:8\n", "private-use character (U+E000)")


def test_prose_braces_are_free_and_a_fixed_reference_builds(project: Path) -> None:
    prose = "Braces in prose: {a}, {value}, { x }, {factory}, {}, in fact: {x}."
    (line,) = append(project, STORY, f"{prose} Zones: {{{{fact sichuan-zones}}}}.")
    edit(project, "charts.yaml", "Henan's {{fact:", "{Henan}'s {{fact:")
    err = refused(project, f"{AT}:{line}:{len(prose) + 9} {{{{fact:…}}}}:")
    assert "1 problem(s)" in err
    edit(project, STORY, "{{fact sichuan-zones}}", "{{ fact : sichuan-zones }}")
    result = run_build(project, "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    page = (project / "site/en/stories/songxia-achilles-tendon/index.html").read_text("utf-8")
    assert f'{prose} Zones: <a class="fact" href="#note-1">5 zones<sup>1</sup></a>.' in page
