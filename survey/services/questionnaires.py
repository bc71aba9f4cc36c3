"""Questionnaires as a campaign asks them: built from the campaign's content (SPEC §3).

A launched campaign's snapshot never changes, so its parsed content is kept per process, keyed
by campaign id and launch instant (a bounded dictionary of data): reading and parsing the
snapshot costs more than the rest of a rater's page. Questionnaires are built from it on demand.
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

_LAUNCHED: dict[tuple[int, datetime, str | None], Content] = {}
_MAX_LAUNCHED = 64


def campaign_content(campaign: Campaign, language: str | None = None) -> Content:
    """The content a campaign uses: its snapshot once launched, the live files before (SPEC §3),
    worded in `language` when it has that translation (SPEC §14), else in its base language."""
    launched = campaign.launched_at
    key = (campaign.id, launched, language) if launched is not None else None
    if key is not None and key in _LAUNCHED:  # look before reading the (large) snapshot column
        return _LAUNCHED[key]
    if language is not None:
        content = campaign_content(campaign).in_locale(language)
    else:
        snapshot: dict[str, Any] | None = campaign.questionnaire_snapshot
        content = default_content() if snapshot is None else Content.from_snapshot(snapshot)
    if key is not None:
        if len(_LAUNCHED) >= _MAX_LAUNCHED:
            _LAUNCHED.clear()
        _LAUNCHED[key] = content
    return content


def questionnaire_for(
    subject: Subject, rater_group: str, language: str | None = None
) -> Questionnaire:
    """The questionnaire `rater_group` answers about `subject`, worded with the subject's name,
    in `language` when the campaign's content has it (SPEC §14; the keys are the same).

    Raises QuestionnaireError for a level or group the content does not know.
    """
    return build_questionnaire(
        subject.level,
        rater_group,
        include_next_level=subject.include_next_level,
        subject_name=subject.name,
        content=campaign_content(subject.campaign, language),
    )
