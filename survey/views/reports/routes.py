"""Report pages: a subject's released reports, one report, and HR's organisation view (SPEC §8).

Who sees what: a subject sees only their own report once released; HR sees every report once
closed; nobody sees anything computed from answers while a campaign is draft or open. A report
someone may not see is a 404 identical to a report that does not exist. Every page is rendered
from the frozen reports on each request; none writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from babel.numbers import format_decimal
from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from survey import charts
from survey.domain.agreement import effective_spread_min
from survey.domain.anonymity import ALL_OTHERS
from survey.domain.report import AreaScore, SubjectReport
from survey.errorpages import render_error
from survey.errors import InvalidState, NotFound
from survey.extensions import db
from survey.i18n import current_language, gettext, lazy_gettext
from survey.models import Campaign, CampaignStatus, Subject
from survey.services import export as export_service
from survey.services.frozen_reports import RESULT_STATUSES
from survey.services.org_overview import organisation_overview
from survey.services.questionnaires import campaign_content
from survey.services.reports import (
    ReportView,
    find_viewable_subject,
    item_texts,
    question_texts,
    released_subjects,
    report_view,
)
from survey.services.trend import org_trend
from survey.views.reports.wording import (
    PLAIN_NAMES,
    Voice,
    gap_sentence,
    group_sentences,
    no_comparison,
    no_ranking,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")
CSV_DELIMITERS = {"comma": ",", "semicolon": ";"}
NOT_YET = lazy_gettext(
    "Reports become available when the campaign is closed. Nothing computed from answers is "
    "shown while it is open."
)


@bp.get("")
@login_required
def mine() -> Any:
    """A signed-in subject's released reports (HR goes to the organisation view)."""
    if current_user.is_hr:
        return redirect(url_for("reports.organisation_index"))
    return render_template("reports/mine.html", subjects=released_subjects(current_user))


@bp.get("/<int:campaign_id>/<int:subject_id>")
@login_required
def subject_report(campaign_id: int, subject_id: int) -> Any:
    """One subject's report: radar, table, gaps, strengths, comments, norms, readiness."""
    try:
        subject = find_viewable_subject(current_user, campaign_id, subject_id)
    except NotFound:
        return _not_viewable(campaign_id, subject_id)
    to_subject = not current_user.is_hr
    view = report_view(subject, to_subject=to_subject, language=current_language())
    return render_report_page(view, to_subject=to_subject)


def render_report_page(view: ReportView, *, to_subject: bool) -> str:
    """The report page of `view`, worded for the subject (`to_subject`) or for HR."""
    subject = view.subject
    who = gettext("Your report") if to_subject else subject.name
    title = f"{who} · {subject.campaign.name}"
    return render_template("reports/report.html", title=title, **_report_context(view, to_subject))


@bp.get("/organisation")
@login_required
def organisation_index() -> Any:
    """HR: every campaign, with a link to its organisation view once closed."""
    _require_hr()
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    return render_template(
        "reports/organisation_index.html", campaigns=campaigns, ready=RESULT_STATUSES
    )


@bp.get("/organisation/<int:campaign_id>")
@login_required
def organisation(campaign_id: int) -> Any:
    """HR: per level, the org radar, the heatmap of areas by team and response rates."""
    campaign = _hr_campaign(campaign_id)
    levels = organisation_overview(campaign, current_language())
    scale = _scale(campaign)
    figures = {}
    for lv in levels:
        if lv.norms_for_subjects:  # SPEC §10: no norm from fewer managers than the rule allows
            figures[f"org-{lv.level}"] = charts.org_radar_figure(
                lv.areas, lv.norms_for_subjects, scale=scale
            )
        if lv.teams_with_norms:
            figures[f"teams-{lv.level}"] = charts.heatmap_figure(
                lv.areas, lv.teams_with_norms, scale=scale
            )
    subjects = db.session.scalars(
        select(Subject).where(Subject.campaign_id == campaign.id).order_by(Subject.name)
    ).all()
    return render_template(
        "reports/organisation.html",
        campaign=campaign,
        levels=levels,
        subjects=subjects,
        figures=charts.figures_json(figures),
        trend=org_trend(campaign),
    )


