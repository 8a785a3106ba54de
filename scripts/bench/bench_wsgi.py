"""For `make bench` only: Stegvis (`wsgi:app`) with a bare Flask app beside it in the same gunicorn.

    gunicorn -c gunicorn.conf.py scripts.bench.bench_wsgi:app

`/_bare/<bytes>` answers a static HTML page of that many bytes from a Flask app with no extensions,
no database, no session and no templates: the floor that gunicorn, Werkzeug and Flask cost on
this machine. Every other path goes to Stegvis as usual. A POST to it answers 303, as the
activity log's POST does. The production app never has this route: only this module mounts it.
"""

from __future__ import annotations

import functools

from flask import Flask, redirect
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wsgi import app as stegvis

MAX_BYTES = 1_000_000

bare = Flask(__name__)


@functools.cache
def page(size: int) -> str:
    """A plain HTML page of exactly `size` bytes (ASCII), made once per size."""
    head = "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Bare</title></head><body><main>"
    tail = "</main></body></html>\n"
    line = "<p>Stegvis bare page: the same bytes every time, no database, no template.</p>\n"
    room = max(0, size - len(head) - len(tail))
    body = (line * (room // len(line) + 1))[:room]
    return head + body + tail


@bare.get("/<int:size>")
def static_page(size: int):
    return page(min(size, MAX_BYTES)), 200, {"Content-Type": "text/html; charset=utf-8"}


@bare.post("/<int:size>")
def after_post(size: int):
    return redirect(f"/_bare/{size}", code=303)


app = DispatcherMiddleware(stegvis, {"/_bare": bare})
