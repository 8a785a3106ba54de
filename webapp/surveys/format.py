"""The questionnaire file format (docs/QUESTIONNAIRES.md): read a JSON file into a typed
Questionnaire, or into a list of problems that each say where and what.

Shipped questionnaires ("source": "stegvis") have English texts that are msgids in our
catalogues. Imported ones carry their own texts, one per language, and must have Swedish.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

FORMAT = "stegvis-questionnaire/1"
SHIPPED = "stegvis"
IMPORTED = "imported"
KINDS = ("agreement", "scale", "yes_no", "choice", "text")
# The life areas drawn in the progress picture, in the order they are drawn.
AREAS = ("work", "studies", "health", "economy", "housing", "social_network", "language", "everyday_life")
SOURCE_LANGUAGE = "sv"

QUESTIONNAIRE_KEY = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
ITEM_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")
MAX_ITEMS = 100
MAX_OPTIONS = 20
DEFAULT_TEXT_LIMIT = 500
MAX_TEXT_LIMIT = 2000

TOP_FIELDS = {"format", "key", "version", "source", "title", "intro", "languages", "items"}
ITEM_FIELDS = {
    "agreement": {"labels"},
    "scale": {"low", "high", "area"},
    "yes_no": set(),
    "choice": {"options"},
    "text": {"max_length"},
}
COMMON_ITEM_FIELDS = {"key", "kind", "text", "help"}


@dataclass(frozen=True, eq=False)
class Text:
    """A text shown in the reader's language: a msgid (shipped) or one text per language (imported)."""

    msgid: str | None = None
    by_language: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.msgid is not None:
            return gettext(self.msgid)
        locale = str(get_locale() or SOURCE_LANGUAGE)
        for tag in (locale, locale.split("_")[0]):
            if self.by_language.get(tag):
                return self.by_language[tag]
        return self.by_language[SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Option:
    key: str
    text: Text


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, the order on screen
    key: str
    kind: str
    text: Text
    help: Text | None = None
    area: str | None = None
    labels: tuple[Text, ...] = ()  # agreement: five words (or ours); scale: the two end words
    options: tuple[Option, ...] = ()
    max_length: int | None = None

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)


@dataclass(frozen=True)
class Questionnaire:
    key: str
    version: int
    source: str
    title: Text
    items: tuple[Item, ...]
    intro: Text | None = None
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)

    @property
    def is_shipped(self) -> bool:
        return self.source == SHIPPED

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    @property
    def area_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.area)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. `code` is for tests and tools; `message` is for people."""

    code: str
    message: Any  # a lazy string, translated when shown
    where: Any = None  # None: the whole file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where is not None else str(self.message)


def read(raw: bytes | str, *, shipped: bool = False) -> Questionnaire | list[Problem]:
    """The questionnaire in a file, or every problem found in it (nothing is half-read)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [Problem("not_utf8", _l("The file is not text in UTF-8. Save it as UTF-8 and try again."))]
    try:
        data = json.loads(raw)
    except RecursionError:  # brackets nested thousands deep: not a questionnaire
        return [Problem("not_json", _l("The file is not a questionnaire: its brackets are nested too deep."))]
    except ValueError as error:
        line = getattr(error, "lineno", None)
        return [Problem("not_json", _l("The file is not valid JSON (line %(line)s). Check commas, quotes and "
                                       "brackets near that line.", line=line))]
    reader = _Reader(shipped)
    questionnaire = reader.questionnaire(data)
    return reader.problems or questionnaire


