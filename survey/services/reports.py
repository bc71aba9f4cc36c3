"""Reports as users and tools read them: who may see which report, and the SPEC §9 JSON document.

Every figure comes from the subject's frozen domain report (`survey.services.frozen_reports`).
Nothing computed from answers is returned while a campaign is draft or open, no function here
returns an individual response, and none writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from survey.domain.content import Content
from survey.domain.norms import ORG_NORM_MIN_SUBJECTS, AreaNorm, norms_for_subjects
from survey.domain.report import ScoredSubject, SubjectReport
from survey.domain.trend import area_scores_data
from survey.errors import NotFound
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject, User
from survey.services.frozen_reports import frozen_report, level_norms
from survey.services.questionnaires import campaign_content
from survey.services.trend import PreviousReport, previous_report

NO_REPORT = "No such report."
# A report reads its subject's campaign (status, k) and person (e-mail): one query, not three.
WITH_CAMPAIGN_AND_PERSON = (joinedload(Subject.campaign), joinedload(Subject.person))


@dataclass(frozen=True)
class ReportView:
    """Everything a report page shows: the frozen reports, org norms a subject may see, wording."""

    subject: Subject
    scored: ScoredSubject
    content: Content
    norms: dict[str, AreaNorm]
    norm_min_subjects: int = ORG_NORM_MIN_SUBJECTS
    previous: PreviousReport | None = None  # SPEC §11: the latest earlier campaign, if any

    @property
    def report(self) -> SubjectReport:
        """The report at the subject's level."""
        return self.scored.report


def may_view(user: User, subject: Subject) -> bool:
    """True when `user` may read `subject`'s report now (SPEC §5).

    HR: once the campaign is closed or released. A subject: only their own report, only once
    released. Nobody while the campaign is draft or open.
    """
    return _may_view(user, subject.campaign.status, subject.person_id)


def _may_view(user: User, status: CampaignStatus, person_id: int) -> bool:
    if user.is_hr:
        return status in (CampaignStatus.CLOSED, CampaignStatus.RELEASED)
    return status is CampaignStatus.RELEASED and person_id == user.person_id


def find_viewable_subject(user: User, campaign_id: int, subject_id: int) -> Subject:
    """Return the subject if `user` may read its report; else NotFound, the same for every case.

    The same error whether the subject does not exist, belongs to another campaign or another
    person, or is not yet viewable, so changing ids in a URL reveals nothing. Loads the
    subject with its campaign and person in one query.
    """
    viewable_subject_id(user, campaign_id, subject_id=subject_id)
    subject = db.session.get(Subject, subject_id, options=WITH_CAMPAIGN_AND_PERSON)
    if subject is None:  # deleted in between
        raise NotFound(NO_REPORT)
    return subject


def viewable_subject_id(
    user: User, campaign_id: int, *, subject_id: int | None = None, email: str | None = None
) -> int:
    """The id of the campaign's subject (by id or e-mail) whose report `user` may read now.

    One query of plain columns whatever the answer, and no object loaded: a missing subject
    and one `user` may not see cost the same work and raise the same NotFound, so neither
    the answer nor its timing tells them apart (issue 20).
    """
    query = (
        select(Subject.id, Subject.campaign_id, Subject.person_id, Campaign.status)
        .join(Campaign, Campaign.id == Subject.campaign_id)
        .where(Subject.campaign_id == campaign_id)
    )
    if email is not None:
        query = query.join(Person, Person.id == Subject.person_id).where(
            Person.email == email.strip().lower()
        )
    else:
        query = query.where(Subject.id == subject_id)
    row = db.session.execute(query).first()
    if row is None or not _may_view(user, row.status, row.person_id):
        raise NotFound(NO_REPORT)
    return int(row.id)


def find_subject_by_email(campaign_id: int, email: str) -> Subject:
    """Return the campaign's subject with that e-mail (case-insensitive); NotFound otherwise."""
    subject: Subject | None = db.session.scalar(
        select(Subject)
        .join(Person, Subject.person_id == Person.id)
        .options(*WITH_CAMPAIGN_AND_PERSON)
        .where(Subject.campaign_id == campaign_id, Person.email == email.strip().lower())
    )
    if subject is None:
        if db.session.get(Campaign, campaign_id) is None:
            raise NotFound(f"no campaign with id {campaign_id}")
        raise NotFound(f"{email} is not a subject of campaign {campaign_id}")
    return subject


def released_subjects(user: User) -> list[Subject]:
    """Return the signed-in subject's own subjects in released campaigns, newest first."""
    if user.person_id is None:
        return []
    return list(
        db.session.scalars(
            select(Subject)
            .join(Campaign, Subject.campaign_id == Campaign.id)
            .where(
                Subject.person_id == user.person_id,
                Campaign.status == CampaignStatus.RELEASED,
            )
            .order_by(func.coalesce(Campaign.released_at, Campaign.created_at).desc())
        )
    )


