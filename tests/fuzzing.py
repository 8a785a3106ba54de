"""Hostile requests for every form: the forms found on the pages (tests/every_page.py), the POST
routes each role may use, hostile values (Hypothesis strategies), bodies built byte by byte, and
checks on what the database holds afterwards.

Used by tests/test_fuzz_forms.py (INP-01), tests/test_redirects.py (XSS-03) and
tests/test_get_is_safe.py (CSRF-02). Nothing here names a route: new routes are found in
app.url_map and their fields on the pages that link to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes, urlsplit

from flask import Flask, url_for
from hypothesis import strategies as st
from sqlalchemy import Date, DateTime, String, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError, Rule

from tests.access_matrix import _args
from tests.every_page import Page, Site, may_open, urls_for
from tests.html import parse
from webapp import clock
from webapp.extensions import db

# --- the POST routes ----------------------------------------------------------------------------

# Routes that take something away (run last, so the others still find their objects), and the
# one that ends the session (the very last).
_TAKES_AWAY = ("delete", "remove", "deactivate", "hide", "end", "decline", "accept", "send", "reopen",
               "revoke", "erase", "withdraw", "forget", "purge", "unmark", "complete", "ready")
SIGN_OUT = "auth.sign_out"


def _order(endpoint: str) -> tuple[int, str]:
    if endpoint == SIGN_OUT:
        return 2, endpoint
    name = endpoint.rsplit(".", 1)[-1]
    return (1 if any(word in name for word in _TAKES_AWAY) else 0), endpoint


def post_rules(app: Flask, role: str | None) -> list[Rule]:
    """Every POST route the role may use, the ones that take things away last."""
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and may_open(role, rule.endpoint)]
    return sorted(rules, key=lambda rule: _order(rule.endpoint))


def url_of(app: Flask, site: Site, rule: Rule) -> str:
    """The rule's URL with real ids of P's things (tests/access_matrix.py `_args`)."""
    args = _args(rule.endpoint, set(rule.arguments), site.objects, site.world)
    if "project_goal_id" in args:
        args["project_goal_id"] = site.project_goal
    with app.test_request_context():
        try:
            return url_for(rule.endpoint, **args)
        except BuildError as error:
            raise AssertionError(
                f"{rule.endpoint}: no id for its URL arguments {sorted(rule.arguments - args.keys())}; "
                "add them in _args / _leader_args in tests/access_matrix.py"
            ) from error


# --- the forms on the pages ---------------------------------------------------------------------


@dataclass
class FieldSpec:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, date, number, email, password, file, submit
    options: list[str] = field(default_factory=list)
    valid: str = ""


@dataclass
class FormSpec:
    endpoint: str
    multipart: bool = False
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    csrf_names: set[str] = field(default_factory=set)  # "csrf_token", or "<prefix>-csrf_token"


def _kind(control) -> str:
    if control.name in ("select", "textarea"):
        return control.name
    if control.name == "button":
        return "submit"
    kind = control.get("type", "text").lower()
    if control.get("inputmode") in ("numeric", "decimal") and kind == "text":
        return "number"
    return kind


def _plausible(kind: str) -> str:
    """A value a person could type into an empty field of this kind."""
    return {
        "date": clock.today().isoformat(),
        "number": "30",
        "email": "someone@example.se",
        "password": "a good long password",
        "tel": "070-123 45 67",
    }.get(kind, "Hej")


def _merge(spec: FormSpec, control) -> None:
    name = control.get("name")
    if name and name.endswith("csrf_token"):
        spec.csrf_names.add(name)
        return
    if not name:
        return
    kind = _kind(control)
    if kind in ("reset", "image"):
        return
    found = spec.fields.setdefault(name, FieldSpec(name, kind))
    if control.name == "select":
        values = [option.get("value", option.get_text(strip=True)) for option in control.find_all("option")]
        found.options += [v for v in values if v not in found.options]
        chosen = control.find("option", selected=True)
        found.valid = found.valid or (chosen.get("value", "") if chosen else next((v for v in values if v), ""))
        return
    value = control.get("value")
    if kind in ("radio", "checkbox", "submit") and value is not None:
        if value not in found.options:
            found.options.append(value)
        if control.has_attr("checked") or not found.valid:
            found.valid = value
        return
    if control.name == "textarea":
        value = control.get_text()
    found.valid = found.valid or value or ("" if kind in ("hidden", "file") else _plausible(kind))


def pages(app: Flask, client, site: Site, role: str | None) -> list[Page]:
    """The HTML pages the role can open (what tests/every_page.py checks; its strictness about
    redirects and errors is its own business, not this one's)."""
    found = []
    for endpoint, url in urls_for(app, site, role):
        response = client.get(url, check=False)
        response.close()
        if response.status_code == 200 and response.mimetype == "text/html":
            found.append(Page(endpoint, url, response.get_data(as_text=True)))
    # The "Swedish words too" form is only on pages in other languages than Swedish.
    other = app.test_client()
    other.set_cookie("lang", "ar")
    found.append(Page("auth.sign_in", "/sign-in", other.get("/sign-in").get_data(as_text=True)))
    return found


def forms_by_endpoint(app: Flask, pages: list[Page]) -> dict[str, FormSpec]:
    """The POST forms on these pages, by the endpoint they send to, with every field's name,
    kind, options and a value as the page offers it."""
    adapter = app.url_map.bind("localhost")
    specs: dict[str, FormSpec] = {}
    for page in pages:
        for form in parse(page.html).find_all("form"):
            if form.get("method", "get").lower() != "post":
                continue
            try:
                endpoint, _ = adapter.match(urlsplit(form.get("action") or page.url).path, method="POST")
            except HTTPException:
                continue
            spec = specs.setdefault(endpoint, FormSpec(endpoint))
            spec.multipart |= form.get("enctype", "") == "multipart/form-data"
            for control in form.find_all(["input", "select", "textarea", "button"]):
                _merge(spec, control)
    return specs


# --- hostile values -------------------------------------------------------------------------------

Value = str | bytes

LONG_TEXTS = ["x" * 10_001, "Långt ord " * 1_200, "ä" * 10_001, "9" * 12_000]
RAW_INVALID_UTF8 = [
    b"\xed\xa0\x80",  # a lone surrogate (U+D800) written as UTF-8: invalid UTF-8
    b"ok\xed\xbf\xbfok",  # U+DFFF, the other half alone
    b"\xff\xfe",
    b"a\xc3",  # cut in the middle of a character
    b"\xc0\xaf",  # an over-long "/"
    b"\xf4\x90\x80\x80",  # above U+10FFFF
]
CONTROL_TEXTS = ["\x01\x02\x1b[31m\x7f", "a\rb\nc\td", "\x85\x9f", "\u202eevil\u202c", "\u2066x\u2069\u200f",
                 "\ufeff\u200b", "\u2028\u2029"]
NUL_TEXTS = ["\x00", "Hej\x00då", "\x00" * 50]
DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "1000-01-01", "1899-12-31", "9999-12-31",
         "99999-01-01", "-0001-01-01", "2026-1-1T00:00", "31/02/2026", "20261332", "i morgon", "2026-11-23\x00"]
