"""Development plans (SPEC §12): written by the subject on a released report, private to them,
shared with their manager (the org chart's) only when they tick the box; an org-chart import
that gives them another manager unshares it (`survey.services.orgchart`).

HR reads only how many subjects have a plan (`count_plans`); no function here gives HR a plan.
Services add and flush; the view commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from survey.domain.anonymity import ALL_OTHERS
from survey.domain.plans import (
    AREA,
    ITEM,
    FocusChoice,
    check_actions,
    check_focus,
    check_target_date,
    focus_key,
)
from survey.domain.wording import second_person
from survey.errors import NotFound
from survey.extensions import db
from survey.i18n import gettext, in_language
from survey.mail import OutgoingMail, compose
from survey.models import Campaign, CampaignStatus, Person, Subject, User
from survey.models_plans import DevelopmentPlan
from survey.services.accounts import SIGN_IN, ensure_subject_users, issue_link_token, link_url
from survey.services.reports import WITH_CAMPAIGN_AND_PERSON, ReportView, item_texts, report_view

NO_PLAN = "No such development plan."


@dataclass(frozen=True)
class FocusScore:
    """A focus choice with its current All others score (None when the report hides it)."""

    choice: FocusChoice
    score: float | None
    n: int | None


def own_released_subject(user: User, subject_id: int) -> Subject:
    """The signed-in subject's own report row in a released campaign; NotFound otherwise
    (the same for a missing row, someone else's and one not yet released)."""
    subject = db.session.get(Subject, subject_id, options=WITH_CAMPAIGN_AND_PERSON)
    if (
        subject is None
        or user.is_hr
        or subject.person_id != user.person_id
        or subject.campaign.status is not CampaignStatus.RELEASED
    ):
        raise NotFound(NO_PLAN)
    return subject


def focus_choices(view: ReportView, *, to_subject: bool = False) -> dict[str, FocusChoice]:
    """`area:<key>` and `item:<key>` → choice, every area of the report then its items.

    Items are worded about the subject by name, as raters read them; to the subject
    (`to_subject`) in the second person (SPEC §10).
    """
    texts = _you_texts(view) if to_subject else item_texts(view)
    titles = {a.key: a.title for a in view.content.areas}  # in the view's language
    choices: dict[str, FocusChoice] = {}
    for area in view.report.areas:
        key = focus_key(AREA, area.key)
        choices[key] = FocusChoice(key, titles.get(area.key, area.title), area.key)
        for item in area.items:
            key = focus_key(ITEM, item)
            choices[key] = FocusChoice(key, texts.get(item, item), area.key)
    return choices


def _you_texts(view: ReportView) -> dict[str, str]:
    """Item key → its wording in the subject's own report ("You ...")."""
    items = view.content.level(view.subject.level).items
    return {item.key: item.you_text or second_person(item.self_text) for item in items}


def focus_scores(view: ReportView, focus: Sequence[str]) -> list[FocusScore]:
    """Each focus key of a plan with its current All others score and n (SPEC §12), worded
    for the subject."""
    choices = focus_choices(view, to_subject=True)
    areas = {c.area: c for c in view.report.area_scores if c.group == ALL_OTHERS}
    items = {c.item: c for c in view.report.item_scores if c.group == ALL_OTHERS}
    found = []
    for key in focus:
        if key not in choices:
            continue
        kind, _, name = key.partition(":")
        cell = areas.get(name) if kind == AREA else items.get(name)
        score = (cell.score, cell.n) if cell is not None else (None, None)
        found.append(FocusScore(choices[key], *score))
    return found


def find_plan(subject: Subject) -> DevelopmentPlan | None:
    """The subject's plan on this report, or None."""
    return db.session.scalar(
        select(DevelopmentPlan).where(DevelopmentPlan.subject_id == subject.id)
    )


def save_plan(
    subject: Subject,
    *,
    focus: Sequence[str],
    actions: str,
    target_date: date,
    share_with_manager: bool,
    now: datetime,
) -> tuple[DevelopmentPlan, bool]:
    """Write the subject's plan (created or replaced); returns it and whether it has just been
    shared with the manager (so the caller tells them). PlanError for a plan that breaks a rule
    (1–3 focus keys of this report, actions 1–5000 characters, a target date not yet past)."""
    view = report_view(subject, to_subject=True)
    chosen = check_focus(focus, focus_choices(view))
    text = check_actions(actions)
    target = check_target_date(target_date, now.date())
    plan = find_plan(subject) or DevelopmentPlan(subject=subject, created_at=now)
    newly_shared = share_with_manager and not plan.share_with_manager
    plan.focus, plan.actions, plan.target_date = chosen, text, target
    plan.share_with_manager, plan.updated_at = share_with_manager, now
    db.session.add(plan)
    db.session.flush()
    return plan, newly_shared


def shared_plan_mails(plan: DevelopmentPlan, now: datetime) -> list[OutgoingMail]:
    """Tell the subject's manager a plan was shared with them, with a one-time sign-in link
    (an account is made for them if they have none). No plan text is in the e-mail."""
    manager = manager_of(plan.subject)
    if manager is None:
        return []
    (user,) = ensure_subject_users([manager])
    token = issue_link_token(user, SIGN_IN, now)
    with in_language(manager.language):
        return [
            compose(
                "plan_shared",
                to=manager.email,
                subject=gettext(
                    "%(name)s shared their development plan with you", name=plan.subject.name
                ),
                manager_name=manager.name,
                name=plan.subject.name,
                link=link_url(token),
                plans_path="/plans/shared",
            )
        ]


def manager_of(subject: Subject) -> Person | None:
    """The subject's manager in the org chart now, or None."""
    return subject.person.manager


def shared_plans(user: User) -> list[DevelopmentPlan]:
    """Plans shared with `user` by the people they manage in the org chart, newest first."""
    if user.person_id is None or user.is_hr:
        return []
    return list(
        db.session.scalars(
            _shared_with(user).order_by(DevelopmentPlan.updated_at.desc(), DevelopmentPlan.id)
        )
    )


def shared_plan(user: User, plan_id: int) -> DevelopmentPlan:
    """One plan shared with `user`; NotFound (the same for every reason) otherwise."""
    if user.person_id is None or user.is_hr:
        raise NotFound(NO_PLAN)
    plan: DevelopmentPlan | None = db.session.scalars(
        _shared_with(user).where(DevelopmentPlan.id == plan_id)
    ).first()
    if plan is None:
        raise NotFound(NO_PLAN)
    return plan


def _shared_with(user: User) -> Select[DevelopmentPlan]:
    return (
        select(DevelopmentPlan)
        .join(Subject, Subject.id == DevelopmentPlan.subject_id)
        .join(Person, Person.id == Subject.person_id)
        .join(Campaign, Campaign.id == Subject.campaign_id)
        .options(joinedload(DevelopmentPlan.subject).options(*WITH_CAMPAIGN_AND_PERSON))
        .where(
            DevelopmentPlan.share_with_manager.is_(True),
            Person.manager_id == user.person_id,
            Campaign.status == CampaignStatus.RELEASED,
        )
    )


def count_plans(campaign: Campaign) -> int:
    """How many of the campaign's subjects have a plan: all HR ever learns of plans."""
    return int(
        db.session.scalar(
            select(func.count(DevelopmentPlan.id))
            .join(Subject, Subject.id == DevelopmentPlan.subject_id)
            .where(Subject.campaign_id == campaign.id)
        )
        or 0
    )
