"""Property tests of the anonymity promise (SPEC §7.4-7) over random response sets.

(c) is the no-differencing invariant, restricted where it cannot hold by design:
- a hidden group's raters (not shown, not merged) may change anything, answers, N/A and
  comments, and no shown figure moves (their response COUNT is public progress, so the number
  of responses is kept);
- inside a shown unit, the VALUE of an answer in a hidden item cell may change (numeric to
  another number) and no shown figure moves. Turning a number into N/A changes the cell's n,
  which may cross k and make the cell shown: participation, not an answer, is visible.
"""

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.domain.anonymity import ANONYMOUS, OTHERS, RATER_GROUPS
from survey.domain.report import SubjectReport, build_subject_report
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
