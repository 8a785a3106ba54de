"""Checking every row of a participant list against the project, with a problem in words for each
thing that is wrong. The project's coaches, municipalities and participants are read once, not
per row, so a list of 2 000 rows costs the same few queries as one of 10."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import clock
from webapp.coach.services import name_key
from webapp.extensions import db
from webapp.imports.mapping import normalise
from webapp.imports.reading import Table
from webapp.leader.coaches import active_coaches
from webapp.models import Gender, Municipality, Participation, Project, User

MIN_AGE, MAX_AGE = 16, 64  # as when a coach adds a participant
MAX_NAME = 100
DAYS_AHEAD = 60

GENDER_WORDS = {
    Gender.WOMAN: {"kvinna", "k", "kv", "woman", "female", "f", "w", "flicka", "tjej"},
    Gender.MAN: {"man", "m", "male", "pojke", "kille"},
    Gender.NON_BINARY: {"ickebinar", "nonbinary", "ickebinart", "nb", "x", "annat", "other"},
    Gender.NOT_STATED: {"villinteuppge", "villintesvara", "villejsvara", "villejuppge", "villintesaga",
                        "doesnotwanttosay", "notstated",
                        "prefernottosay", "uppgiftsaknas", "vetej", "okant", "unknown"},
}
_GENDERS = {word: gender for gender, words in GENDER_WORDS.items() for word in words}

_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
)


@dataclass
class Row:
    """One row of the file: what it says, what it becomes, and what is wrong with it."""

    number: int
    name: str
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    gender: Gender | None = None
    birth_year: int | None = None
    municipality: Municipality | None = None
    enrolled_on: dt.date | None = None
    coach: User | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Lookups:
    """The project's lists, read once: by lower-case name (and email for coaches)."""

    project: Project
    municipalities: dict[str, Municipality]
    coaches: dict[str, list[User]]
    existing: set[tuple[str, int]]

    @classmethod
    def load(cls, project: Project) -> Lookups:
        towns = db.session.scalars(
            select(Municipality).where(Municipality.project_id == project.id, Municipality.is_active.is_(True))
        )
        coaches: dict[str, list[User]] = {}
        for coach in active_coaches(project):
            for key in {name_key(coach.name), name_key(coach.login_name)}:
                coaches.setdefault(key, []).append(coach)
        existing = db.session.execute(
            select(User.name, Participation.birth_year)
            .join(Participation, Participation.participant_id == User.id)
            .where(Participation.project_id == project.id)
        )
        return cls(project, {name_key(m.name): m for m in towns}, coaches,
                   {(name_key(name), year) for name, year in existing})


def check_rows(table: Table, mapping: dict[str, int], lookups: Lookups) -> list[Row]:
    """Every row, checked; a row with no problems can be imported."""
    today = clock.today()
    seen: dict[tuple[str, int], int] = {}
    rows = []
    for number, cells in table.rows:
        values = {name: cells[column] if column < len(cells) else "" for name, column in mapping.items()}
        row = Row(number, values.get("name", ""), values)
        _check_name(row)
        _check_gender(row)
        _check_date(row, lookups.project, today)
        _check_birth_year(row, today)
        _check_municipality(row, lookups)
        _check_coach(row, lookups)
        if row.name and row.birth_year is not None:
            person = (name_key(row.name), row.birth_year)
            if person in lookups.existing:
                row.problems.append(str(_l("This person (same name and year of birth) is already a participant "
                                           "in the project.")))
            elif person in seen:
                row.problems.append(str(_l("The same person (name and year of birth) is also on row %(row)s.",
                                           row=seen[person])))
            else:
                seen[person] = row.number
        rows.append(row)
    return rows


def _check_name(row: Row) -> None:
    row.name = row.name.strip()
    if not row.name:
        row.problems.append(str(_l("The name is missing.")))
    elif len(row.name) > MAX_NAME:
        row.problems.append(str(_l("The name is longer than %(max)s characters.", max=MAX_NAME)))
    elif any(ord(char) < 32 or ord(char) == 127 for char in row.name):
        row.problems.append(str(_l("The name has a character we cannot save.")))


def _check_gender(row: Row) -> None:
    text = row.values.get("gender", "")
    row.gender = _GENDERS.get(normalise(text))
    if row.gender is None:
        if text:
            row.problems.append(str(_l('We do not know the gender "%(value)s". Write kvinna, man, ickebinär or '
                                       '"vill inte svara".', value=text)))
        else:
            row.problems.append(str(_l('The gender is missing. Write kvinna, man, ickebinär or "vill inte svara".')))


def _check_date(row: Row, project: Project, today: dt.date) -> None:
    text = row.values.get("enrolled_on", "")
    if not text:
        row.problems.append(str(_l("The start date is missing.")))
        return
    found = next((m for pattern in _DATE_PATTERNS if (m := pattern.match(text[:10] if "T" in text or " " in text
                                                                      else text))), None)
    if found is None:
        row.problems.append(str(_l('We cannot read the date "%(value)s". Write it like this: 2026-11-23.',
                                   value=text)))
        return
    try:
        day = dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        row.problems.append(str(_l('The date "%(value)s" does not exist.', value=text)))
        return
    latest = min(project.ends_on, today + dt.timedelta(days=DAYS_AHEAD))
    if day < project.starts_on or day > latest:
        row.problems.append(str(_l("The start date must be between %(first)s and %(last)s.",
                                   first=project.starts_on.isoformat(), last=latest.isoformat())))
        return
    row.enrolled_on = day


def _check_birth_year(row: Row, today: dt.date) -> None:
    text = row.values.get("birth_year", "")
    if not text:
        row.problems.append(str(_l("The year of birth is missing.")))
        return
    if not re.fullmatch(r"\d{4}", text):
        row.problems.append(str(_l('We cannot read the year of birth "%(value)s". Write four digits, for example '
                                   '1990.', value=text)))
        return
    year = int(text)
    age = (row.enrolled_on or today).year - year
    if not MIN_AGE <= age <= MAX_AGE + 1:
        row.problems.append(str(_l("The year of birth %(year)s is outside the ages %(min)s to %(max)s.",
                                   year=year, min=MIN_AGE, max=MAX_AGE)))
        return
    row.birth_year = year


def _check_municipality(row: Row, lookups: Lookups) -> None:
    text = row.values.get("municipality", "")
    row.municipality = lookups.municipalities.get(name_key(text))
    if row.municipality is None:
        if text:
            row.problems.append(str(_l('The project does not work in the municipality "%(value)s".', value=text)))
        else:
            row.problems.append(str(_l("The municipality is missing.")))


def _check_coach(row: Row, lookups: Lookups) -> None:
    text = row.values.get("coach", "")
    found = lookups.coaches.get(name_key(text), [])
    if len(found) == 1:
        row.coach = found[0]
    elif len(found) > 1:
        row.problems.append(str(_l('Several coaches are called "%(value)s". Write the coach\'s email instead.',
                                   value=text)))
    elif text:
        row.problems.append(str(_l('"%(value)s" is not an active coach in the project. Write the name or email of '
                                   'a coach in the project.', value=text)))
    else:
        row.problems.append(str(_l("The coach is missing.")))
