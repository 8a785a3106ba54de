"""Headers on pages, fragments, errors and static files."""

from __future__ import annotations

import uuid

from tests import factories


def _common(response):
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_a_signed_in_page_is_never_cached(client, world):
    client.sign_in(world.p.login)
    response = client.get("/plan")
    _common(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_a_fragment_and_an_error_get_the_same_headers(client, world, build):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    client.sign_in(world.p.login)
    fragment = client.hx_get(f"/plan/steps/{step}")
    _common(fragment)
    assert fragment.headers["Cache-Control"] == "no-store"
    missing = client.get(f"/plan/steps/{uuid.uuid4()}")
    assert missing.status_code == 404
    _common(missing)


def test_static_files_get_security_headers_but_may_be_cached(client):
    response = client.get("/static/css/app.css")
    _common(response)
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()


def test_no_hsts_in_development_but_in_production(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    from webapp import create_app
    from webapp.config import Config

    app = create_app(Config, SECRET_KEY="x" * 64, INSTANCE_PATH=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'h.db'}", TRUSTED_HOSTS=["localhost"])
    response = app.test_client().get("/static/css/app.css", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    response.close()


def test_an_unknown_host_name_is_refused_when_the_names_are_set(client, app, monkeypatch):
    """A Host header an attacker chose must not end up in activation links: with
    STEGVIS_TRUSTED_HOSTS set, other names get a plain 400, not a page or an error."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["stegvis.example"])
    good = client.get("/sign-in", base_url="http://stegvis.example")
    assert good.status_code == 200
    bad = client.get("/sign-in", base_url="http://evil.example", check=False)
    assert bad.status_code == 400
    assert "evil.example" not in bad.get_data(as_text=True)
