"""The one place that knows what "now" and "today" are, in Swedish time."""

import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Stockholm")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date where the participants live, whatever the server's timezone."""
    return now().astimezone(TIMEZONE).date()
