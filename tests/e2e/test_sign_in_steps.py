"""The sign-in steps that need a sign-in in progress (so the every-page walk cannot open them):
choosing a PIN or a password with a code, the PIN page on a phone that knows the person, and
staff's code and set-up pages. In Swedish and Arabic at 320 px: axe, no sideways scrolling,
44 px targets; and the screenshots at 360 px that we look at."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from tests import factories
from tests.e2e.pages import axe_problems, screen_problems, small_targets
from tests.e2e.test_every_page import _context
from webapp.extensions import db
from webapp.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]


def _check(page, where: str) -> list[str]:
    # The answer to a form must be the page that is checked: a click does not wait for it, and a
    # page still loading (its styles not applied yet) has small links (CI found it).
    page.wait_for_load_state("load")
    found = axe_problems(page, where) + screen_problems(page, where) + small_targets(page, where)
    # small_targets opens every <details> (the language menu too): close them to go on.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = false; })")
    return found


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_the_participants_sign_in_steps(browser, live_server, build, language, tmp_path):
    person = build(factories.participant, build(factories.project), build(factories.staff, build(factories.project)),
                   name="Fatima Ali", activated=False)
    code = build(factories.activation_code, person)
    context = _context(browser, live_server, language)
    page = context.new_page()
    found = []
    page.goto(f"/activate?code={code}")
    found += _check(page, f"{language} choose PIN or password")
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=tmp_path / f"choose-{language}.png", full_page=True)
    page.locator("#pin").fill("402719")
    page.locator("#pin_again").fill("402719")
    page.locator("form:has(#pin) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home$"))
    page.locator("form.sign-out button").click()
    page.wait_for_url(re.compile(r"/sign-in/pin"))
    found += _check(page, f"{language} PIN sign-in")
    page.locator("#pin").fill("999999")
    page.locator("form.form button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found += _check(page, f"{language} PIN sign-in with an error")
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_the_staff_sign_in_steps(browser, live_server, build, world, language):
    context = _context(browser, live_server, language)
    page = context.new_page()
    found = []
    for email, has_app in ((world.coach.email, True), (world.leader.email, False)):
        if not has_app:
            build(lambda: db.session.execute(update(User).where(User.id == world.leader.id).values(totp_secret=None)))
        page.goto("/sign-in")
        page.locator("#login_name").fill(email)
        page.locator("#password").fill(factories.PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/sign-in/(code|set-up)$"))
        found += _check(page, f"{language} {page.url}")
        page.locator("#code").fill("12")
        page.locator("form.form button[type=submit]").click()
        page.locator(".error-summary").wait_for()
        found += _check(page, f"{language} {page.url} with an error")
        context.clear_cookies()
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    context.close()
    assert not found, "\n".join(found)
