"""LOG-06: the project leader's log follow-up lists the seeded anomalies for their own project only,
filters and pages the log, and documents that the follow-up was done."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from tests.audit.support import add_event, add_read, events
from tests.html import parse
from webapp import audit, clock
from webapp.extensions import db
from webapp.leader import audit_review
from webapp.models import Participation, Role, User


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.TIMEZONE).astimezone(dt.UTC)


@pytest.fixture
def seeded(app, build, world):
    """A month of the project's log with one of each thing to check, and project B's rows."""
    yesterday = clock.today() - dt.timedelta(days=1)

    def seed():
        coach = db.session.get(User, world.coach.id)
        for i in range(60):  # 60 reads in 6 minutes: more than the limit of 50 in 10 minutes
            add_read(coach, world.p.participation_id if i % 2 else world.q.participation_id,
                     _local(yesterday, 10) + dt.timedelta(seconds=6 * i), detail="caseload")
        for minute in (15, 40):  # late in the evening
            add_read(coach, world.q.participation_id, _local(yesterday - dt.timedelta(days=1), 22, minute),
                     detail="caseload")
        for _ in range(3):
            add_event("sign_in_failed", world.p.user_id, Role.PARTICIPANT, at=_local(yesterday, 9), detail="password")
        add_event("locked_out", world.p.user_id, Role.PARTICIPANT, at=_local(yesterday, 9, 5), detail="pin")
        add_event("sign_in_failed", None, None, at=_local(yesterday, 9), detail="password")  # nobody known
        coach_b = db.session.get(User, world.coach_b.id)
        add_read(coach_b, world.r.participation_id, _local(yesterday, 23))
        add_event("sign_in_failed", world.r.user_id, Role.PARTICIPANT, detail="password")

    build(seed)
    # The other coach opens P without covering for anyone: the access rules would refuse this, so
    # the row is written the way a future route with a mistake in it would write it.
    with app.test_request_context("/coach/participants", method="GET"):
        audit.record_access(db.session.get(User, world.other_coach.id),
                            db.session.get(Participation, world.p.participation_id), "coach.participant")
    return world


@pytest.fixture
def leader(client, world):
    client.sign_in(world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    return client


def _url(world, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/project/{world.project.public_id}/logs" + (f"?{query}" if query else "")


def _checks(page) -> str:
    return " ".join(page.select_one(".log-checks").get_text().split())


def test_the_things_to_check_are_listed(leader, seeded):
    world = seeded
    response = leader.get(_url(world))
    assert response.status_code == 200
    checks = _checks(parse(response.get_data(as_text=True)))
    assert f"{world.other_coach.name} opened the information of {world.p.name}" in checks
    assert f"{world.coach.name} opened information 60 times within 10 minutes (the limit is 50)" in checks
    assert f"{world.coach.name} opened information 2 times outside working hours" in checks
    assert f"{world.p.name}: 3 failed sign-ins, 1 lockouts" in checks
    assert world.r.name not in response.get_data(as_text=True)


def test_only_the_sign_in_pages_limits_count_as_lockouts(leader, build, world):
    """Too many downloads in a minute is not sign-in trouble: a reviewer would suspect an attack on
    the leader's account. Too many sign-in tries is."""
    yesterday = clock.today() - dt.timedelta(days=1)

    def seed():
        for minute in range(5):
            add_event("rate_limited", world.leader.id, Role.LEADER, at=_local(yesterday, 10, minute),
                      detail="goals.report_csv")
        add_event("rate_limited", world.coach.id, Role.COACH, at=_local(yesterday, 11), detail="auth.sign_in")

    build(seed)
    checks = _checks(parse(leader.get(_url(world)).get_data(as_text=True)))
    assert f"{world.coach.name}: 0 failed sign-ins, 1 lockouts" in checks
    assert f"{world.leader.name}:" not in checks


