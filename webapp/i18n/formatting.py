"""Dates, durations and numbers, only through Babel.

Day and month names come from the user's language; weeks start on Monday as in Sweden
(CLDR would start them on Saturday for Dari and Arabic). Digits stay Latin everywhere.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_datetime, format_decimal, ngettext

from webapp import clock


def format_day(day: dt.date) -> str:
    """A date with weekday, e.g. "måndag 23 november 2026"."""
    return format_date(day, "EEEE d MMMM y")


def format_short_day(day: dt.date) -> str:
    """A date without year for lists, e.g. "mån 23 nov"."""
    return format_date(day, "EEE d MMM")


def format_moment(moment: dt.datetime) -> str:
    """A point in time in Swedish time, 24-hour clock in every language, e.g. "mån 23 nov 14:05"."""
    return format_datetime(moment, "EEE d MMM y, HH:mm")


def format_until(start: dt.datetime, end: dt.datetime) -> str:
    """The end of a span that began at `start`: only the time on the same day ("14:15"), the whole
    moment on another, nothing within the same minute."""
    if start.replace(second=0, microsecond=0) == end.replace(second=0, microsecond=0):
        return ""
    if start.astimezone(clock.TIMEZONE).date() == end.astimezone(clock.TIMEZONE).date():
        return format_datetime(end, "HH:mm")
    return format_moment(end)


def format_number(value: float) -> str:
    return format_decimal(value)


def format_minutes(minutes: int) -> str:
    """A duration in hours and minutes, e.g. "1 h 30 min". Plural forms by the number of hours (or
    of minutes): Arabic says ساعتان for two hours and ساعات for three to ten. (CLDR's units through
    Babel would do it, but Babel joins two Arabic units wrongly and lacks Dari's long units.)"""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return ngettext("%(num)s h %(minutes)s min", "%(num)s h %(minutes)s min", hours, minutes=rest)
    if hours:
        return ngettext("%(num)s h", "%(num)s h", hours)
    return ngettext("%(num)s min", "%(num)s min", rest)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week (ISO, as in Sweden)."""
    return day - dt.timedelta(days=day.weekday())
