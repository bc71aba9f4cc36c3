"""SPEC §7.10: organisation norms from subjects' shown all-others area scores."""

from survey.domain.norms import (
    ORG_NORM_MIN_SUBJECTS,
    AreaNorm,
    compute_org_norms,
    compute_org_norms_by,
    norms_for_subjects,
)
from survey.domain.report import AreaScore, SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse

AREAS = (AreaSpec("results", "Results", ("r1",)), AreaSpec("people", "People", ("p1",)))


def cells(reports: list[SubjectReport]) -> list[AreaScore]:
    """Every area cell of the reports, every group: the norm keeps the all_others ones."""
    return [cell for report in reports for cell in report.area_scores]


def subject(results: int | None, people: int | None) -> SubjectReport:
    """A report whose all_others is one manager answering r1 / p1 (None = N/A: no cell)."""
    manager = RaterResponse("manager", {"r1": results, "p1": people}, {})
    return build_subject_report(AREAS, {}, [RaterResponse("self", {"r1": 1}, {}), manager], k=3)


def test_norm_is_mean_of_shown_all_others_scores() -> None:
    reports = [subject(4, 2), subject(5, 3), subject(3, None)]
    # results: (4 + 5 + 3) / 3 = 4.00, n = 3; people: (2 + 3) / 2 = 2.50, n = 2 (not / 3).
    assert compute_org_norms(cells(reports)) == {
        "results": AreaNorm("results", 4.0, 3),
        "people": AreaNorm("people", 2.5, 2),
    }


def test_norm_rounds_half_up_once() -> None:
    # (7 x 4 + 5) / 8 = 33 / 8 = 4.125 -> 4.13
    reports = [subject(v, None) for v in (4, 4, 4, 4, 4, 4, 4, 5)]
    assert compute_org_norms(cells(reports))["results"] == AreaNorm("results", 4.13, 8)


def test_self_only_subjects_add_nothing() -> None:
    alone = build_subject_report(AREAS, {}, [RaterResponse("self", {"r1": 5}, {})], k=3)
    assert compute_org_norms(cells([alone])) == {}
    assert compute_org_norms([]) == {}


def test_norms_per_team() -> None:
    pairs = [("sales", subject(4, 2)), ("ops", subject(2, 2)), ("sales", subject(5, None))]
    assert compute_org_norms_by((team, c) for team, r in pairs for c in r.area_scores) == {
        "sales": {"results": AreaNorm("results", 4.5, 2), "people": AreaNorm("people", 2.0, 1)},
        "ops": {"results": AreaNorm("results", 2.0, 1), "people": AreaNorm("people", 2.0, 1)},
    }


def test_subjects_see_a_norm_only_from_five_subjects() -> None:
    # results: 5 subjects, (4 + 5 + 3 + 2 + 1) / 5 = 3.00, n = 5: shown to subjects.
    # people: 4 subjects (the last has no people cell), (2 + 3 + 4 + 5) / 4 = 3.50: HR only.
    reports = [subject(4, 2), subject(5, 3), subject(3, 4), subject(2, 5), subject(1, None)]
    norms = compute_org_norms(cells(reports))
    assert norms["people"] == AreaNorm("people", 3.5, 4)
    assert ORG_NORM_MIN_SUBJECTS == 5
    assert norms_for_subjects(norms) == {"results": AreaNorm("results", 3.0, 5)}


def test_a_norm_of_two_would_give_away_the_colleagues_score() -> None:
    # Why the rule: mine 4.00, theirs 1.00 -> norm 2.50, n = 2, and 2 x 2.50 - 4.00 = 1.00.
    mine, theirs = subject(4, None), subject(1, None)
    norms = compute_org_norms(cells([mine, theirs]))
    assert 2 * norms["results"].score - (mine.score("results", "all_others") or 0) == 1.0
    assert norms_for_subjects(norms) == {}  # absent, not 0
    assert norms_for_subjects({}) == {}
