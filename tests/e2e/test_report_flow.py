"""The project leader opens the goal report on a phone, chooses a period, downloads the XLSX, and
the file shows the same figures as the page. With and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import sign_in_staff
from tests.goals.figures import page_figures, totals_only, xlsx_figures
from tests.goals.world import PERIOD, build_goal_world

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_the_leader_downloads_the_xlsx_and_it_shows_the_pages_figures(open_page, build, tmp_path, js):
    world = build(build_goal_world)
    page = open_page(js=js)
    sign_in_staff(page, world.leader.email, "/project")

    page.get_by_role("link", name="Goal report").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Goal report")
    page.get_by_label("From").fill(PERIOD[0].isoformat())
    page.get_by_label("To").fill(PERIOD[1].isoformat())
    page.get_by_role("button", name="Show the figures").click()
    expect(page).to_have_url(re.compile(r"start=2026-01-01&end=2026-06-30"))

    # The page is in English (the browser's language), the file in Swedish: compare the figures.
    shown = page_figures(page.content(), neutral=True)
    assert totals_only(shown)[("G1", "total")][:2] == ("9", "14")
    assert len(shown) == 5 + 5 * 10
    # On a 360 px phone the page never scrolls sideways; a wide table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_role("region", name=re.compile("G1 by gender", re.I)).first).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="The report as Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "maluppfoljning-norrskan-2026-01-01-2026-06-30.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert xlsx_figures(saved.read_bytes(), neutral=True) == shown


@pytest.mark.presentation
def test_the_report_the_goals_page_and_the_coachs_report_have_no_axe_violations(open_page, build):
    from tests.e2e.test_accessibility import assert_no_violations

    world = build(build_goal_world)
    page = open_page(js=True)
    sign_in_staff(page, world.leader.email, "/project")
    page.goto(f"/project/{world.project.public_id}/report?start={PERIOD[0]}&end={PERIOD[1]}")
    assert_no_violations(page, "goal report")
    page.goto(f"/project/{world.project.public_id}/goals")
    assert_no_violations(page, "goals")
    page.get_by_label("Code").fill("G9")
    page.get_by_label("The goal in the project's words").fill("Alla svarar")
    page.get_by_label("Target", exact=True).fill("150")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator("#target-error")).to_be_visible()
    assert_no_violations(page, "goals with errors")
    coach = open_page(js=True)
    sign_in_staff(coach, world.coach.email, "/coach")
    coach.goto(f"/coach/report?start={PERIOD[0]}&end={PERIOD[1]}")
    assert_no_violations(coach, "coach report")
