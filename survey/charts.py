"""Plotly figures drawn only from domain objects: a `SubjectReport` or org norms (SPEC §8).

Nothing here computes a score or decides visibility: a cell absent from the report is drawn as a
gap (`None`, never 0). Radars keep the questionnaire's spoke order whatever the trace order,
close each polygon by repeating its first point, and use a fixed radial range covering the scale.

Figures are plain Plotly JSON specs, `{"data": [trace, ...], "layout": {...}}`, exactly what
`go.Figure(...).to_json()` gives for the same figure (the default template included, so charts
look the same), built as dicts: a `go.Figure` validates every property and costs milliseconds
per figure, which dominated a report page (benchmarks/README.md).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from survey.domain.anonymity import ALL_OTHERS, SELF
from survey.domain.norms import AreaNorm
from survey.domain.report import AreaScore, SubjectReport
from survey.i18n import current_language, gettext, lazy_gettext

COLOURS = {
    "self": "#b3261e",
    "manager": "#1f5fbf",
    "peers": "#1b7a43",
    "direct_reports": "#8a4fbf",
    "others": "#9a5b00",
    "all_others": "#1d2430",
    "norm": "#7a8496",
    "previous": "#5b6575",
}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 13}
DEFAULT_GROUPS = (SELF, ALL_OTHERS)  # drawn at first; other groups are a legend click away
Scale = tuple[int, int]
Figure = dict[str, Any]  # {"data": [...], "layout": {...}}: a Plotly figure spec


def radar_figure(
    report: SubjectReport,
    *,
    scale: Scale = (1, 5),
    norms: Mapping[str, AreaNorm] | None = None,
    title: str = "",
    previous: tuple[str, Mapping[str, AreaScore]] | None = None,
    area_titles: Mapping[str, str] | None = None,
) -> Figure:
    """Return a radar: one closed `scatterpolar` trace per shown group, spokes in area order.

    SPEC §10: Self, All others and the norm are drawn; every other shown group is in the
    legend, one click away (`visible: "legendonly"`). Hidden or missing cells are `None` (gaps,
    `connectgaps: false`) and each is marked by an × on the outer ring, in the group's colour,
    toggled with its group (`legendgroup`). `customdata` is each point's `n`, `text` its area
    title. Labels from content and names are escaped (`label`). With `previous` (campaign name,
    area → its shown All others cell), a dashed trace shows last time's All others, off until
    clicked in the legend (SPEC §11). Group names and every other word are in the page's
    language (SPEC §14); `area_titles` (area key → title) words the spokes in it too.
    """
    titles = _area_titles(report, area_titles)
    labels = _group_labels(report)
    shown = report.shown_groups()
    default = {g for g in shown if g in DEFAULT_GROUPS} or set(shown)
    data = []
    for group in shown:
        cells = {c.area: c for c in report.area_scores if c.group == group}
        if cells:
            scores = [cells[a.key].score if a.key in cells else None for a in report.areas]
            counts = [cells[a.key].n if a.key in cells else None for a in report.areas]
            name = label(labels[group])
            visible: bool | str = True if group in default else "legendonly"
            data.append(_polar(titles, scores, counts, name, group, gettext("people"), visible))
            if None in scores:
                data.append(_hidden_marks(titles, scores, name, group, scale, visible))
    if norms:
        scores = [norms[a.key].score if a.key in norms else None for a in report.areas]
        counts = [norms[a.key].n if a.key in norms else None for a in report.areas]
        norm = gettext("Organisation norm")
        data.append(_polar(titles, scores, counts, norm, "norm", gettext("managers"), True))
    if previous and previous[1]:
        campaign_name, before = previous
        scores = [before[a.key].score if a.key in before else None for a in report.areas]
        counts = [before[a.key].n if a.key in before else None for a in report.areas]
        name = label(gettext("All others, %(campaign)s", campaign=campaign_name))
        data.append(
            _polar(titles, scores, counts, name, "previous", gettext("raters"), "legendonly")
        )
    return _figure(data, _polar_layout(titles, scale), title)


def org_radar_figure(
    areas: Sequence[tuple[str, str]],
    norms: Mapping[str, AreaNorm],
    *,
    scale: Scale = (1, 5),
    title: str = "",
) -> Figure:
    """Return the organisation radar of one level: its norm per area, `n` = managers."""
    titles = [label(t) for _, t in areas]
    scores = [norms[k].score if k in norms else None for k, _ in areas]
    counts = [norms[k].n if k in norms else None for k, _ in areas]
    norm = gettext("Organisation norm")
    trace = _polar(titles, scores, counts, norm, "all_others", gettext("managers"), True)
    return _figure([trace], _polar_layout(titles, scale), title)


def gap_bar_figure(
    report: SubjectReport,
    *,
    scale: Scale = (1, 5),
    title: str = "",
    area_titles: Mapping[str, str] | None = None,
) -> Figure:
    """Return horizontal bars of self vs all others per area (area order top to bottom).

    The score axis runs over the scale, from its minimum (1), never from 0 (SPEC §10).
    """
    titles = _area_titles(report, area_titles)
    labels = _group_labels(report)
    data = []
    for group in (SELF, ALL_OTHERS):
        cells = {c.area: c for c in report.area_scores if c.group == group}
        if cells:
            name = label(labels.get(group, group))
            data.append(_bar(report, titles, cells, name, COLOURS[group], scale))
    layout = {
        "barmode": "group",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"range": [scale[0], scale[1]], "dtick": 1, "title": {"text": gettext("Score")}},
        "yaxis": {"autorange": "reversed", "categoryorder": "array", "categoryarray": titles},
        "height": max(260, 60 + 34 * len(titles)),
    }
    return _figure(data, layout, title)


def heatmap_figure(
    areas: Sequence[tuple[str, str]],
    teams: Mapping[str, Mapping[str, AreaNorm]],
    *,
    scale: Scale = (1, 5),
    title: str = "",
) -> Figure:
    """Return a heatmap of team × area norms; a cell no subject shows is `None` (blank)."""
    names = list(teams)
    z = [[teams[t][k].score if k in teams[t] else None for k, _ in areas] for t in names]
    n = [[teams[t][k].n if k in teams[t] else None for k, _ in areas] for t in names]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [label(t) for _, t in areas],
        "y": [label(t) for t in names],
        "customdata": n,
        "text": [[_two_decimals(v) if v is not None else "" for v in row] for row in z],
        "texttemplate": "%{text}",
        "zmin": scale[0],
        "zmax": scale[1],
        "colorscale": _blues(),
        "hoverongaps": False,
        "hovertemplate": "%{y} · %{x}: %{z:.2f} (%{customdata} "
        + label(gettext("managers"))
        + ")<extra></extra>",
    }
    layout = {
        "height": max(260, 120 + 36 * len(names)),
        "yaxis": {"autorange": "reversed"},
        "xaxis": {"tickangle": -30},
    }
    return _figure([trace], layout, title)


def figures_json(figures: Mapping[str, Figure]) -> dict[str, Any]:
    """Return figures as plain JSON data for a `<script type="application/json">` tag, each
    layout with the page language's decimal and thousands signs (Plotly `separators`, from
    Babel: ".," in English, ",." in German), so hover and bar figures read like the tables."""
    language = current_language()
    separators = get_decimal_symbol(language) + get_group_symbol(language)
    return {
        name: {**figure, "layout": {**figure.get("layout", {}), "separators": separators}}
        for name, figure in figures.items()
    }


# The legend's group names (the domain's LABELS, SPEC §2), in the page's language.
GROUP_NAMES = {
    "self": lazy_gettext("Self"),
    "manager": lazy_gettext("Manager (identifiable)"),
    "peers": lazy_gettext("Peers"),
    "direct_reports": lazy_gettext("Direct reports"),
    "others": lazy_gettext("Others (small groups combined)"),
    "all_others": lazy_gettext("All others (everyone but self)"),
}


def _group_labels(report: SubjectReport) -> dict[str, str]:
    return {g.key: str(GROUP_NAMES.get(g.key, g.label)) for g in report.groups}


def _area_titles(report: SubjectReport, titles: Mapping[str, str] | None) -> list[str]:
    return [label((titles or {}).get(a.key, a.title)) for a in report.areas]


def _two_decimals(value: float) -> str:
    """A figure printed on a chart, as the tables print it (page language's decimal sign)."""
    return format_decimal(value, "0.00", locale=current_language())


def label(text: str) -> str:
    """Return `text` safe for a Plotly label or hover: Plotly renders a subset of HTML (tags,
    entities), so `&`, `<` and `>` become entities, which Plotly shows as the characters."""
    return html.escape(str(text), quote=False)


def _polar(
    titles: list[str],
    scores: list[float | None],
    counts: list[int | None],
    name: str,
    colour: str,
    counted: str,
    visible: bool | str,
) -> dict[str, Any]:
    """A closed polygon: the first point repeated at the end; None stays a gap."""
    return {
        "type": "scatterpolar",
        "r": scores + scores[:1],
        "theta": titles + titles[:1],
        "text": titles + titles[:1],
        "customdata": counts + counts[:1],
        "name": name,
        "legendgroup": colour,
        "visible": visible,
        "mode": "lines+markers",
        "connectgaps": False,
        "cliponaxis": False,
        "line": {
            "color": COLOURS[colour],
            "width": 3 if colour in ("self", "all_others") else 2,
            "dash": {"norm": "dot", "previous": "dash"}.get(colour, "solid"),
        },
        "marker": {"size": 7},
        "hovertemplate": f"%{{text}}: %{{r:.2f}} (%{{customdata}} {counted})"
        "<extra>%{fullData.name}</extra>",
    }


def _hidden_marks(
    titles: list[str],
    scores: list[float | None],
    name: str,
    colour: str,
    scale: Scale,
    visible: bool | str,
) -> dict[str, Any]:
    """An × on the outer ring at each spoke where the group's point is not shown (SPEC §10)."""
    spokes = [t for t, score in zip(titles, scores, strict=True) if score is None]
    return {
        "type": "scatterpolar",
        "r": [_outer(scale)] * len(spokes),
        "theta": spokes,
        "text": spokes,
        "name": gettext("%(group)s: not shown", group=name),
        "legendgroup": colour,
        "showlegend": False,
        "visible": visible,
        "mode": "markers",
        "cliponaxis": False,
        "marker": {
            "symbol": "x-thin-open",
            "size": 11,
            "color": COLOURS[colour],
            "line": {"width": 2, "color": COLOURS[colour]},
        },
        "hovertemplate": "%{text}: "
        + label(gettext("not shown (too few answers to keep them anonymous, or nobody rated it)"))
        + "<extra>%{fullData.name}</extra>",
    }


def _outer(scale: Scale) -> float:
    """The outer ring: a little beyond the scale, so a point at the maximum is never cut."""
    return scale[1] + 0.3


def _bar(
    report: SubjectReport,
    titles: list[str],
    cells: Mapping[str, Any],
    name: str,
    colour: str,
    scale: Scale,
) -> dict[str, Any]:
    """Bars drawn from the scale's minimum: `base` is the minimum, `x` the score above it."""
    scores = [cells[a.key].score if a.key in cells else None for a in report.areas]
    return {
        "type": "bar",
        "y": titles,
        "x": [None if v is None else round(v - scale[0], 2) for v in scores],
        "base": scale[0],
        "text": [None if v is None else _two_decimals(v) for v in scores],
        "textposition": "outside",
        "customdata": [cells[a.key].n if a.key in cells else None for a in report.areas],
        "orientation": "h",
        "name": name,
        "marker": {"color": colour},
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text} (%{customdata} "
        + label(gettext("people"))
        + ")<extra>%{fullData.name}</extra>",
    }


def _polar_layout(titles: list[str], scale: Scale) -> dict[str, Any]:
    # Room beside the circle for the longest spoke label (about 7 px a character at 13 px),
    # so "Eigene Weiterentwicklung" or "Delegation and letting go" is never cut off.
    side = max(130, min(190, 7 * max((len(html.unescape(x)) for x in titles), default=0)))
    return {
        "polar": {
            "radialaxis": {
                "range": [scale[0] - 0.5, _outer(scale)],
                "tickvals": list(range(scale[0], scale[1] + 1)),
                "angle": 90 - 180 / max(len(titles), 1),  # between the first two spokes
                "tickangle": 90 - 180 / max(len(titles), 1),
                "tickfont": {"size": 10, "color": "#5b6575"},
                "showline": False,
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "categoryorder": "array",
                "categoryarray": titles,
                "tickfont": {"size": 13},
            },
        },
        "height": 640,
        "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.06},
        "margin": {"l": side, "r": side, "t": 40, "b": 40},
    }


def _figure(data: list[dict[str, Any]], layout: dict[str, Any], title: str) -> Figure:
    """The figure with the layout every chart shares: title, font, margins, white paper."""
    if title:
        layout["title"] = {"text": title}
    layout |= {
        "font": dict(FONT),
        "margin": {"l": 60, "r": 60, "t": 50 if title else 30, "b": 40} | layout.get("margin", {}),
        "paper_bgcolor": "#ffffff",
        "template": _template(),
    }
    return {"data": data, "layout": layout}


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """Plotly's default template as JSON data (what `Figure.to_json` embeds), built once."""
    import plotly.io as pio
    from plotly.utils import PlotlyJSONEncoder

    template = pio.templates[pio.templates.default].to_plotly_json()
    found: dict[str, Any] = json.loads(json.dumps(template, cls=PlotlyJSONEncoder))
    return found


@lru_cache(maxsize=1)
def _blues() -> list[list[Any]]:
    """Plotly's "Blues" colour scale as explicit stops (plotly.js' own "Blues" differs)."""
    from plotly.colors import get_colorscale

    return [list(stop) for stop in get_colorscale("Blues")]