def report_view(
    subject: Subject, *, to_subject: bool = False, language: str | None = None
) -> ReportView:
    """Return the report page's data; raises InvalidState while the campaign is draft or open.

    `previous` is the subject's latest earlier campaign with the change since (SPEC §11); read
    by the subject (`to_subject`), only a campaign released to them. Its norms are only those
    at least `ORG_NORM_MIN_SUBJECTS` subjects contribute to, so nobody
    can subtract their own score from a norm to learn a colleague's (`norms_for_subjects`).
    Its `content` is worded in `language` where the campaign's snapshot has that translation
    (SPEC §14), else in the base language; keys and figures are the same in every language.
    """
    scored = frozen_report(subject)
    previous = previous_report(subject, scored.report, to_subject=to_subject)
    content = campaign_content(subject.campaign, language)
    return ReportView(subject, scored, content, _subject_norms(subject), previous=previous)


def report_document(subject: Subject, *, to_subject: bool = False) -> dict[str, Any]:
    """Return the SPEC §9 report JSON of one subject (also `report --format json`).

    `to_subject`: the subject's own call, so strength and development `text` speak to them as
    "you" (SPEC §10); anyone else reads the wording with the subject's name. Numbers are the
    same either way.

    Keys: campaign {id, name, status, min_raters}, subject {name, email, level}, scale {min, max,
    labels}, areas, groups, area_scores, item_scores, gaps, strengths, development, comments;
    extra keys `readiness` (null or {level, areas, groups, area_scores, item_scores, gaps,
    strengths, development}), `org_norms` [{area, score, n}] (only areas whose norm has
    n >= ORG_NORM_MIN_SUBJECTS subjects) and `comments_removed` (how many comments HR removed
    before release; never which). SPEC §11: `previous` (null or {campaign {id, name},
    area_scores [{area, group, score, n}]}: the latest earlier campaign's shown cells; for the
    subject (`to_subject`) only a campaign released to them) and `trend` [{area, group, previous,
    current, delta}] (cells shown in both; delta = current − previous). Scores are rounded half
    up to 2 decimals; a shown cell of an anonymous group or all_others with n ≥ spread_min also
    has `sd` and `agreement` (SPEC §10) when no pooled part could be solved by subtraction
    (`survey.domain.agreement`), others have neither key. Raises InvalidState while the
    campaign is draft or open.
    """
    view = report_view(subject, to_subject=to_subject)
    subject, scale = view.subject, view.content.scale
    campaign, readiness = subject.campaign, view.scored.readiness
    texts = item_texts(view, to_subject=to_subject)
    document: dict[str, Any] = {
        "campaign": {
            "id": campaign.id,
            "name": campaign.name,
            "status": campaign.status.value,
            "min_raters": campaign.min_raters,
        },
        "subject": {"name": subject.name, "email": subject.person.email, "level": subject.level},
        "scale": {"min": scale.min, "max": scale.max, "labels": scale.to_json()["labels"]},
        **_with_texts(view.report.to_json_parts(), texts),
        "comments_removed": subject.comments_removed,
        "readiness": None,
    }
    if readiness is not None:
        parts = _with_texts(readiness.to_json_parts(), texts)
        del parts["comments"]
        document["readiness"] = {"level": view.scored.readiness_level, **parts}
    document["org_norms"] = [norm.to_data() for norm in view.norms.values()]
    document |= _trend_parts(view.previous)
    return document


def _trend_parts(previous: PreviousReport | None) -> dict[str, Any]:
    """The SPEC §11 keys `previous` and `trend` of the report JSON."""
    if previous is None:
        return {"previous": None, "trend": []}
    return {
        "previous": {
            "campaign": {"id": previous.campaign_id, "name": previous.campaign_name},
            "area_scores": area_scores_data(previous.report.area_scores),
        },
        "trend": [vars(cell) | {} for cell in previous.trend],
    }


def _subject_norms(subject: Subject) -> dict[str, AreaNorm]:
    """The org norms a subject-facing channel shows (n >= ORG_NORM_MIN_SUBJECTS subjects)."""
    return norms_for_subjects(level_norms(subject.campaign, subject.level))


def item_texts(view: ReportView, *, to_subject: bool = False) -> dict[str, str]:
    """Return item key → its wording in the report: "you" for the subject (SPEC §10), else
    the wording other raters read about the subject, name filled in."""
    subject, above = view.subject, view.scored.readiness_level
    levels = [subject.level] + ([above] if above else [])
    return {
        item.key: item.you_wording if to_subject else item.text_for("manager", subject.name)
        for level in levels
        for item in view.content.level(level).items
    }


def question_texts(view: ReportView, *, to_subject: bool = False) -> dict[str, str]:
    """Return open-question key → its wording as a comment heading, worded as `item_texts`."""
    name = view.subject.name
    return {
        q.key: q.you_wording if to_subject else q.text_for("manager", name)
        for q in view.content.open_questions
    }


def _with_texts(parts: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The parts with each strength and development entry's item wording added as `text`."""
    for key in ("strengths", "development"):
        parts[key] = [entry | {"text": texts.get(entry["item"], "")} for entry in parts[key]]
    return parts
