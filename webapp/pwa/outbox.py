"""Whose entries wait in a phone's outbox (see static/js/outbox.js)."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def outbox_key(user) -> str:
    """The same for a person on every sign-in, different for everyone else, and says nothing
    about who it is."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"outbox:{user.id}".encode(), hashlib.sha256).hexdigest()[:24]
