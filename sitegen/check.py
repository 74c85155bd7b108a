"""Stage 2: rules across records that no single file can check on its own.

References resolve, dates are not after their source's date (nor a story's
update before its date), a province's listed centres never outnumber its
reported tally, national sums never exceed the national total of the same
date, every national fact's metric is under one theme (so the national page
shows it), and facts are cited only where a text is filled in. Every problem
is collected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from . import LANGS, cite, prose
from .errors import ContentError, ContentErrors
from .messages import listed, msg
from .model import Content, date_start

TALLY_METRICS = {"national": "national_centre_projects", "provincial": "provincial_centres"}
_OVER_TALLY = {  # the message when a province lists more centres than it reported, by level
    "national": "centres_over_tally_national",
    "provincial": "centres_over_tally_provincial",
}
_NO_SUCH = {  # the message for a reference to a record that does not exist, by kind
    "source": "no_source",
    "province": "no_province",
    "centre": "no_centre",
    "fact": "no_fact",
    "unit": "no_unit",
    "subject": "no_subject",  # a province, a centre or "national"
    "theme": "no_theme",
    "event": "no_event",
}


def check(content: Content) -> None:
    """Raise ContentErrors listing every broken rule, or return quietly."""
    errors: list[ContentError] = []
    errors += _references(content)
    errors += _dates(content)
    errors += _tallies(content)
    errors += _in_force(content)
    errors += _consistency(content)
    errors += _story_facts(content)
    errors += _chart_and_site_facts(content)
    errors += _statements(content)
    errors += _themes(content)
    errors += _cited_facts(content)
    if errors:
        raise ContentErrors(errors)


def _err(content: Content, file: str, path: tuple, zh: str, en: str) -> ContentError:
    line, col = content.where.at(file, path)
    field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
    return ContentError(f"content/{file}", line, col, field, zh, en)


def _missing(content: Content, file: str, path: tuple, kind: str, ident: str) -> ContentError:
    return _err(content, file, path, *msg(_NO_SUCH[kind], ident=ident))


def _references(c: Content) -> list[ContentError]:
    errs: list[ContentError] = []
    subjects = {"national"} | set(c.provinces) | set(c.centres) | set(c.stories)
    for sid in sorted(set(c.stories) & ({"national"} | set(c.provinces) | set(c.centres))):
        file = c.stories[sid].zh.file
        errs.append(ContentError(file, None, None, "id", *msg("story_id_taken", ident=sid)))
    for i, f in enumerate(c.facts.values()):
        if f.source not in c.sources:
            errs.append(_missing(c, "facts.yaml", ("facts", i, "source"), "source", f.source))
        if f.subject not in subjects:
            errs.append(_missing(c, "facts.yaml", ("facts", i, "subject"), "subject", f.subject))
        if f.unit not in c.units:
            errs.append(_missing(c, "facts.yaml", ("facts", i, "unit"), "unit", f.unit))
    for i, k in enumerate(c.site.corrections):  # the about page links each to its page
        if k.subject is not None and k.subject not in subjects:
            at = ("corrections", i, "subject")
            errs.append(_missing(c, "site.yaml", at, "subject", k.subject))
    for i, ce in enumerate(c.centres.values()):
        if ce.province not in c.provinces:
            errs.append(
                _missing(c, "centres.yaml", ("centres", i, "province"), "province", ce.province)
            )
        for j, s in enumerate(ce.sources):
            if s not in c.sources:
                errs.append(_missing(c, "centres.yaml", ("centres", i, "sources", j), "source", s))
        for j, m in enumerate(ce.milestones):
            if m.source not in c.sources:
                errs.append(
                    _missing(
                        c,
                        "centres.yaml",
                        ("centres", i, "milestones", j, "source"),
                        "source",
                        m.source,
                    )
                )
    for i, e in enumerate(c.events):
        if e.province and e.province not in c.provinces:
            errs.append(
                _missing(c, "events.yaml", ("events", i, "province"), "province", e.province)
            )
        if e.centre and e.centre not in c.centres:
            errs.append(_missing(c, "events.yaml", ("events", i, "centre"), "centre", e.centre))
        for j, s in enumerate(e.sources):
            if s not in c.sources:
                errs.append(_missing(c, "events.yaml", ("events", i, "sources", j), "source", s))
    pools: dict[str, Mapping[str, object]] = {
        "centre": c.centres,
        "province": c.provinces,
        "source": c.sources,
    }
    for story in c.stories.values():
        meta, file = story.zh.meta, story.zh.file.removeprefix("content/")
        refs: list[tuple[tuple[str | int, ...], str, str]] = [
            (("centre",), "centre", meta.centre),
            (("province",), "province", meta.province),
        ]
        refs += [(("sources", i), "source", s) for i, s in enumerate(meta.sources)]
        for path, kind, ident in refs:
            if ident not in pools[kind]:
                errs.append(_missing(c, file, path, kind, ident))
    return errs


def _after(d: str, source_date: str) -> bool:
    return date_start(d) > source_date


def _late(c: Content, file: str, path: tuple, d: str, source_id: str) -> ContentError:
    sd = c.sources[source_id].date
    return _err(c, file, path, *msg("date_after_source", date=d, source=source_id, source_date=sd))


def _dates(c: Content) -> list[ContentError]:
    errs: list[ContentError] = []
    for i, f in enumerate(c.facts.values()):
        if f.source in c.sources and _after(f.as_of, c.sources[f.source].date):
            errs.append(_late(c, "facts.yaml", ("facts", i, "as_of"), f.as_of, f.source))
    for i, ce in enumerate(c.centres.values()):
        for j, m in enumerate(ce.milestones):
            if m.source in c.sources and _after(m.date, c.sources[m.source].date):
                errs.append(
                    _late(
                        c, "centres.yaml", ("centres", i, "milestones", j, "date"), m.date, m.source
                    )
                )
    for i, e in enumerate(c.events):
        for s in e.sources:
            if s in c.sources and _after(e.date, c.sources[s].date):
                errs.append(_late(c, "events.yaml", ("events", i, "date"), e.date, s))
    for story in c.stories.values():
        known = [c.sources[s].date for s in story.meta.sources if s in c.sources]
        if known and story.meta.date > max(known):
            errs.append(
                _err(
                    c,
                    story.zh.file.removeprefix("content/"),
                    ("date",),
                    *msg("story_after_sources", date=story.meta.date),
                )
            )
        for lang in LANGS:
            meta = story[lang].meta
            if meta.updated is not None and meta.updated < meta.date:
                errs.append(
                    _err(
                        c,
                        story[lang].file.removeprefix("content/"),
                        ("updated",),
                        *msg("story_updated_before_date", updated=meta.updated, date=meta.date),
                    )
                )
    return errs


def _tallies(c: Content) -> list[ContentError]:
    """Listed centres ≤ a province's latest reported tally; province sums ≤ national totals."""
    errs: list[ContentError] = []
    index = {f.id: i for i, f in enumerate(c.facts.values())}
    reported = [f for f in c.facts.values() if not f.target and f.metric in TALLY_METRICS.values()]
    for level, metric in TALLY_METRICS.items():
        for pid in c.provinces:
            tallies = sorted(
                (f for f in reported if f.subject == pid and f.metric == metric),
                key=lambda f: f.as_of,
            )
            if not tallies or tallies[-1].qualifier not in ("exact", "at_most"):
                continue
            latest = tallies[-1]
            listed = [
                ce.id for ce in c.centres.values() if ce.province == pid and ce.level == level
            ]
            if len(listed) > latest.value:
                errs.append(
                    _err(
                        c,
                        "facts.yaml",
                        ("facts", index[latest.id], "value"),
                        *msg(_OVER_TALLY[level], listed=len(listed), reported=latest.value),
                    )
                )
        by_date: dict[str, list] = defaultdict(list)
        for f in reported:
            if f.metric == metric and f.subject in c.provinces:
                by_date[f.as_of].append(f)
        for f in reported:
            if (
                f.metric == metric
                and f.subject == "national"
                and f.qualifier in ("exact", "at_most")
                and f.as_of in by_date
            ):
                total = sum(p.value for p in by_date[f.as_of])
                if total > f.value:
                    errs.append(
                        _err(
                            c,
                            "facts.yaml",
                            ("facts", index[f.id], "value"),
                            *msg(
                                "provinces_over_national",
                                date=f.as_of,
                                total=total,
                                national=f.value,
                            ),
                        )
                    )
    return errs