def test_the_log_says_counts_and_spans_in_words(leader, build, seeded):
    """"Printed activation codes 3" said nothing of what 3 was; a span within one minute said the
    same moment twice."""
    world = seeded
    build(lambda: add_event("codes_printed", world.leader.id, Role.LEADER, project_id=world.project.id, detail="3"))
    page = parse(leader.get(_url(world)).get_data(as_text=True))
    assert "Printed activation codes: 3 people" in " ".join(page.select_one("#log-caption").parent.get_text().split())
    items = [" ".join(li.get_text().split()) for li in page.select(".log-checks li")]
    late = next(item for item in items if "outside working hours" in item)
    assert late.endswith(", 22:15–22:40"), late  # the day once, then the end's time


def test_tries_to_open_a_participant_one_may_not_see_are_listed(leader, world, new_client):
    """A coach of another project asks for Amina's pages: each answer is "not found", and the
    project's leader sees who tried and how often."""
    stranger = new_client()
    stranger.sign_in(world.coach_b.email)
    for url in (f"/coach/participants/{world.p.participation_id}", f"/coach/participants/{world.p.participation_id}/code"):
        assert stranger.get(url).status_code == 404
    checks = _checks(parse(leader.get(_url(world)).get_data(as_text=True)))
    assert "Tried to open participants they may not see" in checks
    assert f"{world.coach_b.name} tried 2 times." in checks


