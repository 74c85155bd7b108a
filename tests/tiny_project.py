"""A small bilingual project for page-level tests: a few real records, written out in a tmp_path.

Like lektor's `scratch_project_data`: the site's reference tables (provinces, sources, units, UI
strings) and templates are copied; facts, centres, events and stories are a handful of the real
ones, taken by id from content/, so every figure stays sourced; charts, themes and the site file
are written here. Its pages are small and change only when the page code or templates do, which
makes them fit for golden-file tests (tests/golden/).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = (
    "national-projects-2024-10",
    "national-batches-2024-10",
    "henan-national-centres",
    "bch-baoding-class100-rooms",
    "bch-baoding-class1000-rooms",
    "bch-baoding-transplant-success",
    "bch-baoding-transplants",
    "bch-baoding-xiao-qi-illness-duration",
)
CENTRES = ("bch-baoding", "fuwai-central-china")
EVENTS = ("henan-starts-creation-2016",)
STORIES = ("xiao-qi-stem-cell-transplant", "wang-yucheng-marfan")
# No real source records its address yet (the saved copies do not give it); one here has one.
LINKED_SOURCE = "henan-daily-2023-05-24"
LINKED_URL = "https://example.org/henan-daily-2023-05-24.html"

SITE = """\
title: {zh: 区域医疗中心观察, en: Regional Medical Centres Tracker}
description:
  zh: 中国国家和省级区域医疗中心建设的数据、时间线和就医故事，每个数字都注明来源。
  en: Data, timeline and patient stories of China's regional medical centres, each figure sourced.
base_url: https://example.org/
headline:
  zh: "{{fact:national-projects-2024-10}}国家区域医疗中心建设项目落地实施"
  en: "{{fact:national-projects-2024-10|number}} national regional medical centre projects are under way"
standfirst:
  zh: "国家已累计发布{{fact:national-batches-2024-10}}项目名单；河南获批{{fact:henan-national-centres}}。"
  en: "China has published {{fact:national-batches-2024-10}} of lists; Henan has {{fact:henan-national-centres}} approved."
headline_facts: [national-projects-2024-10, henan-national-centres]
dataset:
  name: {zh: 区域医疗中心数据, en: Regional medical centre data}
  description:
    zh: 来源报道的国家和省级区域医疗中心建设数字，每条注明数值、单位、所指日期、来源及来源原句，提供 CSV 和 JSON 下载。
    en: Figures on China's regional medical centres as published reports give them, each with its source and the source's own sentence, as CSV and JSON.
data_licence:
  name: CC-BY-4.0
  path: https://creativecommons.org/licenses/by/4.0/
  title: Creative Commons Attribution 4.0 International
report:
  email: corrections@example.org
  tracker: https://example.org/issues
corrections:
  - date: 2026-12-01
    subject: henan
    text:
      zh: 河南的数字现写明为{{fact:henan-national-centres}}。
      en: Henan's figure now reads {{fact:henan-national-centres}}.
"""

CHARTS = """\
charts:
  - id: national-projects
    kind: bars_over_time
    title: {zh: 国家区域医疗中心建设项目, en: National regional medical centre projects}
    subtitle: {zh: 累计项目数, en: Cumulative projects}
    summary:
      zh: 到2024年10月，{{fact:national-projects-2024-10}}项目落地实施。
      en: By October 2024, {{fact:national-projects-2024-10}} were under way.
    facts: [national-projects-2024-10]
  - id: province-map
    kind: tile_map
    metric: national_centre_projects
    title: {zh: 各省项目数, en: Projects by province}
    subtitle: {zh: 仅标出来源报道了数字的省份, en: Only provinces with a reported figure are filled}
    summary:
      zh: 河南报道了{{fact:henan-national-centres}}。
      en: Henan reports {{fact:henan-national-centres}}.
  - id: timeline
    kind: events
    title: {zh: 大事时间线, en: Timeline of events}
    subtitle: {zh: 按日期, en: By date}
    summary: {zh: 一件大事。, en: One event.}
"""

THEMES = """\
themes:
  - id: national-centres
    title: {zh: 国家区域医疗中心, en: National regional medical centres}
    metrics: [national_centre_projects, national_centre_batches]
"""


def _records(file: str, ids: tuple[str, ...]) -> str:
    """The records of a content list file with these ids, as written there (comments dropped)."""
    text = (ROOT / "content" / file).read_text("utf-8")
    blocks = re.split(r"(?m)^(?=  - id: )", text)[1:]
    found = {re.match(r"  - id: (\S+)", b).group(1): b for b in blocks}  # type: ignore[union-attr]
    missing = set(ids) - set(found)
    assert not missing, f"content/{file} no longer has {missing}: pick other records"
    return "".join(re.sub(r"(?m)^\s*#.*\n", "", found[i]).rstrip() + "\n" for i in ids)


def write(root: Path) -> Path:
    """Write the small project under `root` and return it."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    content = root / "content"
    content.mkdir()
    shutil.copytree(ROOT / "content" / "ui", content / "ui")
    for name in ("provinces.yaml", "units.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    sources = (ROOT / "content/sources.yaml").read_text("utf-8")
    at = f"  - id: {LINKED_SOURCE}\n"
    assert at in sources
    sources = sources.replace(at, f"{at}    url: {LINKED_URL}\n")
    (content / "sources.yaml").write_text(sources, "utf-8")
    (content / "facts.yaml").write_text("facts:\n" + _records("facts.yaml", FACTS), "utf-8")
    (content / "centres.yaml").write_text("centres:\n" + _records("centres.yaml", CENTRES), "utf-8")
    (content / "events.yaml").write_text("events:\n" + _records("events.yaml", EVENTS), "utf-8")
    (content / "statements.yaml").write_text("statements: []\n", "utf-8")
    (content / "themes.yaml").write_text(THEMES, "utf-8")
    (content / "charts.yaml").write_text(CHARTS, "utf-8")
    (content / "site.yaml").write_text(SITE, "utf-8")
    (content / "stories").mkdir()
    for story in STORIES:
        for lang in ("zh", "en"):
            name = f"{story}.{lang}.md"
            shutil.copy(ROOT / "content" / "stories" / name, content / "stories" / name)
    return root
