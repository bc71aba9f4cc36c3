"""Charts draw only what the domain report shows (SPEC §8): spoke order, closed polygons, gaps."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from survey import charts
from survey.domain.norms import AreaNorm
from survey.domain.report import SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse

AREAS = (
    AreaSpec("results", "Results", ("r1",)),
    AreaSpec("people", "People", ("p1",)),
    AreaSpec("culture", "Culture", ("c1",)),
)


def report(responses: list[RaterResponse]) -> SubjectReport:
    return build_subject_report(AREAS, {}, responses, k=3)


@pytest.fixture
def example() -> SubjectReport:
    """Self rates everything; the manager marks People N/A; 3 peers, one skipping culture."""
    return report(
        [
            RaterResponse("self", {"r1": 4, "p1": 5, "c1": 3}),
            RaterResponse("manager", {"r1": 3, "p1": None, "c1": 2}),
            RaterResponse("peers", {"r1": 2, "p1": 4, "c1": 4}),
            RaterResponse("peers", {"r1": 3, "p1": 4, "c1": None}),
            RaterResponse("peers", {"r1": 4, "p1": 5, "c1": 5}),
        ]
    )


def traces(fig: dict) -> dict[str, dict]:
    return {t["name"]: t for t in fig["data"]}


def lines(fig: dict) -> list[dict]:
    """The group polygons (not the × marks of hidden points)."""
    return [t for t in fig["data"] if t["mode"] == "lines+markers"]


def test_one_closed_trace_per_shown_group_in_spoke_order(example: SubjectReport) -> None:
    fig = charts.radar_figure(example)
    assert [t["name"] for t in lines(fig)] == [
        "Self",
        "Manager (identifiable)",
        "Peers",
        "All others (everyone but self)",
    ]
    for trace in lines(fig):
        assert trace["type"] == "scatterpolar"
        assert trace["theta"] == ["Results", "People", "Culture", "Results"]
        assert trace["r"][0] == trace["r"][-1]
        assert trace["customdata"][0] == trace["customdata"][-1]
    assert traces(fig)["Self"]["r"] == [4.0, 5.0, 3.0, 4.0]


def test_spoke_order_is_fixed_whatever_trace_comes_first() -> None:
    """Self did not rate Results: the first trace starts with a gap, the axis order stays."""
    fig = charts.radar_figure(
        report(
            [
                RaterResponse("self", {"r1": None, "p1": 5, "c1": 3}),
                RaterResponse("manager", {"r1": 3, "p1": 2, "c1": 2}),
            ]
        )
    )
    assert fig["data"][0]["theta"] == ["Results", "People", "Culture", "Results"]
    axis = fig["layout"]["polar"]["angularaxis"]
    assert axis["categoryarray"] == ["Results", "People", "Culture"]
    assert axis["categoryorder"] == "array"


def test_hidden_cell_is_a_gap_not_zero(example: SubjectReport) -> None:
    fig = charts.radar_figure(example)
    manager = traces(fig)["Manager (identifiable)"]
    assert manager["r"] == [3.0, None, 2.0, 3.0]  # People: N/A only, never 0
    assert manager["connectgaps"] is False
    peers = traces(fig)["Peers"]
    assert peers["r"][2] is None  # only 2 peers rated culture: hidden (k=3)
    assert 0 not in [v for t in fig["data"] for v in t["r"]]


def test_radial_range_is_fixed_and_n_is_in_the_hover(example: SubjectReport) -> None:
    fig = charts.radar_figure(example)
    # beyond 5 on the outside, so a point at 5.00 is whole; 1 is not crushed into the centre
    assert fig["layout"]["polar"]["radialaxis"]["range"] == [0.5, 5.3]
    assert fig["layout"]["polar"]["radialaxis"]["tickvals"] == [1, 2, 3, 4, 5]
    peers = traces(fig)["Peers"]
    assert peers["customdata"] == [3, 3, None, 3]
    assert "(%{customdata} people)" in peers["hovertemplate"]


def test_self_all_others_and_norm_are_drawn_other_groups_one_click_away(
    example: SubjectReport,
) -> None:
    fig = charts.radar_figure(example, norms={"results": AreaNorm("results", 3.1, 12)})
    visible = {t["name"]: t["visible"] for t in lines(fig)}
    assert visible == {
        "Self": True,
        "Manager (identifiable)": "legendonly",
        "Peers": "legendonly",
        "All others (everyone but self)": True,
        "Organisation norm": True,
    }


def test_hidden_points_are_marked_on_the_outer_ring_with_their_group(
    example: SubjectReport,
) -> None:
    fig = charts.radar_figure(example)
    marks = traces(fig)
    assert marks["Peers: not shown"]["theta"] == ["Culture"]  # 2 of 3 peers: hidden (k=3)
    assert marks["Peers: not shown"]["r"] == [5.3]
    assert marks["Peers: not shown"]["legendgroup"] == traces(fig)["Peers"]["legendgroup"]
    assert marks["Peers: not shown"]["visible"] == "legendonly"
    assert marks["Manager (identifiable): not shown"]["theta"] == ["People"]
    assert "Self: not shown" not in marks  # self rated every area


def test_labels_from_content_and_names_are_escaped_before_plotly() -> None:
    areas = (AreaSpec("results", "<b>P&L</b> <a href='x'>go</a>", ("r1",)),)
    rep = build_subject_report(areas, {}, [RaterResponse("self", {"r1": 4})], k=3)
    radar, bars = charts.radar_figure(rep), charts.gap_bar_figure(rep)
    heat = charts.heatmap_figure([("results", "<i>R</i>")], {"<img src=x>": {}})
    text = json.dumps([radar, bars, heat])
    assert "<b>" not in text and "<a " not in text and "<img" not in text and "<i>" not in text
    assert (
        radar["data"][0]["theta"][0] == "&lt;b&gt;P&amp;L&lt;/b&gt; &lt;a href='x'&gt;go&lt;/a&gt;"
    )
    assert heat["data"][0]["y"] == ["&lt;img src=x&gt;"]


def test_norm_trace_is_dotted_and_skips_unknown_areas(example: SubjectReport) -> None:
    norms = {"results": AreaNorm("results", 3.1, 12)}
    fig = charts.radar_figure(example, norms=norms)
    norm = traces(fig)["Organisation norm"]
    assert norm["r"] == [3.1, None, None, 3.1]
    assert norm["line"]["dash"] == "dot"


def test_gap_bars_compare_self_with_all_others(example: SubjectReport) -> None:
    fig = charts.gap_bar_figure(example)
    assert [t["name"] for t in fig["data"]] == ["Self", "All others (everyone but self)"]
    self_bar, others = fig["data"]
    assert self_bar["y"] == ["Results", "People", "Culture"]
    # bars start at 1 (the scale's minimum): base 1, length score − 1, the score as text
    assert self_bar["base"] == 1
    assert self_bar["x"] == [3.0, 4.0, 2.0]
    assert self_bar["text"] == ["4.00", "5.00", "3.00"]
    # All others: Results (3+2+3+4)/4 = 3.0; People peers only (4+4+5)/3 = 4.33; Culture
    # pools the manager's 2 with nothing from peers (hidden) = 2.0.
    assert others["text"] == ["3.00", "4.33", "2.00"]
    assert fig["layout"]["xaxis"]["range"] == [1, 5]


def test_org_radar_and_heatmap_draw_only_shown_norms() -> None:
    areas = [("results", "Results"), ("people", "People")]
    radar = charts.org_radar_figure(areas, {"people": AreaNorm("people", 3.5, 4)})
    assert radar["data"][0]["r"] == [None, 3.5, None]
    heat = charts.heatmap_figure(
        areas,
        {
            "Blue": {"results": AreaNorm("results", 4.0, 2)},
            "Red": {"people": AreaNorm("people", 2.5, 3)},
        },
    )
    trace = heat["data"][0]
    assert trace["z"] == [[4.0, None], [None, 2.5]]
    assert trace["y"] == ["Blue", "Red"]
    assert (trace["zmin"], trace["zmax"]) == (1, 5)


def test_every_figure_is_a_valid_plotly_spec_that_plotly_would_write_the_same(
    example: SubjectReport,
) -> None:
    """The dict figures pass Plotly's own validation and round-trip unchanged through it."""
    areas = [("results", "Results"), ("people", "People")]
    norm = {"people": AreaNorm("people", 3.5, 4)}
    figures = [
        charts.radar_figure(example, norms={"results": AreaNorm("results", 3.1, 12)}),
        charts.radar_figure(example, title="Readiness", scale=(1, 7)),
        charts.gap_bar_figure(example),
        charts.org_radar_figure(areas, norm),
        charts.heatmap_figure(areas, {"Blue": norm}),
    ]
    for figure in figures:
        validated = go.Figure(figure)  # raises on any unknown property or bad value
        assert json.loads(validated.to_json()) == json.loads(json.dumps(figure))