def test_the_burst_limit_can_be_changed(leader, seeded, app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_BURST_READS", 100)
    checks = _checks(parse(leader.get(_url(seeded)).get_data(as_text=True)))
    assert "within 10 minutes" not in checks


def test_a_read_outside_the_caseload_is_marked_as_such(seeded, read):
    from webapp.models import AccessLog

    row = read(lambda: db.session.scalar(select(AccessLog).where(AccessLog.actor_id == seeded.other_coach.id)))
    assert row.detail == "outside"


def test_a_colleagues_cover_is_not_outside_the_caseload(app, build, world, read):
    from webapp.models import AccessLog, CaseloadShare

    build(lambda: db.session.add(CaseloadShare(project_id=world.project.id, owner_id=world.coach.id,
                                               colleague_id=world.other_coach.id, created_by_id=world.leader.id)))
    with app.test_request_context("/coach/participants", method="GET"):
        audit.record_access(db.session.get(User, world.other_coach.id),
                            db.session.get(Participation, world.p.participation_id))
    assert read(lambda: db.session.scalar(select(AccessLog.detail))) == "cover"


def test_the_log_is_paged_and_filtered(leader, seeded):
    world = seeded
    page = parse(leader.get(_url(world)).get_data(as_text=True))
    assert "Page 1 of 2" in page.select_one("caption").get_text()
    older = page.select_one('.pager a[href*="page=2"]')
    assert older is not None
    second = parse(leader.get(older["href"]).get_data(as_text=True))
    assert "Page 2 of 2" in second.select_one("caption").get_text()
    assert second.select_one('.pager a[href*="page=1"]') is not None

    period = {"start": (clock.today() - dt.timedelta(days=29)).isoformat(), "end": clock.today().isoformat()}
    by_other = parse(leader.get(_url(world, **period, person=world.other_coach.id)).get_data(as_text=True))
    rows = by_other.select("tbody tr")
    assert len(rows) == 1 and world.p.name in rows[0].get_text()

    events_only = parse(leader.get(_url(world, **period, kind="event")).get_data(as_text=True))
    texts = [row.get_text(" ", strip=True) for row in events_only.select("tbody tr")]
    assert texts and all("Opened the information" not in text for text in texts)
    # The detail in words, not as a code: "(with password)", not "password".
    assert any("Sign-in failed (with password)" in text for text in texts)
    assert not events_only.select("tbody td:nth-of-type(3) code"), "every detail here has words"

    of_q = parse(leader.get(_url(world, **period, participant=world.q.participation_id)).get_data(as_text=True))
    assert all(world.q.name in row.get_text() for row in of_q.select("tbody tr"))


def test_bad_filters_are_answered_422_with_the_message_next_to_the_field(leader, world):
    response = leader.get(_url(world, start="2026-05-10", end="2026-05-01"))
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "cannot be before the first day" in page.select_one("#end-error").get_text()
    assert page.select_one("#end")["value"] == "2026-05-01"
    response = leader.get(_url(world, person="someone"))
    assert response.status_code == 422


def test_marking_the_period_as_checked_is_documented(leader, seeded, read):
    world = seeded
    start, end = clock.today() - dt.timedelta(days=30), clock.today() - dt.timedelta(days=1)
    response = leader.post_form(f"/project/{world.project.public_id}/logs/checked",
                                {"checked-start": start.isoformat(), "checked-end": end.isoformat()})
    assert response.status_code == 303
    row = events(read, "log_reviewed")[0]
    assert (row.actor_id, row.project_id, row.detail) == (world.leader.id, world.project.id,
                                                          f"{start.isoformat()}/{end.isoformat()}")
    page = parse(leader.get(response.location).get_data(as_text=True))
    assert world.leader.name in page.select_one(".follow-ups").get_text()
    assert "The follow-up is recorded" in page.select_one("#status").get_text()
    # The next visit starts where the follow-up ended.
    fresh = parse(leader.get(_url(world)).get_data(as_text=True))
    assert fresh.select_one("#start")["value"] == clock.today().isoformat()


def test_a_follow_up_with_a_bad_period_is_refused(leader, world, read):
    response = leader.post_form(f"/project/{world.project.public_id}/logs/checked",
                                {"checked-start": "2026-05-10", "checked-end": "2026-05-01"})
    assert response.status_code == 422
    assert events(read, "log_reviewed") == []
    response = leader.post_form(f"/project/{world.project.public_id}/logs/checked", {})
    assert response.status_code == 422


def test_another_projects_leader_gets_404_and_a_coach_403(new_client, build, world):
    other_leader = build(factories.staff, world.project_b, "leader")
    client = new_client()
    client.sign_in(other_leader.email)
    assert client.get(f"/project/{world.project.public_id}/logs").status_code == 404
    assert client.post_form(f"/project/{world.project.public_id}/logs/checked",
                            {"checked-start": "2026-01-01", "checked-end": "2026-01-31"}).status_code == 404
    coach = new_client()
    coach.sign_in(world.coach.email)
    assert coach.get(f"/project/{world.project.public_id}/logs").status_code == 403


def test_the_page_links_from_the_projects_page(leader, world):
    page = parse(leader.get("/project").get_data(as_text=True))
    assert page.select_one(f'a[href="/project/{world.project.public_id}/logs"]') is not None


def test_the_participant_still_sees_only_who_looked(client, seeded):
    client.sign_in(seeded.p.login)
    page = parse(client.get("/who-has-looked").get_data(as_text=True))
    items = page.select(".access-list li")
    assert items and all("Sign-in" not in item.get_text() for item in items)


def test_bursts_are_found_only_above_the_limit():
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    times = [start + dt.timedelta(seconds=10 * i) for i in range(6)]
    assert audit_review._bursts("X", times, 6) == []
    found = audit_review._bursts("X", times, 5)
    assert len(found) == 1 and found[0].reads == 6 and found[0].start == start
    spread = [start + dt.timedelta(minutes=3 * i) for i in range(10)]  # 4 in any 10 minutes
    assert audit_review._bursts("X", spread, 3) != [] and audit_review._bursts("X", spread, 4) == []


def test_after_hours_is_swedish_time():
    assert audit_review.is_after_hours(_local(dt.date(2026, 7, 1), 6, 59))
    assert not audit_review.is_after_hours(_local(dt.date(2026, 7, 1), 7, 0))
    assert not audit_review.is_after_hours(_local(dt.date(2026, 1, 15), 18, 59))
    assert audit_review.is_after_hours(_local(dt.date(2026, 1, 15), 19, 0))
