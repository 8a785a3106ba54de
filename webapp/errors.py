"""Error pages: a whole page, or for htmx a message in the page's status region."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from webapp.audit import record_refusal
from webapp.extensions import db
from webapp.htmx import wants_fragment

MESSAGES = {
    400: (_l("Something went wrong"), _l("We could not read what was sent. Go back and try again.")),
    403: (_l("You cannot open this page"), _l("Your account does not have access to this page.")),
    404: (_l("We cannot find the page"), _l("Check the address, or go back to the start page.")),
    405: (_l("Something went wrong"), _l("This cannot be done from here. Go back and try again.")),
    413: (_l("Too much text"), _l("What you sent is too long. Make it shorter and try again.")),
    429: (_l("Wait a little"), _l("There were too many tries. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing was saved. Wait a moment and try again.")),
}
CSRF_MESSAGE = (
    _l("The page was open too long"),
    _l("For your safety, the form was not sent. Go back, reload the page and send it again."),
)


def render_error(status: int, title: str, message: str) -> Response:
    # An error page must not flush the half-done changes of the failed request.
    db.session.rollback()
    if wants_fragment():
        response = make_response(render_template("errors/_message.html", title=title, message=message), status)
        response.headers["HX-Retarget"] = "#status"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return make_response(render_template("errors/error.html", title=title, message=message), status)


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response:
        title, message = CSRF_MESSAGE
        response = render_error(400, str(title), str(message))
        record_refusal("csrf_failed")  # after render_error's rollback: the request's work is gone
        return response

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> Response:
        # A host name not in TRUSTED_HOSTS: no page can be built for it (its links would carry
        # that name), so the answer is plain text.
        title, message = MESSAGES[400]
        return Response(f"{title}. {message}\n", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        code = error.code or 500
        title, message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
        response = render_error(code, str(title), str(message))
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response:
        app.logger.exception("Unhandled error", exc_info=error)
        title, message = MESSAGES[500]
        return render_error(InternalServerError.code, str(title), str(message))
