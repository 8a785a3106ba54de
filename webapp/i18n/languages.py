"""The language registry, read from translations/: a new catalogue is a new language.

Each `translations/<locale>/LC_MESSAGES/messages.po` is a language. Names and directions come
from Babel (CLDR); `translations/languages.json` adds what CLDR cannot know: the name speakers
use (Dari is "دری", not CLDR's "فارسی (افغانستان)"), browser tags that should select it, its
place in the picker and its review status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

DEFAULT_LOCALE = "sv"


@dataclass(frozen=True)
class Language:
    code: str  # Babel's identifier, e.g. "fa_AF"
    name: str  # in its own language and script
    direction: str  # "ltr" or "rtl"
    aliases: tuple[str, ...] = ()
    review: str = "written"
    order: int = 100

    @property
    def tag(self) -> str:
        """The BCP 47 tag for lang= attributes, e.g. "fa-AF"."""
        return self.code.replace("_", "-")


def normalise(tag: str) -> str:
    return tag.strip().replace("-", "_").lower()


def discover(translations_dir: Path) -> dict[str, Language]:
    """Every language that has a catalogue, in picker order."""
    meta_path = translations_dir / "languages.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    found = []
    for po in sorted(translations_dir.glob("*/LC_MESSAGES/messages.po")):
        code = po.parent.parent.name
        locale = Locale.parse(code)
        extra = meta.get(code, {})
        native = extra.get("name") or locale.get_display_name(locale)
        found.append(
            Language(
                code=code,
                name=native[:1].upper() + native[1:],
                direction=locale.text_direction,
                aliases=tuple(normalise(a) for a in extra.get("aliases", ())),
                review=extra.get("review", "written"),
                order=extra.get("order", 100),
            )
        )
    if not any(lang.code == DEFAULT_LOCALE for lang in found):
        raise RuntimeError(f"translations/{DEFAULT_LOCALE} is missing: Swedish is the default language")
    return {lang.code: lang for lang in sorted(found, key=lambda lang: (lang.order, lang.code))}


def match(tag: str | None, languages: dict[str, Language]) -> str | None:
    """The catalogue for a language tag: exact, then alias, then the bare language (ar-SY → ar)."""
    if not tag:
        return None
    wanted = normalise(tag)
    for lang in languages.values():
        if normalise(lang.code) == wanted:
            return lang.code
    for lang in languages.values():
        if wanted in lang.aliases:
            return lang.code
    bare = wanted.split("_")[0]
    for lang in languages.values():
        if normalise(lang.code) == bare:
            return lang.code
    return None
