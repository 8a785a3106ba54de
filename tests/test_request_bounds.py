"""RATE-02 and HDR-05: requests too big or too many are refused early and plainly, and nothing
about the server leaks (methods, files, a debugger, a traceback).

Size limits are in webapp/config.py (MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE, MAX_FORM_PARTS); the
exports' limit is RATELIMIT_EXPORTS.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.access_matrix import COACH, LEADER, PARTICIPANT
from tests.every_page import signed_in_client
from tests.fuzzing import forms_by_endpoint, pages
from tests.html import parse
from webapp.extensions import db, limiter
from webapp.models import Goal

TOO_MUCH = "Det du skickade är för långt"  # the 413 message in Swedish


def _goals(read) -> int:
    return read(lambda: db.session.scalar(select(func.count()).select_from(Goal)))


@pytest.fixture
def participant(client, world):
    client.sign_in(world.p.login)
    return client


# --- size ------------------------------------------------------------------------------------------


def test_the_limits_are_set_and_leave_room_for_the_largest_real_request(app):
    from webapp.surveys.leader_views import MAX_FILE_BYTES

    assert MAX_FILE_BYTES < app.config["MAX_CONTENT_LENGTH"] <= 2 * 1024 * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] <= app.config["MAX_CONTENT_LENGTH"]
    assert 100 <= app.config["MAX_FORM_PARTS"] <= 1000


def test_the_biggest_form_is_far_below_the_parts_limit(app, new_client, site):
    for role in (PARTICIPANT, COACH, LEADER):
        client = signed_in_client(new_client, site, role)
        for endpoint, spec in forms_by_endpoint(app, pages(app, client, site, role)).items():
            parts = sum(max(1, len(f.options)) if f.kind == "checkbox" else 1 for f in spec.fields.values())
            assert parts * 3 < app.config["MAX_FORM_PARTS"], f"{endpoint} has {parts} fields"


@pytest.mark.parametrize("hx", [False, True], ids=["page", "htmx"])
def test_a_body_above_the_limit_gets_413_and_saves_nothing(app, participant, read, hx):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = participant.post_form("/plan/goals/new", {"text": "x" * size}, hx=hx)
    assert response.status_code == 413
    assert _goals(read) == 0
    if hx:
        assert response.headers["HX-Retarget"] == "#status"
    assert TOO_MUCH in response.get_data(as_text=True)


def test_a_big_body_is_refused_before_sign_in_too(app, client, world):
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert client.get("/plan").status_code == 302, "not signed in"


def test_a_body_without_a_length_is_cut_off_at_the_limit(app, participant, read):
    """A chunked upload says no length up front: Werkzeug reads it only up to MAX_CONTENT_LENGTH
    (the rest is never read into memory), and the cut-off form is refused, not saved."""
    token = participant.csrf_token()
    body = f"csrf_token={token}&text=".encode() + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = participant.post(
        "/plan/goals/new", input_stream=io.BytesIO(body), content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""}, check=False,
    )
    assert response.status_code in (400, 413, 422)
    assert _goals(read) == 0


def test_one_field_above_the_field_limit_gets_413(app, participant, read):
    """A multipart field (not a file) bigger than MAX_FORM_MEMORY_SIZE, in a body under the limit."""
    size = app.config["MAX_FORM_MEMORY_SIZE"] + 1
    assert size < app.config["MAX_CONTENT_LENGTH"]
    response = participant.post_form("/plan/goals/new", {"text": "x" * size, "f": (io.BytesIO(b"x"), "a.txt")},
                                     content_type="multipart/form-data")
    assert response.status_code == 413
    assert _goals(read) == 0


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_more_fields_than_the_parts_limit_get_413(app, participant, read, kind):
    data = {f"f{n}": "x" for n in range(app.config["MAX_FORM_PARTS"] + 1)}
    data["text"] = "Ett mål"
    if kind == "multipart":
        data["file"] = (io.BytesIO(b"x"), "a.txt")
    response = participant.post_form("/plan/goals/new", data)
    assert response.status_code in (400, 413)
    assert _goals(read) == 0


def test_a_questionnaire_file_over_its_own_limit_gets_its_own_message(app, client, world):
    """The import has a smaller limit (200 KB) than the request: its 422 says so by the field."""
    from webapp.surveys.leader_views import MAX_FILE_BYTES

    client.sign_in(world.leader.email)
    response = client.post_form(f"/project/{world.project.public_id}/questionnaires/import",
                                {"file": (io.BytesIO(b" " * (MAX_FILE_BYTES + 1)), "big.json")},
                                content_type="multipart/form-data")
    assert response.status_code == 422
    assert f"{MAX_FILE_BYTES // 1024} kb" in parse(response.get_data(as_text=True)).get_text().lower()


# --- the exports' rate limit ---------------------------------------------------------------------


@pytest.fixture
def low_export_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_EXPORTS", "3 per hour")
    yield
    limiter.reset()


def test_exports_share_one_limit_per_person_and_answer_429_plainly(app, client, new_client, world, build,
                                                                   low_export_limit):
    from tests import factories

    client.sign_in(world.leader.email)
    base = f"/project/{world.project.public_id}"
    urls = [f"{base}/report.csv", f"{base}/report.xlsx", f"{base}/report/anonymised.csv", f"{base}/report.csv"]
    statuses = []
    for url in urls:
        response = client.get(url)
        response.close()
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429], "the three exports share one budget"
    refused = client.get(f"{base}/report.xlsx")
    assert refused.status_code == 429
    page = parse(refused.get_data(as_text=True))
    assert page.find("h1") is not None and "många filer" in page.get_text()  # Swedish, the default
    assert refused.mimetype == "text/html"
    assert "Retry-After" in refused.headers
    assert client.get(f"{base}/report").status_code == 200, "the report page itself is not limited"

    other_leader = build(factories.staff, world.project, "leader")
    other = new_client()
    other.sign_in(other_leader.email)
    response = other.get(urls[0])
    response.close()
    assert response.status_code == 200, "the limit is per person, not per address"


def test_an_export_refused_for_its_period_does_not_use_up_the_limit(client, world, low_export_limit):
    client.sign_in(world.leader.email)
    base = f"/project/{world.project.public_id}"
    assert [client.get(f"{base}/report.csv?start=2026-13-45").status_code for _ in range(3)] == [400] * 3
    statuses = []
    for _ in range(3):
        response = client.get(f"{base}/report.csv")
        response.close()
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200]


def test_the_export_limit_is_configured_with_a_sensible_default():
    from webapp.config import Config

    assert "per hour" in Config.RATELIMIT_EXPORTS and "per minute" in Config.RATELIMIT_EXPORTS


# --- nothing leaks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"])
def test_other_methods_get_405_without_echo(client, method):
    response = client.open("/", method=method, data="probe-7f3", headers={"X-Probe": "probe-7f3"})
    assert response.status_code == 405
    assert "probe-7f3" not in response.get_data(as_text=True)
    assert "TRACE" not in response.headers.get("Allow", "")


@pytest.mark.parametrize("path", [
    "/.git/HEAD", "/.git/config", "/.env", "/static/", "/static", "/static/css/", "/static/js/",
    "/static/../webapp/config.py", "/static/%2e%2e/%2e%2e/webapp/config.py", "/static/css/app.css.map",
    "/static/js/app.js.map", "/console", "/console?__debugger__=yes&cmd=resource&f=style.css", "/debug",
    "/instance/stegvis.db", "/instance/secret_key", "/wsgi.py", "/server-status", "/phpinfo.php",
])
def test_no_files_listings_or_debugger(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    body = response.get_data(as_text=True)
    assert "Werkzeug" not in body and "debugger.js" not in body and "Index of" not in body
    response.close()


def _boom(*args, **kwargs):
    raise RuntimeError("SELECT secret FROM users WHERE password_hash = '$argon2id$…' in /work/main/webapp/x.py")


def _leaks(body: str) -> list[str]:
    return [word for word in ("Traceback", "RuntimeError", "SELECT", "argon2", "/work/", "webapp/", 'File "',
                              "Werkzeug", "Python", "Flask", "sqlalchemy") if word in body]


@pytest.mark.parametrize("hx", [False, True], ids=["page", "htmx"])
def test_an_unexpected_error_gives_the_plain_500_page_without_details(app, client, monkeypatch, hx):
    monkeypatch.setitem(app.view_functions, "about.accessibility", _boom)
    response = client.get("/about/accessibility", headers={"HX-Request": "true"} if hx else {})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert not _leaks(body), _leaks(body)
    assert "Något gick fel hos oss" in body
    assert response.headers["Cache-Control"] == "no-store"


def test_a_database_error_in_production_gives_the_plain_500_page(tmp_path):
    """With the production settings (no debug, no testing): no debugger, no SQL, no traceback.
    (A database that cannot be reached is a 503 instead: tests/ops/test_database_down.py.)"""
    from sqlalchemy.exc import ProgrammingError

    from webapp import create_app
    from webapp.config import Config

    app = create_app(Config, SECRET_KEY="x" * 64, INSTANCE_PATH=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}", TRUSTED_HOSTS=["localhost"])
    assert not app.debug and not app.testing and not app.config["PROPAGATE_EXCEPTIONS"]

    def broken(*args, **kwargs):
        raise ProgrammingError("SELECT * FROM users WHERE login_name = 'amina'", {}, Exception("disk I/O error"))

    app.view_functions["about.accessibility"] = broken
    response = app.test_client().get("/about/accessibility", base_url="https://localhost")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert not _leaks(body) and "disk I/O" not in body and "amina" not in body, _leaks(body)
    assert "<h1" in body
    with app.app_context():
        db.engine.dispose()
