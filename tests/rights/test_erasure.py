"""The erasure-request register: the participant asks, the project leader answers, the participant
sees the answer in plain words. "Erase now" only when nothing must be kept (PRIV-03, §5 L5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import (
    ErasureRequest,
    ErasureStatus,
    Gender,
    Goal,
    Participation,
    ProjectRetention,
    PurgeReason,
    PurgeRecord,
    User,
)
from webapp.rights import purge


def _retention(world, paid: dt.date | None = dt.date(2026, 3, 12), reference: str = "KS 2026/123"):
    db.session.add(ProjectRetention(project_id=world.project.id, last_payment_on=paid, keep_years=5,
                                    decision_reference=reference))


def _request(person) -> int:
    request = ErasureRequest(participation_id=person.participation_id, requested_by_id=person.user_id)
    db.session.add(request)
    db.session.flush()
    return request.id


def _decide_url(read, world, request_id) -> str:
    public_id = read(lambda: db.session.scalar(select(ErasureRequest.public_id).where(ErasureRequest.id == request_id)))
    return f"/project/{world.project.public_id}/erasure-requests/{public_id}"


def test_a_participant_asks_for_erasure_and_sees_that_it_waits_for_an_answer(participant, world, read, events):
    page = participant.get("/my-data/erase")
    assert page.status_code == 200
    assert "Yes, ask to delete my information" in page.get_data(as_text=True)
    response = participant.post_form("/my-data/erase")
    assert response.status_code == 303 and response.location.endswith("/my-data#erase")
    page = participant.get("/my-data").get_data(as_text=True)
    assert "You asked us to delete your information on Monday" in page or "You asked us to delete" in page
    assert "The project leader has not answered yet." in page
    [request] = read(lambda: list(db.session.scalars(select(ErasureRequest))))
    assert (request.participation_id, request.requested_by_id, request.status) == (
        world.p.participation_id, world.p.user_id, ErasureStatus.OPEN)
    assert ("erasure_requested", world.p.user_id, world.p.participation_id, str(request.id)) in events
    # Asking again registers nothing new.
    assert participant.post_form("/my-data/erase").status_code == 303
    assert read(lambda: db.session.scalar(select(func.count()).select_from(ErasureRequest))) == 1
    assert "You do not need to ask again." in participant.get("/my-data/erase").get_data(as_text=True)


def test_the_leader_keeps_the_data_and_the_participant_is_told_why_and_until_when(
    participant, leader, build, world, read, events
):
    build(_retention, world)
    participant.post_form("/my-data/erase")
    listing = leader.get(f"/project/{world.project.public_id}/erasure-requests").get_data(as_text=True)
    assert "Amina Hassan" in listing and "Erik Lind" not in listing
    request_id = read(lambda: db.session.scalar(select(ErasureRequest.id)))
    assert leader.get(_decide_url(read, world, request_id)).status_code == 200
    response = leader.post_form(_decide_url(read, world, request_id), {"decision": "keep"})
    assert response.status_code == 303
    request = read(lambda: db.session.get(ErasureRequest, request_id))
    assert (request.status, request.kept_until, request.decided_by_id) == (
        ErasureStatus.KEPT, dt.date(2031, 12, 31), world.leader.id)
    assert ("erasure_decided", world.leader.id, world.p.participation_id, "keep") in events
    page = participant.get("/my-data").get_data(as_text=True)
    assert "your information is kept for now" in page
    assert "arkivlagen" in page and "EU Social Fund" in page
    assert "Your information is kept until Wednesday 31 December 2031. Then it is deleted." in page
    # The leader opened whose request it was: the participant sees that too.
    assert "your request to delete your information" in participant.get("/who-has-looked").get_data(as_text=True)


def test_erase_now_is_refused_while_the_data_must_be_kept(leader, build, world, read):
    build(_retention, world)
    build(factories.goal, world.p)
    request_id = build(_request, world.p)
    response = leader.post_form(_decide_url(read, world, request_id), {"decision": "erase"})
    assert response.status_code == 422
    assert "The information must be kept until the retention date." in response.get_data(as_text=True)
    assert read(lambda: db.session.get(ErasureRequest, request_id).status) == ErasureStatus.OPEN
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Goal))) == 1


def test_a_participant_who_never_started_is_erased_at_once(leader, build, world, read, new_client, register_file):
    never = build(factories.participant, world.project, world.coach, name="Nora Aldrig")
    request_id = build(_request, never)
    page = leader.get(_decide_url(read, world, request_id)).get_data(as_text=True)
    assert "The participant never started" in page
    assert leader.post_form(_decide_url(read, world, request_id), {"decision": "erase"}).status_code == 303

    user = read(lambda: db.session.get(User, never.user_id))
    assert (user.name, user.is_active, user.password_hash) == (purge.PURGED_NAME, False, None)
    assert user.login_name != never.login
    participation = read(lambda: db.session.get(Participation, never.participation_id))
    assert (participation.gender, participation.birth_year) == (Gender.NOT_STATED, purge.PURGED_BIRTH_YEAR)
    record = read(lambda: db.session.scalar(select(PurgeRecord)))
    assert (record.participation_id, record.reason) == (never.participation_id, PurgeReason.ERASURE_REQUEST)
    assert f"erasure request {request_id}" in record.reference
    assert str(never.participation_id) in register_file.read_text()
    assert read(lambda: db.session.get(ErasureRequest, request_id).status) == ErasureStatus.ERASED
    assert new_client().post_form("/sign-in", {"login_name": never.login, "password": factories.PASSWORD}
                                  ).status_code != 303


def test_after_the_retention_date_the_leader_can_erase_at_once(leader, build, world, read):
    build(_retention, world, paid=dt.date(2015, 6, 1), reference="KS 2015/9")
    build(factories.goal, world.p)
    request_id = build(_request, world.p)
    assert "The retention date has passed." in leader.get(_decide_url(read, world, request_id)).get_data(as_text=True)
    assert leader.post_form(_decide_url(read, world, request_id), {"decision": "erase"}).status_code == 303
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Goal))) == 0
    assert read(lambda: db.session.scalar(select(PurgeRecord.reference))) == "KS 2015/9"


def test_an_answered_request_is_not_answered_again(leader, build, world, read):
    request_id = build(_request, world.p)
    build(factories.goal, world.p)
    assert leader.post_form(_decide_url(read, world, request_id), {"decision": "keep"}).status_code == 303
    again = leader.post_form(_decide_url(read, world, request_id), {"decision": "erase"})
    assert again.status_code == 422
    assert "This request has already been answered." in again.get_data(as_text=True)
    assert read(lambda: db.session.get(ErasureRequest, request_id).status) == ErasureStatus.KEPT


def test_choosing_nothing_says_so_by_the_field(leader, build, world, read):
    request_id = build(_request, world.p)
    response = leader.post_form(_decide_url(read, world, request_id), {})
    assert response.status_code == 422
    assert "Choose what happens to the information." in response.get_data(as_text=True)


def test_a_leader_cannot_see_or_answer_another_projects_requests(new_client, build, world, read):
    request_id = build(_request, world.p)
    other_leader = build(factories.staff, world.project_b, "leader")
    client = new_client()
    client.sign_in(other_leader.email)
    assert client.get(_decide_url(read, world, request_id)).status_code == 404
    assert client.post_form(_decide_url(read, world, request_id), {"decision": "keep"}).status_code == 404
    assert client.get(f"/project/{world.project.public_id}/erasure-requests").status_code == 404
    # Through their own project's address, the request does not exist either.
    public_id = _decide_url(read, world, request_id).rsplit("/", 1)[1]
    assert client.get(f"/project/{world.project_b.public_id}/erasure-requests/{public_id}").status_code == 404
    assert read(lambda: db.session.get(ErasureRequest, request_id).status) == ErasureStatus.OPEN