NUMBERS = ["-1", "0", "-2147483649", "2147483648", "9223372036854775808", "1" + "0" * 400, "1e309", "NaN", "inf",
           "-0", "0x1F", "1.5", "½", "٣", "10 000", " 7 "]
WRONG = ["not-an-option", "' OR 1=1 --", "[]", "{}", "true", "null", "../../etc/passwd", "%00", "<script>"]


def _text(alphabet: st.SearchStrategy | None = None, max_size: int = 40) -> st.SearchStrategy[str]:
    if alphabet is None:
        return st.text(max_size=max_size)
    return st.text(alphabet=alphabet, max_size=max_size)


def hostile_text() -> st.SearchStrategy[Value]:
    return st.one_of(
        st.sampled_from(LONG_TEXTS),
        st.sampled_from(NUL_TEXTS),
        st.tuples(_text(max_size=10), _text(max_size=10)).map(lambda t: t[0] + "\x00" + t[1]),
        st.sampled_from(RAW_INVALID_UTF8),
        _text(st.characters(categories=["Cs"]), 4).filter(bool),  # lone surrogates (sent as invalid UTF-8)
        st.sampled_from(CONTROL_TEXTS),
        _text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"])).filter(bool),
        st.sampled_from(["", " ", " \t\n "]),
        _text(),
    )


