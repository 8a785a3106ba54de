"""The imports routes in the access matrix, and real ids to build their URLs (tests/access_matrix.py
merges both). MATRIX: {endpoint: who may open it}; args(rule_args, world): {argument: value}."""

from __future__ import annotations

MATRIX: dict[str, str] = {}


def args(rule_args: set[str], world) -> dict:
    return {}
