#!/usr/bin/env python3
"""Write static/vega-embed.js: the vega-embed + Vega-Lite + Vega bundle that vl-convert ships.

The bundle depends only on the vl-convert version (pinned in pyproject.toml),
not on content, and takes ~1.5 s of CPU to produce, so it is kept in static/
instead of being made on every build. After changing the vl-convert pin, run
this script and commit the file; a test fails while the two disagree.
"""

from pathlib import Path

import vl_convert as vlc

TARGET = Path(__file__).resolve().parent.parent / "static" / "vega-embed.js"

if __name__ == "__main__":
    TARGET.write_text(vlc.javascript_bundle(), "utf-8")
    version = vlc.get_vega_embed_version()
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes, vega-embed {version})")
