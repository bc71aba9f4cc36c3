"""SPEC §10 agreement: sd and a word on shown anonymous and all-others cells with n ≥ spread_min.

Worked example (k = 3, spread_min = 5), one area "results" with items r1, r2:

    peers (5)          r1: 1 5 3 3 3   r2: 4 4 4 4 5
    direct reports (4) r1: 4 4 4 5     r2: 3 3 4 4
    manager            r1: 4           r2: 3
    self               r1: 5           r2: 5

peers r1: mean 3, Σx² = 53, var = 53/5 − 9 = 1.6, sd = 1.2649 → 1.26, 1 − 0.63 = 0.37: low.
peers r2: n = 5 (just AT spread_min): mean 4.2, Σx² = 89, var = 17.8 − 17.64 = 0.16, sd 0.40,
    1 − 0.20 = 0.80: high.
direct reports: n = 4, just BELOW spread_min: a score, no sd, no agreement.
all others r1: 10 answers, Σ = 36, Σx² = 142, var = 14.2 − 12.96 = 1.24, sd 1.1136 → 1.11: low.
all others r2: 10 answers, Σ = 38, Σx² = 148, var = 14.8 − 14.44 = 0.36, sd 0.60,
    1 − 0.30 = 0.70: exactly the "high" bound.
peers area: the 10 answers of r1 and r2, Σ = 36, Σx² = 142: sd 1.11, low (n = 5 raters).
all others area: 20 answers, Σ = 74, Σx² = 290, var = 14.5 − 13.69 = 0.81, sd 0.90,
    1 − 0.45 = 0.55: moderate (n = 10 raters).

All others pools the direct reports' 4-answer cells: with spread_min 5 it carries no sd, or
Σx²(all others) − Σx²(peers) − manager² would give the direct reports' Σx² (r1: 73, with
Σ = 17 and n = 4 that is exactly 4 4 4 5: their answers). With spread_min 4 it does.
"""

import random
from fractions import Fraction
from typing import Any

import pytest

from survey.domain.agreement import agreement_word, effective_spread_min, round_sd
from survey.domain.report import SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse, Tally, tally

AREAS = (AreaSpec("results", "Results", ("r1", "r2")),)
PEERS = [(1, 4), (5, 4), (3, 4), (3, 4), (3, 5)]
DIRECT_REPORTS = [(4, 3), (4, 3), (4, 4), (5, 4)]


def responses() -> list[RaterResponse]:
    rows = [("peers", a, b) for a, b in PEERS] + [
        ("direct_reports", a, b) for a, b in DIRECT_REPORTS
    ]
    rows += [("manager", 4, 3), ("self", 5, 5)]
    return [RaterResponse(group, {"r1": a, "r2": b}) for group, a, b in rows]


def build(spread_min: int | None = 5, k: int = 3) -> SubjectReport:
    return build_subject_report(AREAS, {}, responses(), k=k, spread_min=spread_min)


def spread_of(cells: list[dict[str, Any]], key: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (c[key], c["group"]): (c["score"], c["n"], c.get("sd"), c.get("agreement")) for c in cells
    }


def test_item_cells_carry_sd_and_agreement_from_spread_min() -> None:
    items = spread_of(build().to_json_parts()["item_scores"], "item")
    assert items[("r1", "peers")] == (3.0, 5, 1.26, "low")
    assert items[("r2", "peers")] == (4.2, 5, 0.4, "high")  # n = 5: at spread_min
    assert items[("r1", "direct_reports")] == (4.25, 4, None, None)  # n = 4: just below
    assert items[("r2", "direct_reports")] == (3.5, 4, None, None)
    # pools the direct reports' 4 answers: no sd, else subtraction gives theirs (docstring)
    assert items[("r1", "all_others")] == (3.6, 10, None, None)
    assert items[("r2", "all_others")] == (3.8, 10, None, None)


