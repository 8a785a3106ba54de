"""The questionnaire file format: the shipped files are valid, and a broken file gets every
problem named with where it is."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from webapp.surveys import catalogue
from webapp.surveys.extract import extract_questionnaire
from webapp.surveys.format import AREAS, Questionnaire, read

GOOD = {
    "format": "stegvis-questionnaire/1",
    "key": "our-survey",
    "version": 2,
    "languages": ["sv", "en"],
    "title": {"sv": "Vår enkät", "en": "Our survey"},
    "items": [
        {"key": "feel_safe", "kind": "agreement", "text": {"sv": "Jag känner mig trygg.", "en": "I feel safe."}},
        {"key": "life_health", "kind": "scale", "area": "health", "text": {"sv": "Hälsa?", "en": "Health?"},
         "low": {"sv": "Dåligt", "en": "Bad"}, "high": {"sv": "Bra", "en": "Good"}},
        {"key": "has_job", "kind": "yes_no", "text": {"sv": "Har du ett jobb?", "en": "Do you have a job?"}},
        {"key": "travel", "kind": "choice", "text": {"sv": "Hur reser du?", "en": "How do you travel?"},
         "options": [{"key": "bus", "text": {"sv": "Buss", "en": "Bus"}},
                     {"key": "car", "text": {"sv": "Bil", "en": "Car"}}]},
        {"key": "note", "kind": "text", "max_length": 200, "text": {"sv": "Något mer?", "en": "Anything else?"}},
    ],
}


def _problems(data) -> list[tuple[str, str | None]]:
    """(code, where) of every problem, with `where` as text."""
    result = read(json.dumps(data) if not isinstance(data, (str, bytes)) else data)
    assert isinstance(result, list), "expected problems, the file was accepted"
    return [(p.code, str(p.where) if p.where is not None else None) for p in result]


def _changed(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_a_good_imported_file_reads_into_a_typed_questionnaire(english):
    q = read(json.dumps(GOOD))
    assert isinstance(q, Questionnaire)
    assert (q.key, q.version, q.source, q.languages) == ("our-survey", 2, "imported", ("sv", "en"))
    assert [i.kind for i in q.items] == ["agreement", "scale", "yes_no", "choice", "text"]
    assert q.item("life_health").area == "health" and [i.key for i in q.area_items] == ["life_health"]
    assert q.item("travel").option_keys == ("bus", "car")
    assert q.item("note").max_length == 200
    assert [i.number for i in q.items] == [1, 2, 3, 4, 5]


def test_an_imported_text_shows_in_the_readers_language_and_falls_back_to_swedish(app):
    q = read(json.dumps(GOOD))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(q.title) == "Our survey"
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert str(q.title) == "Vår enkät"
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert str(q.title) == "Vår enkät"


@pytest.mark.parametrize(("raw", "code"), [
    ("{not json", "not_json"),
    (b"\xff\xfe\x00", "not_utf8"),
    ("[1, 2]", "not_object"),
    ("[" * 100_000 + "]" * 100_000, "not_json"),
])
def test_a_file_that_is_not_a_json_object_is_refused(english, raw, code):
    assert _problems(raw) == [(code, None)]


def test_missing_top_level_fields_are_each_named(english):
    codes = _problems({"format": "stegvis-questionnaire/1"})
    assert codes == [("missing", None)] * 4
    messages = [str(p) for p in read("{}")]
    for name in ("format", "key", "version", "title", "items"):
        assert any(f'"{name}" is missing' in m for m in messages), name


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(format="other/2"), ("bad_format", None)),
    (lambda d: d.update(key="Our Survey"), ("bad_key", None)),
    (lambda d: d.update(version=0), ("bad_version", None)),
    (lambda d: d.update(version="2"), ("bad_version", None)),
    (lambda d: d.update(source="stegvis"), ("bad_source", None)),
    (lambda d: d.update(items=[]), ("no_items", None)),
    (lambda d: d.update(colour="blue"), ("unknown_field", None)),
    (lambda d: d.update(languages=["en"]), ("bad_languages", None)),
])
def test_each_top_level_mistake_is_named(english, change, expected):
    assert expected in _problems(_changed(change))


@pytest.mark.parametrize(("change", "code", "where"), [
    (lambda d: d["items"][0].pop("kind"), "missing", "Question 1 (feel_safe)"),
    (lambda d: d["items"][0].pop("text"), "missing", "Question 1 (feel_safe)"),
    (lambda d: d["items"][2].pop("key"), "missing", "Question 3"),
    (lambda d: d["items"][1].update(key="feel_safe"), "duplicate_key", "Question 2 (feel_safe)"),
    (lambda d: d["items"][0].update(key="Feel-Safe"), "bad_key", "Question 1 (Feel-Safe)"),
    (lambda d: d["items"][2].update(kind="slider"), "unknown_kind", "Question 3 (has_job)"),
    (lambda d: d["items"][3].update(options=[{"key": "bus", "text": {"sv": "Buss", "en": "Bus"}}]),
     "bad_options", "Question 4 (travel)"),
    (lambda d: d["items"][3]["options"][1].update(key="bus"), "bad_options", "Question 4 (travel)"),
    (lambda d: d["items"][3]["options"][1].pop("text"), "bad_options", "Question 4 (travel)"),
    (lambda d: d["items"][1].update(area="sleep"), "bad_area", "Question 2 (life_health)"),
    (lambda d: d["items"][1].pop("low"), "missing", "Question 2 (life_health)"),
    (lambda d: d["items"][4].update(max_length=0), "bad_max_length", "Question 5 (note)"),
    (lambda d: d["items"][0].update(labels=["a", "b"]), "bad_labels", "Question 1 (feel_safe)"),
    (lambda d: d["items"][0].update(lables=[]), "unknown_field", "Question 1 (feel_safe)"),
    (lambda d: d["items"][0].update(text={"en": "I feel safe."}), "missing_translation", "Question 1 (feel_safe)"),
    (lambda d: d["items"][0].update(text={"sv": "Trygg?"}), "missing_translation", "Question 1 (feel_safe)"),
    (lambda d: d["items"][3]["options"][0].update(text={"sv": "Buss"}), "missing_translation", "Question 4 (travel)"),
    (lambda d: d["items"][0].update(text="I feel safe."), "bad_text", "Question 1 (feel_safe)"),
    (lambda d: d["items"][0].update(text={"sv": " ", "en": "x"}), "bad_text", "Question 1 (feel_safe)"),
])
def test_each_item_mistake_names_the_question_by_number_and_key(english, change, code, where):
    assert (code, where) in _problems(_changed(change))


def test_a_title_without_swedish_is_a_missing_translation_of_the_title(english):
    problems = read(json.dumps(_changed(lambda d: d.update(title={"en": "Our survey"}))))
    assert [(p.code, p.where) for p in problems] == [("missing_translation", None)]
    assert str(problems[0]) == 'the title has no text in "sv".'


def test_every_problem_in_a_file_is_listed_not_only_the_first(english):
    def break_it(d):
        d["items"][0]["kind"] = "slider"
        d["items"][1]["area"] = "sleep"
        d["items"][2]["key"] = "feel_safe"
        d["items"][4]["text"] = {"en": "x"}

    codes = [code for code, _where in _problems(_changed(break_it))]
    assert codes == ["unknown_kind", "bad_area", "duplicate_key", "missing_translation"]


def test_the_messages_say_what_to_do_in_plain_words(english):
    problems = read(json.dumps(_changed(lambda d: d["items"][2].update(kind="slider"))))
    assert str(problems[0]) == ('Question 3 (has_job): The kind "slider" is unknown. '
                                'Use one of: agreement, scale, yes_no, choice, text.')


# --- the shipped questionnaires ------------------------------------------------------------

SHIPPED_FILES = sorted(catalogue.SHIPPED_DIR.glob("*.json"))
LIFE_KEYS = [f"life_{area}" for area in AREAS]
EMPOWERMENT_KEYS = ["confidence", "control", "hope", "listened_to", "part_of_decisions"]


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_each_shipped_file_is_valid_and_named_by_key_and_version(english, path: Path):
    q = read(path.read_bytes(), shipped=True)
    assert isinstance(q, Questionnaire), [str(p) for p in q]
    assert path.name == f"{q.key}.v{q.version}.json" and q.is_shipped


def test_the_three_stegvis_questionnaires_carry_the_life_areas_and_empowerment_items(english):
    shipped = catalogue.shipped()
    for key in ("stegvis-start", "stegvis-follow-up", "stegvis-exit"):
        q = shipped[(key, 1)]
        keys = [i.key for i in q.items]
        assert keys[:8] == LIFE_KEYS, key
        assert [q.item(k).area for k in LIFE_KEYS] == list(AREAS)
        assert all(q.item(k).kind == "agreement" for k in EMPOWERMENT_KEYS), key
    exit_survey = shipped[("stegvis-exit", 1)]
    assert exit_survey.item("chances_increased").kind == "agreement"
    assert exit_survey.item("knows_requirements").kind == "agreement"


def test_a_shipped_file_must_use_english_strings_and_say_it_is_ours(english):
    data = json.loads((catalogue.SHIPPED_DIR / "stegvis-start.v1.json").read_text())
    data["source"] = "imported"
    data["items"][0]["text"] = {"sv": "Hur går det?"}
    codes = [p.code for p in read(json.dumps(data), shipped=True)]
    assert codes == ["bad_source", "bad_text"]


def test_the_extractor_finds_every_text_of_a_shipped_file_with_a_note_for_translators():
    path = catalogue.SHIPPED_DIR / "stegvis-exit.v1.json"
    with path.open("rb") as f:
        found = list(extract_questionnaire(f, [], [], {}))
    messages = {message for _line, _fn, message, _comments in found}
    assert "Questions at the end" in messages
    assert "My chances of getting a job have increased since I started." in messages
    assert "Think about both your body and how you feel inside." in messages
    assert "Very good" in messages
    line, _fn, _message, comments = next(f for f in found if f[2] == "Questions at the end")
    assert line > 1 and comments == ["Translators: questionnaire stegvis-exit, title"]


def test_the_catalogue_extraction_reads_the_questionnaires(tmp_path):
    from babel.messages.pofile import read_po

    from webapp.cli import extract

    pot = tmp_path / "messages.pot"
    extract(pot)
    with pot.open("rb") as f:
        ids = {m.id for m in read_po(f) if m.id}
    assert {"How is your health now?", "I believe in myself.", "To learn Swedish"} <= ids


def test_the_example_in_the_documentation_is_a_valid_file(english):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "QUESTIONNAIRES.md").read_text()
    example = doc.split("```json", 1)[1].split("```", 1)[0]
    q = read(example)
    assert isinstance(q, Questionnaire), [str(p) for p in q]
    assert [i.kind for i in q.items] == ["scale", "agreement", "yes_no", "choice", "text"]
