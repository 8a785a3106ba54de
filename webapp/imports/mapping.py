"""Which column of the file holds which Stegvis field, guessed from the header in Swedish or English."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

# The fields an imported participant needs, in the order the mapping page shows them.
FIELDS = {
    "name": _l("Name"),
    "gender": _l("Gender"),
    "birth_year": _l("Year of birth"),
    "municipality": _l("Municipality"),
    "enrolled_on": _l("Start date in the project"),
    "coach": _l("Coach"),
}

# Header names (normalised: lower case, letters and digits only) for each field.
HEADER_WORDS = {
    "name": {"namn", "name", "fullstandigtnamn", "fullname", "deltagare", "deltagarnamn", "participant",
             "fornamnochefternamn", "namndeltagare"},
    "gender": {"kon", "gender", "sex", "juridisktkon"},
    "birth_year": {"fodelsear", "birthyear", "yearofbirth", "fodd", "fodelsearet", "born", "ar"},
    "municipality": {"kommun", "municipality", "hemkommun", "bostadskommun", "ort"},
    "enrolled_on": {"inskriven", "inskrivningsdatum", "inskrivendatum", "startdatum", "start", "startdate",
                    "enrolled", "enrolledon", "enrolmentdate", "enrollmentdate", "datuminskriven", "inskrivning"},
    "coach": {"coach", "handledare", "arbetskonsulent", "kontaktperson", "ansvarigcoach", "ansvarighandledare"},
}


def normalise(header: str) -> str:
    """"Födelse-år " → "fodelsear": no case, accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", header.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain)


def guess(header: list[str]) -> dict[str, int]:
    """{field: column} for the columns whose header names a field; each column used once."""
    found: dict[str, int] = {}
    used: set[int] = set()
    for field, words in HEADER_WORDS.items():
        for column, text in enumerate(header):
            if column not in used and normalise(text) in words:
                found[field] = column
                used.add(column)
                break
    return found


def column_label(header: list[str], column: int) -> str:
    text = header[column] if column < len(header) else ""
    return str(_l("Column %(number)s: %(header)s", number=column + 1, header=text)) if text else str(
        _l("Column %(number)s", number=column + 1))
