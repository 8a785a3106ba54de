"""Every model, imported in one place so Alembic sees all tables."""

from webapp.models.activity import Activity, ActivityKind, Capacity, CapacityLevel
from webapp.models.base import Base, utcnow
from webapp.models.people import ActivationCode, AuthSession, Organisation, Role, User
from webapp.models.plan import Goal, Step, StepState, StepStatus
from webapp.models.project import (
    Gender,
    Helper,
    Municipality,
    Participation,
    Project,
    ProjectStaff,
)

__all__ = [
    "ActivationCode", "Activity", "ActivityKind", "AuthSession", "Base", "Capacity",
    "CapacityLevel", "Gender", "Goal", "Helper", "Municipality", "Organisation",
    "Participation", "Project", "ProjectStaff", "Role", "Step", "StepState", "StepStatus",
    "User", "utcnow",
]
