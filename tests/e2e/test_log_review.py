"""The log review in a real browser, without JavaScript, on a 360 px phone: it fits (the table
scrolls in its own region), it has no WCAG A/AA problems, and "mark as checked" works by form
POST and redirect."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.audit.support import add_event, add_read
from tests.e2e.pages import assert_fits_screen, axe_problems, sign_in_staff
from webapp import clock
from webapp.extensions import db
from webapp.models import Role, User

pytestmark = pytest.mark.e2e


def test_the_log_review_fits_a_phone_and_works_without_javascript(open_page, build, world):
    def seed():
        coach = db.session.get(User, world.coach.id)
        late = dt.datetime.combine(clock.today() - dt.timedelta(days=1), dt.time(21, 30), tzinfo=clock.TIMEZONE)
        for minutes in range(0, 60, 5):
            add_read(coach, world.p.participation_id, late + dt.timedelta(minutes=minutes), detail="caseload")
        add_event("sign_in_failed", world.q.user_id, Role.PARTICIPANT, detail="password")
        add_event("account_disabled", world.leader.id, Role.LEADER, project_id=world.project.id,
                  detail=f"coach:{world.other_coach.id.hex}")

    build(seed)
    page = open_page(js=True)
    sign_in_staff(page, world.leader.email, start="/project")
    page.goto(f"/project/{world.project.public_id}/logs")
    assert page.get_by_role("heading", level=1).inner_text() == "Log review"
    assert page.get_by_role("region", name="rows, newest first", exact=False).is_visible()
    assert_fits_screen(page, "the log review at 360 px")
    assert axe_problems(page, "the log review") == []

    page = open_page(js=False)
    sign_in_staff(page, world.leader.email, start="/project")
    page.goto(f"/project/{world.project.public_id}/logs")
    page.get_by_role("button", name="as checked", exact=False).click()
    page.wait_for_load_state()
    assert "The follow-up is recorded" in page.get_by_role("status").inner_text()
    assert world.leader.name in page.locator(".follow-ups").inner_text()
    assert_fits_screen(page, "the log review after the follow-up")


def test_projects_page_links_to_the_logs(open_page, build):
    project = build(factories.project)
    leader = build(factories.staff, project, "leader")
    page = open_page(js=False)
    sign_in_staff(page, leader.email, start="/project")
    page.get_by_role("link", name="Logs").first.click()
    page.wait_for_url(f"**/project/{project.public_id}/logs")
