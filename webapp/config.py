"""Settings from the environment.

`STEGVIS_ENV` picks the set: `production` (the default, so a forgotten setting fails safe),
`development` (what `make run` uses) or `test`. Production refuses to start without a real
SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"


def database_url(url: str | None, instance: Path) -> str:
    """Normalise DATABASE_URL; SQLite in instance/ when it is not set."""
    if not url:
        return f"sqlite:///{instance / 'stegvis.db'}"
    # Hosting providers still hand out postgres:// URLs; we always talk through psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}.") from None


def engine_options(url: str) -> dict:
    """The connection pool, from the environment (docs/DEPLOY.md has the sizing).

    Every database: `pool_pre_ping` (a connection the database dropped, e.g. after a restart, is
    replaced before use). PostgreSQL also gets a bounded pool: `STEGVIS_DB_POOL_SIZE` connections
    kept per process (default 2: a sync worker uses at most the request's and the audit log's),
    `STEGVIS_DB_MAX_OVERFLOW` more when needed (default 2), `STEGVIS_DB_POOL_TIMEOUT` seconds to wait
    for a free one (default 3: an overloaded or stopped database gives a fast 503, not a hang),
    `STEGVIS_DB_POOL_RECYCLE` seconds before a connection is replaced (default 1800),
    `STEGVIS_DB_CONNECT_TIMEOUT` seconds to open one (default 3), and `STEGVIS_DB_STATEMENT_TIMEOUT`
    milliseconds a statement may run (default 15000; 0 = no limit). PostgreSQL's JIT compiler is off
    for these connections. SQLite takes none of these.
    """
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        size, overflow = _env_int("STEGVIS_DB_POOL_SIZE", 2), _env_int("STEGVIS_DB_MAX_OVERFLOW", 2)
        if size < 1 or overflow < 0 or size + overflow < 2:
            # With one connection the audit log waits for the request's own, which waits for it.
            raise RuntimeError(
                "STEGVIS_DB_POOL_SIZE + STEGVIS_DB_MAX_OVERFLOW must be at least 2 (pool size at least 1): "
                "a request uses one connection, and the audit log writes on a second one."
            )
        options.update({
            "pool_size": size,
            "max_overflow": overflow,
            "pool_timeout": _env_int("STEGVIS_DB_POOL_TIMEOUT", 3),
            "pool_recycle": _env_int("STEGVIS_DB_POOL_RECYCLE", 1800),
            "connect_args": {
                "connect_timeout": _env_int("STEGVIS_DB_CONNECT_TIMEOUT", 3),
                # JIT off: compiling a query took longer than running it (the caseload: 108 ms of
                # 202 ms over 100 000 participations), and no page's query is big enough to gain.
                "options": f"-c statement_timeout={_env_int('STEGVIS_DB_STATEMENT_TIMEOUT', 15000)} -c jit=off",
            },
        })
    return options


class Config:
    ENV_NAME = "production"
    INSTANCE_PATH = Path(os.environ.get("STEGVIS_INSTANCE", DEFAULT_INSTANCE))
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"), INSTANCE_PATH)
    # create_app() makes them for the database the app really uses (an override may change it).
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    # Refuse to start on a database whose schema is not at the migrations' head (webapp/ops/schema.py).
    # Off in the tests, which build their databases themselves; the flask CLI never checks.
    SCHEMA_CHECK = True
    # How many reverse proxies stand in front of the app and add X-Forwarded-For/-Proto/-Host
    # (0: none, the client talks to the app directly). The rate limits then count the phone's
    # address, not the proxy's. Never more than there really are: the header can be forged.
    PROXY_COUNT = int(os.environ.get("STEGVIS_PROXY_COUNT", "0"))
    # A page that cannot reach the database answers 503 with this Retry-After (seconds).
    DATABASE_RETRY_AFTER = int(os.environ.get("STEGVIS_DATABASE_RETRY_AFTER", "15"))

    # Cookies: HttpOnly, SameSite=Lax, Secure outside development. The __Host- prefix pins the
    # cookie to this host and path and is only accepted by browsers over HTTPS.
    SESSION_COOKIE_NAME = "__Host-stegvis"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The host names this Stegvis answers to (comma-separated), e.g. "stegvis.pitea.se". Links
    # made from the request (the activation link and its QR code) then never carry a host name an
    # attacker put in the Host header: other names get 400. Unset: any name (say it in production).
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("STEGVIS_TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    PERMANENT_SESSION_LIFETIME = 12 * 60 * 60  # the absolute timeout: 12 hours after sign-in
    # The idle timeout: signed out after this many minutes without a request. Staff see many
    # people's information; a participant's limit is the project's choice (0: only the 12 hours).
    IDLE_MINUTES_STAFF = int(os.environ.get("STEGVIS_IDLE_MINUTES_STAFF", "30"))
    IDLE_MINUTES_PARTICIPANT = int(os.environ.get("STEGVIS_IDLE_MINUTES_PARTICIPANT", "0"))
    LANGUAGE_COOKIE = "lang"

    # A participant may keep a form open for a long time on a slow phone; the token lives as
    # long as the session instead of one hour.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    BABEL_TRANSLATION_DIRECTORIES = str(TRANSLATIONS_DIR)

    # argon2id, RFC 9106 "second recommended" profile scaled for a small server.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 2

    ACTIVATION_CODE_DAYS = 14
    PASSWORD_MIN_LENGTH = 8

    # Sign-in factors. Staff sign in with a passkey, or a password and a code from an
    # authenticator app (TOTP). A participant uses a passkey, or a PIN on a phone they enrolled:
    # the device cookie is the thing they have, the PIN the thing they know.
    STAFF_SECOND_FACTOR = True
    DEVICE_COOKIE_NAME = "__Host-stegvis-device"
    DEVICE_COOKIE_DAYS = 400  # the longest a browser keeps a cookie
    PIN_LENGTH = 6
    PIN_MAX_FAILURES = 5  # wrong PINs in a row before the account locks (a coach unlocks it)
    PASSKEY_CEREMONY_SECONDS = 300
    # The passkeys' relying party. Unset: the host name and origin of the request (fine behind
    # STEGVIS_TRUSTED_HOSTS). Set both when one Stegvis answers to several names.
    WEBAUTHN_RP_ID = os.environ.get("STEGVIS_WEBAUTHN_RP_ID")
    WEBAUTHN_ORIGIN = os.environ.get("STEGVIS_WEBAUTHN_ORIGIN")
    WEBAUTHN_RP_NAME = "Stegvis"

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-ins per address. Behind a proxy that hides the phones' addresses, or for a load test on
    # loopback, a server may set its own limits.
    RATELIMIT_SIGN_IN = os.environ.get("STEGVIS_RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
    # Failed sign-ins per account, from any address.
    RATELIMIT_SIGN_IN_ACCOUNT = os.environ.get("STEGVIS_RATELIMIT_SIGN_IN_ACCOUNT", "5 per minute;20 per hour")
    # The leader's report exports (CSV, XLSX, de-identified rows), together, per person.
    RATELIMIT_EXPORTS = os.environ.get("STEGVIS_RATELIMIT_EXPORTS", "10 per minute;60 per hour")

    # Request size: bigger answers 413 before any form is read. The largest real request is a
    # questionnaire file (at most 200 KB); a text field holds at most a few thousand characters.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000  # one field's value (Werkzeug's default, said out loud)
    MAX_FORM_PARTS = 500  # fields in one form; the biggest form has under 100

    # Copies of "my data" (page or file) per person and kind; the purge register's file outside
    # the database (replayed after a restore; unset: instance/purge-register.jsonl).
    RATELIMIT_EXPORT = os.environ.get("STEGVIS_RATELIMIT_EXPORT", "10 per hour")
    PURGE_REGISTER_FILE = os.environ.get("STEGVIS_PURGE_REGISTER_FILE")

    HSTS = True

    # The accessibility statement (/about/accessibility): the public body that runs this Stegvis,
    # and where people report accessibility problems (an email address or a web address). The
    # defaults are the demo's; set both in production.
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Piteå kommun")
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "tillganglighet@pitea.example")

    @classmethod
    def check(cls, app_config: dict) -> None:
        """Refuse to start a production server with settings that are not safe."""
        key = app_config.get("SECRET_KEY")
        if not key or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY is missing or shorter than 32 characters. "
                "Set it in the environment, e.g. SECRET_KEY=$(python -c "
                "'import secrets; print(secrets.token_hex(32))')."
            )
        if key in KNOWN_KEYS:
            raise RuntimeError("SECRET_KEY is a key from Stegvis's own code. Make a new one for this server.")
        if not app_config.get("STAFF_SECOND_FACTOR"):
            raise RuntimeError("STAFF_SECOND_FACTOR must be on in production: staff sign in with two factors.")
        if app_config.get("DEBUG"):
            raise RuntimeError("DEBUG must be off in production: its error pages show code and settings.")
        if not app_config.get("TRUSTED_HOSTS"):
            raise RuntimeError(
                "STEGVIS_TRUSTED_HOSTS is missing. Set the host names this Stegvis answers to, "
                "e.g. STEGVIS_TRUSTED_HOSTS=stegvis.pitea.se: links, QR codes and passkeys are made from it."
            )


# Keys written in this repository (the tests' key): never a production key.
KNOWN_KEYS = frozenset({"test-secret-key-that-is-long-enough-for-hmac"})


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_NAME = "stegvis"
    DEVICE_COOKIE_NAME = "stegvis-device"
    # Trying Stegvis on your own computer should not need an authenticator app; production
    # always asks staff for a second factor (and refuses to start if told otherwise).
    STAFF_SECOND_FACTOR = os.environ.get("STEGVIS_STAFF_SECOND_FACTOR", "off") == "on"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_SSL_STRICT = False
    HSTS = False

    @classmethod
    def check(cls, app_config: dict) -> None:
        if not app_config.get("SECRET_KEY"):
            app_config["SECRET_KEY"] = _instance_secret(Path(app_config["INSTANCE_PATH"]))


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-hmac"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SCHEMA_CHECK = False  # the tests migrate their own databases (tests/ops/ checks it on)
    # Cheap hashing keeps the suite fast; production parameters are tested separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    # Limits stay on, as in production, but high enough for a test suite signing in often.
    RATELIMIT_SIGN_IN = "100000 per minute"
    RATELIMIT_SIGN_IN_ACCOUNT = "100000 per minute"
    STAFF_SECOND_FACTOR = True


def _instance_secret(instance: Path) -> str:
    """A development key, generated once and kept in instance/secret_key."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


CONFIGS = {"production": Config, "development": DevelopmentConfig, "test": TestConfig}


def config_from_env() -> type[Config]:
    name = os.environ.get("STEGVIS_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"STEGVIS_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
