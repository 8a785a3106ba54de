"""Small counts suppressed: the rules of webapp/goals/suppression.py, by example and as properties.

The properties check the model against an independent reader: one who knows the rules (what
"fewer than t" and "hidden" mean, that categories add up to the total) and works out, by exact
set arithmetic rather than the model's bounds, every value a hidden count could have.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.goals.suppression import HIDDEN, SHOWN, SMALL, WITHHELD, Model, percent_shown


def protect(total: int, lines: list[list[int]], t: int = 5):
    """One figure: its total and split lines. Returns (total mark, [[cell marks]], model, ids)."""
    model = Model(t)
    total_id = model.count(total, total=True)
    ids = []
    for line in lines:
        cells = [model.count(v) for v in line]
        model.add_line(total_id, cells)
        ids.append(cells)
    marks = model.protect()
    return marks[total_id], [[marks[c] for c in cells] for cells in ids], model, (total_id, ids)


def test_counts_from_one_to_threshold_minus_one_are_hidden_and_zero_is_shown():
    total, (line,), *_ = protect(30, [[0, 1, 4, 25]])
    assert line[0] == SHOWN and line[1] == SMALL and line[2] == SMALL
    assert total == SHOWN


def test_one_hidden_category_in_a_line_with_its_total_hides_the_smallest_further_one():
    # 12 + 0 + 2 + 0 = 14: the 2 would be 14 − 12. The next smallest non-zero (12) is hidden too.
    total, (line,), *_ = protect(14, [[12, 0, 2, 0]])
    assert (total, line) == (SHOWN, [HIDDEN, SHOWN, SMALL, SHOWN])


def test_two_hidden_counts_that_add_up_to_two_are_not_left_alone():
    # 1 + 1 + 20 = 22: the two small ones add up to 2, so both would be 1.
    total, (line,), *_ = protect(22, [[1, 1, 20]])
    assert line[:2] == [SMALL, SMALL] and line[2] == HIDDEN


def test_hidden_counts_that_add_up_to_k_times_threshold_minus_one_are_protected():
    # 4 + 4 + 0 = 8 with t = 5: both would be 4; nothing else to hide in the line, so the total goes,
    # and the total's other split (all 8 in one category) must then hide that category.
    total, lines, *_ = protect(8, [[4, 4, 0], [8, 0]])
    assert total == HIDDEN and lines == [[SMALL, SMALL, SHOWN], [HIDDEN, SHOWN]]


def test_a_line_that_cannot_be_made_safe_is_withheld_entirely():
    # Four categories of 1, total 4 (t = 5): every count is at least 1 and the total is below 5, so
    # the total must be 4 and each 1. Hiding more cannot help: everything is withheld, zeros too.
    total, (line,), *_ = protect(4, [[1, 1, 1, 1, 0]])
    assert total == WITHHELD and line == [WITHHELD] * 5


def test_a_part_can_give_away_its_whole():
    """Those who met a goal are part of those counted; 9 of 9 women met it, so the hidden count of
    women counted could be read from the shown 9 if nothing else were hidden."""
    model = Model(5)
    counted_total, met_total = model.count(10, total=True), model.count(9, total=True)
    counted = [model.count(v) for v in (9, 1)]  # women, non-binary
    met = [model.count(v) for v in (9, 0)]
    model.add_line(counted_total, counted)
    model.add_line(met_total, met)
    for part, whole in zip([met_total, *met], [counted_total, *counted], strict=True):
        model.add_part(part, whole)
    model.protect()
    assert model.derivable() == []
    assert model.marks[counted[1]] == SMALL
    assert model.marks[met[0]] != SHOWN or model.marks[counted[0]] != HIDDEN


def test_a_percentage_needs_both_parts_shown():
    assert percent_shown(SHOWN, SHOWN, 20)
    assert not percent_shown(SMALL, SHOWN, 20)
    assert not percent_shown(SHOWN, HIDDEN, 20)
    assert not percent_shown(SHOWN, SHOWN, 0)


def test_the_threshold_is_at_least_three():
    try:
        Model(2)
    except ValueError:
        return
    raise AssertionError("a threshold of 2 must be refused")


# -- an independent reader -----------------------------------------------------------------------


def _sums(domains: list[range]) -> set[int]:
    """Every sum one value from each domain can make."""
    found = {0}
    for domain in domains:
        found = {s + v for s in found for v in domain}
    return found


def readable_values(values, marks, total_id, lines, t):
    """For each hidden count, every value consistent with what is shown (exactly, by enumeration)."""
    cap = 2 * values[total_id] + 2 * t + 2

    def domain(i):
        return {SHOWN: range(values[i], values[i] + 1), SMALL: range(1, t), HIDDEN: range(t, cap),
                WITHHELD: range(0, cap)}[marks[i]]

    def line_ok(total, cells):
        shown = sum(values[c] for c in cells if marks[c] == SHOWN)
        return total - shown in _sums([domain(c) for c in cells if marks[c] != SHOWN])

    totals = [v for v in domain(total_id) if all(line_ok(v, cells) for cells in lines)]
    found = {total_id: set(totals)}
    for cells in lines:
        hidden = [c for c in cells if marks[c] != SHOWN]
        shown = sum(values[c] for c in cells if marks[c] == SHOWN)
        for c in hidden:
            rest = _sums([domain(o) for o in hidden if o != c])
            found[c] = {v for v in domain(c) for total in totals if total - shown - v in rest}
    return {i: vals for i, vals in found.items() if marks[i] != SHOWN}


@st.composite
def figures(draw):
    """People spread over the categories of two or three splits; the lines follow from them."""
    t = draw(st.integers(3, 5))
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    people = draw(st.lists(st.tuples(*(st.integers(0, size - 1) for size in sizes)), max_size=24))
    lines = [[sum(1 for p in people if p[s] == c) for c in range(size)] for s, size in enumerate(sizes)]
    return t, len(people), lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures())
def test_no_shown_count_is_small_and_no_hidden_count_can_be_worked_out(case):
    t, total, lines = case
    _total_mark, _marks, model, (total_id, ids) = protect(total, lines, t)
    for value, mark in zip(model.values, model.marks, strict=True):
        assert not (mark == SHOWN and 0 < value < t), "a small count is shown"
        if mark == SMALL:
            assert 0 < value < t
        if mark == HIDDEN:
            assert value >= t
    readable = readable_values(model.values, model.marks, total_id, ids, t)
    for count_id, possible in readable.items():
        assert model.values[count_id] in possible, "the reader's sets must contain the truth"
        assert len(possible) > 1, f"count {count_id} = {model.values[count_id]} can be worked out: {case}"


@settings(max_examples=200, deadline=None)
@given(figures())
def test_when_nothing_is_hidden_every_split_adds_up_to_the_total(case):
    t, total, lines = case
    _total_mark, _marks, model, (total_id, ids) = protect(total, lines, t)
    if all(mark == SHOWN for mark in model.marks):
        for cells in ids:
            assert sum(model.values[c] for c in cells) == model.values[total_id]
        assert all(v == 0 or v >= t for v in model.values)
