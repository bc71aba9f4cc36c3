"""Questionnaires as a launched campaign asked them: rebuilt from the campaign's snapshot.

A launched campaign's snapshot never changes (SPEC §3), so its content and the questionnaires
built from it are kept per process, keyed by the campaign id and launch instant: a rater's
GET and POST then cost a dictionary look-up, and the snapshot column is read once.

A questionnaire's shape (items, areas, which are required, the scale) does not depend on the
subject's name, so `unnamed_questionnaire` keeps one per level and group with NAME_SLOT where
the name goes: reading a submission and the rater page's cache use it for every subject.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from survey.domain.questionnaire import (
    Content,
    Questionnaire,
    build_questionnaire,
    default_content,
)
from survey.models import Campaign, Subject

# (campaign id, launch instant) → content; a launched snapshot never changes (SPEC §3).
_SNAPSHOTS: dict[tuple[int, datetime], Content] = {}
_MAX_CACHED = 64
# (campaign id, launch instant, level, group, next level?, subject name) → questionnaire
_QUESTIONNAIRES: dict[tuple[int, datetime, str, str, bool, str], Questionnaire] = {}
_MAX_QUESTIONNAIRES = 2048
# Stands for the subject's name in an unnamed questionnaire: private-use characters, which no
# content holds and HTML escaping leaves alone (so a rendered page can take the name later).
NAME_SLOT = "\ue000subject\ue000"


def campaign_content(campaign: Campaign) -> Content:
    """The content a campaign uses: its snapshot once launched, the live files before (SPEC §3)."""
    if campaign.launched_at is not None:  # look before touching the (large) snapshot column
        cached = _SNAPSHOTS.get((campaign.id, campaign.launched_at))
        if cached is not None:
            return cached
    snapshot: dict[str, Any] | None = campaign.questionnaire_snapshot
    if snapshot is None or campaign.launched_at is None:
        return default_content() if snapshot is None else Content.from_snapshot(snapshot)
    if len(_SNAPSHOTS) >= _MAX_CACHED:
        _SNAPSHOTS.clear()
    content = _SNAPSHOTS[(campaign.id, campaign.launched_at)] = Content.from_snapshot(snapshot)
    return content


def questionnaire_for(subject: Subject, rater_group: str) -> Questionnaire:
    """The questionnaire `rater_group` answers about `subject`, worded with the subject's name.

    Built once per launched campaign, level, group, next-level flag and name (it is frozen).
    """
    return _cached(subject, rater_group, subject.name)


def unnamed_questionnaire(subject: Subject, rater_group: str) -> Questionnaire:
    """`questionnaire_for` with NAME_SLOT in place of the subject's name.

    Same items, keys, areas, order and scale as the named one; use it for anything but wording.
    """
    return _cached(subject, rater_group, NAME_SLOT)


def cached_unnamed_questionnaire(
    campaign_id: int, launched_at: datetime, level: str, rater_group: str, next_level: bool
) -> Questionnaire | None:
    """The unnamed questionnaire of a launched campaign if this process built it already."""
    key = (campaign_id, launched_at, level, rater_group, next_level, NAME_SLOT)
    return _QUESTIONNAIRES.get(key)


def _cached(subject: Subject, rater_group: str, name: str) -> Questionnaire:
    campaign: Campaign = subject.campaign
    if campaign.launched_at is None:
        return _build(subject, rater_group, campaign, name)
    key = (campaign.id, campaign.launched_at, subject.level, rater_group,
           subject.include_next_level, name)
    questionnaire = _QUESTIONNAIRES.get(key)
    if questionnaire is None:
        if len(_QUESTIONNAIRES) >= _MAX_QUESTIONNAIRES:
            _QUESTIONNAIRES.clear()
        questionnaire = _QUESTIONNAIRES[key] = _build(subject, rater_group, campaign, name)
    return questionnaire


def _build(subject: Subject, rater_group: str, campaign: Campaign, name: str) -> Questionnaire:
    return build_questionnaire(
        subject.level,
        rater_group,
        include_next_level=subject.include_next_level,
        subject_name=name,
        content=campaign_content(campaign),
    )