def _date_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(DATES), st.dates().map(dt.date.isoformat),
                     st.dates().map(lambda d: d.strftime("%d/%m/%Y")))


def _number_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NUMBERS), st.integers(min_value=-(10**30), max_value=10**30).map(str))


def value_for(spec: FieldSpec) -> st.SearchStrategy[Value]:
    """Mostly hostile values of every kind, sometimes the field's own (so other fields get checked)."""
    own = [spec.valid, *spec.options] if spec.options else [spec.valid]
    return st.one_of(
        st.sampled_from(own),
        hostile_text(),
        _date_values(),
        _number_values(),
        st.sampled_from(WRONG),
        st.sampled_from([o + suffix for o in own for suffix in ("x", " ", "\x00")] or ["x"]),
    )


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                         st.floats(), hostile_text().filter(lambda v: isinstance(v, str)))
JSON_BODIES = [
    b"[" * 200_000,  # nested deeper than a parser's stack
    b'{"a":' * 100_000,
    b'{"owner": "a", "owner": "b", "fields": {}, "fields": {"minutes": "60"}}',  # duplicate keys
    b'{"fields": {"minutes": 1e999, "feeling": NaN, "kind": Infinity}}',
    rb'{"fields": {"note": "\ud800\u0000"}}',  # a lone surrogate and NUL, escaped
    b"\xed\xa0\x80",
    b'"just a string"',
    b"[]",
    b"",
    b"{",
]


def json_bodies(names: list[str]) -> st.SearchStrategy[bytes]:
    """JSON as a script would send it, wrong in every way: other types, nesting, keys."""
    import json

    values = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
    keys = st.sampled_from(names) if names else st.text(max_size=8)
    shaped = st.fixed_dictionaries({}, optional={"owner": values, "fields": st.dictionaries(keys, values, max_size=6),
                                                 "client_id": values})
    return st.one_of(st.sampled_from(JSON_BODIES), st.one_of(values, shaped).map(
        lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")))


# Fields a form must never read from the request: they would let a person write as someone else,
# into another project, or make themselves a leader. Their values are filled in per test (the
# other project's ids).
MASS_ASSIGNMENT = ("participant_id", "participation_id", "user_id", "role", "project_id", "author_id", "actor_id",
                   "coach_id", "owner_id", "id", "is_admin", "created_by_id", "deleted_at", "created_at", "active")


@dataclass(frozen=True)
class Submission:
    """One request's form fields and query parameters (repeated names allowed), raw."""

    fields: tuple[tuple[str, Value], ...]
    query: tuple[tuple[str, Value], ...] = ()
    hx: bool = False
    files: tuple[tuple[str, str, bytes], ...] = ()  # (field, file name, content)
    json: bytes | None = None  # sent as application/json instead of the fields (as app.js does)
    refused: bool = False  # every typed field has a value no validator may accept

    def __repr__(self) -> str:  # short enough to read in a failure
        def short(value):
            if isinstance(value, str | bytes) and len(value) > 40:
                return f"{value[:40]!r}... ({len(value)} long)"
            return value

        def show(pairs):
            return [(k, short(v)) for k, v in pairs]

        return f"Submission(fields={show(self.fields)}, query={show(self.query)}, hx={self.hx}, " \
               f"files={[(f, n, len(c)) for f, n, c in self.files]}, json={short(self.json)!r})"


def submissions(spec: FormSpec, extras: dict[str, str]) -> st.SearchStrategy[Submission]:
    """Hypothesis: each field missing, once or repeated, with hostile values; sometimes the
    mass-assignment fields and random names too; sometimes parameters in the query string."""

    values = {name: value_for(spec_field) for name, spec_field in spec.fields.items()}
    json_body = json_bodies(list(spec.fields))

    @st.composite
    def build(draw) -> Submission:
        pairs: list[tuple[str, Value]] = []
        files: list[tuple[str, str, bytes]] = []
        for name, spec_field in spec.fields.items():
            times = draw(st.sampled_from([1, 1, 1, 0, 2, 3]))
            if spec_field.kind == "file":
                for _ in range(times):
                    files.append((name, draw(st.sampled_from(["a.yaml", "../../x.yaml", "a\x00.yaml", "ä\u202e.yaml",
                                                              ""])),
                                  draw(st.binary(max_size=200) | st.sampled_from([b"\xff" * 5000, b"- [\n" * 100]))))
                continue
            pairs += [(name, draw(values[name])) for _ in range(times)]
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(sorted(extras)), max_size=4, unique=True))
            pairs += [(name, extras[name]) for name in chosen]
        pairs += draw(st.lists(st.tuples(st.from_regex(r"[a-z_\[\]\.]{1,12}", fullmatch=True), hostile_text()),
                               max_size=2))
        pairs = draw(st.permutations(pairs))
        query = draw(st.lists(st.sampled_from(pairs), max_size=2)) if pairs else []
        body = draw(st.none() | st.none() | st.none() | json_body)
        return Submission(tuple(pairs), tuple(query), draw(st.booleans()), tuple(files), body)

    return build()


