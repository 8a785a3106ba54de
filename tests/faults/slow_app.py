"""Stegvis (wsgi:app) with a pause that only the fault tests use: never part of the app.

A request with the header `X-Fault-Pause: before-commit` (or `after-commit`) stops when the
transaction that stores its activity entry is about to commit (or has just committed), writes
"<pid>" to the file in $FAULT_PAUSE_FILE, and sleeps $FAULT_PAUSE_SECONDS (10): long enough for
the test to `kill -9` this worker while the request is in flight.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.models import Activity
from wsgi import app as stegvis

_request = threading.local()


def _pause(point: str) -> None:
    if getattr(_request, "pause", None) != point or not getattr(_request, "wrote", False):
        return
    _request.pause = None  # once per request
    Path(os.environ["FAULT_PAUSE_FILE"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("FAULT_PAUSE_SECONDS", "10")))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if any(isinstance(row, Activity) for row in session.new):
        _request.wrote = True


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if not session.in_nested_transaction():  # the transaction itself, not a savepoint in it
        _pause("before-commit")


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if not session.in_nested_transaction():
        _pause("after-commit")


def app(environ, start_response):
    _request.pause = environ.get("HTTP_X_FAULT_PAUSE")
    _request.wrote = False
    try:
        return stegvis(environ, start_response)
    finally:
        _request.pause = None
