"""Static site generator for the Regional Medical Centres Tracker (区域医疗中心观察).

Pipeline, one module per stage: load (YAML/Markdown → typed model) → check
(cross-record rules) → charts → pages → render → write. `pipeline.build()`
runs it; `build.py` is the command line.
"""

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}  # the languages as HTML's lang attribute names them

try:
    from importlib.metadata import version as _version

    __version__ = _version("rmc-tracker")
except Exception:  # not installed (run from a plain checkout)
    __version__ = "0+unknown"
