"""A Babel extractor for the questionnaires that come with Stegvis: their English texts are
msgids, so `flask translate extract` collects them like any string in the code.

babel.cfg maps webapp/surveys/questionnaires/*.json to `extract_questionnaire`.
"""

from __future__ import annotations

import json

from webapp.surveys.format import shipped_texts


def extract_questionnaire(fileobj, keywords, comment_tags, options):
    """Yield (line, function, message, comments) for each text, as Babel's extractors do."""
    source = fileobj.read().decode("utf-8")
    data = json.loads(source)
    if data.get("source") != "stegvis":
        return
    lines = source.splitlines()
    for where, text in shipped_texts(data):
        if not text:
            continue
        yield _line_of(lines, text), None, text, [f"Translators: questionnaire {data.get('key')}, {where}"]


def _line_of(lines: list[str], text: str) -> int:
    needle = json.dumps(text, ensure_ascii=False)
    return next((number for number, line in enumerate(lines, start=1) if needle in line), 1)
