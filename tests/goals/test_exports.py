"""The exports: the anonymised rows are k-anonymous on gender, age band and municipality, and text
typed in the app never becomes a spreadsheet formula."""

from __future__ import annotations

import io
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.goals.figures import csv_rows
from tests.goals.world import period_query
from webapp.extensions import db
from webapp.goals.exports import QUASI_IDENTIFIERS, generalise
from webapp.models import ProjectGoal

ROWS = st.lists(
    st.fixed_dictionaries({
        "gender": st.sampled_from(["woman", "man", "non_binary", "not_stated"]),
        "age": st.sampled_from(["16-24", "25-54", "55-64", "other"]),
        "municipality": st.sampled_from(["1", "2", "3"]),
        "answer": st.integers(1, 5),
    }),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(ROWS, st.integers(3, 6))
def test_every_shown_combination_is_shared_by_at_least_k_rows(rows, k):
    original = [dict(row) for row in rows]
    result = generalise([dict(row) for row in rows], k)
    if len(rows) < k:
        assert result == []
        return
    assert len(result) == len(rows)
    classes = Counter(tuple(row[key] for key in QUASI_IDENTIFIERS) for row in result)
    assert all(size >= k for size in classes.values()), classes
    for before, after in zip(original, result, strict=True):
        # Only left out, never changed; and what is left out is the most detailed first.
        assert all(after[key] in (None, before[key]) for key in QUASI_IDENTIFIERS)
        shown = [after[key] is not None for key in QUASI_IDENTIFIERS]
        assert shown == sorted(shown, reverse=True)
        assert after["answer"] == before["answer"]


def test_a_lone_row_is_joined_by_spare_rows_of_a_large_group():
    woman, man = {"gender": "woman", "age": "25-54", "municipality": "1"}, {"gender": "man", "age": "25-54",
                                                                           "municipality": "1"}
    blank = {"gender": None, "age": None, "municipality": None}
    # Ten women and one man (k = 5): the man cannot be shown with any key; four spare women join him.
    result = generalise([dict(woman) for _ in range(10)] + [dict(man)], 5)
    assert Counter(tuple(r.values()) for r in result) == {tuple(woman.values()): 6, tuple(blank.values()): 5}
    # Six women and one man: one spare woman is not enough, so nobody keeps a key.
    result = generalise([dict(woman) for _ in range(6)] + [dict(man)], 5)
    assert result == [blank] * 7


def test_a_goal_title_that_looks_like_a_formula_stays_text(client, goal_world, build):
    def rename():
        db.session.get(ProjectGoal, goal_world.goal_ids["G4"]).title = '=HYPERLINK("http://example.com","x")'
    build(rename)
    client.sign_in(goal_world.leader.email)
    base = f"/project/{goal_world.project.public_id}"
    rows = csv_rows(client.get(f"{base}/report.csv?{period_query()}").get_data(as_text=True))
    assert {row[1] for row in rows if row[0] == "G4"} == {'\'=HYPERLINK("http://example.com","x")'}
    book = load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx?{period_query()}").get_data()))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_csv_says_its_type_and_encoding_once(client, goal_world):
    client.sign_in(goal_world.leader.email)
    response = client.get(f"/project/{goal_world.project.public_id}/report.csv?{period_query()}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_xlsx_says_what_it_covers(client, goal_world):
    client.sign_in(goal_world.leader.email)
    data = client.get(f"/project/{goal_world.project.public_id}/report.xlsx?{period_query()}").get_data()
    about = load_workbook(io.BytesIO(data)).worksheets[1]
    values = [row[1] for row in about.iter_rows(values_only=True)]
    assert "Norrskan" in values and 38 in values  # the project, and its participations during the period
