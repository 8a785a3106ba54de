"""The archive routes in the access matrix, and real ids to build their URLs (tests/access_matrix.py
merges both). MATRIX: {endpoint: who may open it}; args(rule_args, world): {argument: value}."""

from __future__ import annotations

MATRIX: dict[str, str] = {
    "archive.index": "leader",
    "archive.download": "leader",
    "archive.import_archive": "leader",
}


def args(rule_args: set[str], world) -> dict:
    return {"project_id": world.project.public_id} if "project_id" in rule_args else {}