class _Reader:
    """Walks the file once and collects every problem instead of stopping at the first."""

    def __init__(self, shipped: bool):
        self.shipped = shipped
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = (SOURCE_LANGUAGE,)

    def problem(self, code: str, message, where=None) -> None:
        self.problems.append(Problem(code, message, where))

    def questionnaire(self, data) -> Questionnaire | None:
        if not isinstance(data, dict):
            self.problem("not_object", _l('The file must be one JSON object, starting with "{".'))
            return None
        self.unknown_fields(data, TOP_FIELDS, None)
        for name in ("format", "key", "version", "title", "items"):
            if name not in data:
                self.problem("missing", _l('"%(field)s" is missing.', field=name))
        if "format" in data and data["format"] != FORMAT:
            self.problem("bad_format", _l('"format" must be "%(format)s".', format=FORMAT))
        key = data.get("key")
        if "key" in data and not (isinstance(key, str) and QUESTIONNAIRE_KEY.match(key)):
            self.problem("bad_key", _l('"key" must be lowercase letters, digits and hyphens, starting with a '
                                       'letter, for example "my-survey".'))
        version = data.get("version")
        if "version" in data and not (isinstance(version, int) and not isinstance(version, bool) and version >= 1):
            self.problem("bad_version", _l('"version" must be a whole number, 1 or more.'))
        source = self.source(data.get("source"))
        if not self.shipped:
            self.languages = self.declared_languages(data.get("languages", [SOURCE_LANGUAGE]))
        title = self.text(data["title"], _l("the title")) if "title" in data else None
        intro = self.text(data["intro"], _l("the introduction")) if "intro" in data else None
        items = self.items(data["items"]) if "items" in data else ()
        if self.problems:
            return None
        return Questionnaire(key=key, version=version, source=source, title=title, items=items, intro=intro,
                             languages=self.languages)

    def source(self, source) -> str:
        if self.shipped:
            if source != SHIPPED:
                self.problem("bad_source", _l('A questionnaire that comes with Stegvis has "source": "stegvis".'))
            return SHIPPED
        if source not in (None, IMPORTED):
            self.problem("bad_source", _l('"source" must be "imported" (or left out) in a file you import.'))
        return IMPORTED

    def declared_languages(self, languages) -> tuple[str, ...]:
        if not (isinstance(languages, list) and languages and all(isinstance(x, str) and LANGUAGE.match(x)
                                                                  for x in languages)):
            self.problem("bad_languages", _l('"languages" must be a list of language codes, for example '
                                             '["sv", "en", "ar"].'))
            return (SOURCE_LANGUAGE,)
        found = tuple(dict.fromkeys(_language_tag(x) for x in languages))
        if SOURCE_LANGUAGE not in found:
            self.problem("bad_languages", _l('"languages" must include Swedish ("sv").'))
        return found

    def unknown_fields(self, data: dict, known: set[str], where) -> None:
        for name in sorted(set(data) - known):
            self.problem("unknown_field", _l('"%(field)s" is not a field we know. Check the spelling.', field=name),
                         where)

    def text(self, value, what, where=None) -> Text | None:
        """A shipped text is an English string; an imported one an object with a text per language."""
        if self.shipped:
            if isinstance(value, str) and value.strip():
                return Text(msgid=value)
            self.problem("bad_text", _l("%(what)s must be a text that is not empty.", what=what), where)
            return None
        if not isinstance(value, dict):
            self.problem("bad_text", _l('%(what)s must have a text per language, for example '
                                        '{"sv": "…", "en": "…"}.', what=what), where)
            return None
        texts = {_language_tag(tag): text for tag, text in value.items()}
        if any(not (isinstance(text, str) and text.strip()) for text in texts.values()):
            self.problem("bad_text", _l("%(what)s has an empty text.", what=what), where)
            return None
        missing = [tag for tag in self.languages if tag not in texts]
        if SOURCE_LANGUAGE not in texts and SOURCE_LANGUAGE not in missing:
            missing.insert(0, SOURCE_LANGUAGE)
        for tag in missing:
            self.problem("missing_translation",
                         _l('%(what)s has no text in "%(language)s".', what=what, language=tag), where)
        return None if missing else Text(by_language={tag: text.strip() for tag, text in texts.items()})

    def items(self, items) -> tuple[Item, ...]:
        if not isinstance(items, list) or not items:
            self.problem("no_items", _l('"items" must be a list with at least one question.'))
            return ()
        if len(items) > MAX_ITEMS:
            self.problem("too_many_items", _l("A questionnaire can have at most %(limit)s questions.",
                                              limit=MAX_ITEMS))
        seen: set[str] = set()
        read_items = []
        for number, data in enumerate(items, start=1):
            item = self.item(number, data, seen)
            if item is not None:
                read_items.append(item)
        return tuple(read_items)

    def item(self, number: int, data, seen: set[str]) -> Item | None:
        key = data.get("key") if isinstance(data, dict) else None
        where = _l("Question %(number)s (%(key)s)", number=number, key=key) if isinstance(key, str) \
            else _l("Question %(number)s", number=number)
        if not isinstance(data, dict):
            self.problem("bad_item", _l('Each question must be a JSON object, starting with "{".'), where)
            return None
        before = len(self.problems)
        for name in ("key", "kind", "text"):
            if name not in data:
                self.problem("missing", _l('"%(field)s" is missing.', field=name), where)
        if isinstance(key, str) and key in seen:
            self.problem("duplicate_key", _l('Another question already has the key "%(key)s". Each key must be '
                                             'used once.', key=key), where)
        elif "key" in data and not (isinstance(key, str) and ITEM_KEY.match(key)):
            self.problem("bad_key", _l('"key" must be lowercase letters, digits and "_", starting with a '
                                       'letter, for example "feel_safe".'), where)
        if isinstance(key, str):
            seen.add(key)
        kind = data.get("kind")
        if "kind" in data and kind not in KINDS:
            self.problem("unknown_kind", _l('The kind "%(kind)s" is unknown. Use one of: %(kinds)s.',
                                            kind=kind, kinds=", ".join(KINDS)), where)
            kind = None
        if kind:
            self.unknown_fields(data, COMMON_ITEM_FIELDS | ITEM_FIELDS[kind], where)
        text = self.text(data["text"], _l("the question"), where) if "text" in data else None
        help_text = self.text(data["help"], _l("the help text"), where) if "help" in data else None
        details = _KIND_READERS[kind](self, data, where) if kind else {}
        if len(self.problems) > before:
            return None
        return Item(number=number, key=key, kind=kind, text=text, help=help_text, **details)

    def agreement(self, data, where) -> dict:
        if "labels" not in data:
            return {"labels": ()}
        labels = data["labels"]
        if not (isinstance(labels, list) and len(labels) == 5):
            self.problem("bad_labels", _l('"labels" must be a list of five texts, one for each step from 1 to 5.'),
                         where)
            return {}
        return {"labels": tuple(self.text(label, _l("step %(step)s", step=step), where)
                                for step, label in enumerate(labels, start=1))}

    def scale(self, data, where) -> dict:
        for name in ("low", "high"):
            if name not in data:
                self.problem("missing", _l('"%(field)s" is missing: a scale needs words for 0 and for 10.',
                                           field=name), where)
        low = self.text(data["low"], _l("the word for 0"), where) if "low" in data else None
        high = self.text(data["high"], _l("the word for 10"), where) if "high" in data else None
        area = data.get("area")
        if "area" in data and area not in AREAS:
            self.problem("bad_area", _l('The area "%(area)s" is unknown. Use one of: %(areas)s.',
                                        area=area, areas=", ".join(AREAS)), where)
        return {"labels": (low, high), "area": area}

    def choice(self, data, where) -> dict:
        options = data.get("options")
        if not (isinstance(options, list) and 2 <= len(options) <= MAX_OPTIONS):
            self.problem("bad_options", _l('"options" must be a list of 2 to %(limit)s choices.', limit=MAX_OPTIONS),
                         where)
            return {}
        read_options, keys = [], set()
        for number, option in enumerate(options, start=1):
            if not (isinstance(option, dict) and set(option) == {"key", "text"}):
                self.problem("bad_options", _l('Choice %(number)s must have exactly a "key" and a "text".',
                                               number=number), where)
                continue
            key = option["key"]
            if not (isinstance(key, str) and ITEM_KEY.match(key)):
                self.problem("bad_options", _l('Choice %(number)s: "key" must be lowercase letters, digits and "_".',
                                               number=number), where)
            elif key in keys:
                self.problem("bad_options", _l('Choice %(number)s: the key "%(key)s" is used twice.',
                                               number=number, key=key), where)
            keys.add(key)
            text = self.text(option["text"], _l("choice %(number)s", number=number), where)
            read_options.append(Option(key, text))
        return {"options": tuple(read_options)}

    def text_answer(self, data, where) -> dict:
        limit = data.get("max_length", DEFAULT_TEXT_LIMIT)
        if not (isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= MAX_TEXT_LIMIT):
            self.problem("bad_max_length", _l('"max_length" must be a whole number from 1 to %(limit)s.',
                                              limit=MAX_TEXT_LIMIT), where)
            return {}
        return {"max_length": limit}


_KIND_READERS: dict[str, Callable[[_Reader, dict, Any], dict]] = {
    "agreement": _Reader.agreement,
    "scale": _Reader.scale,
    "yes_no": lambda reader, data, where: {},
    "choice": _Reader.choice,
    "text": _Reader.text_answer,
}


def _language_tag(tag: str) -> str:
    """fa-AF and fa_AF are the same language; our catalogues use the underscore."""
    return tag.replace("-", "_")


def shipped_texts(data: dict) -> Iterator[tuple[str, str]]:
    """Every translatable text of a shipped file as (where, text), for the catalogue extractor."""
    for name in ("title", "intro"):
        if isinstance(data.get(name), str):
            yield name, data[name]
    for item in data.get("items", []):
        key = item.get("key", "?")
        for name in ("text", "help", "low", "high"):
            if isinstance(item.get(name), str):
                yield f"{key}.{name}", item[name]
        for number, label in enumerate(item.get("labels", []), start=1):
            yield f"{key}.labels.{number}", label
        for option in item.get("options", []):
            yield f"{key}.options.{option.get('key', '?')}", option.get("text", "")
