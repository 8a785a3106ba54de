"""The goal report's fixture: Norrskan with 40 participations (tests/goals/world.py)."""

from __future__ import annotations

import pytest

from tests.goals.world import GoalWorld, build_goal_world


@pytest.fixture
def goal_world(build) -> GoalWorld:
    return build(build_goal_world)
