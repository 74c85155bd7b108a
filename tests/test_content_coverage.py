"""Every fact and statement reaches a reader, in both languages, with its source and its note.

The content model can hold records no page shows (the fact-check found 18 such
facts); these tests read the built pages as a reader would, for every record,
and break scratch copies to see that `check` names what an editor must fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, run_build

CONTENT = ROOT / "content"
LANGS = ("zh", "en")


def _records(name: str, key: str) -> list[dict]:
    return yaml.safe_load((CONTENT / name).read_text("utf-8"))[key]


FACTS = _records("facts.yaml", "facts")
STATEMENTS = _records("statements.yaml", "statements")
CENTRES = {c["id"]: c for c in _records("centres.yaml", "centres")}
UI = {lang: yaml.safe_load((CONTENT / f"ui/{lang}.yaml").read_text("utf-8")) for lang in LANGS}


def _in_lang(pages: dict[str, BeautifulSoup], lang: str) -> dict[str, BeautifulSoup]:
    return {p: s for p, s in pages.items() if p.startswith("en/") == (lang == "en")}


def _anchors(pages: dict[str, BeautifulSoup], prefix: str) -> dict[str, list[Tag]]:
    """Element id → the elements carrying it, across the pages given."""
    out: dict[str, list[Tag]] = {}
    for soup in pages.values():
        for el in soup.find_all(id=re.compile(f"^{prefix}")):
            out.setdefault(el["id"].removeprefix(prefix), []).append(el)
    return out


def _holder(el: Tag) -> Tag:
    """The card or list item a fact anchor stands in (a merged card's extra anchors are spans)."""
    return el.parent if el.name == "span" else el


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_fact_is_on_a_page_with_its_source(pages: dict, lang: str) -> None:
    anchors = _anchors(_in_lang(pages, lang), "fact-")
    missing, unsourced = [], []
    for f in FACTS:
        if f["id"] not in anchors:
            missing.append(f["id"])
            continue
        links = [a["href"] for el in anchors[f["id"]] for a in _holder(el).find_all("a", href=True)]
        if not any(h.endswith(f"#source-{f['source']}") for h in links):
            unsourced.append(f["id"])
    assert not missing, f"facts on no {lang} page: {missing}"
    assert not unsourced, f"facts shown without their source ({lang}): {unsourced}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_note_is_shown_with_its_fact(pages: dict, lang: str) -> None:
    anchors = _anchors(_in_lang(pages, lang), "fact-")
    unseen = [
        f["id"]
        for f in FACTS
        if f.get("note")
        and not any(f["note"][lang] in _holder(el).get_text() for el in anchors.get(f["id"], []))
    ]
    assert not unseen, f"notes no {lang} reader sees: {unseen}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_statement_is_on_a_page_with_quote_and_source(pages: dict, lang: str) -> None:
    anchors = _anchors(_in_lang(pages, lang), "statement-")
    for st in STATEMENTS:
        assert st["id"] in anchors, f"statement {st['id']} is on no {lang} page"
        item = anchors[st["id"]][0]
        text = item.get_text()
        assert st["quote"]["zh"] in text
        if lang == "en":
            assert st["quote"]["en"] in text
        assert item.find("a", href=re.compile(f"#source-{st['source']}$")), st["id"]


def test_no_fact_reference_is_left_unfilled(pages: dict) -> None:
    left = [p for p, soup in pages.items() if "{{" in soup.get_text()]
    assert not left, left


def test_events_take_their_numbers_from_facts(pages: dict) -> None:
    """The 2024 event states 125 projects, 5 batches and 89 hospitals by citing the facts."""
    zh = pages["timeline/index.html"].find(id="event-national-projects-125-2024").get_text()
    en = pages["en/timeline/index.html"].find(id="event-national-projects-125-2024").get_text()
    for text in ("125个国家区域医疗中心建设项目落地实施", "5批", "89家高水平医院"):
        assert text in zh
    for text in ("125 national regional medical centre projects under way", "89 high-level"):
        assert text in en


def test_event_category_names_the_level_of_the_event(pages: dict) -> None:
    """The 2016 Henan start of national centre work is national; the ~120 centres provincial."""
    timeline = pages["timeline/index.html"]
    henan = timeline.find(id="event-henan-starts-creation-2016").find(class_="meta").get_text()
    assert UI["zh"]["chart"]["level_short"]["national"] in henan
    announced = timeline.find(id="event-provincial-centres-announced-2022")
    assert UI["zh"]["chart"]["level_short"]["provincial"] in announced.find(class_="meta").text


def test_home_card_for_henan_names_henan(pages: dict) -> None:
    zh = pages["index.html"].find(id="fact-henan-national-centres").get_text()
    en = pages["en/index.html"].find(id="fact-henan-national-centres").get_text()
    assert "河南" in zh and "Henan" in en


def test_a_figure_reported_twice_is_one_card_with_both_sources(pages: dict) -> None:
    card = pages["centres/shiyan-taihe/index.html"].find(id="fact-taihe-population-served")
    sources = {a["href"].rsplit("#source-", 1)[1] for a in card.select(".fact-meta a")}
    assert sources == {"guancha-2022-09-26", "medsci-2022-10-08"}
    assert card.find(id="fact-taihe-population-served-medsci")
    assert len(pages["centres/shiyan-taihe/index.html"].select(".fact-card")) < len(
        [f for f in FACTS if f["subject"] == "shiyan-taihe"]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_inferred_level_is_said_on_the_centre_page(pages: dict, lang: str) -> None:
    prefix = "en/" if lang == "en" else ""
    said = UI[lang]["centre"]["level_inferred"].strip()
    for cid, centre in CENTRES.items():
        text = pages[f"{prefix}centres/{cid}/index.html"].find("dl").get_text()
        assert (said in text) == (centre.get("level_stated") is False), cid


def test_province_without_own_figures_points_to_its_centres(pages: dict) -> None:
    guizhou = pages["provinces/guizhou/index.html"].get_text()
    assert UI["zh"]["none_province_level"] in guizhou
    anhui = pages["provinces/anhui/index.html"]
    text = anhui.get_text()
    assert UI["zh"]["none_province_level"] not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_province_the_sources_say_nothing_about_is_no_dead_end(pages: dict, lang: str) -> None:
    """It says what is not reported, gives the national picture and asks readers to tell us."""
    prefix = "en/" if lang == "en" else ""
    anhui = pages[f"{prefix}provinces/anhui/index.html"]
    lede = anhui.select_one(".lede").get_text()
    name = "安徽" if lang == "zh" else "Anhui"
    assert UI[lang]["lede"]["none"].replace("{name}", name).strip() in lede
    assert UI[lang]["nearby"]["national"] in anhui.get_text()
    assert len(anhui.select(".fact-card")) >= 2  # national key figures
    assert anhui.select_one(f'.tell-us a[href$="{prefix}about/#report"]')
    henan = pages[f"{prefix}provinces/henan/index.html"]
    assert UI[lang]["nearby"]["national"] not in henan.get_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_outside_the_sources_are_labelled_as_such(pages: dict, lang: str) -> None:
    prefix = "en/" if lang == "en" else ""
    table = pages[f"{prefix}provinces/index.html"].find(id="chart-province-map").find("table")
    label = UI[lang]["chart"]["not_covered"]
    rows = [r.get_text(" ") for r in table.find_all("tr") if label in r.get_text()]
    assert len(rows) == 3, rows
    assert "programme" not in label and "工作范围" not in label


def _check(project: Path) -> str:
    result = run_build(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def _edit(project: Path, rel: str, old: str, new: str) -> int:
    path = project / "content" / rel
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_unknown_fact_cited_in_an_event_is_located(scratch: Path) -> None:
    line = _edit(scratch, "events.yaml", "{{fact:output-hospitals-2024}}", "{{fact:no-such}}")
    err = _check(scratch)
    assert f"content/events.yaml:{line}:" in err and "no-such" in err
    assert "content/facts.yaml" in err  # says where to add it


def test_national_metric_without_a_theme_is_located(scratch: Path) -> None:
    _edit(scratch, "themes.yaml", "      - output_hospitals\n", "")
    err = _check(scratch)
    assert "content/facts.yaml:" in err and "output_hospitals" in err
    assert "content/themes.yaml" in err


def test_national_statement_without_a_theme_is_located(scratch: Path) -> None:
    line = _edit(scratch, "statements.yaml", "    theme: county-hospitals\n", "")
    err = _check(scratch)
    assert f"content/statements.yaml:{line - 2}:" in err and "theme" in err


def test_statement_with_unknown_fact_or_late_date_is_located(scratch: Path) -> None:
    _edit(scratch, "statements.yaml", "facts: [liaoxi-floor-area,", "facts: [liaoxi-floor-arena,")
    old = "    date: 2022-10-08\n    title: {zh: 辽西肿瘤诊疗中心：计划"
    _edit(scratch, "statements.yaml", old, old.replace("2022-10-08", "2023-10-08"))
    err = _check(scratch)
    assert "liaoxi-floor-arena" in err
    assert "2023-10-08" in err and "medsci-2022-10-08" in err


def test_story_notes_are_punctuated_as_each_language_writes(pages: dict) -> None:
    for path, soup in pages.items():
        if "/stories/" not in f"/{path}" or path.endswith("stories/index.html"):
            continue
        for figure in soup.select(".notes .note-figures li"):
            text = figure.get_text()
            if path.startswith("en/"):
                assert ": " in text and text.endswith(")") and "：" not in text, text
            else:
                assert "：" in text and text.endswith("）") and "(" not in text, text


def test_story_notes_give_each_source_sentence_once(pages: dict) -> None:
    """A sentence that supports several figures is one note; its citations share a number."""
    shared = 0
    for path, soup in pages.items():
        if "/stories/" not in f"/{path}" or path.endswith("stories/index.html"):
            continue
        notes = soup.select(".notes > ol > li")
        quotes = [n.select_one('blockquote[lang="zh-CN"]').get_text() for n in notes]
        assert len(quotes) == len(set(quotes)), path
        cited = {a["href"] for a in soup.select(".prose a.fact")}
        assert cited == {f"#note-{i}" for i in range(1, len(notes) + 1)}, path
        shared += sum(len(n.select(".note-figures li")) > 1 for n in notes)
    assert shared  # some sentence supports two figures, so the grouping is exercised


def test_a_metric_listed_twice_is_located(scratch: Path) -> None:
    line = _edit(
        scratch, "themes.yaml", "      - output_hospitals\n", "      - output_hospitals\n" * 2
    )
    err = _check(scratch)
    assert f"content/themes.yaml:{line + 1}:" in err and "twice in theme 'national-centres'" in err


def test_statement_with_unknown_theme_or_subject_is_located(scratch: Path) -> None:
    theme = _edit(scratch, "statements.yaml", "theme: county-hospitals\n", "theme: county\n")
    subject = _edit(scratch, "statements.yaml", "subject: henan\n", "subject: henna\n")
    err = _check(scratch)
    assert f"content/statements.yaml:{theme}:" in err and "'county'" in err
    assert f"content/statements.yaml:{subject}:" in err and "'henna'" in err


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (
            "facts.yaml",
            "NHC press conference of 13 April 2023.",
            "{{fact:national-projects-2023-04}}",
        ),
        (
            "charts.yaml",
            "label: {zh: 床位,",
            "label: {zh: '{{fact:output-hospitals-2024}}',",
        ),
        (
            "stories/xiao-qi-stem-cell-transplant.en.md",
            "title: ",
            "title: Story {{fact:output-hospitals-2024}} ",
        ),
    ],
)
def test_a_fact_cited_where_it_would_print_as_typed_is_refused(
    scratch: Path, rel: str, old: str, new: str
) -> None:
    line = _edit(scratch, rel, old, new)
    err = _check(scratch)
    assert f"content/{rel}:{line}:" in err and "cannot be cited here" in err


def test_deleting_a_story_its_figures_belong_to_is_located(scratch: Path) -> None:
    for lang in LANGS:
        (scratch / f"content/stories/chang-xiaofeng-commute.{lang}.md").unlink()
    err = _check(scratch)
    assert "content/facts.yaml:" in err and "'chang-xiaofeng-commute'" in err
    assert "story's id" in err


def test_unknown_fact_in_the_headline_is_located(scratch: Path) -> None:
    old = "{{fact:henan-national-centres}}居全国之首"
    line = _edit(scratch, "site.yaml", old, "{{fact:henan}}")
    err = _check(scratch)
    assert f"content/site.yaml:{line}:" in err and "'henan'" in err and "headline.zh" in err


def test_the_home_headline_states_the_news_from_facts(pages: dict) -> None:
    zh, en = pages["index.html"], pages["en/index.html"]
    assert zh.h1.get_text() == "125个国家区域医疗中心建设项目落地实施，河南获批10个居全国之首"
    assert en.h1.get_text().startswith("125 national regional medical centre projects")
    assert "5批" in zh.select_one(".standfirst").get_text()


def test_a_story_named_like_a_centre_is_refused(scratch: Path) -> None:
    for lang in LANGS:
        old = scratch / f"content/stories/zhao-zhengzhou-hip.{lang}.md"
        old.rename(old.with_name(f"bch-baoding.{lang}.md"))
    err = _check(scratch)
    assert "content/stories/bch-baoding.zh.md" in err and "Rename the story" in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_province_lede_names_few_centres_and_counts_many(pages: dict, lang: str) -> None:
    prefix = "en/" if lang == "en" else ""
    henan = pages[f"{prefix}provinces/henan/index.html"].select_one(".lede").get_text()
    many = UI[lang]["lede"]["centres"]["many"].split("{n}")[1].split("{name}")[0]
    assert many.strip() in henan and ("4" in henan), henan  # four centres: counted, not listed
    hebei = pages[f"{prefix}provinces/hebei/index.html"].select_one(".lede").get_text()
    names = [
        a.get_text() for a in pages[f"{prefix}provinces/hebei/index.html"].select(".card-list a")
    ]
    assert all(n in hebei for n in names[:2]), hebei  # two: named
