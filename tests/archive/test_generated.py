"""Round trip on generated projects (hypothesis): awkward text (right-to-left, emoji, 5 000
characters), optional fields left out, ended participations. Export → import into an empty
database → export gives the same content."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.archive.support import archive_of, content, empty_database
from webapp.archive import importer
from webapp.extensions import db
from webapp.models import (
    Activity,
    ActivityKind,
    Comment,
    EndReason,
    Gender,
    Goal,
    Helper,
    InterruptionCause,
    Municipality,
    Organisation,
    Outcome,
    Participation,
    Project,
    ProjectStaff,
    Role,
    Step,
    User,
)

AWKWARD = ["مرحبا بالعالم", "שלום עולם", "👩🏽‍💻🇸🇪✨", "Åsa Öberg-Ääri", "a\u202eb", "x" * 5000, "", " ",
           "line one\nline two", "<script>alert(1)</script>", "NULL", "\"quoted\" 'text'"]
TEXT = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=("Cs",),
                                                                 exclude_characters="\x00"), max_size=60))
WORDS = TEXT.map(lambda t: t[:300])  # for columns of at most 300 characters
NAME = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
DAY = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))

END = st.one_of(st.none(), st.tuples(st.sampled_from(list(EndReason)), st.sampled_from(list(Outcome)),
                                     st.sampled_from(list(InterruptionCause)), st.integers(0, 400)))
PERSON = st.fixed_dictionaries({
    "name": NAME, "gender": st.sampled_from(list(Gender)), "birth_year": st.integers(1940, 2008),
    "enrolled": DAY, "end": END, "plan_ready": st.one_of(st.none(), DAY),
    "goals": st.lists(st.tuples(WORDS, st.lists(st.tuples(WORDS, st.one_of(st.none(), TEXT),
                                                           st.one_of(st.none(), DAY)), max_size=2)), max_size=2),
    "comments": st.lists(TEXT, max_size=2),
    "activities": st.lists(st.tuples(st.sampled_from(list(ActivityKind)), st.integers(1, 1440), st.integers(1, 5),
                                     st.one_of(st.none(), TEXT)), max_size=2),
})


def _make(project_name: str, people: list[dict]) -> None:
    organisation = Organisation(name="Kommunen")
    project = Project(organisation=organisation, name=project_name, starts_on=dt.date(2020, 1, 1),
                      ends_on=dt.date(2031, 1, 1))
    db.session.add(project)
    db.session.flush()
    town = Municipality(project_id=project.id, name="Kiruna")
    helper = Helper(project_id=project.id, name="Annan", is_other=True)
    coach = User(role=Role.COACH, name="Coach", login_name="coach@example.org", organisation_id=organisation.id)
    db.session.add_all([town, helper, coach])
    db.session.flush()
    db.session.add(ProjectStaff(project_id=project.id, user_id=coach.id))
    for n, person in enumerate(people):
        user = User(role=Role.PARTICIPANT, name=person["name"][:100], login_name=f"p{n}")
        db.session.add(user)
        db.session.flush()
        ended = {}
        if person["end"]:
            reason, outcome, cause, days = person["end"]
            ended = {"ended_on": person["enrolled"] + dt.timedelta(days=days), "end_reason": reason,
                     "exit_outcome": outcome, "interruption_cause": cause if reason == EndReason.INTERRUPTED else None}
        participation = Participation(participant_id=user.id, project_id=project.id, coach_id=coach.id,
                                      enrolled_on=person["enrolled"], gender=person["gender"],
                                      birth_year=person["birth_year"], municipality_id=town.id,
                                      plan_ready_on=person["plan_ready"], **ended)
        db.session.add(participation)
        db.session.flush()
        for position, (text, steps) in enumerate(person["goals"]):
            goal = Goal(participation_id=participation.id, text=text, position=position)
            db.session.add(goal)
            db.session.flush()
            for step_text, other, due in steps:
                db.session.add(Step(participation_id=participation.id, goal_id=goal.id, text=step_text,
                                    helper_id=helper.id if other is not None else None,
                                    helper_other=other[:100] if other is not None else None, due_on=due, note=other))
        for kind, minutes, feeling, note in person["activities"]:
            db.session.add(Activity(participation_id=participation.id, client_id=uuid.uuid4(), payload_hash="t",
                                    occurred_on=person["enrolled"], kind=kind, minutes=minutes, feeling=feeling,
                                    note=note))
        for text in person["comments"]:
            db.session.add(Comment(participation_id=participation.id, author_id=coach.id, by_staff=True, text=text))
    db.session.commit()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAME.map(lambda t: t[:200]), people=st.lists(PERSON, min_size=1, max_size=3))
def test_a_generated_project_survives_export_and_import(app_context, name, people):
    empty_database()
    _make(name, people)
    first = archive_of(name)
    empty_database()
    importer.import_archive(importer.read(json.dumps(first, ensure_ascii=False).encode()))
    db.session.commit()
    second = archive_of(name)
    assert content(second) == content(first)
    texts = [c["text"] for p in second["participations"] for c in p["comments"]]
    assert sorted(texts) == sorted(t for person in people for t in person["comments"])