def _in_force(c: Content) -> list[ContentError]:
    """A province's tally never exceeds the national total in force at its date.

    In force: the latest national figure of the same metric dated on or before it. A province
    figure that is a lower bound (exact, over, at least…) is compared with a national figure
    that is an upper bound (exact, at most).
    """
    errs: list[ContentError] = []
    index = {f.id: i for i, f in enumerate(c.facts.values())}
    reported = [f for f in c.facts.values() if not f.target and f.metric in TALLY_METRICS.values()]
    national = sorted(
        (f for f in reported if f.subject == "national" and f.qualifier in ("exact", "at_most")),
        key=lambda f: date_start(f.as_of),
    )
    for f in reported:
        if f.subject not in c.provinces or f.qualifier in ("about", "at_most"):
            continue
        before = [
            n
            for n in national
            if n.metric == f.metric and date_start(n.as_of) <= date_start(f.as_of)
        ]
        if before and f.value > before[-1].value:
            n = before[-1]
            errs.append(
                _err(
                    c,
                    "facts.yaml",
                    ("facts", index[f.id], "value"),
                    *msg("province_over_national", value=f.value, national=n.value, fact=n.id),
                )
            )
    return errs


# Chart kinds whose facts share one axis; `panels` draws one axis per group.
_ONE_AXIS = ("bars", "bars_over_time", "grouped")


