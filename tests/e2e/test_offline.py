"""Phone first: the app installs, opens without a connection, and log entries written offline are
sent later, exactly once, and only by the person who wrote them.

These run in Debian's Chromium with the service worker on. "Offline" is Chromium's own network
emulation (context.set_offline), which also fires the page's online and offline events.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import time
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from tests import factories
from tests.e2e.conftest import CHROMIUM_FLAGS, PHONE, TIMEOUT_MS
from tests.e2e.pages import sign_in
from webapp.extensions import db
from webapp.models import Activity

pytestmark = pytest.mark.e2e


def _entries(participant: factories.Participant) -> list[tuple[str, str]]:
    """(kind, note) of every entry the server stored for this participant."""
    rows = db.session.execute(
        select(Activity.kind, Activity.note).where(Activity.participation_id == participant.participation_id)
    )
    return sorted((kind.value, note or "") for kind, note in rows)


def _count(participant: factories.Participant) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Activity).where(Activity.participation_id == participant.participation_id)
    )


@pytest.fixture
def phone(playwright_session, chromium_path, live_server, tmp_path) -> Callable[..., BrowserContext]:
    """phone() opens "the" phone: a browser with its own profile on disk, so that what it stored
    (IndexedDB, the service worker and its caches) is still there after it is closed and opened."""
    opened: list[BrowserContext] = []

    def open_phone(offline: bool = False, service_worker: bool = True) -> BrowserContext:
        # Offline from the start, for the service worker too: every request goes to a proxy that
        # is not there (Chromium otherwise never sends loopback requests through a proxy).
        no_network = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"] if offline else []
        context = playwright_session.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path, args=CHROMIUM_FLAGS + no_network,
            base_url=live_server, viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, locale="en-GB",
            timezone_id="Europe/Stockholm", service_workers="allow" if service_worker else "block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_phone
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001, S110 - closed by the test already
            pass


def page_of(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


# Installing fetches and keeps every static file. With both CI runs' browsers busy on two cores it
# once took over 5 s (the default wait), so the install alone may take longer; a wait, not a budget.
INSTALL_MS = 15_000


def wait_until_installed(page: Page) -> None:
    """The service worker controls the page and the offline page is kept in its cache."""
    # Functions, not expressions: Playwright evaluates an expression again on every poll with eval(),
    # which the page's CSP refuses once the first poll is over (CI found it on a slow start).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=INSTALL_MS)
    # A promise is truthy, so wait_for_function would not wait for its answer: ask until it is yes.
    deadline = time.monotonic() + INSTALL_MS / 1000
    while not page.evaluate("() => caches.open('stegvis-pages').then(c => c.match('/offline')).then(r => !!r)"):
        assert time.monotonic() < deadline, "the offline page was never kept in the service worker's cache"
        page.wait_for_timeout(50)


def controlled_log(page: Page) -> None:
    """Open the log once the service worker has taken over (the first load installs it)."""
    page.goto("/log")
    wait_until_installed(page)
    page.reload()


def offline_log(phone, participant) -> tuple[BrowserContext, Page]:
    """The phone, signed in, on the log its service worker controls, and then without a connection."""
    context = phone()
    page = page_of(context)
    sign_in(page, participant.login)
    controlled_log(page)
    context.set_offline(True)
    return context, page


def log_entry(page: Page, note: str, double_tap: bool = False) -> None:
    form = page.locator("#activity-form-new")
    form.get_by_label("What did you do?").select_option(label="Job application")
    form.get_by_label("How long did it take?").select_option(index=2)
    form.get_by_text("Good", exact=True).click()
    form.get_by_label("Note (if you want)").fill(note)
    save = form.locator("button[type=submit]")
    if double_tap:
        save.dblclick()
    else:
        save.click()
    expect(page.get_by_role("status")).to_contain_text("Saved on your phone")
    expect(form.get_by_label("Note (if you want)")).to_have_value("")


def outbox(page: Page) -> list[dict]:
    return page.evaluate("StegvisOutbox.all()")


def test_the_app_is_installable(open_page, participant, live_server):
    """A manifest in the page's language with the icons a phone needs, and a service worker
    that controls the page and keeps no signed-in page."""
    page = open_page()
    page.context.add_cookies([{"name": "lang", "value": "ar", "url": live_server}])
    sign_in_page = page.goto("/sign-in")
    assert sign_in_page.ok
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.request.get(href)
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["lang"] == "ar" and body["dir"] == "rtl"
    assert body["display"] == "standalone" and body["start_url"] == "/" and body["scope"] == "/" and body["id"] == "/"
    assert body["name"] == "Stegvis" and body["short_name"] == "Stegvis"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        png = page.request.get(icon["src"]).body()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", icon["src"]
        width, height = struct.unpack(">II", png[16:24])
        assert f"{width}x{height}" == icon["sizes"], icon["src"]

    worker = page.request.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["content-type"].startswith("text/javascript")

    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email or sign-in name").fill(participant.login)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/home")
    controlled_log(page)
    for url in ("/plan", "/home", "/log"):
        page.goto(url)
    kept = page.evaluate("""async () => {
        const found = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const response = await cache.match(request);
                found.push([new URL(request.url).pathname, response.headers.get('content-type') || '',
                            response.headers.get('cache-control') || '', await response.clone().text()]);
            }
        }
        return found;
    }""")
    pages = [(path, text) for path, kind, _cache, text in kept if kind.startswith("text/html")]
    assert [path for path, _text in pages] == ["/offline"], "the service worker kept a signed-in page"
    assert participant.name not in pages[0][1]
    statics = [path for path, kind, _cache, _text in kept if not kind.startswith("text/html")]
    assert "/static/css/app.css" in statics and "/static/js/outbox.js" in statics


def test_entries_written_offline_are_sent_once_when_the_connection_returns(phone, participant, read):
    context = phone()
    page = page_of(context)
    sign_in(page, participant.login)
    controlled_log(page)

    context.set_offline(True)
    log_entry(page, "Ringde Coop")  # the log page itself, still open
    page.goto("/log")  # no connection: the phone shows the kept offline page with the log form
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    log_entry(page, "Skickade CV till ICA", double_tap=True)
    log_entry(page, "Besök på Arbetsförmedlingen")
    expect(page.locator("[data-outbox-count]")).to_have_text("Waiting to be sent: 3")
    assert read(_count, participant) == 0
    context.close()

    context = phone(offline=True)  # the browser is opened again, still without a connection
    page = page_of(context)
    page.goto("/log")
    expect(page.locator("[data-outbox-count]")).to_have_text("Waiting to be sent: 3")
    assert read(_count, participant) == 0
    context.close()

    context = phone()  # and again, with a connection: the entries go
    page = page_of(context)
    page.goto("/log")
    expect(page.locator("#log-weeks")).to_contain_text("Besök på Arbetsförmedlingen")
    expect(page.locator("[data-outbox-panel]")).to_be_hidden()
    assert read(_entries, participant) == [
        ("job_application", "Besök på Arbetsförmedlingen"), ("job_application", "Ringde Coop"),
        ("job_application", "Skickade CV till ICA"),
    ]
    assert outbox(page) == []


def test_a_note_over_the_limit_or_a_day_ahead_is_not_kept_offline_and_says_why_at_the_field(phone, participant):
    """The phone checks the server's limits before it keeps an entry: the person learns what is
    wrong at the form, next to the field, with what they wrote still there, not later in a list."""
    context, page = offline_log(phone, participant)
    form = page.locator("#activity-form-new")
    form.get_by_label("Date").fill((dt.date.today() + dt.timedelta(days=2)).isoformat())
    form.get_by_label("What did you do?").select_option(label="Job application")
    form.get_by_label("How long did it take?").select_option(index=2)
    form.get_by_text("Good", exact=True).click()
    note = form.get_by_label("Note (if you want)")
    note.fill("Ringde Coop " + "x" * 1000)
    form.locator("button[type=submit]").click()

    date = form.get_by_label("Date")
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description(re.compile("The date cannot be in the future"))
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(note).to_have_accessible_description(re.compile("Write at most 1000 characters. Now there are 1012."))
    expect(note).to_have_value("Ringde Coop " + "x" * 1000)
    assert outbox(page) == []

    date.fill(dt.date.today().isoformat())
    note.fill("Ringde Coop")
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("Saved on your phone")
    expect(form.locator(".field__error")).to_have_count(0)
    expect(note).not_to_have_attribute("aria-invalid", "true")
    assert [entry["fields"]["note"] for entry in outbox(page)] == ["Ringde Coop"]


def test_an_entry_not_filled_in_offline_says_what_is_missing_at_each_field(phone, participant):
    """Saved without what was done, how long or how it went: the message was at the top of the page,
    far above the button on a phone, and nothing seemed to happen. Now each field says it, as after
    sending, and focus goes to the first."""
    context, page = offline_log(phone, participant)
    form = page.locator("#activity-form-new")
    note = form.get_by_label("Note (if you want)")
    note.fill("Ringde Coop")
    form.locator("button[type=submit]").click()
    kind = form.get_by_label("What did you do?")
    expect(kind).to_be_focused()
    expect(kind).to_have_accessible_description(re.compile("Choose what you did."))
    expect(form.get_by_label("How long did it take?")).to_have_accessible_description(re.compile("Choose how long it took."))
    feeling = form.get_by_role("group", name="How did it go?")
    expect(feeling).to_have_accessible_description(re.compile("Choose how it went."))
    expect(form.get_by_role("radio", name="Good", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(note).to_have_value("Ringde Coop")
    assert outbox(page) == []

    kind.select_option(label="Job application")
    form.get_by_label("How long did it take?").select_option(index=2)
    form.get_by_text("Good", exact=True).click()
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("Saved on your phone")
    expect(form.locator(".field__error")).to_have_count(0)
    expect(form.locator('[aria-invalid="true"]')).to_have_count(0)
    expect(feeling).not_to_have_attribute("aria-describedby", re.compile("."))
    assert [entry["fields"]["note"] for entry in outbox(page)] == ["Ringde Coop"]


def test_an_entry_the_server_refuses_can_be_put_right_and_saved(phone, participant, read):
    """An entry kept on the phone that the server refuses (kept by a page that did not check the
    note's length): the panel says why, with Change and Remove, and no "Send now" with nothing to
    send (a hidden button used to show: .button's display beat the hidden attribute). Change puts it
    back into the form, with the reason next to the field; put right and saved, it is stored once.
    Nothing is lost on the way: it waits on the phone until it is saved."""
    context, page = offline_log(phone, participant)
    page.evaluate("() => document.getElementById('activity-form-new').removeAttribute('data-note-max')")
    log_entry(page, "Skrev till Norrmejerier " + "x" * 1000)
    expect(page.locator("[data-outbox-count]")).to_have_text("Waiting to be sent: 1")
    context.set_offline(False)  # the online event (or Background Sync) sends it
    panel = page.locator("[data-outbox-panel]")
    expect(panel).to_contain_text("Write at most 1000 characters")
    # Said, and the form no longer says "it is sent when you have a connection".
    expect(page.get_by_role("status")).to_contain_text("Could not be saved: Write at most 1000 characters")
    expect(page.locator("#activity-form-new [data-queued]")).to_have_count(0)
    expect(panel.get_by_role("button", name="Remove")).to_be_visible()
    expect(panel.get_by_role("button", name="Send now")).to_be_hidden()
    expect(panel.locator("[data-outbox-count]")).to_be_hidden()  # not "Waiting to be sent: 0"
    assert read(_count, participant) == 0

    # Remove takes one tap, so it can be undone: the panel stays, says so, and Undo has the focus.
    panel.get_by_role("button", name=re.compile("^Remove( ?:|$)")).click()
    undo = panel.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("The entry is deleted.")
    expect(panel).to_contain_text("The entry is deleted. Undo")
    expect(panel.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    assert outbox(page) == []
    undo.click()
    expect(panel.get_by_role("button", name=re.compile("^Change"))).to_be_focused()
    expect(panel.get_by_role("button", name="Undo")).to_have_count(0)
    assert len(outbox(page)) == 1

    # On the home page, Change leads to the log, where the form is.
    page.goto("/home")
    change = page.locator("[data-outbox-panel]").get_by_role("link", name="Change")
    expect(change).to_have_attribute("href", "/log#outbox-heading")
    change.click()
    page.wait_for_url("**/log#outbox-heading")
    page.locator("[data-outbox-panel]").get_by_role("button", name="Change").click()

    form = page.locator("#activity-form-new")
    note = form.get_by_label("Note (if you want)")
    expect(note).to_be_focused()
    expect(note).to_have_value("Skrev till Norrmejerier " + "x" * 1000)
    expect(note).to_have_accessible_description(re.compile("Write at most 1000 characters. Now there are 1024."))
    expect(form.get_by_label("What did you do?")).to_have_value("job_application")
    expect(form.get_by_role("radio", name="Good", exact=True)).to_be_checked()
    assert len(outbox(page)) == 1  # still waiting on the phone until it is saved

    note.fill("Skrev till Norrmejerier")
    form.locator("button[type=submit]").click()
    expect(page.locator("#log-weeks")).to_contain_text("Skrev till Norrmejerier")
    expect(page.locator("[data-outbox-panel]")).to_be_hidden()
    assert read(_entries, participant) == [("job_application", "Skrev till Norrmejerier")]
    assert outbox(page) == []


def test_a_form_sent_without_a_connection_says_so_until_the_connection_is_back(phone, participant, read):
    """A goal saved with no connection: "No connection. Nothing was sent." and the text stays in the
    form. When the connection is back, the notice goes (it used to stay until the page was reloaded)."""
    page = page_of(phone(service_worker=False))
    sign_in(page, participant.login)
    page.goto("/plan")
    page.get_by_label("Your goal").fill("Få ett jobb i vården")
    page.context.set_offline(True)
    page.get_by_role("button", name="Save the goal").click()
    notice = page.get_by_role("status").get_by_text("No connection. Nothing was sent.")
    expect(notice).to_be_visible()
    expect(page.get_by_label("Your goal")).to_have_value("Få ett jobb i vården")
    page.context.set_offline(False)
    expect(notice).to_have_count(0)
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_role("heading", name="Få ett jobb i vården", level=2)).to_be_visible()


def test_entries_go_when_the_connection_comes_back_to_an_open_page(open_page, participant, read):
    page = open_page()
    sign_in(page, participant.login)
    controlled_log(page)
    page.context.set_offline(True)
    log_entry(page, "Ringde Clas Ohlson")
    expect(page.locator("[data-outbox-count]")).to_have_text("Waiting to be sent: 1")
    page.context.set_offline(False)  # the online event (or Background Sync) sends it
    expect(page.locator("[data-outbox-panel]")).to_be_hidden()
    expect(page.get_by_role("status")).to_contain_text("Sent: 1")
    expect(page.locator("#activity-form-new [data-queued]")).to_have_count(0)  # "sent when …" is over
    expect(page.locator("#log-weeks")).to_contain_text("Ringde Clas Ohlson")
    assert read(_entries, participant) == [("job_application", "Ringde Clas Ohlson")]


def test_an_answer_lost_after_the_server_saved_still_stores_the_entry_once(phone, participant, read):
    # Routes see every request only without the service worker in between; what is tested here is
    # the page's outbox and the server's client ids. (htmx logs the lost answer as a console error,
    # which open_page() forbids.)
    page = page_of(phone(service_worker=False))
    sign_in(page, participant.login)
    page.goto("/log")

    lost = []

    def save_then_lose_the_answer(route: Route) -> None:
        if route.request.method != "POST" or lost:
            route.continue_()
            return
        lost.append(route.request.url)
        route.fetch()  # the server gets it and saves it ...
        route.abort("connectionreset")  # ... and the answer never reaches the phone

    page.context.route("**/log", save_then_lose_the_answer)
    # The connection stays bad for a while: the phone's own tries to send it again fail too.
    page.context.route("**/log/outbox", lambda route: route.abort("internetdisconnected"))
    log_entry(page, "Intervju på Norrmejerier")
    assert read(_count, participant) == 1
    expect(page.locator("[data-outbox-count]")).to_have_text("Waiting to be sent: 1")
    page.context.unroute_all(behavior="wait")
    assert len(lost) == 1

    page.get_by_role("button", name="Send now").click()
    expect(page.locator("[data-outbox-panel]")).to_be_hidden()
    assert read(_entries, participant) == [("job_application", "Intervju på Norrmejerier")]
    expect(page.locator("#log-weeks")).to_contain_text("Intervju på Norrmejerier")


def test_someone_else_on_the_same_phone_never_sends_the_first_persons_entries(phone, build, read):
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    participant = build(factories.participant, project, coach, name="Amina Hassan")
    other = build(factories.participant, project, coach, name="Omar Yusuf")
    # Without the service worker, so that the routes below see every request (one request is
    # refused on purpose, which open_page() forbids).
    page = page_of(phone(service_worker=False))
    sign_in(page, participant.login)
    page.goto("/log")
    page.context.set_offline(True)
    log_entry(page, "Praktik på Coop")
    # The connection is back, but the server cannot be reached before Amina signs out. (The route
    # first: the page sends what waits as soon as it is online.)
    page.context.route("**/log/outbox", lambda route: route.abort("connectionrefused"))
    page.context.set_offline(False)
    page.goto("/plan")  # she signs out from a page without the outbox panel
    page.get_by_role("button", name="Sign out").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Waiting to be sent: 1")
    dialog.get_by_role("button", name="Keep them on the phone").click()
    page.wait_for_url("**/sign-in")
    page.context.unroute("**/log/outbox")

    sign_in(page, other.login)
    page.goto("/log")
    expect(page.locator("[data-outbox-panel]")).to_be_hidden()
    page.evaluate("StegvisOutbox.flush()")
    assert read(_count, other) == 0 and read(_count, participant) == 0
    # The entry is still on the phone, Amina's, untouched by Omar's visit.
    assert [entry["fields"]["note"] for entry in outbox(page)] == ["Praktik på Coop"]
    # The server refuses it too, should a phone send it as Omar's.
    entry = outbox(page)[0]
    answer = page.evaluate("""async (entry) => {
        const who = await (await fetch('/log/outbox')).json();
        const response = await fetch('/log/outbox', {method: 'POST', body: JSON.stringify(entry),
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': who.csrf}});
        return response.status;
    }""", entry)
    assert answer == 409 and read(_count, other) == 0

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    sign_in(page, participant.login)  # Amina again: her entry goes now
    page.goto("/log")
    # It is sent when a page loads: maybe from the start page, before this one was drawn.
    for _ in range(50):
        if read(_entries, participant):
            break
        page.wait_for_timeout(100)
    assert read(_entries, participant) == [("job_application", "Praktik på Coop")]
    page.reload()
    expect(page.locator("#log-weeks")).to_contain_text("Praktik på Coop")
    for _ in range(50):  # the phone drops it once the server's answer is in (a replay, if the
        if not outbox(page):  # reload cut the first answer off)
            break
        page.wait_for_timeout(100)
    assert outbox(page) == []
    assert read(_entries, participant) == [("job_application", "Praktik på Coop")], "stored once"


def test_signing_out_clears_what_the_phone_kept(open_page, participant):
    page = open_page()
    sign_in(page, participant.login)
    responses = []
    page.on("response", lambda response: responses.append(response) if response.url.endswith("/sign-out") else None)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert responses and responses[0].all_headers()["clear-site-data"] == '"cache", "storage"'


def test_client_ids_are_uuids_and_the_offline_form_has_one(open_page, participant):
    page = open_page()
    sign_in(page, participant.login)
    controlled_log(page)
    page.context.set_offline(True)
    page.goto("/plan")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    client_id = page.locator("#activity-form-new [name=client_id]").input_value()
    assert uuid.UUID(client_id).version == 4
    assert outbox(page) == []


def test_a_message_being_written_survives_a_lost_connection_and_an_expired_sign_in(phone, participant, build, read):
    from webapp.models import AuthSession, Comment

    page = page_of(phone(service_worker=False))
    sign_in(page, participant.login)
    page.goto("/messages")
    text = "Hej! Jag kan inte komma på tisdag, jag har en tid hos läkaren."
    page.get_by_label("Your message").fill(text)

    page.context.set_offline(True)  # the connection drops, the person reloads: the text is back
    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_label("Your message")).to_have_value(text)
    expect(page.locator("form.form--comment")).to_contain_text("We filled in what you wrote before")

    # The sign-in runs out while the person writes; sending leads to the sign-in page.
    build(lambda: db.session.execute(AuthSession.__table__.delete()))
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/sign-in**")
    page.get_by_label("Email or sign-in name").fill(participant.login)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto("/messages")
    expect(page.get_by_label("Your message")).to_have_value(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".comments")).to_contain_text("jag har en tid hos läkaren")
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Comment))) == 1

    page.reload()  # saved: the draft is gone
    expect(page.get_by_label("Your message")).to_have_value("")


def test_a_log_entry_being_written_survives_a_change_of_language(open_page, participant):
    """Half written, the person changes the language: the entry was gone (the drafts leave the log
    form out). It is filled in again, in the new language, with a note that says so."""
    page = open_page()
    sign_in(page, participant.login)
    page.goto("/log")
    form = page.locator("#activity-form-new")
    form.get_by_label("What did you do?").select_option(label="Job application")
    form.get_by_label("How long did it take?").select_option(index=3)
    form.get_by_text("Good", exact=True).click()
    form.get_by_label("Note (if you want)").fill("Ringde Coop om jobbet")
    page.locator("details.language-picker summary").click()
    page.get_by_role("button", name="Svenska", exact=True).click()
    page.wait_for_url("**/log")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    form = page.locator("#activity-form-new")
    expect(form.get_by_label("Anteckning (om du vill)")).to_have_value("Ringde Coop om jobbet")
    expect(form.get_by_label("Vad gjorde du?")).to_have_value("job_application")
    expect(form.get_by_label("Hur lång tid tog det?").locator("option:checked")).to_have_text("45 min")
    expect(form.get_by_role("radio", name="Bra", exact=True)).to_be_checked()
    expect(form).to_contain_text("Vi fyllde i det du skrev förut.")
    page.reload()  # still not saved: still there
    note = page.locator("#activity-form-new").get_by_label("Anteckning (om du vill)")
    expect(note).to_have_value("Ringde Coop om jobbet")
    page.locator("#activity-form-new").get_by_role("button", name="Spara").click()
    expect(page.locator("#log-weeks")).to_contain_text("Ringde Coop om jobbet")
    page.reload()  # saved: a later visit starts empty
    expect(page.locator("#activity-form-new").get_by_label("Anteckning (om du vill)")).to_have_value("")


def test_an_offline_page_kept_from_before_the_checks_still_keeps_entries(phone, participant):
    """A phone may show an offline page it kept before the form carried the server's limits (until
    it is online again and gets the new one): a missing field gets the form's general message, and a
    day in the past is not taken as "too far back"."""
    context, page = offline_log(phone, participant)
    page.evaluate("""() => { const form = document.getElementById('activity-form-new');
        for (const name of [...form.getAttributeNames()]) {
          if (name.startsWith('data-') && !['data-outbox', 'data-msg-incomplete', 'data-msg-error'].includes(name)) {
            form.removeAttribute(name);
          }
        } }""")
    form = page.locator("#activity-form-new")
    form.locator("button[type=submit]").click()
    expect(form.get_by_label("What did you do?")).to_have_accessible_description(
        re.compile("Fill in the date, what you did, how long it took and how it went."))
    form.get_by_label("Date").fill((dt.date.today() - dt.timedelta(days=3)).isoformat())
    log_entry(page, "Ringde Coop")
    assert [entry["fields"]["note"] for entry in outbox(page)] == ["Ringde Coop"]
