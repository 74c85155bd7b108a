"""Files for the web and for open data: sitemap, robots.txt, Atom feeds, datapackage.json.

All addresses are absolute under the site's base URL and every list is in a
stable order, so the files are byte-identical from build to build. Dates
come from content, never from the clock.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from . import LANGS, formatting
from .datasets import DATASETS, chart_fields, fields
from .model import Content, date_start
from .pages import Page
from .render import HTML_LANG, Links
from .render import stamp as _stamp


def _alternate(hreflang: str, href: str) -> str:
    return f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href={quoteattr(href)}/>'


def sitemap(pages: list[Page], links: Links) -> bytes:
    """Every page with its hreflang alternates (sitemaps.org 0.9 with xhtml:link)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in pages:
        if not page.kind.in_sitemap:
            continue
        out.append(f"  <url><loc>{escape(links.absolute(page.path, page.lang))}</loc>")
        for lang in LANGS:
            out.append(_alternate(HTML_LANG[lang], links.absolute(page.path, lang)))
        out.append(_alternate("x-default", links.absolute(page.path, "zh")))
        out.append("  </url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")


def robots(links: Links) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {links.base_url}sitemap.xml\n".encode()


def atom(content: Content, lang: str, links: Links) -> bytes:
    """An Atom feed of stories and events, newest first, in one language."""
    entries = [
        (s.meta.modified, f"stories/{s.id}/", s[lang].meta.title, s[lang].meta.summary)
        for s in content.stories.values()
    ] + [
        (
            e.date,
            f"timeline/#event-{e.id}",
            e.title[lang],
            f"{formatting.date(e.date, lang)} · {e.summary[lang]}",
        )
        for e in content.events
    ]
    entries.sort(key=lambda e: (date_start(e[0]), e[1]), reverse=True)
    feed_url = links.absolute("feed.xml", lang)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{HTML_LANG[lang]}">',
        f"  <title>{escape(content.site.title[lang])}</title>",
        f"  <subtitle>{escape(content.site.description[lang])}</subtitle>",
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(links.absolute("", lang))}/>',
        f"  <updated>{_stamp(entries[0][0]) if entries else _stamp('2019')}</updated>",
        f"  <author><name>{escape(content.site.title[lang])}</name></author>",
    ]
    for d, path, title, summary in entries:
        url = links.absolute(path, lang)
        out += [
            "  <entry>",
            f"    <title>{escape(title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <id>{escape(url)}</id>",
            f"    <updated>{_stamp(d)}</updated>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _resource(name: str, path: str, fields: list[tuple[str, str]], key: bool) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "schema": {
            "fields": [{"name": f, "type": t} for f, t in fields],
            **({"primaryKey": ["id"]} if key else {}),
        },
    }


def datapackage(content: Content, links: Links) -> bytes:
    """A Frictionless Data Package describing every dataset and chart CSV, its fields and licence.

    A chart of facts may show one fact twice, so only provinces and events key a chart's rows.
    """
    licence = content.site.data_licence
    package = {
        "profile": "data-package",
        "name": "regional-medical-centres",
        "title": f"{content.site.title.zh} · {content.site.title.en}",
        "description": content.site.description.en,
        "homepage": links.base_url,
        "licenses": [{"name": licence.name, "path": licence.path, "title": licence.title}],
        "sources": [
            {
                "title": f"{s.publisher.zh}：{s.title.zh} ({s.date})",
                **({"path": s.url} if s.url else {}),
            }
            for s in sorted(content.sources.values(), key=lambda s: (s.date, s.id))
        ],
        "resources": [
            *(_resource(name, f"{name}.csv", fields(name), True) for name in DATASETS),
            *(
                _resource(
                    f"chart-{cid}",
                    f"charts/{cid}.csv",
                    chart_fields(chart.kind),
                    chart.kind in ("tile_map", "events"),
                )
                for cid, chart in content.charts.items()
            ),
        ],
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