def _consistency(c: Content) -> list[ContentError]:
    """What a reader takes for granted: one unit per axis, names that mean one thing.

    A chart's facts share its unit (and a percent axis holds percentages), a tile map's
    metric is some fact's, no id is both a province and a centre, and a story or an event
    set in a centre names the centre's province.
    """
    errs: list[ContentError] = []
    for i, chart in enumerate(c.charts.values()):
        axes: list[tuple[tuple, list[str]]] = []
        if chart.kind in _ONE_AXIS:
            axes.append(
                (("facts",), [cf.fact for cf in chart.facts])
                if chart.facts
                else (("groups",), [cf.fact for g in chart.groups for cf in g.facts])
            )
        elif chart.kind == "panels":
            axes += [
                (("groups", g), [cf.fact for cf in grp.facts]) for g, grp in enumerate(chart.groups)
            ]
        for path, fids in axes:
            units = sorted({c.facts[fid].unit for fid in fids if fid in c.facts})
            at = ("charts", i, *path)
            if len(units) > 1:
                errs.append(
                    _err(c, "charts.yaml", at, *msg("chart_units_differ", units=listed(units)))
                )
            elif chart.percent_axis and units and units != ["percent"]:
                errs.append(_err(c, "charts.yaml", at, *msg("chart_percent_axis", unit=units[0])))
        metrics = {f.metric for f in c.facts.values() if f.subject in c.provinces}
        if chart.kind == "tile_map" and chart.metric and chart.metric not in metrics:
            errs.append(
                _err(
                    c,
                    "charts.yaml",
                    ("charts", i, "metric"),
                    *msg("chart_metric_unknown", metric=chart.metric),
                )
            )
    for i, centre in enumerate(c.centres.values()):
        if centre.id in c.provinces or centre.id == "national":
            errs.append(
                _err(
                    c,
                    "centres.yaml",
                    ("centres", i, "id"),
                    *msg("id_province_and_centre", ident=centre.id),
                )
            )
    for i, p in enumerate(c.provinces.values()):
        if p.id == "national":
            errs.append(
                _err(
                    c,
                    "provinces.yaml",
                    ("provinces", i, "id"),
                    *msg("id_province_and_centre", ident=p.id),
                )
            )
    placed: list[tuple[str, tuple, str | None, str | None]] = [
        ("events.yaml", ("events", i), e.centre, e.province) for i, e in enumerate(c.events)
    ]
    placed += [
        (s[lang].file.removeprefix("content/"), (), s.meta.centre, s.meta.province)
        for s in c.stories.values()
        for lang in LANGS
    ]
    for file, path, cid, pid in placed:
        home = c.centres[cid].province if cid in c.centres else None
        if home is not None and pid is not None and pid in c.provinces and home != pid:
            errs.append(
                _err(
                    c,
                    file,
                    (*path, "province"),
                    *msg("province_not_centres", province=pid, centre=cid, theirs=home),
                )
            )
    return errs


def _story_facts(c: Content) -> list[ContentError]:
    errs: list[ContentError] = []
    for story in c.stories.values():
        for lang in ("zh", "en"):
            text = story[lang]
            for name in ("title", "summary"):  # shown where no note can follow (cards, feeds)
                if prose.looks_like_ref(getattr(text.meta, name)):
                    path = text.file.removeprefix("content/")
                    errs.append(_err(c, path, (name,), *msg("fact_ref_not_here")))
            for p in prose.problems(text.body, c.facts):  # references, characters, id and class
                errs.append(ContentError(text.file, text.body_line + p.line, *p[1:]))
    return errs


