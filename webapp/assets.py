"""Static files: fingerprinted URLs, long cache headers and compression.

Every `url_for("static", filename=...)` gets `?v=<hash of the file>`. A request that carries the
file's current hash may be kept for a year without asking again (`immutable`): when the file
changes, so does its URL. Without the hash, or with an old one, the browser must ask again.
Responses are compressed with brotli or gzip (Flask-Compress), which matters most on a weak
rural connection: a page shrinks to a quarter.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Flask, Response, request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
# What a phone needs to show a page and log an entry without a connection (the service worker
# keeps these; see webapp/pwa).
CORE_FILES = ("css/app.css", "vendor/htmx/htmx-2.0.11.min.js", "js/app.js", "js/outbox.js", "icons/stegvis.svg")

compress = Compress()


class Fingerprints:
    """The short hash of each static file, read once per file. In production the files do not
    change while the app runs, so a known hash is answered from memory (every page asks for about
    ten). With `flask run --debug` (`watch`) a changed file gets a new hash when its modification
    time moves, so the browser fetches it at once."""

    def __init__(self, folder: str, watch: bool = False):
        self.folder = Path(folder)
        self.watch = watch
        self._known: dict[str, tuple[float, str | None]] = {}
        self._version: str | None = None

    def __call__(self, filename: str) -> str | None:
        known = self._known.get(filename)
        if known is not None and not self.watch:
            return known[1]
        path = (self.folder / filename).resolve()
        if not path.is_file() or self.folder.resolve() not in path.parents:
            return None
        mtime = path.stat().st_mtime
        if known is None or known[0] != mtime:
            known = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self._known[filename] = known
        return known[1]

    def version(self) -> str:
        """One hash for the core files together: it names the service worker's cache."""
        if self._version is None or self.watch:
            self._version = hashlib.sha256("".join(self(name) or "" for name in CORE_FILES).encode()).hexdigest()[:12]
        return self._version


@lru_cache(maxsize=64)
def _brotli(path: Path, fingerprint: str) -> bytes:
    """A static file at brotli's best level, made once per version of the file. (Flask-Compress
    streams files at the fast level used for pages; for files a phone keeps for a year, the best
    level saves about 15 % more.)"""
    return brotli.compress(path.read_bytes(), quality=11)


def _precompressed(response: Response, fingerprints: Fingerprints, filename: str, fingerprint: str) -> None:
    if "br" not in request.headers.get("Accept-Encoding", "") or "Content-Encoding" in response.headers:
        return
    if response.mimetype not in ("text/css", "text/javascript", "image/svg+xml"):
        return
    body = _brotli(fingerprints.folder / filename, fingerprint)
    file = response.response
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(file, "close"):
        file.close()  # the open file send_file would have streamed
    response.headers["Content-Encoding"] = "br"
    response.vary.add("Accept-Encoding")


def init_assets(app: Flask) -> None:
    fingerprints = Fingerprints(app.static_folder or "", watch=app.debug)
    app.extensions["fingerprints"] = fingerprints
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "image/svg+xml", "text/csv",
    ])
    # brotli where the browser has it (all current phones), gzip otherwise. Zstandard is left out:
    # older Android browsers lack it and brotli is as small for pages this size.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    compress.init_app(app)

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            fingerprint = fingerprints(values["filename"])
            if fingerprint:
                values["v"] = fingerprint

    @app.after_request
    def cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            fingerprint = fingerprints(filename)
            if request.args.get("v") and request.args.get("v") == fingerprint:
                response.headers["Cache-Control"] = IMMUTABLE
                _precompressed(response, fingerprints, filename, fingerprint)
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response

    @app.context_processor
    def asset_version() -> dict:
        return {"asset_version": fingerprints.version}
