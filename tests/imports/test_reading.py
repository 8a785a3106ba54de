"""Reading the file: separators, encodings, XLSX, header guessing, and awkward text (Hypothesis)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.imports.support import HEADER, csv_bytes, xlsx_bytes
from webapp.imports.mapping import guess
from webapp.imports.reading import Unreadable, read_table

ROW = ["Åsa Öberg", "kvinna", "1990", "Piteå", "2026-01-15", "Coach Ett"]


@pytest.mark.parametrize("sep", [";", ","])
def test_csv_with_either_separator(in_request, sep):
    table = read_table(csv_bytes([ROW], sep=sep))
    assert table.header == HEADER
    assert table.rows == [(2, ROW)]


def test_utf8_with_bom_reads_the_first_header_without_the_mark(in_request):
    table = read_table(csv_bytes([ROW], bom=True))
    assert table.header[0] == "Namn"
    assert table.rows[0][1][0] == "Åsa Öberg"


def test_windows_1252_keeps_a_ring_and_dots(in_request):
    raw = csv_bytes([["Märta Åström", "kvinna", "1990", "Älvsbyn", "2026-01-15", "Öjvind"]], encoding="cp1252")
    assert "Märta Åström".encode("cp1252") in raw  # really not UTF-8
    table = read_table(raw)
    assert table.header[1:3] == ["Kön", "Födelseår"]
    assert table.rows[0][1][0] == "Märta Åström" and table.rows[0][1][3] == "Älvsbyn"


def test_xlsx_gives_text_for_numbers_and_dates(in_request):
    import datetime as dt

    table = read_table(xlsx_bytes([["Åsa Öberg", "kvinna", 1990, "Piteå", dt.datetime(2026, 1, 15), "Coach Ett"]]))
    assert table.header == HEADER
    assert table.rows == [(2, ROW)]


def test_quoted_fields_may_hold_the_separator_and_quotes(in_request):
    raw = 'Namn;Kommun\n"Lind; Erik ""Kalle""";Piteå\n'.encode()
    assert read_table(raw).rows == [(2, ['Lind; Erik "Kalle"', "Piteå"])]


def test_empty_rows_are_skipped_and_numbers_are_the_spreadsheets(in_request):
    raw = b"Namn;Kommun\n;\nEva;Pitea\n\nOla;Pitea\n"
    assert [number for number, _ in read_table(raw).rows] == [3, 5]


@pytest.mark.parametrize(("raw", "says"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"Namn;K\xc3\xb6n\n", "only a header"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
    (b"PK\x03\x04 not really a zip", "not a spreadsheet"),
])
def test_files_that_cannot_be_imported_say_why(in_request, raw, says):
    with pytest.raises(Unreadable) as problem:
        read_table(raw)
    assert says in str(problem.value.message)


@pytest.mark.parametrize(("header", "expected"), [
    (["Namn", "Kön", "Födelseår", "Kommun", "Inskriven", "Coach"],
     {"name": 0, "gender": 1, "birth_year": 2, "municipality": 3, "enrolled_on": 4, "coach": 5}),
    (["Handledare", "Startdatum", "KOMMUN ", "födelse-år", "kön", "Namn"],
     {"coach": 0, "enrolled_on": 1, "municipality": 2, "birth_year": 3, "gender": 4, "name": 5}),
    (["Name", "Gender", "Year of birth", "Municipality", "Start date", "Coach", "Notes"],
     {"name": 0, "gender": 1, "birth_year": 2, "municipality": 3, "enrolled_on": 4, "coach": 5}),
    (["Personnummer", "Anteckning"], {}),
])
def test_header_guessing_in_swedish_and_english(header, expected):
    assert guess(header) == expected


AWKWARD = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
        st.sampled_from(list(';,"\'\n\r\t') + ["\u202e", "\u200f", "مرحبا", "שלום", "👩🏽‍💻", "🇸🇪", "\ufeff"]),
    ),
    min_size=1, max_size=30,
).map("".join).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(AWKWARD, min_size=1, max_size=5), sep=st.sampled_from([";", ","]))
def test_awkward_names_round_trip_exactly(in_request, names, sep):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(["Namn", "Kommun"])
    for name in names:
        writer.writerow([name, "Piteå"])
    table = read_table(out.getvalue().encode())
    assert [cells[0] for _, cells in table.rows] == names
    assert all(cells[1] == "Piteå" for _, cells in table.rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=300), AWKWARD.map(str.encode), st.binary(max_size=100).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_give_a_table_or_a_reason(in_request, raw):
    try:
        table = read_table(raw)
    except Unreadable as problem:
        assert str(problem.message)
    else:
        assert table.rows and all(len(cells) == len(table.header) for _, cells in table.rows)
