"""Numbers in events, centre texts and statements, cited from facts rather than typed.

Editors write `{{fact:id}}` in those texts as in stories; after `check` has
confirmed every id, the texts are filled in once, so every later stage (pages,
charts, open data, search) reads the fact's value in the reader's language.
"""

from __future__ import annotations

from dataclasses import replace

from . import LANGS
from .charts import fill_facts
from .model import Content, Text


def resolve(content: Content) -> Content:
    """The content with every cited fact in these texts replaced by its value."""

    def fill(text: Text) -> Text:
        filled = {lang: fill_facts(text[lang], content, lang) for lang in LANGS}
        return text if filled == text.model_dump() else Text(**filled)

    events = tuple(
        e.model_copy(update={"title": fill(e.title), "summary": fill(e.summary)})
        for e in content.events
    )
    centres = {
        cid: ce.model_copy(
            update={
                "summary": fill(ce.summary),
                "milestones": tuple(
                    m.model_copy(update={"text": fill(m.text)}) for m in ce.milestones
                ),
            }
        )
        for cid, ce in content.centres.items()
    }
    statements = {
        sid: st.model_copy(update={"title": fill(st.title)})
        for sid, st in content.statements.items()
    }
    return replace(content, events=events, centres=centres, statements=statements)
