"""The goals of the demo projects, as their ESF applications word them (seeds/).

Norrskan's G1–G5 go with the demo (`load(project)`); Vägar till egenförsörjning's two goals show
that the catalogue covers a count goal too (`load_vagar(project)`, used by the tests).
"""

from __future__ import annotations

from webapp.goals import config
from webapp.goals.config import GoalData
from webapp.goals.rules import WORK_OR_EDUCATION
from webapp.models import GoalKind, Project, ProjectGoal

WORK_OR_STUDIES = tuple(o.value for o in WORK_OR_EDUCATION)

NORRSKAN = [
    GoalData("G1", "50 % av de personer som fullföljer sin handlingsplan har gått till arbete eller utbildning",
             GoalKind.SHARE, "plan_completed_ended", "outcome_in", None, WORK_OR_STUDIES, 50),
    GoalData("G2", "80 % av deltagarna upplever att deras möjligheter att komma ut på arbetsmarknaden har ökat",
             GoalKind.SHARE, "answered_item", "agrees", "chances_increased", (), 80),
    GoalData("G3", "90 % av deltagarna som fullföljt sin tid i projektet har fått en bild av sina möjligheter "
             "kopplat till de krav som finns på arbetsmarknaden",
             GoalKind.SHARE, "ended_completed", "agrees", "knows_requirements", (), 90),
    GoalData("G4", "100 % av deltagarna har upprättat en egen handlingsplan",
             GoalKind.SHARE, "all", "plan_ready", None, (), 100),
    GoalData("G5", "100 % av deltagarna har identifierat sin väg via myndighet/institution/organisation som de "
             "behöver för att gå vidare i sin handlingsplan",
             GoalKind.SHARE, "all", "helper_step", None, (), 100),
]

VAGAR = [
    GoalData("Deltagare", "210 personer ska gå igenom projektet", GoalKind.COUNT, "all", "none", None, (), 210),
    GoalData("På god väg", "Minst 125 ska lämna projektet på god väg mot egenförsörjning, t.ex. i en anpassad "
             "anställning eller en arbetsmarknadsutbildning",
             GoalKind.COUNT, "ended", "outcome_in", None,
             WORK_OR_STUDIES, 125),
]


def _load(project: Project, goals: list[GoalData]) -> list[ProjectGoal]:
    return [config.add_goal(project, goal) for goal in goals]


def load(project: Project) -> list[ProjectGoal]:
    """Norrskan's goals G1–G5 with their targets (50, 80, 90, 100, 100 %)."""
    return _load(project, NORRSKAN)


def load_vagar(project: Project) -> list[ProjectGoal]:
    """Vägar till egenförsörjning: 210 participants; at least 125 leaving for work or education."""
    return _load(project, VAGAR)


__all__ = ["NORRSKAN", "VAGAR", "load", "load_vagar"]