def corpus(spec: FormSpec, extras: dict[str, str]) -> list[Submission]:
    """Fixed hostile requests every form gets, whatever Hypothesis draws: each kind of bad value
    in every field at once, no fields, repeated fields, and the mass-assignment fields."""
    names = [n for n, f in spec.fields.items() if f.kind != "file"]
    files = tuple((n, "a.json", b"[" * 150_000) for n, f in spec.fields.items() if f.kind == "file")

    def every(value_of, refused: bool = False) -> Submission:
        return Submission(tuple((n, value_of(spec.fields[n])) for n in names), files=files, refused=refused)

    def kind_aware(f: FieldSpec) -> str:
        """A far date, a number out of range, an option that is not one, a date that does not exist."""
        if f.kind == "date":
            return "9999-12-31"
        if f.kind == "number":
            return "-2147483649"
        return "not-an-option" if f.options else "2026-02-30"

    valid = tuple((n, spec.fields[n].valid) for n in names)
    return [
        every(lambda f: LONG_TEXTS[0], refused=True),
        every(lambda f: "Hej\x00då", refused=True),
        every(lambda f: RAW_INVALID_UTF8[0]),
        every(lambda f: f"{f.valid}\x01\u202e\x7f"),
        every(kind_aware),
        Submission(()),
        Submission(valid + valid + tuple((n, "x" * 10_001) for n in names), query=valid, hx=True),
        # The page's own values with someone else's ids, and app.js's draft id made hostile.
        Submission(valid + tuple(extras.items()) + (("_draft", "x" * 10_001), ("_draft", RAW_INVALID_UTF8[0])),
                   query=tuple(extras.items()), files=files),
        *(Submission(valid, json=body) for body in (JSON_BODIES[0], b"[1, [2], {}]")),
    ]


TYPED = frozenset({"text", "textarea", "email", "password", "number", "date", "search", "tel", "url"})


def typed_fields(spec: FormSpec) -> list[str]:
    """The fields a person types into (not hidden fields, buttons or choices)."""
    return [name for name, f in spec.fields.items() if f.kind in TYPED]


# --- building the request ---------------------------------------------------------------------------


