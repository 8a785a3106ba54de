"""Exports for the ESF report and the steering group: the goal report as CSV and XLSX, and an
anonymised CSV with one row per participation.

The report exports hold exactly the figures of the page (built from the same Report, so the same
suppression), with Swedish headings and words whatever the leader's own language: they go into a
Swedish report. The CSV is for Swedish Excel: semicolons, decimal comma, UTF-8 with a BOM.

The anonymised file has one row per participation in the period and only what the goals use: a
running number (rows sorted by their content, so the order says nothing about who came first),
gender, age band, municipality, whether and how it ended during the period, the outcome, the plan
flags, whether a step names who helps, and the exit answers the goals read. No names, logins,
ids or dates (flags for the period instead of dates).

A row file is about single people, so small groups are protected as well (k-anonymity with k = the
project's threshold): every combination of gender, age band and municipality that is shown is
shared by at least k rows. Where a combination is rarer, we first leave out the municipality of
those rows, then the age band, then the gender; rows still in a group smaller than k are put
together with enough rows of other groups, all three left out. With fewer than k participations
in the period the file has no rows. The outcome, the plan flags and the exit answers are kept, so
someone who already knows a person's outcome could still narrow down their row; the file is
therefore personal data (pseudonymised) for the project leader, not for publishing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from flask import Response
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from webapp.exits.labels import END_REASONS, OUTCOMES
from webapp.extensions import db
from webapp.goals import rules
from webapp.goals.report import (
    AGE_LABELS,
    Figure,
    Period,
    Report,
    Scope,
    age_band,
    facts_query,
    project_goals,
    status_words,
)
from webapp.labels import GENDERS as GENDER_WORDS
from webapp.models import EndReason, Gender, GoalKind, Municipality, Outcome, Project

REPORT_HEADINGS = [
    _l("Code"), _l("Goal"), _l("Kind"), _l("Split"), _l("Group"), _l("Met the goal"), _l("Counted"),
    _l("Share (%)"), _l("Target"), _l("Status"), _l("Answered"), _l("Due to answer"), _l("Response rate (%)"),
]
KIND_WORDS = {GoalKind.SHARE: _l("Share"), GoalKind.COUNT: _l("Number")}


@dataclass
class Table:
    """Headings and rows; a value is an int, a Decimal (a percentage), a string or None (empty)."""

    headings: list[str]
    rows: list[list]


def figure_value(figure: Figure | None, threshold: int):
    """A shown count as a number; a hidden one in words, as on the page."""
    if figure is None:
        return None
    if figure.shown:
        return figure.value
    if figure.mark == "small":
        return gettext("fewer than %(n)s", n=threshold)
    return gettext("hidden")


def report_table(report: Report) -> Table:
    """The report as one long table: per goal its total, then every category of every split."""
    with force_locale("sv"):
        rows = []
        for goal in report.goals:
            kind = str(KIND_WORDS[goal.kind])
            response = goal.response
            rows.append([
                goal.code, goal.title, kind, gettext("Total"), gettext("All"),
                *_counts(goal.total, report.threshold), goal.target, str(status_words(goal)),
                figure_value(response.answered, report.threshold) if response else None,
                figure_value(response.due, report.threshold) if response else None,
                response.percent if response else None,
            ])
            for split in goal.splits:
                for row in split.rows:
                    rows.append([goal.code, goal.title, kind, str(split.title), str(row.label),
                                 *_counts(row, report.threshold), None, None, None, None, None])
        return Table([str(h) for h in REPORT_HEADINGS], rows)


def _counts(row, threshold: int) -> list:
    return [figure_value(row.numerator, threshold), figure_value(row.denominator, threshold), row.percent]


# -- files ------------------------------------------------------------------------------------------


def file_name(project: Project, period: Period, extension: str, anonymised: bool = False) -> str:
    """An ASCII file name with the project and the period, e.g. maluppfoljning-norrskan-2026-01-01-2026-06-30.csv."""
    slug = unicodedata.normalize("NFKD", project.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "projekt"
    what = "deltagarrader" if anonymised else "maluppfoljning"
    return f"{what}-{slug}-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value, format="0.0", locale="sv")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # a spreadsheet must not run text typed in the app as a formula
    return str(value)


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headings)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def _download(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(table: Table, name: str) -> Response:
    return _download(csv_text(table), "text/csv", name)  # Werkzeug adds "; charset=utf-8" to text/*


def xlsx_bytes(report: Report) -> bytes:
    """The report table on the first sheet, what it covers on the second."""
    table = report_table(report)
    book = Workbook()
    sheet = book.active
    with force_locale("sv"):
        sheet.title = gettext("Goal report")[:31]
        _write(sheet, table)
        about = book.create_sheet(gettext("About the report")[:31])
        facts = [
            (gettext("Project"), report.project_name),
            (gettext("From"), report.period.start),
            (gettext("To"), report.period.end),
            (gettext("Participations"), gettext("Only the coach's own participants") if report.coach_only
             else gettext("The whole project")),
            (gettext("Participations during the period"), figure_value(report.participations, report.threshold)),
            (gettext("Small counts"), gettext(
                "Counts from 1 to %(last)s are shown as “fewer than %(n)s”; some other counts are hidden so "
                "that they cannot be worked out.", last=report.threshold - 1, n=report.threshold)),
        ]
        for label, value in facts:
            about.append([label, value])
            if isinstance(value, dt.date):
                about.cell(row=about.max_row, column=2).number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet, table: Table) -> None:
    sheet.append(table.headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
    sheet.freeze_panes = "A2"


def xlsx_response(report: Report, name: str) -> Response:
    return _download(xlsx_bytes(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)


# -- the anonymised row file ------------------------------------------------------------------------

QUASI_IDENTIFIERS = ("gender", "age", "municipality")


def anonymised_rows(project: Project, period: Period) -> tuple[list[dict], list[str]]:
    """One dict per participation in the period (no names, ids or dates), generalised so that every
    shown combination of gender, age band and municipality has at least `threshold` rows; and the
    exit items the goals read."""
    items = sorted({item for goal in project_goals(project.id) if (item := goal.item_key) in rules.EXIT_ITEMS})
    facts = facts_query(Scope(project.id), period, items, helper=True).subquery()
    rows = []
    for fact in db.session.execute(facts.select()):
        ended = fact.ended_on is not None and period.start <= fact.ended_on <= period.end
        rows.append({
            "gender": fact.gender.value,
            "age": age_band(fact.birth_year, period),
            "municipality": str(fact.municipality_id),
            "ended": ended,
            "end_reason": fact.end_reason.value if ended else None,
            "outcome": fact.exit_outcome.value if ended else None,
            "plan_ready": fact.plan_ready_on is not None and fact.plan_ready_on <= period.end,
            "plan_completed": fact.plan_completed_on is not None and fact.plan_completed_on <= period.end,
            "helper": bool(fact.helper),
            **{item: (getattr(fact, f"a{n}") if ended else None) for n, item in enumerate(items)},
        })
    return generalise(rows, project.suppression_threshold), items


def generalise(rows: list[dict], k: int, keys=QUASI_IDENTIFIERS) -> list[dict]:
    """Leave out quasi-identifiers (None) until every shown combination has at least k rows.

    Local recoding, most detailed first: a group of at least k rows keeps its keys; the others
    lose the last key and are grouped again, and so on. Rows left with no keys but fewer than k
    of them are joined by spare rows of the largest groups (which keep at least k), or else by
    whole groups. Fewer than k rows in all: no rows.
    """
    if len(rows) < k:
        return []
    groups: list[list[int]] = []
    remaining = list(range(len(rows)))
    for depth in range(len(keys), 0, -1):
        by_key: dict[tuple, list[int]] = {}
        for i in remaining:
            by_key.setdefault(tuple(rows[i][key] for key in keys[:depth]), []).append(i)
        remaining = []
        for members in by_key.values():
            if len(members) >= k:
                groups.append(members)
            else:
                remaining.extend(members)
        for i in remaining:
            rows[i][keys[depth - 1]] = None
    if remaining and len(remaining) < k:
        for i in _pad(remaining, groups, k):
            for key in keys:
                rows[i][key] = None
    return rows


def _pad(remaining: list[int], groups: list[list[int]], k: int) -> list[int]:
    """Fill the too small group: first with spare rows of the largest groups, then whole groups."""
    remaining = list(remaining)
    for members in sorted(groups, key=len, reverse=True):
        take = min(len(members) - k, k - len(remaining))
        if take > 0:
            remaining.extend(members[-take:])
            del members[-take:]
    for members in sorted(groups, key=len):
        if len(remaining) >= k:
            break
        remaining.extend(members)
        members.clear()
    return remaining


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def anonymised_table(project: Project, period: Period) -> Table:
    rows, items = anonymised_rows(project, period)
    municipalities = dict(db.session.execute(
        db.select(Municipality.id, Municipality.name).where(Municipality.project_id == project.id)).all())
    ages = dict(AGE_LABELS)
    with force_locale("sv"):
        hidden = gettext("hidden")
        headings = [gettext("Row"), gettext("Gender"), gettext("Age"), gettext("Municipality"),
                    gettext("Ended during the period"), gettext("How it ended"), gettext("Outcome at the end"),
                    gettext("Plan marked ready"), gettext("Plan completed"), gettext("A step names who helps"),
                    *(str(rules.EXIT_ITEMS[item]) for item in items)]
        body = []
        for row in rows:
            body.append([
                str(GENDER_WORDS[Gender(row["gender"])]) if row["gender"] else hidden,
                str(ages[row["age"]]) if row["age"] else hidden,
                municipalities.get(int(row["municipality"]), "") if row["municipality"] else hidden,
                _yes_no(row["ended"]),
                str(END_REASONS[EndReason(row["end_reason"])]) if row["end_reason"] else None,
                str(OUTCOMES[Outcome(row["outcome"])]) if row["outcome"] else None,
                _yes_no(row["plan_ready"]), _yes_no(row["plan_completed"]), _yes_no(row["helper"]),
                *(row[item] for item in items),
            ])
        # Sorted by content, then numbered: the order tells nothing about who is who.
        body.sort(key=lambda values: [("" if v is None else str(v)) for v in values])
        return Table(headings, [[n, *values] for n, values in enumerate(body, start=1)])
