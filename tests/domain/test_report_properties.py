"""Property tests of the anonymity promise (SPEC §7.4-7) over random response sets.

(c) is the no-differencing invariant, restricted where it cannot hold by design:
- a hidden group's raters (not shown, not merged) may change anything, answers, N/A and
  comments, and no shown figure moves (their response COUNT is public progress, so the number
  of responses is kept);
- inside a shown unit, the VALUE of an answer in a hidden item cell may change (numeric to
  another number) and no shown figure moves. Turning a number into N/A changes the cell's n,
  which may cross k and make the cell shown: participation, not an answer, is visible.

(d) An anonymous unit's or `all_others`' area score carries nothing beyond shown item cells: it
is the pooled mean rebuilt from the shown item cells (score x n per item), and two raters of a
unit swapping their answers on an item (same item cells, different individuals) move nothing.
"""

from collections.abc import Callable
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.domain.anonymity import ALL_OTHERS, ANONYMOUS, MANAGER, OTHERS, RATER_GROUPS
from survey.domain.report import SubjectReport, build_subject_report
from survey.domain.rounding import round_score
from survey.domain.scoring import AreaSpec, RaterResponse

AREAS = (
    AreaSpec("results", "Results", ("r1", "r2")),
    AreaSpec("people", "People", ("p1", "p2", "p3", "p4")),
    AreaSpec("growth", "Growth", ("g1", "g2", "g3")),
)
ITEMS = [i for a in AREAS for i in a.items]

answers = st.dictionaries(st.sampled_from(ITEMS), st.one_of(st.none(), st.integers(1, 5)))
comments = st.dictionaries(st.sampled_from(["keep", "stop"]), st.sampled_from(["", "a", "B", "b"]))
groups = st.sampled_from([*RATER_GROUPS, *ANONYMOUS, *ANONYMOUS])  # anonymous twice as likely
responses = st.lists(st.builds(RaterResponse, groups, answers, comments), max_size=14)
observed = st.dictionaries(st.sampled_from(RATER_GROUPS), st.frozensets(st.sampled_from(ITEMS)))
thresholds = st.integers(2, 4)
examples = settings(max_examples=300, deadline=None)


def build(rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int) -> SubjectReport:
    return build_subject_report(AREAS, seen, rs, k=k, questions=[("keep", ""), ("stop", "")])


@examples
@given(responses, observed, thresholds)
def test_no_shown_anonymous_cell_below_k(
    rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    report = build(rs, seen, k)
    shown = report.shown_groups()
    for cell in report.area_scores + report.item_scores:
        assert cell.group in shown
        if cell.group in (*ANONYMOUS, OTHERS):
            assert cell.n >= k
    for comment in report.comments:
        assert comment.group in shown


@examples
@given(st.data(), responses, observed, thresholds)
def test_submission_order_changes_nothing(
    data: st.DataObject, rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    shuffled = data.draw(st.permutations(rs))
    assert build(shuffled, seen, k).to_json_parts() == build(rs, seen, k).to_json_parts()


@examples
@given(st.data(), responses, observed, thresholds)
def test_hidden_group_raters_change_no_shown_figure(
    data: st.DataObject, rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    report = build(rs, seen, k)
    hidden = {g.key for g in report.groups if not g.shown and g.merged_into is None}
    changed = [
        RaterResponse(r.group, data.draw(answers), data.draw(comments)) if r.group in hidden else r
        for r in rs
    ]
    assert build(changed, seen, k).to_json_parts() == report.to_json_parts()


@examples
@given(responses, observed, thresholds)
def test_values_in_hidden_item_cells_change_no_shown_figure(
    rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    report = build(rs, seen, k)
    unit = {g.key: g.merged_into or g.key for g in report.groups if g.shown or g.merged_into}
    shown_items = {(c.group, c.item) for c in report.item_scores}

    def rewrite(new: Callable[[int], int]) -> list[RaterResponse]:
        def value(r: RaterResponse, item: str, v: int | None) -> int | None:
            hidden = r.group in unit and (unit[r.group], item) not in shown_items
            return new(v) if hidden and v is not None else v

        return [
            RaterResponse(r.group, {i: value(r, i, v) for i, v in r.answers.items()}, r.comments)
            for r in rs
        ]

    for new in (lambda v: v % 5 + 1, lambda v: 1, lambda v: 5):
        assert build(rewrite(new), seen, k).to_json_parts() == report.to_json_parts()


def pooled(report: SubjectReport, units: list[str], area: AreaSpec) -> float | None:
    """Rebuild an area score from shown item cells only: sum of score x n / sum of n.

    Answers are integers and n < 100, so round(score x n) is each cell's exact total.
    """
    found = [c for c in report.item_scores if c.group in units and c.item in area.items]
    answers = sum(c.n for c in found)
    totals = sum(round(c.score * c.n) for c in found)
    return round_score(Fraction(totals, answers)) if answers else None


@examples
@given(responses, observed, thresholds)
def test_area_scores_follow_from_the_shown_item_cells(
    rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    report = build(rs, seen, k)
    for area in AREAS:
        shown = {c.group: c for c in report.area_scores if c.area == area.key}
        for unit in (*ANONYMOUS, OTHERS):
            if unit in shown:
                assert shown[unit].score == pooled(report, [unit], area)
        if ALL_OTHERS in shown:
            # all_others pools the units whose area cell is shown; n adds up their n.
            counted = [u for u in (MANAGER, *ANONYMOUS, OTHERS) if u in shown]
            assert shown[ALL_OTHERS].score == pooled(report, counted, area)
            assert shown[ALL_OTHERS].n == sum(shown[u].n for u in counted)
            answering = {c.group for c in report.item_scores if c.item in area.items}
            if answering - {"self", ALL_OTHERS} <= set(counted):  # the usual case
                assert shown[ALL_OTHERS].score == pooled(report, [ALL_OTHERS], area)


@examples
@given(st.data(), responses, observed, thresholds)
def test_two_raters_of_a_unit_swapping_answers_move_no_figure(
    data: st.DataObject, rs: list[RaterResponse], seen: dict[str, frozenset[str]], k: int
) -> None:
    report = build(rs, seen, k)
    unit = {g.key: g.merged_into or g.key for g in report.groups if g.shown or g.merged_into}
    item = data.draw(st.sampled_from(ITEMS))

    def answered(r: RaterResponse) -> bool:
        shown_item = item in seen.get(r.group, frozenset(ITEMS))
        return r.group in ANONYMOUS and shown_item and r.answers.get(item) is not None

    def with_answer(r: RaterResponse, value: int | None) -> RaterResponse:
        return RaterResponse(r.group, {**r.answers, item: value}, r.comments)

    pairs = [
        (a, b)
        for a in range(len(rs))
        for b in range(a + 1, len(rs))
        if answered(rs[a])
        and answered(rs[b])
        and unit.get(rs[a].group) == unit.get(rs[b].group) is not None
    ]
    if not pairs:
        return
    a, b = data.draw(st.sampled_from(pairs))
    swapped = list(rs)
    swapped[a] = with_answer(rs[a], rs[b].answers[item])
    swapped[b] = with_answer(rs[b], rs[a].answers[item])
    assert build(swapped, seen, k).to_json_parts() == report.to_json_parts()
