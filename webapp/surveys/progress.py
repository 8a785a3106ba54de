"""The progress picture: the participant's life-area ratings (0–10) over time, from sent
surveys only, as numbers for a table and as coordinates for small SVG line charts drawn by the
template (no chart library, no inline styles)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from webapp import clock
from webapp.models import Occasion, Participation
from webapp.surveys import services
from webapp.surveys.format import AREAS
from webapp.surveys.services import Due, ResponseInfo

# The drawing area of each small chart, in SVG units (about CSS pixels at phone width).
WIDTH, HEIGHT = 300, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 284, 22, 112
SCALE_MAX = 10
GRID_VALUES = (0, 5, 10)


@dataclass(frozen=True)
class Column:
    """One sent survey: a column of the table and a point on the time axis."""

    response_id: uuid.UUID
    occasion: Occasion
    round: int
    on: dt.date


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


@dataclass
class AreaRow:
    area: str
    values: list[int | None]  # one per column; None where the question was skipped

    @property
    def given(self) -> list[int]:
        return [v for v in self.values if v is not None]

    @property
    def first(self) -> int:
        return self.given[0]

    @property
    def last(self) -> int:
        return self.given[-1]


@dataclass
class Progress:
    columns: list[Column]
    rows: list[AreaRow]
    # For the template's drawing (class attributes, not fields).
    width, height, left, right = WIDTH, HEIGHT, LEFT, RIGHT

    def x(self, index: int) -> float:
        if len(self.columns) == 1:
            return (LEFT + RIGHT) / 2
        return round(LEFT + index * (RIGHT - LEFT) / (len(self.columns) - 1), 1)

    @staticmethod
    def y(value: float) -> float:
        return round(BOTTOM - value * (BOTTOM - TOP) / SCALE_MAX, 1)

    def points(self, row: AreaRow) -> list[Point]:
        return [Point(self.x(i), self.y(v), v) for i, v in enumerate(row.values) if v is not None]

    def polyline(self, row: AreaRow) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points(row))

    @property
    def grid(self) -> list[tuple[int, float]]:
        return [(value, self.y(value)) for value in GRID_VALUES]


def build(infos: list[ResponseInfo], numbers: dict[uuid.UUID, dict[str, int]]) -> Progress:
    """Columns for the sent surveys that have at least one life-area answer, oldest first;
    rows for the areas with at least one answer, in the fixed order of AREAS."""
    sent = sorted((i for i in infos if i.response.submitted_at and i.questionnaire),
                  key=lambda i: i.response.submitted_at)
    columns, by_area = [], {area: [] for area in AREAS}
    for info in sent:
        values = numbers.get(info.response.id, {})
        per_area = {}
        for item in info.questionnaire.area_items:
            if item.key in values and item.area not in per_area:
                per_area[item.area] = values[item.key]
        if not per_area:
            continue
        response = info.response
        columns.append(Column(response.id, response.occasion, response.round,
                              response.submitted_at.astimezone(clock.TIMEZONE).date()))
        for area in AREAS:
            by_area[area].append(per_area.get(area))
    rows = [AreaRow(area, values) for area, values in by_area.items() if any(v is not None for v in values)]
    return Progress(columns, rows)


@dataclass
class Overview:
    """A participant's surveys: what is due, every response, and the progress picture."""

    due: list[Due]
    responses: list[ResponseInfo]
    progress: Progress

    @property
    def sent(self) -> list[ResponseInfo]:
        return [info for info in self.responses if info.response.submitted_at]


def overview(participation: Participation, today: dt.date | None = None) -> Overview:
    """Three queries at most, whatever the number of responses and answers (plus the project's
    settings if they are not loaded yet)."""
    infos, _library = services.responses(participation)
    due = services.due_for(participation, [info.response for info in infos], today or clock.today())
    return Overview(due, infos, build(infos, services.numbers_of_sent(participation)))
