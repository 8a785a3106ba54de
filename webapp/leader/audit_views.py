"""The leader's log follow-up (Logguppföljning): who opened which participant's information, and
security events, in the leader's own project; what deserves a closer look; and "mark as checked",
which documents that the follow-up was done (itself an audit event)."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.widgets import HiddenInput

from webapp import clock
from webapp.forms import Choice, FlexibleDateField, Form, Required, options
from webapp.i18n.formatting import format_day
from webapp.leader import audit_review as review
from webapp.leader import bp
from webapp.leader.views import own_project
from webapp.models import Project, Role

EARLIEST = dt.date(2000, 1, 1)
FOLLOW_UP_PREFIX = "checked"

KINDS = {
    "all": _l("Everything"),
    "read": _l("Opened a participant's information"),
    "event": _l("Sign-ins and other events"),
}

# What an event means, in words. An event without words here shows its code.
EVENTS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_out": _l("Signed out"),
    "locked_out": _l("Sign-in locked after too many tries"),
    "rate_limited": _l("Too many tries in a short time"),
    "csrf_failed": _l("Sent a form that was open too long"),
    "access_denied": _l("Tried to open a participant they may not see"),
    "account_disabled": _l("Closed an account"),
    "account_enabled": _l("Opened an account again"),
    "unlocked": _l("Unlocked a participant's sign-in"),
    "export": _l("Downloaded a file"),
    "log_reviewed": _l("Marked the log as checked"),
    "second_factor_added": _l("Added a second sign-in step"),
    "sign_in_factor_changed": _l("Changed a way to sign in"),
    "passkey_failed": _l("A passkey did not work"),
    "sessions_ended": _l("Signed out on other devices"),
    "share": _l("Shared information with an organisation"),
    "share_refused": _l("Sharing was refused"),
    "consent_given": _l("Consent was recorded"),
    "purge": _l("Information was deleted after the retention time"),
    "erasure_requested": _l("Asked for information to be erased"),
    "erasure_decided": _l("Decided on a request to erase"),
    "retention_set": _l("Set how long information is kept"),
    "participants_imported": _l("Imported participants from a spreadsheet"),
    "codes_printed": _l("Printed activation codes"),
    "import": _l("Imported a project archive"),
}

# How a coach came to open a participant's information (the read's detail).
RELATIONS = {
    "caseload": _l("own participant"),
    "cover": _l("covering for a colleague"),
    "outside": _l("not their participant"),
}
ROLES = {Role.COACH: _l("coach"), Role.LEADER: _l("project leader"), Role.PARTICIPANT: _l("participant")}

# An event's detail, in words: how someone signed in, what changed, which file. Codes not here
# (an erasure request's id, a failed passkey's reason) are shown as they are.
DETAILS = {
    "password": _l("with password"),
    "password+totp": _l("with password and code from the app"),
    "activation+password": _l("with an activation code, then a new password"),
    "activation+pin": _l("with an activation code, then a new PIN"),
    "device+pin": _l("with PIN on their phone"),
    "passkey": _l("with a passkey"),
    "pin": _l("the PIN"),
    "totp": _l("the authenticator app"),
    "device": _l("a phone"),
    "participant-html": _l("the participant's information as a web page"),
    "participant-json": _l("the participant's information as a data file"),
    "goals.report_csv": _l("the goal report as CSV"),
    "goals.report_xlsx": _l("the goal report as Excel"),
    "goals.anonymised_csv": _l("the anonymised goal report as CSV"),
}


# Events whose detail is how many people they concerned ("Printed activation codes: 3 people").
COUNTED = frozenset({"participants_imported", "codes_printed"})


class _PeriodFields(Form):
    def _check_period(self) -> None:
        start, end = self.start.data, self.end.data
        if start and not EARLIEST <= start <= clock.today():
            self.start.errors.append(_l("Choose a day from 2000 up to today."))
        if end and not EARLIEST <= end <= clock.today():
            self.end.errors.append(_l("Choose a day from 2000 up to today."))
        elif start and end and end < start:
            self.end.errors.append(_l("The last day cannot be before the first day."))
        elif start and end and (end - start).days >= review.MAX_DAYS:
            self.end.errors.append(_l("Choose at most one year at a time."))


class LogFilterForm(_PeriodFields):
    """Which rows to show (a GET form that changes nothing)."""

    class Meta:
        csrf = False

    start = FlexibleDateField(_l("From"))
    end = FlexibleDateField(_l("To"))
    person = Choice(_l("Who"), choices=[])
    participant = Choice(_l("Whose information"), choices=[])
    kind = Choice(_l("What"), choices=options(KINDS.items()))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = options([("", _l("Anyone")), *((u.id, u.name) for u in review.staff(project))])
        self.participant.choices = options([("", _l("Anyone")), *review.participations(project)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._check_period()
        return valid and not self.errors

    def filters(self) -> review.Filters:
        return review.Filters(
            person=uuid.UUID(self.person.data) if self.person.data else None,
            participation=uuid.UUID(self.participant.data) if self.participant.data else None,
            kind=self.kind.data or "all",
        )


class FollowUpForm(_PeriodFields):
    """"Mark as checked": the period shown, sent back with the button."""

    start = FlexibleDateField(_l("From"), widget=HiddenInput(), validators=[Required(_l("The period is missing."))])
    end = FlexibleDateField(_l("To"), widget=HiddenInput(), validators=[Required(_l("The period is missing."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid:
            self._check_period()
        return valid and not self.errors


def _read_filters(project: Project) -> tuple[LogFilterForm, review.Period | None]:
    default = review.default_period(project, clock.today())
    if not any(name in request.args for name in ("start", "end", "person", "participant", "kind")):
        form = LogFilterForm(formdata=None, project=project, start=default.start, end=default.end, kind="all")
        return form, default
    form = LogFilterForm(request.args, project=project)
    if not form.validate():
        return form, None
    start = form.start.data or default.start
    return form, review.Period(start, form.end.data or max(default.end, start))


def _page(project: Project, form: LogFilterForm, period: review.Period | None, follow_up: FollowUpForm | None = None,
          status: int = 200):
    context = {"project": project, "form": form, "period": period, "follow_ups": review.follow_ups(project)}
    if period is not None:
        filters = form.filters()
        context.update(
            page=review.entries(project, period, filters, request.args.get("page", 1, type=int)),
            checks=review.things_to_check(project, period),
            follow_up=follow_up or FollowUpForm(formdata=None, prefix=FOLLOW_UP_PREFIX, start=period.start,
                                                end=period.end),
            query={"start": period.start.isoformat(), "end": period.end.isoformat(),
                   "person": form.person.data or "", "participant": form.participant.data or "",
                   "kind": form.kind.data or "all"},
        )
    return render_template("leader/logs.html", events=EVENTS, relations=RELATIONS, roles=ROLES, kinds=KINDS,
                           details=DETAILS, counted=COUNTED,
                           detail_person=review.detail_person,
                           **context), status


@bp.get("/<uuid:project_id>/logs")
def logs(project_id: uuid.UUID):
    project = own_project(project_id)
    form, period = _read_filters(project)
    return _page(project, form, period, status=200 if period else 422)


@bp.post("/<uuid:project_id>/logs/checked")
def logs_checked(project_id: uuid.UUID):
    project = own_project(project_id)
    form = FollowUpForm(prefix=FOLLOW_UP_PREFIX)
    if not form.validate_on_submit():
        filters = LogFilterForm(formdata=None, project=project)
        default = review.default_period(project, clock.today())
        filters.start.data, filters.end.data, filters.kind.data = default.start, default.end, "all"
        return _page(project, filters, default, follow_up=form, status=422)
    period = review.Period(form.start.data, form.end.data)
    review.record_follow_up(current_user, project, period)
    flash(_("The follow-up is recorded: %(start)s to %(end)s.", start=format_day(period.start),
            end=format_day(period.end)))
    return redirect(url_for("leader.logs", project_id=project.public_id, start=period.start.isoformat(),
                            end=period.end.isoformat()), code=303)