def test_area_cells_carry_the_spread_of_the_answers_they_pool() -> None:
    areas = spread_of(build().to_json_parts()["area_scores"], "area")
    assert areas[("results", "peers")] == (3.6, 5, 1.11, "low")
    assert areas[("results", "direct_reports")] == (3.88, 4, None, None)  # 31 / 8 = 3.875
    assert areas[("results", "all_others")] == (3.7, 10, None, None)


def test_all_others_carries_spread_once_every_pooled_anonymous_cell_does() -> None:
    parts = build(spread_min=4).to_json_parts()
    items = spread_of(parts["item_scores"], "item")
    assert items[("r1", "direct_reports")] == (4.25, 4, 0.43, "high")  # 4 4 4 5: sd 0.433
    assert items[("r1", "all_others")] == (3.6, 10, 1.11, "low")
    assert items[("r2", "all_others")] == (3.8, 10, 0.6, "high")  # 1 − 0.60/2 = 0.70
    areas = spread_of(parts["area_scores"], "area")
    assert areas[("results", "all_others")] == (3.7, 10, 0.9, "moderate")


def test_a_unit_area_shows_no_spread_when_one_of_its_items_has_fewer_answers() -> None:
    """A peer's don't-know on r2 leaves 4 answers there: the peers' area (still 5 raters
    counting) would give r2's spread as area Σx² − r1's Σx², so it carries none."""
    rows = [RaterResponse("peers", {"r1": a, "r2": b}) for a, b in PEERS[:4]]
    rows.append(RaterResponse("peers", {"r1": 3, "r2": None}))
    report = build_subject_report(AREAS, {}, rows, k=3, spread_min=5)
    parts = report.to_json_parts()
    assert spread_of(parts["item_scores"], "item")[("r1", "peers")][2:] == (1.26, "low")
    assert spread_of(parts["item_scores"], "item")[("r2", "peers")][2:] == (None, None)
    assert spread_of(parts["area_scores"], "area")[("results", "peers")][1:] == (5, None, None)


def test_self_and_manager_never_carry_spread_and_json_leaves_the_keys_out() -> None:
    parts = build().to_json_parts()
    for cell in parts["area_scores"] + parts["item_scores"]:
        if cell["group"] in ("self", "manager", "direct_reports"):
            assert "sd" not in cell and "agreement" not in cell
    # nothing like a distribution, minimum or maximum anywhere in the document
    assert not {"min", "max", "distribution", "counts"} & {
        k for c in parts["item_scores"] for k in c
    }


def test_spread_min_is_never_below_k() -> None:
    assert effective_spread_min(None, 3) == 5
    assert effective_spread_min(None, 6) == 6
    assert effective_spread_min(4, 3) == 4
    assert effective_spread_min(2, 3) == 3
    # k = 6: peers (5) and direct reports (4) merge into "others" (9 answers ≥ 6): r1 pools
    # 1 5 3 3 3 4 4 4 5, Σ = 32, Σx² = 126, var = 14 − (32/9)² = 1.358, sd 1.1653 → 1.17, low
    items = spread_of(build(spread_min=None, k=6).to_json_parts()["item_scores"], "item")
    assert items[("r1", "others")] == (3.56, 9, 1.17, "low")
    assert items[("r1", "all_others")] == (3.6, 10, 1.11, "low")
    items = spread_of(build(spread_min=None, k=3).to_json_parts()["item_scores"], "item")
    assert items[("r1", "peers")][2:] == (1.26, "low")


def test_frozen_form_round_trips_with_and_without_spread() -> None:
    report = build()
    assert SubjectReport.from_data(report.to_data()) == report


@pytest.mark.parametrize(
    ("sd", "word"),
    [
        (0.0, "high"),
        (0.6, "high"),
        (0.61, "moderate"),
        (1.0, "moderate"),
        (1.01, "low"),
        (2.0, "low"),
    ],
)
def test_agreement_word_bounds(sd: float, word: str) -> None:
    assert agreement_word(sd) == word


