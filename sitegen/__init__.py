"""Static site generator for the Regional Medical Centres Tracker (区域医疗中心观察).

Pipeline, one module per stage: load (YAML/Markdown → typed model) → check
(cross-record rules) → charts → pages → render → write. `pipeline.build()`
runs it; `build.py` is the command line.
"""

LANGS = ("zh", "en")
