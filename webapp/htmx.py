"""Full page or fragment, decided in one place.

A page template includes its fragment, so the markup exists once. Targeted htmx requests get
the fragment; boosted and history-restore requests, and everyone without JavaScript, get the
page. Responses vary on HX-Request so no cache serves one for the other.
"""

from __future__ import annotations

import json

from flask import Flask, Response, flash, g, make_response, redirect, render_template

from webapp.extensions import htmx


def wants_fragment() -> bool:
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> Response:
    template = fragment if wants_fragment() else page
    return make_response(render_template(template, **context), status)


def respond_after_change(
    message: str, page_url: str, fragment: str, retarget: str | None = None, **context
) -> Response:
    """After a successful change: the updated fragment plus the message for the status region
    (htmx), or the message flashed and POST → 303 → GET (everyone else).

    `retarget` replaces that element instead of the one the request aimed at: a form that
    targets itself (so that a 422 replaces just the form) updates the whole region on success.
    """
    if wants_fragment():
        g.once_result = page_url  # where a repeat of this form is sent (webapp/once.py)
        html = render_template(fragment, **context) + render_template("_status_oob.html", message=message)
        response = make_response(html)
        if retarget:
            response.headers["HX-Retarget"] = retarget
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    flash(message)
    return redirect(page_url, code=303)


def redirect_after_post(url: str) -> Response:
    """POST → 303 → GET for plain forms; for htmx, navigate with HX-Location."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Location"] = json.dumps({"path": url, "target": "body"})
        return response
    return redirect(url, code=303)


def add_vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_htmx(app: Flask) -> None:
    htmx.init_app(app)
    app.after_request(add_vary)