@bp.get("/organisation/<int:campaign_id>/export.<fmt>")
@login_required
def export(campaign_id: int, fmt: str) -> Any:
    """HR: download the campaign's shown figures, streamed: the XLSX workbook, or one CSV table
    (`?table=areas|items`, `?delimiter=comma|semicolon`; UTF-8 with BOM)."""
    campaign = _hr_campaign(campaign_id)
    if fmt not in export_service.FORMATS:
        abort(404)
    table = request.args.get("table", "areas")
    delimiter = CSV_DELIMITERS.get(request.args.get("delimiter", "comma"))
    if table not in export_service.TABLES or delimiter is None:
        return render_error(
            400,
            gettext("Unknown export"),
            gettext("Choose the Areas or Items table and a comma or semicolon separator."),
        )
    name = export_service.file_name(campaign, fmt, table)

    def chunks() -> Iterator[bytes]:
        # The body is sent after this view's session has closed: load the campaign anew.
        found = db.session.get_one(Campaign, campaign_id)
        yield from export_service.export_chunks(found, fmt, table, delimiter)

    return Response(
        stream_with_context(chunks()),
        content_type=export_service.FORMATS[fmt],  # names its charset already
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.errorhandler(InvalidState)
def _too_early(error: InvalidState) -> Any:
    return render_error(409, gettext("Not available yet"), str(NOT_YET))


@bp.errorhandler(NotFound)
def _missing(error: NotFound) -> Any:
    return render_error(404)


def _require_hr() -> None:
    if not current_user.is_hr:
        abort(404)


def _hr_campaign(campaign_id: int) -> Campaign:
    _require_hr()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    if campaign.status not in RESULT_STATUSES:
        raise InvalidState(str(NOT_YET))
    return campaign


def _not_viewable(campaign_id: int, subject_id: int) -> Any:
    """HR asking too early learns why; anyone else gets the same 404 as a missing report."""
    subject = db.session.get(Subject, subject_id) if current_user.is_hr else None
    if subject is not None and subject.campaign_id == campaign_id:
        return render_error(409, gettext("Not available yet"), str(NOT_YET))
    return render_error(404)


def _scale(campaign: Campaign) -> tuple[int, int]:
    scale = campaign_content(campaign).scale
    return scale.min, scale.max


def _report_context(view: ReportView, to_subject: bool) -> dict[str, Any]:
    """Everything the report body shows; `cells` holds the dict lookups its tables use."""
    subject, report, content = view.subject, view.report, view.content
    scale = (content.scale.min, content.scale.max)
    voice = Voice(subject.name, to_subject=to_subject)
    titles = {a.key: a.title for a in content.areas}
    figures = {"radar": charts.radar_figure(
        report, scale=scale, norms=view.norms, previous=_previous_trace(view), area_titles=titles
    )}
    if report.gaps:  # without self or others on an area, the page says why instead of a chart
        figures["gaps"] = charts.gap_bar_figure(report, scale=scale, area_titles=titles)
    if view.scored.readiness is not None:
        figures["readiness"] = charts.radar_figure(
            view.scored.readiness, scale=scale, area_titles=titles
        )
    return {
        "view": view,
        "subject": subject,
        "campaign": subject.campaign,
        "report": report,
        "readiness": view.scored.readiness,
        "readiness_title": (
            content.level(view.scored.readiness_level).title if view.scored.readiness_level else ""
        ),
        "level_title": content.level(subject.level).title,
        "titles": titles,
        "texts": item_texts(view, to_subject=to_subject),
        "questions": question_texts(view, to_subject=to_subject),
        "group_sentences": group_sentences(
            report, subject.campaign.min_raters, voice, _asked_groups(view)
        ),
        "no_comparison": no_comparison(report, voice),
        "no_ranking": no_ranking(subject.campaign.min_raters, voice),
        "gap_sentences": [
            s for g in report.gaps if (s := gap_sentence(g, titles.get(g.area, g.area), voice))
        ],
        "voice": voice,
        "spread_min": effective_spread_min(
            subject.campaign.spread_min, subject.campaign.min_raters
        ),
        "scale_mid": format_decimal((scale[0] + scale[1]) / 2, locale=current_language()),
        "previous": view.previous,
        "trend": {(c.area, c.group): c for c in view.previous.trend} if view.previous else {},
        "figures": charts.figures_json(figures),
        "released": subject.campaign.status is CampaignStatus.RELEASED,
        "cells": {
            "report": _cells(report),
            "readiness": _cells(view.scored.readiness),
        },
    }


def _previous_trace(view: ReportView) -> tuple[str, dict[str, AreaScore]] | None:
    """Last campaign's name and its shown All others cells by area, for the radar (SPEC §11)."""
    if view.previous is None:
        return None
    cells = {c.area: c for c in view.previous.report.area_scores if c.group == ALL_OTHERS}
    return view.previous.campaign_name, cells


def _cells(report: SubjectReport | None) -> dict[str, dict[Any, Any]]:
    """Lookups for the tables: (area, group) → area cell, (item, group) → item cell, labels."""
    if report is None:
        return {"by_area": {}, "by_item": {}, "labels": {}}
    return {
        "by_area": {(c.area, c.group): c for c in report.area_scores},
        "by_item": {(c.item, c.group): c for c in report.item_scores},
        "labels": {g.key: str(PLAIN_NAMES.get(g.key, g.label)) for g in report.groups},
    }


def _asked_groups(view: ReportView) -> frozenset[str]:
    """Rater groups whose questionnaire at the subject's level has at least one item."""
    items = view.content.level(view.subject.level).items
    return frozenset(group for item in items for group in item.observers)
