"""A mistake in a form is explained where it happened, and nothing the person wrote is lost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.pages import sign_in
from webapp import clock
from webapp.extensions import db
from webapp.models import Activity

pytestmark = pytest.mark.e2e

NOTE = "Interview at the café on Storgatan.\nThey will call me back."
# The start of the message: the advice after it is still being worded.
FUTURE_MESSAGE = re.compile(r"^The date cannot be in the future")


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_a_date_in_the_future_is_explained_and_the_note_is_kept(open_page, participant, read, js: bool):
    page = open_page(js=js)
    sign_in(page, participant.login)
    page.goto("/log")

    tomorrow = clock.today() + dt.timedelta(days=1)
    date = page.get_by_label("Date", exact=True)
    # fill() types into the browser's date field; the order of day, month and year the field
    # shows follows the browser's own locale, so typing digits key by key would test Chromium.
    date.fill(tomorrow.isoformat())
    expect(date).to_have_value(tomorrow.isoformat())
    page.get_by_label("What did you do?").select_option(label="Work training")
    page.get_by_label("How long did it take?").select_option(label="2 h")
    page.get_by_role("radio", name="Okay", exact=True).check()
    page.get_by_label("Note (if you want)").fill(NOTE)
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.get_by_role("alert").filter(has_text="Check this and try again")
    expect(summary).to_be_visible()
    # One mistake, one line in the summary, and it links to the field.
    expect(summary.get_by_role("listitem")).to_have_count(1)
    link = summary.get_by_role("link", name=FUTURE_MESSAGE)
    expect(link).to_have_attribute("href", "#occurred_on")

    date = page.get_by_label("Date", exact=True)
    expect(date).to_have_attribute("aria-invalid", "true")
    # The message is next to the field and read out with it.
    expect(date).to_have_accessible_description(re.compile(r"The date cannot be in the future"))
    expect(page.locator(".field", has=date)).to_contain_text("The date cannot be in the future")

    # Everything typed is still there.
    expect(date).to_have_value(tomorrow.isoformat())
    expect(page.get_by_label("Note (if you want)")).to_have_value(NOTE)
    expect(page.get_by_label("What did you do?").locator("option:checked")).to_have_text("Work training")
    expect(page.get_by_label("How long did it take?").locator("option:checked")).to_have_text("2 h")
    expect(page.get_by_role("radio", name="Okay", exact=True)).to_be_checked()

    if js:
        # htmx replaced the form only; the summary took focus, as on a page load with errors.
        expect(summary).to_be_focused()
        expect(page).to_have_url(re.compile(r"/log$"))
    else:
        expect(page).to_have_title(re.compile(r"^Error: My log"))

    # The summary's link takes you to the field.
    link.click()
    expect(date).to_be_focused()

    expect(page.get_by_role("region", name=re.compile(r"^Week "))).not_to_have_count(0)
    expect(page.get_by_role("region", name=re.compile(r"^Week ")).first).to_contain_text("Nothing logged this week.")
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Activity))) == 0
