"""Static files: htmx is vendored and pinned, CSS uses logical properties only."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"
VENDOR = WEBAPP / "static" / "vendor" / "htmx"

PHYSICAL = re.compile(
    r"(?<![-\w])("
    r"(margin|padding|border)-(left|right)"
    r"|border-(top|bottom)-(left|right)-radius"
    r"|left|right"
    r")\s*:"
    r"|text-align\s*:\s*(left|right)"
    r"|float\s*:\s*(left|right)"
    r"|clear\s*:\s*(left|right)"
)


def test_htmx_is_the_pinned_2_0_release_with_its_licence():
    checksum, name = (VENDOR / "SHA256SUMS").read_text().split()
    assert re.fullmatch(r"htmx-2\.0\.\d+\.min\.js", name)
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == checksum
    assert "Zero-Clause BSD" in (VENDOR / "LICENSE").read_text()


def test_pages_load_htmx_from_our_own_server():
    base = (WEBAPP / "templates" / "base.html").read_text()
    name = (VENDOR / "SHA256SUMS").read_text().split()[1]
    assert f"vendor/htmx/{name}" in base
    for template in (WEBAPP / "templates").rglob("*.html"):
        assert not re.search(r"<script[^>]+src=[\"']https?:", template.read_text()), template


def test_no_inline_scripts_or_styles_in_templates():
    for template in (WEBAPP / "templates").rglob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), f"inline script in {template}"
        assert not re.search(r"\sstyle=", source), f"inline style in {template}"
        assert not re.search(r"\son[a-z]+=", source), f"inline event handler in {template}"


def test_htmx_attributes_are_written_as_data_attributes():
    for template in (WEBAPP / "templates").rglob("*.html"):
        assert not re.search(r"\shx-[a-z]", template.read_text()), f"write data-hx-* in {template}"


def test_css_uses_logical_properties_only():
    css = (WEBAPP / "static" / "css" / "app.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = [m.group(0) for m in PHYSICAL.finditer(css)]
    assert not found, f"use logical properties (inline-start/end) instead of: {found}"


def test_the_css_check_would_catch_a_physical_property():
    assert PHYSICAL.search(".x { margin-left: 1rem }")
    assert PHYSICAL.search(".x { text-align: right }")
    assert PHYSICAL.search(".x{left:0}")
    assert not PHYSICAL.search(".x { margin-inline-start: 1rem; inset-inline-end: 0 }")
