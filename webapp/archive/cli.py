"""`flask export-project` and `flask import-project` (filled in with the feature)."""

from flask import Flask


def init_archive_cli(app: Flask) -> None:
    return None
