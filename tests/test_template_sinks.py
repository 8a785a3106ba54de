"""A lint gate for the places where escaping could be switched off (XSS-02): every `| safe`,
`Markup(`, `render_template_string(`, `autoescape false`, and htmx's eval paths (`hx-on`,
`js:`/`javascript:` values, trigger filters `[...]`) must be on the reviewed list below. A new
one fails CI until someone reviews it and adds it with its reason."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "webapp"

# (file, what) → why it is safe. Review each new entry.
REVIEWED = {
    ("templates/macros/components.html", "| safe"): "segno's SVG of our own activation link",
    ("templates/auth/_totp_enrolment.html", "| safe"): "segno's SVG of our own otpauth URI",
    ("i18n/echo.py", "Markup("): "a constant template; the Swedish words go through Markup.format, which escapes",
    ("once.py", "Markup("): "a constant hidden input; the name is a constant and the token a hex uuid, through Markup.format",
}

SINKS = [
    ("| safe", re.compile(r"\|\s*safe\b")),
    ("Markup(", re.compile(r"\bMarkup\(")),
    ("render_template_string(", re.compile(r"render_template_string\(")),
    ("autoescape false", re.compile(r"autoescape\s+false", re.I)),
    ("hx-on", re.compile(r"\bhx-on|data-hx-on")),
    ("javascript:", re.compile(r"javascript:")),
    ("js:", re.compile(r"""hx-(?:vals|headers)=["']\s*js:""")),
    ("trigger filter", re.compile(r"""hx-trigger=["'][^"']*\[""")),
]


def _found() -> set[tuple[str, str]]:
    found = set()
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for name, pattern in SINKS:
            if pattern.search(text):
                found.add((str(path.relative_to(ROOT)), name))
    return found


def test_every_place_that_skips_escaping_is_reviewed():
    unreviewed = _found() - REVIEWED.keys()
    assert not unreviewed, f"review these and add them to REVIEWED with the reason they are safe: {sorted(unreviewed)}"


def test_the_reviewed_list_has_no_stale_entries():
    assert not REVIEWED.keys() - _found(), "REVIEWED lists places that no longer skip escaping"


def test_the_gate_sees_a_new_sink():
    page = ROOT / "templates" / "zz_lint_probe.html"
    page.write_text("{{ user_text | safe }}", encoding="utf-8")
    try:
        assert ("templates/zz_lint_probe.html", "| safe") in _found()
    finally:
        page.unlink()
