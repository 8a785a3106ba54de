"""Small counts suppressed, so that nobody can be identified from a report.

The threshold `t` comes from the project (at least 3, by default 5).

1. **Small counts.** A count from 1 to t−1 is shown as "fewer than t". Zero is shown, and so is
   every count of t or more unless rule 2 hides it ("hidden").
2. **Nothing hidden may be worked out.** A table line is the categories of one split plus its
   total; the total of a figure is the same number in every split. A reader knows that "fewer
   than t" means 1 to t−1, that a count hidden by this rule is t or more, that the categories of
   a line add up to its total, and that a figure which is part of another is never larger than
   it, category by category (those who met a goal ≤ those counted; ended as completed ≤ ended).
   From all of this we work out the smallest and the largest value each hidden count could have
   (bounds propagation to a fixed point). When the two are equal the count could be derived: we
   then hide the smallest further non-zero count of the same line (a category before the total)
   and check again, until no hidden count can be worked out. This covers:
   - one hidden category in a line whose total is shown (total minus the shown categories);
   - hidden categories whose sum is as small or as large as it can be (two hidden counts that add
     up to 2 are both 1; hidden counts that add up to k × (t−1) are all t−1);
   - a total hidden in one split but readable from another split, or from a figure it is part of.
3. **Last resort.** When a count could still be worked out and nothing more can be hidden, every
   count of the figures connected to it is hidden, zeros included.
4. **Percentages** are shown only when both the numerator and the denominator are shown.

The Model below knows nothing of goals or SQL: it takes counts, lines (sums) and part-of
relations, and marks each count as shown, small or hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SHOWN = "shown"
SMALL = "small"  # 1 to t−1: "fewer than t"
HIDDEN = "hidden"  # t or more, hidden so that a small count cannot be worked out
WITHHELD = "withheld"  # rule 3: anything, zero included; shown as "hidden" too

INF = math.inf
MAX_PASSES = 200  # propagation converges in a few passes; not converging counts as unsafe


@dataclass
class Model:
    """Counts (variables), the lines they add up in, and which count is part of which."""

    threshold: int
    values: list[int] = field(default_factory=list)
    is_total: list[bool] = field(default_factory=list)
    sums: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)  # (total, categories)
    parts: list[tuple[int, int]] = field(default_factory=list)  # (part, whole): part <= whole
    marks: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.threshold < 3:
            raise ValueError("the suppression threshold is at least 3")

    def count(self, value: int, total: bool = False) -> int:
        if value < 0:
            raise ValueError("counts are not negative")
        self.values.append(int(value))
        self.is_total.append(total)
        return len(self.values) - 1

    def add_line(self, total: int, categories) -> None:
        self.sums.append((total, tuple(categories)))

    def add_part(self, part: int, whole: int) -> None:
        self.parts.append((part, whole))

    # -- what a reader can work out ------------------------------------------------------------

    def _start(self, i: int) -> tuple[float, float]:
        mark, value, t = self.marks[i], self.values[i], self.threshold
        if mark == SHOWN:
            return value, value
        if mark == SMALL:
            return 1, t - 1
        if mark == HIDDEN:
            return t, INF
        return 0, INF

    def bounds(self) -> tuple[list[float], list[float]] | None:
        """The smallest and largest value of every count, given what is shown; None if the
        propagation did not settle (treated as unsafe)."""
        lo, hi = zip(*(self._start(i) for i in range(len(self.values))), strict=True) if self.values else ((), ())
        lo, hi = list(lo), list(hi)
        for _ in range(MAX_PASSES):
            changed = False
            for total, cells in self.sums:
                changed |= _tighten_sum(lo, hi, total, cells)
            for part, whole in self.parts:
                if hi[whole] < hi[part]:
                    hi[part], changed = hi[whole], True
                if lo[part] > lo[whole]:
                    lo[whole], changed = lo[part], True
            if not changed:
                return lo, hi
        return None

    def derivable(self) -> list[int] | None:
        """Hidden counts a reader could work out exactly (None: could not tell, so assume all)."""
        found = self.bounds()
        if found is None:
            return None
        lo, hi = found
        return [i for i, mark in enumerate(self.marks) if mark != SHOWN and lo[i] == hi[i]]

    # -- deciding what to hide -------------------------------------------------------------------

    def protect(self) -> list[str]:
        """Mark every count (rules 1–3) and return the marks."""
        t = self.threshold
        self.marks = [SMALL if 0 < v < t else SHOWN for v in self.values]
        # Each round hides one more count or withholds a group, so this many rounds always end.
        for _ in range(2 * len(self.values) + 2):
            pinned = self.derivable()
            if pinned == []:
                return self.marks
            if pinned is None:
                break
            choice = self._next_to_hide(pinned[0])
            if choice is None:
                self._withhold(self._connected(pinned[0]))
            else:
                self.marks[choice] = HIDDEN
        self._withhold(range(len(self.values)))
        return self.marks

    def _neighbours(self, i: int) -> list[tuple[int, int]]:
        """(count, rank) for every count that shares a line or a part-of relation with count i;
        rank 0 a category of the same line, 1 its total, 2 a part or whole."""
        found = []
        for total, cells in self.sums:
            if i == total or i in cells:
                found += [(c, 0) for c in cells] + [(total, 1)]
        for part, whole in self.parts:
            if i in (part, whole):
                found.append((whole if i == part else part, 2))
        return [(c, rank) for c, rank in found if c != i]

    def _candidates(self, i: int) -> list[int]:
        """Shown non-zero counts whose hiding could free count i, in the order we would rather hide
        them: nearest first (what shares a line with i, then what shares a line with a hidden count
        that does, …); then a category before a total, a small count before a large one."""
        ranked: dict[int, tuple] = {}
        seen, frontier, distance = {i}, [i], 0
        while frontier:
            following = []
            for current in frontier:
                for c, rank in self._neighbours(current):
                    if self.marks[c] == SHOWN:
                        if self.values[c] > 0:
                            ranked.setdefault(c, (distance, rank, self.values[c], c))
                    elif c not in seen:
                        seen.add(c)
                        following.append(c)  # a hidden count: what is linked to it matters too
            frontier, distance = following, distance + 1
        return sorted(ranked, key=ranked.__getitem__)

    def _next_to_hide(self, pinned: int) -> int | None:
        """The first candidate that frees the pinned count; else simply the first candidate."""
        candidates = self._candidates(pinned)
        for c in candidates:
            self.marks[c] = HIDDEN
            found = self.bounds()
            self.marks[c] = SHOWN
            if found is not None and found[0][pinned] != found[1][pinned]:
                return c
        return candidates[0] if candidates else None

    def _connected(self, i: int) -> set[int]:
        """Every count linked to count i through lines and part-of relations."""
        links: dict[int, set[int]] = {}
        for total, cells in self.sums:
            group = {total, *cells}
            for c in group:
                links.setdefault(c, set()).update(group)
        for part, whole in self.parts:
            links.setdefault(part, set()).add(whole)
            links.setdefault(whole, set()).add(part)
        seen, todo = set(), [i]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(links.get(c, ()))
        return seen

    def _withhold(self, counts) -> None:
        for c in counts:
            self.marks[c] = WITHHELD


def _tighten_sum(lo: list, hi: list, total: int, cells: tuple[int, ...]) -> bool:
    """total = sum(cells): narrow the total from the cells and each cell from the rest."""
    changed = False
    low_sum = sum(lo[c] for c in cells)
    infinite = sum(1 for c in cells if hi[c] == INF)
    finite_high = sum(hi[c] for c in cells if hi[c] != INF)
    high_sum = INF if infinite else finite_high
    if low_sum > lo[total]:
        lo[total], changed = low_sum, True
    if high_sum < hi[total]:
        hi[total], changed = high_sum, True
    for c in cells:
        others_low = low_sum - lo[c]
        others_infinite = infinite - (1 if hi[c] == INF else 0)
        others_high = INF if others_infinite else finite_high - (hi[c] if hi[c] != INF else 0)
        new_lo = lo[total] - others_high  # -inf when another cell is unbounded
        new_hi = hi[total] - others_low
        if new_lo > lo[c]:
            lo[c], changed = new_lo, True
        if new_hi < hi[c]:
            hi[c], changed = new_hi, True
    return changed


def percent_shown(numerator_mark: str, denominator_mark: str, denominator: int) -> bool:
    """Rule 4: a percentage needs both parts shown (and someone to count)."""
    return numerator_mark == SHOWN and denominator_mark == SHOWN and denominator > 0
