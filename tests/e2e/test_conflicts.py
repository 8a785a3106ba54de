"""Two phones change the same step in place (htmx): the later save shows the conflict, with what is
saved now and the person's own text still in the form, and a second save is a choice that goes
through. (The server side, without a browser, is in tests/plan/test_conflicts.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.conftest import PHONE, TIMEOUT_MS
from tests.e2e.pages import sign_in
from webapp.extensions import db
from webapp.models import Step

pytestmark = pytest.mark.e2e


@pytest.fixture
def device(browser, live_server):
    """device() → a page on a phone of its own (its own cookies), with its console errors kept.
    (The open_page fixture counts every 4xx but 422 as a problem; a 409 is the expected answer here.)"""
    opened = []

    def make() -> tuple[Page, list[str]]:
        context = browser.new_context(base_url=live_server, viewport=PHONE, screen=PHONE, is_mobile=True,
                                      has_touch=True, locale="en-GB", timezone_id="Europe/Stockholm")
        context.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        opened.append(context)
        return page, errors

    yield make
    for context in opened:
        context.close()


def _open_the_step_in_place(page: Page, step) -> None:
    page.goto("/plan")
    page.locator(f"#step-{step}").get_by_role("link", name=re.compile("^Change")).click()
    expect(page.get_by_label("What will you do?")).to_be_visible()


def test_two_phones_change_the_same_step_and_the_later_one_sees_both_texts(device, participant, build, read):
    step = build(factories.step, participant, build(factories.goal, participant), "Ringa AF")
    (phone, phone_errors), (other, other_errors) = device(), device()
    for page in (phone, other):
        sign_in(page, participant.login)
        _open_the_step_in_place(page, step)

    phone.get_by_label("What will you do?").fill("Ringa AF på måndag")
    other.get_by_label("What will you do?").fill("Mejla AF i dag")
    phone.get_by_role("button", name="Save the step").click()
    expect(phone.locator("#plan")).to_contain_text("Ringa AF på måndag")

    other.get_by_role("button", name="Save the step").click()
    notice = other.locator(".conflict")
    expect(notice).to_contain_text("This step was changed on another device")
    expect(notice).to_contain_text("Ringa AF på måndag")
    expect(notice).to_be_focused()
    expect(other.get_by_label("What will you do?")).to_have_value("Mejla AF i dag")
    assert read(lambda: db.session.get(Step, step).text) == "Ringa AF på måndag", "nothing overwritten"

    other.get_by_role("button", name="Save the step").click()  # a choice, with both in view
    expect(other.locator("#plan")).to_contain_text("Mejla AF i dag")
    expect(other.locator(".conflict")).to_have_count(0)
    assert read(lambda: db.session.get(Step, step).text) == "Mejla AF i dag"
    # Chromium itself logs every 4xx answer as "Failed to load resource"; anything else is a problem.
    assert [e for e in phone_errors + other_errors if "status of 409" not in e] == []
