"""Passkeys in a real browser: Chromium's virtual authenticator (the CDP WebAuthn domain) stands
in for a phone with a screen lock. Passkeys need a host name, not an IP address, so these pages
are opened on localhost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, TIMEOUT_MS, PageProblems
from tests.e2e.pages import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page on http://localhost:<port> with a virtual platform authenticator that
    checks its owner (user verification), as a phone's fingerprint or screen PIN does."""
    context = browser.new_context(base_url=live_server.replace("127.0.0.1", "localhost"), viewport=PHONE,
                                  locale="en-GB", is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.on("response", problems.response)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})["authenticatorId"]
    yield page, cdp, authenticator
    context.close()
    assert not problems.messages, "the browser reported problems:\n" + "\n".join(problems.messages)


def test_a_participant_adds_a_passkey_and_signs_in_with_the_phones_lock(phone, participant):
    page, cdp, authenticator = phone
    sign_in(page, participant.login)
    page.goto("/account/sign-in")
    expect(page.get_by_text("You have no passkey yet.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey is saved")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Remove the passkey"))).to_be_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/sign-in"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The phone could not check its owner: no sign-in, and a message by the button.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/sign-in"))
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": False})
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("did not work")
    assert page.url.endswith("/sign-in")


def test_without_javascript_the_passkey_button_is_not_offered(open_page, participant):
    page = open_page(js=False)
    page.goto("/sign-in")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_hidden()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