def _chart_and_site_facts(c: Content) -> list[ContentError]:
    """Charts and headline figures read facts by id; each id must exist."""
    errs: list[ContentError] = []
    for i, fid in enumerate(c.site.headline_facts):
        if fid not in c.facts:
            errs.append(_missing(c, "site.yaml", ("headline_facts", i), "fact", fid))
    for i, chart in enumerate(c.charts.values()):
        refs: list[tuple[tuple[str | int, ...], str]] = [
            (("facts", j, "fact"), cf.fact) for j, cf in enumerate(chart.facts)
        ]
        refs += [
            (("groups", g, "facts", j, "fact"), cf.fact)
            for g, group in enumerate(chart.groups)
            for j, cf in enumerate(group.facts)
        ]
        refs += [
            (("derived", j, end), getattr(d, end))
            for j, d in enumerate(chart.derived)
            for end in ("of", "to")
        ]
        for path, fid in refs:
            if fid not in c.facts:
                errs.append(_missing(c, "charts.yaml", ("charts", i, *path), "fact", fid))
        events = {e.id for e in c.events}
        for j, note in enumerate(chart.annotate):
            if note.event not in events:
                at = ("charts", i, "annotate", j, "event")
                errs.append(_missing(c, "charts.yaml", at, "event", note.event))
        for j, d in enumerate(chart.derived):
            of, to = c.facts.get(d.of), c.facts.get(d.to)
            if of and to and (of.unit != to.unit or to.value == 0):
                pair = ("charts", i, "derived", j)
                errs.append(_err(c, "charts.yaml", pair, *msg("derived_units", of=d.of, to=d.to)))
            if "{value}" not in d.text.zh or "{value}" not in d.text.en:
                text = ("charts", i, "derived", j, "text")
                errs.append(_err(c, "charts.yaml", text, *msg("derived_value_missing")))
        needs = {
            "tile_map": "metric",
            "panels": "groups",
            "grouped": "groups",
            "bars": "facts",
            "bars_over_time": "facts",
        }.get(chart.kind)
        if needs and not getattr(chart, needs):
            errs.append(
                _err(
                    c,
                    "charts.yaml",
                    ("charts", i, "kind"),
                    *msg("chart_needs", kind=chart.kind, field=needs),
                )
            )
    return errs


def _statements(c: Content) -> list[ContentError]:
    errs: list[ContentError] = []
    subjects = {"national"} | set(c.provinces) | set(c.centres)
    for i, st in enumerate(c.statements.values()):
        at = ("statements", i)
        if st.subject not in subjects:
            errs.append(_missing(c, "statements.yaml", (*at, "subject"), "subject", st.subject))
        if st.theme is None and st.subject == "national":
            errs.append(_err(c, "statements.yaml", (*at, "subject"), *msg("theme_needed")))
        if st.theme is not None and st.theme not in c.themes:
            errs.append(_missing(c, "statements.yaml", (*at, "theme"), "theme", st.theme))
        if st.source not in c.sources:
            errs.append(_missing(c, "statements.yaml", (*at, "source"), "source", st.source))
        elif _after(st.date, c.sources[st.source].date):
            errs.append(_late(c, "statements.yaml", (*at, "date"), st.date, st.source))
        for j, fid in enumerate(st.facts):
            if fid not in c.facts:
                errs.append(_missing(c, "statements.yaml", (*at, "facts", j), "fact", fid))
    return errs


def _themes(c: Content) -> list[ContentError]:
    """Every national fact's metric is under exactly one theme, so the national page shows it."""
    errs: list[ContentError] = []
    owner: dict[str, str] = {}
    for i, theme in enumerate(c.themes.values()):
        for j, metric in enumerate(theme.metrics):
            if metric in theme.metrics[:j]:
                errs.append(
                    _err(
                        c,
                        "themes.yaml",
                        ("themes", i, "metrics", j),
                        *msg("metric_twice_in_theme", metric=metric, theme=theme.id),
                    )
                )
            elif metric in owner:
                first = owner[metric]
                errs.append(
                    _err(
                        c,
                        "themes.yaml",
                        ("themes", i, "metrics", j),
                        *msg("metric_in_two_themes", metric=metric, first=first, second=theme.id),
                    )
                )
            owner.setdefault(metric, theme.id)
    for i, f in enumerate(c.facts.values()):
        if f.subject == "national" and f.metric not in owner:
            errs.append(
                _err(
                    c,
                    "facts.yaml",
                    ("facts", i, "metric"),
                    *msg("metric_without_theme", metric=f.metric),
                )
            )
    return errs


def _cited_facts(c: Content) -> list[ContentError]:
    """Facts cited where citing is allowed exist; elsewhere a reference would print as typed."""
    errs: list[ContentError] = []
    for file, path, text in cite.texts(c):
        for lang in LANGS:  # anything like a reference is one, or an error (prose.LOOKS_LIKE)
            for zh, en in prose.text_problems(text[lang], c.facts, cite.citable(file, path)):
                errs.append(_err(c, file, (*path, lang), zh, en))
    return errs