def as_bytes(value: Value) -> bytes:
    """Text as UTF-8; lone surrogates stay as they are, which makes invalid UTF-8."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(pairs) -> bytes:
    return b"&".join(
        quote_from_bytes(as_bytes(k), safe="").encode() + b"=" + quote_from_bytes(as_bytes(v), safe="").encode()
        for k, v in pairs
    )


def multipart(pairs, files, boundary: str = "----stegvis-fuzz-7d3f") -> bytes:
    parts = []
    for name, value in pairs:
        parts.append(b'Content-Disposition: form-data; name="' + as_bytes(name).replace(b'"', b"%22")
                     + b'"\r\n\r\n' + as_bytes(value))
    for name, filename, content in files:
        parts.append(b'Content-Disposition: form-data; name="' + name.encode() + b'"; filename="'
                     + as_bytes(filename).replace(b'"', b"%22") + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     + content)
    sep = b"--" + boundary.encode()
    return b"".join(sep + b"\r\n" + part + b"\r\n" for part in parts) + sep + b"--\r\n"


def with_query(url: str, pairs) -> str:
    """The URL with these parameters added to the ones it has (raw, repeated names allowed)."""
    if not pairs:
        return url
    return url + ("&" if "?" in url else "?") + urlencoded(pairs).decode("ascii")


def send(client, url: str, submission: Submission, token: str, spec: FormSpec | None = None):
    """POST the submission as a browser would send the bytes, with a valid CSRF token first (in
    each of the form's token fields: a form with a prefix has its own)."""
    csrf_names = sorted((spec.csrf_names if spec else set()) | {"csrf_token"})
    multipart_form = bool(spec and spec.multipart)
    pairs = (*((name, token) for name in csrf_names), *submission.fields)
    headers = {"HX-Request": "true"} if submission.hx else {}
    url = with_query(url, submission.query)
    if submission.json is not None:
        return client.post(url, data=submission.json, content_type="application/json",
                           headers={**headers, "X-CSRFToken": token}, check=False)
    if multipart_form or submission.files:
        boundary = "----stegvis-fuzz-7d3f"
        return client.post(url, data=multipart(pairs, submission.files, boundary),
                           content_type=f"multipart/form-data; boundary={boundary}", headers=headers, check=False)
    return client.post(url, data=urlencoded(pairs),
                       content_type="application/x-www-form-urlencoded", headers=headers, check=False)


# --- where a response may send the browser ----------------------------------------------------------


def off_site(location: str | None) -> bool:
    """True when a Location-like value could take the browser to another site: anything but a
    path on this site ("/…", not "//…"), judged the way browsers read it (tabs and newlines
    removed, backslashes as slashes, leading spaces and control characters ignored)."""
    if location is None:
        return False
    seen = location.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                          "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    seen = "".join(c for c in seen if c not in "\t\n\r").replace("\\", "/")
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc:
        return not (parts.scheme in ("http", "https") and parts.netloc == "localhost" and not seen.startswith("//"))
    return not seen.startswith("/") or seen.startswith("//")


def redirect_targets(response) -> list[str]:
    """Every place the response may send the browser: Location, HX-Redirect, HX-Location (its
    JSON "path" or the plain path), and a JSON answer's "redirect" (what passkeys.js follows)."""
    import json

    found = [response.headers[name] for name in ("Location", "HX-Redirect") if name in response.headers]
    if "HX-Location" in response.headers:
        raw = response.headers["HX-Location"]
        try:
            found.append(json.loads(raw)["path"])
        except (ValueError, TypeError, KeyError):
            found.append(raw)
    if response.is_json and not response.is_streamed:
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("redirect"), str):
            found.append(body["redirect"])
    return found


# --- the database ----------------------------------------------------------------------------------


def _value(value) -> object:
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def rows() -> dict[str, dict[tuple, dict[str, object]]]:
    """Every row of every table, by primary key (run inside an app context)."""
    found = {}
    for table in db.metadata.sorted_tables:
        key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
        found[table.name] = {
            tuple(_value(row[k]) for k in key): {c: _value(v) for c, v in row.items()}
            for row in db.session.execute(select(table)).mappings()
        }
    db.session.rollback()
    return found


def digest(table_rows: dict[tuple, dict]) -> str:
    return hashlib.sha256(repr(sorted((repr(k), sorted(v.items(), key=str)) for k, v in table_rows.items()))
                          .encode()).hexdigest()


def stored_problems(allow_long: frozenset[str] = frozenset()) -> list[str]:
    """Values no validator should have let in: NUL characters, text longer than its column (or
    than 10 000 characters), dates before 1900 or more than 10 years ahead. (SQLite stores
    them; PostgreSQL would refuse them with a 500.)"""
    problems = []
    latest = clock.today().year + 10
    for table in db.metadata.sorted_tables:
        columns = list(table.columns)
        for row in db.session.execute(select(table)).mappings():
            for column in columns:
                problem = _problem(column, row[column.name], latest, f"{table.name}.{column.name}" in allow_long)
                if problem:
                    problems.append(f"{table.name}.{column.name}: {problem}")
    db.session.rollback()
    return sorted(set(problems))


def _problem(column, value, latest: int, long_ok: bool) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return "a NUL character"
        limit = getattr(column.type, "length", None) if isinstance(column.type, String) else None
        if limit and len(value) > limit:
            return f"{len(value)} characters in a column of {limit}"
        if not long_ok and len(value) > 10_000:
            return f"{len(value)} characters"
    if isinstance(column.type, Date | DateTime) and isinstance(value, dt.date):
        if not 1900 <= value.year <= latest:
            return f"the date {value.isoformat()}"
    return None
