"""Showing a new activation code once: as text, a link and a QR code.

The plain code lives only in the signed session of the staff member who made it, between the
POST that made it and the one GET that shows it; the database keeps a hash.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import session, url_for
from flask_babel import gettext as _

SESSION_KEY = "new_activation_code"


@dataclass(frozen=True)
class CodeSheet:
    code: str
    link: str
    qr_svg: str  # inline SVG made by segno from our own link


def keep_for_showing(user_id, code: str) -> None:
    session[SESSION_KEY] = {"user": str(user_id), "code": code}


def take_for_showing(user_id) -> CodeSheet | None:
    """The code kept for this user, once; None on any later visit."""
    kept = session.pop(SESSION_KEY, None)
    if not kept or kept.get("user") != str(user_id):
        return None
    link = url_for("auth.activate", code=kept["code"].replace("-", ""), _external=True)
    qr = segno.make(link, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", title=_("QR code with the activation link")
    )
    return CodeSheet(kept["code"], link, qr)
