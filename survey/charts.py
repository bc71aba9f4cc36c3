"""Plotly figures drawn only from domain objects: a `SubjectReport` or org norms (SPEC §8).

Nothing here computes a score or decides visibility: a cell absent from the report is drawn as a
gap (`None`, never 0). Radars keep the questionnaire's spoke order whatever the trace order,
close each polygon by repeating its first point, and use a fixed radial range covering the scale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from survey.domain.anonymity import ALL_OTHERS, SELF
from survey.domain.norms import AreaNorm
from survey.domain.report import SubjectReport

COLOURS = {
    "self": "#b3261e",
    "manager": "#1f5fbf",
    "peers": "#1b7a43",
    "direct_reports": "#8a4fbf",
    "others": "#9a5b00",
    "all_others": "#1d2430",
    "norm": "#7a8496",
}
FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=13)
Scale = tuple[int, int]


def radar_figure(
    report: SubjectReport,
    *,
    scale: Scale = (1, 5),
    norms: Mapping[str, AreaNorm] | None = None,
    title: str = "",
) -> go.Figure:
    """Return a radar: one closed `Scatterpolar` trace per shown group, spokes in area order.

    Hidden or missing cells are `None` (drawn as gaps, `connectgaps=False`); each point's
    `customdata` is its `n`. With `norms`, a dotted trace shows the organisation norm.
    """
    titles = [a.title for a in report.areas]
    labels = {g.key: g.label for g in report.groups}
    fig = go.Figure()
    for group in report.shown_groups():
        cells = {c.area: c for c in report.area_scores if c.group == group}
        if cells:
            scores = [cells[a.key].score if a.key in cells else None for a in report.areas]
            counts = [cells[a.key].n if a.key in cells else None for a in report.areas]
            fig.add_trace(_polar(titles, scores, counts, labels[group], group, "raters"))
    if norms:
        scores = [norms[a.key].score if a.key in norms else None for a in report.areas]
        counts = [norms[a.key].n if a.key in norms else None for a in report.areas]
        fig.add_trace(_polar(titles, scores, counts, "Organisation norm", "norm", "managers"))
    return _polar_layout(fig, titles, scale, title)


def org_radar_figure(
    areas: Sequence[tuple[str, str]],
    norms: Mapping[str, AreaNorm],
    *,
    scale: Scale = (1, 5),
    title: str = "",
) -> go.Figure:
    """Return the organisation radar of one level: its norm per area, `n` = managers."""
    titles = [t for _, t in areas]
    scores = [norms[k].score if k in norms else None for k, _ in areas]
    counts = [norms[k].n if k in norms else None for k, _ in areas]
    fig = go.Figure(_polar(titles, scores, counts, "Organisation norm", "all_others", "managers"))
    return _polar_layout(fig, titles, scale, title)


def gap_bar_figure(report: SubjectReport, *, scale: Scale = (1, 5), title: str = "") -> go.Figure:
    """Return horizontal bars of self vs all others per area (area order top to bottom)."""
    titles = [a.title for a in report.areas]
    labels = {g.key: g.label for g in report.groups}
    fig = go.Figure()
    for group in (SELF, ALL_OTHERS):
        cells = {c.area: c for c in report.area_scores if c.group == group}
        if not cells:
            continue
        fig.add_trace(
            go.Bar(
                y=titles,
                x=[cells[a.key].score if a.key in cells else None for a in report.areas],
                customdata=[cells[a.key].n if a.key in cells else None for a in report.areas],
                orientation="h",
                name=labels.get(group, group),
                marker_color=COLOURS[group],
                hovertemplate="%{y}: %{x:.2f} (n=%{customdata})<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        xaxis=dict(range=[0, scale[1]], dtick=1, title="Score"),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=titles),
        height=max(260, 60 + 44 * len(titles)),
    )
    return _common(fig, title)


def heatmap_figure(
    areas: Sequence[tuple[str, str]],
    teams: Mapping[str, Mapping[str, AreaNorm]],
    *,
    scale: Scale = (1, 5),
    title: str = "",
) -> go.Figure:
    """Return a heatmap of team × area norms; a cell no subject shows is `None` (blank)."""
    names = list(teams)
    z = [[teams[t][k].score if k in teams[t] else None for k, _ in areas] for t in names]
    n = [[teams[t][k].n if k in teams[t] else None for k, _ in areas] for t in names]
    text = [[f"{v:.2f}" if v is not None else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[t for _, t in areas],
            y=names,
            customdata=n,
            text=text,
            texttemplate="%{text}",
            zmin=scale[0],
            zmax=scale[1],
            colorscale="Blues",
            hoverongaps=False,
            hovertemplate="%{y} · %{x}: %{z:.2f} (n=%{customdata} managers)<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 120 + 36 * len(names)),
        yaxis=dict(autorange="reversed"),
        xaxis=dict(tickangle=-30),
    )
    return _common(fig, title)


def figures_json(figures: Mapping[str, go.Figure]) -> dict[str, Any]:
    """Return figures as plain JSON data for a `<script type="application/json">` tag."""
    return {key: json.loads(fig.to_json()) for key, fig in figures.items()}


def _polar(
    titles: list[str],
    scores: list[float | None],
    counts: list[int | None],
    name: str,
    colour: str,
    counted: str,
) -> go.Scatterpolar:
    """A closed polygon: the first point repeated at the end; None stays a gap."""
    return go.Scatterpolar(
        r=scores + scores[:1],
        theta=titles + titles[:1],
        customdata=counts + counts[:1],
        name=name,
        mode="lines+markers",
        connectgaps=False,
        line=dict(color=COLOURS[colour], width=2, dash="dot" if colour == "norm" else "solid"),
        marker=dict(size=6),
        hovertemplate=f"%{{theta}}: %{{r:.2f}} (n=%{{customdata}} {counted})<extra>{name}</extra>",
    )


def _polar_layout(fig: go.Figure, titles: list[str], scale: Scale, title: str) -> go.Figure:
    fig.update_layout(
        polar=dict(
            radialaxis=dict(
                range=[0, scale[1]],
                tickvals=list(range(scale[0], scale[1] + 1)),
                angle=90 - 180 / max(len(titles), 1),  # between the first two spokes
                tickfont=dict(size=10, color="#5b6575"),
            ),
            angularaxis=dict(
                direction="clockwise",
                rotation=90,
                categoryorder="array",
                categoryarray=titles,
            ),
        ),
        height=460,
        legend=dict(orientation="h", y=-0.12),
    )
    return _common(fig, title)


def _common(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=dict(text=title) if title else None,
        font=FONT,
        margin=dict(l=60, r=60, t=50 if title else 30, b=40),
        paper_bgcolor="#ffffff",
    )
    return fig
