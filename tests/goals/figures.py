"""Read the figures back from the report page, the CSV and the XLSX into one comparable shape.

{(code, split, group): (met, counted, share)} for every table row, and
{(code, "total"): (met, counted, share, status, answered, due, response rate)} per goal.
Counts are text as shown ("9", "fewer than 5", "hidden"); shares are Decimals or None.

`neutral=True` compares across languages (a page in English, a file in Swedish): splits and
groups by position, suppressed counts as "<5" or "hidden", and no status words.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from openpyxl import load_workbook

from tests.html import parse

SPACES = r"[\s\u00a0\u202f]"


def _count(text, neutral: bool = False) -> str | None:
    if text is None or text == "":
        return None
    text = str(text)
    if re.fullmatch(rf"[\d]+(?:{SPACES}\d+)*", text.strip()):
        return re.sub(SPACES, "", text)
    if neutral:
        digits = re.search(r"\d+", text)
        return f"<{digits.group(0)}" if digits else "hidden"
    return text


def _share(text) -> Decimal | None:
    if text is None or text == "":
        return None
    if isinstance(text, float | int | Decimal):
        return Decimal(str(round(float(text), 1)))
    cleaned = re.sub(rf"{SPACES}|%", "", str(text))
    return Decimal(cleaned.replace(",", ".")) if re.fullmatch(r"\d+(?:[.,]\d+)?", cleaned) else None


def _text(section, selector: str) -> str | None:
    found = section.select_one(selector)
    return found.get_text(" ", strip=True) if found else None


def page_figures(html: str, neutral: bool = False) -> dict:
    soup = parse(html)
    found = {}
    for section in soup.select("section.goal-result"):
        code = section.select_one(".goal-code").get_text(strip=True)
        status = section.select_one(".goal-status")
        status.find("span").extract()  # the symbol
        share_goal = section.select_one(".goal-met") is not None
        found[(code, "total")] = (
            _count(_text(section, ".goal-met") if share_goal else _text(section, ".goal-value"), neutral),
            _count(_text(section, ".goal-counted"), neutral),
            _share(_text(section, ".goal-value")) if share_goal else None,
            None if neutral else status.get_text(" ", strip=True),
            _count(_text(section, ".response-answered"), neutral),
            _count(_text(section, ".response-due"), neutral),
            _share(_text(section, ".response-rate")),
        )
        for s, table in enumerate(section.select("table.figures")):
            split = s if neutral else table.select_one("thead th").get_text(strip=True)
            for g, row in enumerate(table.select("tbody tr")):
                cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
                group = g if neutral else row.find("th").get_text(strip=True)
                found[(code, split, group)] = (_count(cells[0], neutral),
                                               _count(cells[1], neutral) if len(cells) > 1 else None,
                                               _share(cells[2]) if len(cells) > 2 else None)
    return found


def _table_figures(rows: list[list], neutral: bool) -> dict:
    """From the export's long table (headings first)."""
    found, splits, groups = {}, {}, {}
    for code, _title, _kind, split, group, met, counted, share, _target, status, answered, due, rate in rows[1:]:
        if status not in (None, ""):
            found[(code, "total")] = (_count(met, neutral), _count(counted, neutral), _share(share),
                                      None if neutral else status, _count(answered, neutral), _count(due, neutral),
                                      _share(rate))
            continue
        if neutral:
            split = splits.setdefault((code, split), len([k for k in splits if k[0] == code]))
            group = groups.setdefault((code, split, group), len([k for k in groups if k[:2] == (code, split)]))
        found[(code, split, group)] = (_count(met, neutral), _count(counted, neutral), _share(share))
    return found


def csv_rows(text: str) -> list[list]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def csv_figures(text: str, neutral: bool = False) -> dict:
    return _table_figures(csv_rows(text), neutral)


def xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def xlsx_figures(data: bytes, neutral: bool = False) -> dict:
    return _table_figures(xlsx_rows(data), neutral)


def totals_only(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key[1] == "total"}
