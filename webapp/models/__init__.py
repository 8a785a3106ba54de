"""Every model, imported in one place so Alembic sees all tables."""

from webapp.models.activity import Activity, ActivityKind, Capacity, CapacityLevel
from webapp.models.audit import AccessLog, AuditEvent, AuditRecord
from webapp.models.base import Base, utcnow
from webapp.models.consent import Consent, ConsentShare, SharePart
from webapp.models.conversation import Comment, Review
from webapp.models.goal import GoalKind, ProjectGoal
from webapp.models.imports import ParticipantImport
from webapp.models.once import FormSubmission
from webapp.models.people import ActivationCode, AuthSession, Organisation, Role, User
from webapp.models.plan import Goal, Step, StepState, StepStatus
from webapp.models.project import (
    CaseloadShare,
    EndReason,
    FollowUp,
    FollowUpKind,
    Gender,
    Helper,
    InterruptionCause,
    Municipality,
    Outcome,
    Participation,
    ParticipationEvent,
    Project,
    ProjectStaff,
)
from webapp.models.rights import ErasureRequest, ErasureStatus, ProjectRetention, PurgeReason, PurgeRecord
from webapp.models.sign_in import Device, Passkey, PasskeyChallenge
from webapp.models.survey import ImportedQuestionnaire, Occasion, SurveyAnswer, SurveyResponse

__all__ = [
    "AccessLog", "AuditEvent", "AuditRecord", "Device", "Passkey", "PasskeyChallenge",
    "ActivationCode", "Activity", "ActivityKind", "AuthSession", "Base", "Capacity",
    "CapacityLevel", "CaseloadShare", "Comment", "EndReason", "FollowUp", "FollowUpKind", "Gender",
    "FormSubmission", "Goal", "Helper", "InterruptionCause", "Municipality", "Organisation", "Outcome", "Participation",
    "ParticipationEvent", "Project", "ProjectStaff", "Review", "Role", "Step", "StepState", "StepStatus",
    "User", "utcnow", "GoalKind", "ProjectGoal", "ImportedQuestionnaire", "Occasion", "SurveyAnswer",
    "SurveyResponse", "Consent", "ConsentShare", "SharePart",
    "ErasureRequest", "ErasureStatus", "ProjectRetention", "PurgeReason", "PurgeRecord",
    "ParticipantImport",
]
