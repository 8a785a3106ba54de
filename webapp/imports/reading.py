"""Reading the spreadsheet a project keeps: CSV (`;` or `,`, UTF-8 with or without BOM, or
Windows-1252) or XLSX. Gives a header and rows of text; never raises anything but Unreadable."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL = 1000
XLSX_MAGIC = b"PK\x03\x04"


class Unreadable(Exception):  # noqa: N818 - reads as what it says about the file
    """The file is not a spreadsheet we can read; `message` says so in plain words."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


def read_table(raw: bytes) -> Table:
    """The header and the non-empty rows of the file."""
    if not raw.strip():
        raise Unreadable(_l("The file is empty. Choose the file with the participant list."))
    rows = _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(_decode(raw))
    table = _table(rows)
    if not table.rows:
        raise Unreadable(_l("The file has only a header row. Add one row per participant."))
    return table


def _table(rows) -> Table:
    header: list[str] | None = None
    found: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(rows, start=1):
        cells = [_clean(cell) for cell in cells]
        if len(cells) > MAX_COLUMNS:
            raise Unreadable(_l("The file has more than %(max)s columns. Is it the participant list?",
                                max=MAX_COLUMNS))
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        found.append((number, cells))
        if len(found) > MAX_ROWS:
            raise Unreadable(_l("The file has more than %(max)s rows. Split it into smaller files.", max=MAX_ROWS))
    if header is None:
        raise Unreadable(_l("The file is empty. Choose the file with the participant list."))
    width = max(len(header), *(len(cells) for _, cells in found)) if found else len(header)
    header = header + [""] * (width - len(header))
    return Table(header, [(n, cells + [""] * (width - len(cells))) for n, cells in found])


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:MAX_CELL]


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise Unreadable(_l("This is not a spreadsheet we can read. Save it as CSV or XLSX and try again."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise Unreadable(
            _l("We cannot read the letters in the file. Save it as CSV (UTF-8) or XLSX and try again.")
        ) from None


def _delimiter(text: str) -> str:
    """`;` or `,` (or a tab): the one the header line has most of, outside quotes."""
    first, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            first.append(char)
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _csv_rows(text: str):
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False))
    except csv.Error:
        raise Unreadable(
            _l("This is not a spreadsheet we can read. Save it as CSV or XLSX and try again.")
        ) from None


def _xlsx_rows(raw: bytes):
    """The first sheet's rows, read as they come (a sheet may claim a million empty rows)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for count, row in enumerate(sheet.iter_rows(values_only=True)):
                if count > MAX_ROWS * 2:
                    break
                yield list(row)
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - any failure inside the file means it is not a spreadsheet we read
        raise Unreadable(
            _l("This is not a spreadsheet we can read. Save it as CSV or XLSX and try again.")
        ) from None