@pytest.mark.parametrize(
    ("answers", "sd"),
    [([3, 3, 3, 3, 3], 0.0), ([1, 5, 1, 5], 2.0), ([1, 2], 0.5), ([1, 2, 3, 4, 5], 1.41)],
)
def test_sd_is_the_population_sd_rounded_half_up(answers: list[int], sd: float) -> None:
    assert round_sd(tally(answers)) == sd


def two_managers_report(manager_answers: tuple[int, int]) -> SubjectReport:
    """k = 3, spread_min = 5, one item r1: two managers, five peers and five direct reports
    who all answer 4."""
    rows = [RaterResponse("manager", {"r1": a}) for a in manager_answers]
    rows += [
        RaterResponse(group, {"r1": 4}) for group in ("peers", "direct_reports") for _ in "12345"
    ]
    areas = (AreaSpec("results", "Results", ("r1",)),)
    return build_subject_report(areas, {}, rows, k=3, spread_min=5)


def test_all_others_spread_never_splits_two_managers_answers() -> None:
    """HR may add a second manager: the manager cell then shows their mean (3.00, n = 2), never
    the two answers. All others pools 12 answers, Σ = 46 either way, but Σx² is 186 for 1 and 5
    (var = 15.5 − 14.694 = 0.806, sd 0.90) and 178 for 3 and 3 (var = 0.139, sd 0.37): with the
    peers' and direct reports' sd 0 shown beside it, all others' sd would tell a reader whether
    one manager answered 1 and the other 5. Both answer sets must read the same."""
    split, even = two_managers_report((1, 5)), two_managers_report((3, 3))
    assert split.to_json_parts() == even.to_json_parts()
    items = spread_of(split.to_json_parts()["item_scores"], "item")
    assert items[("r1", "manager")] == (3.0, 2, None, None)
    assert items[("r1", "peers")] == (4.0, 5, 0.0, "high")
    assert items[("r1", "all_others")] == (3.83, 12, None, None)  # 46 / 12 = 3.833


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        # 8 answers Σ = 15, Σx² = 31: var = 31/8 − (15/8)² = 0.359, sd 0.599 → 0.60, 1 − 0.30 = 0.70
        ([1, 1, 2, 2, 2, 2, 2, 3], (1.88, 8, 0.6, "high")),
        # Σ = 10, Σx² = 22: var = 4.4 − 4 = 0.4, sd 0.632 → 0.63, 1 − 0.315 = 0.685
        ([1, 2, 2, 2, 3], (2.0, 5, 0.63, "moderate")),
        # Σ = 12, Σx² = 30: var = 5 − 4 = 1, sd 1.00, 1 − 0.50 = 0.50: exactly the moderate bound
        ([1, 1, 1, 3, 3, 3], (2.0, 6, 1.0, "moderate")),
        # Σ = 12, Σx² = 34: var = 6.8 − 5.76 = 1.04, sd 1.0198 → 1.02, 1 − 0.51 = 0.49
        ([1, 2, 2, 3, 4], (2.4, 5, 1.02, "low")),
    ],
)
def test_peer_cells_at_the_agreement_bounds(answers: list[int], shown: tuple[Any, ...]) -> None:
    rows = [RaterResponse("peers", {"r1": a, "r2": a}) for a in answers]
    report = build_subject_report(AREAS, {}, rows, k=3, spread_min=5)
    assert spread_of(report.to_json_parts()["item_scores"], "item")[("r1", "peers")] == shown


def test_sd_of_integer_answers_is_rounded_as_the_exact_decimal_root() -> None:
    """The integer rounding at close and the exact 60-digit root agree on every tally of up to
    12 answers drawn from the scale (the same answers as Fractions take the Decimal root)."""
    rng = random.Random(10)
    for _ in range(3000):
        answers = [rng.randint(1, 5) for _ in range(rng.randint(1, 12))]
        whole = tally(answers)
        as_fractions = Tally(Fraction(whole.total), whole.n, 0, Fraction(whole.total_sq))
        assert round_sd(whole) == round_sd(as_fractions)
    assert round_sd(tally([2, 3, 2, 3])) == 0.5  # an exact root: no rounding drift
