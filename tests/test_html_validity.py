"""The Nu HTML Checker (vnu) finds no errors on any page, for any role, in Swedish and in Arabic,
nor on the pages that come back with form errors.

The pages are the derived list of tests/every_page.py, rendered by the test client; vnu runs once
on all of them (a JVM start is the slow part). It needs Java and `npm ci` (the root package.json;
`make test` runs it). Without them the test is skipped here, and fails in CI (CI=true), where a
missing tool is a broken setup, as for the browser tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.every_page import LANGUAGES, ROLE_IDS, ROLES, Page, error_pages_for, pages_for, signed_in_client

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the JVM's quick compiler and simple collector start faster and use less CPU.
FAST_START = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# A page with two errors vnu must report: the run is only trusted when it finds them.
CANARY = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head>
<body><main><p hx-get="/plan">Ett attribut som inte finns</p><ul><p>Fel i en lista</p></ul></main></body></html>"""


@pytest.fixture(scope="module")
def java() -> str:
    """The java command and the checker's jar, or a skip (here) / failure (CI) that says what is missing."""
    missing = []
    java = shutil.which("java")
    if java is None:
        missing.append("java (e.g. `apt-get install -y --no-install-recommends default-jre-headless`)")
    if not VNU.is_file():
        missing.append(f"{VNU.relative_to(ROOT)} (needs node and npm: run `npm ci` or `make install-test`)")
    if missing:
        reason = "the Nu HTML Checker cannot run, missing: " + "; ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"HTML validity cannot be checked in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    return java


def check_with_vnu(java: str, files: list[Path]) -> dict[str, list[str]]:
    """vnu's errors per file, in one run over every file."""
    result = subprocess.run(  # noqa: S603 - our own command line
        [java, "-Xss4m", *FAST_START, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, f"vnu did not run: {result.stderr[-2000:]}"
    messages = json.loads(result.stderr)["messages"]
    found: dict[str, list[str]] = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(message.get("url", "").removeprefix("file:")).name
        found.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} — {message.get('extract', '').strip()!r}"
        )
    return found


@pytest.mark.presentation
def test_every_page_is_valid_html_for_every_role_in_swedish_and_arabic(java, app, site, new_client, tmp_path):
    fetched: dict[tuple[str, str], tuple[object, list[Page]]] = {}
    for role, role_id in zip(ROLES, ROLE_IDS, strict=True):
        for language in LANGUAGES:
            client = signed_in_client(new_client, site, role, language)
            fetched[role_id, language] = client, pages_for(app, client, site, role)
    # The empty forms last: some are valid changes (a new code), which must not change the pages above.
    files: dict[str, Page] = {}
    for (role_id, language), (client, pages) in fetched.items():
        for kind, found in (("page", pages), ("error", error_pages_for(app, client, pages))):
            for number, page in enumerate(found):
                files[f"{role_id}-{language}-{kind}-{number:03}.html"] = page
    assert sum("-error-" in name for name in files) >= 50, "the empty forms gave few pages with errors"
    for name, page in files.items():
        (tmp_path / name).write_text(page.html, encoding="utf-8")
    (tmp_path / "canary.html").write_text(CANARY, encoding="utf-8")

    errors = check_with_vnu(java, sorted(tmp_path.iterdir()))

    canary = errors.pop("canary.html", [])
    assert any("hx-get" in e for e in canary) and any("not allowed as child of element" in e for e in canary), (
        f"vnu missed the canary's errors: {canary}"
    )
    assert errors.keys() <= files.keys(), f"vnu named files we did not write: {errors.keys() - files.keys()}"
    problems = [f"{files[name].url} ({name}): {error}" for name, found in sorted(errors.items()) for error in found]
    assert not problems, f"{len(problems)} HTML errors in {len(files)} pages:\n" + "\n".join(problems)
