"""Questionnaires as a launched campaign asked them: rebuilt from the campaign's snapshot."""

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


def campaign_content(campaign: Campaign) -> Content:
    """The content a campaign uses: its snapshot once launched, the live files before (SPEC §3)."""
    snapshot: dict[str, Any] | None = campaign.questionnaire_snapshot
    if snapshot is None or campaign.launched_at is None:
        return default_content() if snapshot is None else Content.from_snapshot(snapshot)
    key = (campaign.id, campaign.launched_at)
    content = _SNAPSHOTS.get(key)
    if content is None:
        if len(_SNAPSHOTS) >= _MAX_CACHED:
            _SNAPSHOTS.clear()
        content = _SNAPSHOTS[key] = Content.from_snapshot(snapshot)
    return content


def questionnaire_for(subject: Subject, rater_group: str) -> Questionnaire:
    """The questionnaire `rater_group` answers about `subject`, worded with the subject's name."""
    return build_questionnaire(
        subject.level,
        rater_group,
        include_next_level=subject.include_next_level,
        subject_name=subject.name,
        content=campaign_content(subject.campaign),
    )
