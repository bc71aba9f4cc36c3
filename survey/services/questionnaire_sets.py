"""Questionnaire sets: generate from a document, edit the draft, save versions, export, and the
content a campaign launches with (issue 21, SPEC §3). Adds/flushes; the caller commits.

The built-in set is the shipped content folder (`load_content()`); it is never stored. A set's
draft is content as plain data (`survey.domain.content_edit`); a saved version is always valid
and never changes; a campaign copies the latest version into its snapshot at launch.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey.domain.content import Content, ContentError
from survey.domain.content_edit import content_problems
from survey.domain.content_loader import load_content
from survey.domain.content_toml import content_files
from survey.domain.generator import generate_draft
from survey.errors import NotFound, SurveyError
from survey.extensions import db
from survey.models import Campaign
from survey.models_questionnaire_sets import QuestionnaireSet, QuestionnaireSetVersion

BUILT_IN_NAME = "Built-in questionnaire"
MAX_NAME = 200


class SetError(SurveyError):
    """A set name that cannot be used, or a set that cannot be launched with."""


def list_sets() -> Sequence[QuestionnaireSet]:
    """Every stored set, by name, with its versions (one query for all sets' versions)."""
    query = (
        select(QuestionnaireSet)
        .options(selectinload(QuestionnaireSet.versions))
        .order_by(QuestionnaireSet.name)
    )
    return db.session.scalars(query).all()


def get_set(set_id: int) -> QuestionnaireSet:
    """The set with this id; raises NotFound."""
    found = db.session.get(QuestionnaireSet, set_id)
    if found is None:
        raise NotFound(f"no questionnaire set {set_id}")
    return found


def built_in_content() -> Content:
    """The shipped content (SURVEY_QUESTIONNAIRES or questionnaires/); raises ContentError."""
    return load_content()


def create_set(name: str, document: str, source_name: str, now: datetime) -> QuestionnaireSet:
    """A new set whose draft is generated from a levels document over the built-in content.

    Raises DocumentError (naming the lines at fault) or SetError for a bad or taken name;
    nothing is stored then.
    """
    draft = generate_draft(document, built_in_content())
    return _add_set(name or draft.title, source_name, draft.content, draft.notes, now)


def copy_built_in(name: str, now: datetime) -> QuestionnaireSet:
    """A new set whose draft is the built-in content, to adapt; raises SetError for the name.

    The set is in the base language only: the editor edits one language, and a translation
    left behind by an edit would stop the set from launching (SPEC §14)."""
    draft = built_in_content().without_translations().to_snapshot()
    return _add_set(name, "", draft, {}, now)


def _add_set(
    name: str, source_name: str, draft: dict[str, Any], notes: dict[str, str], now: datetime
) -> QuestionnaireSet:
    questionnaire_set = QuestionnaireSet(
        name=_free_name(name),
        source_name=source_name[:255],
        draft=draft,
        notes=notes,
        created_at=now,
        updated_at=now,
    )
    db.session.add(questionnaire_set)
    db.session.flush()
    return questionnaire_set


def _free_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise SetError(f"a questionnaire set needs a name of 1 to {MAX_NAME} characters")
    if name.casefold() == BUILT_IN_NAME.casefold():
        raise SetError(f"“{BUILT_IN_NAME}” is the shipped set's name: choose another")
    taken = select(func.count()).where(func.lower(QuestionnaireSet.name) == name.lower())
    if db.session.scalar(taken):
        raise SetError(f"there is already a questionnaire set named “{name}”")
    return name


def update_draft(
    questionnaire_set: QuestionnaireSet,
    draft: Mapping[str, Any],
    now: datetime,
    *,
    done: Sequence[str] = (),
) -> None:
    """Replace the set's draft; the notes of the item keys in `done` are dropped (written)."""
    questionnaire_set.draft = dict(draft)
    questionnaire_set.notes = {
        key: note for key, note in (questionnaire_set.notes or {}).items() if key not in done
    }
    questionnaire_set.updated_at = now
    db.session.flush()


def latest_version(questionnaire_set: QuestionnaireSet) -> QuestionnaireSetVersion | None:
    """The set's newest saved version, or None before the first save."""
    return questionnaire_set.versions[-1] if questionnaire_set.versions else None


def has_unsaved_changes(questionnaire_set: QuestionnaireSet) -> bool:
    """True when the draft differs from the newest saved version (or nothing is saved)."""
    latest = latest_version(questionnaire_set)
    return latest is None or _same(latest.content) != _same(questionnaire_set.draft)


def _same(data: Mapping[str, Any]) -> dict[str, Any]:
    """Content data as it compares: through a Content round trip when it is valid."""
    try:
        return Content.from_snapshot(data).to_snapshot()
    except ContentError:
        return dict(data)


def save_version(questionnaire_set: QuestionnaireSet, now: datetime) -> QuestionnaireSetVersion:
    """Save the draft as the next version; raises ContentError (every problem, the messages
    of `questionnaire check`) while the draft is invalid or notes remain."""
    content = Content.from_snapshot(questionnaire_set.draft)
    latest = latest_version(questionnaire_set)
    version = QuestionnaireSetVersion(
        number=(latest.number + 1) if latest else 1, content=content.to_snapshot(), saved_at=now
    )
    questionnaire_set.versions.append(version)
    questionnaire_set.updated_at = now
    db.session.flush()
    return version


def draft_problems(questionnaire_set: QuestionnaireSet) -> list[str]:
    """What `questionnaire check` would say about the draft, one `FILE: KEY: reason` each."""
    return [str(problem) for problem in content_problems(questionnaire_set.draft)]


def launchable_sets() -> list[tuple[int, str]]:
    """(id, "name (version N)") of every set with a saved version, for choosing a set."""
    return [
        (s.id, f"{s.name} (version {latest.number})")
        for s in list_sets()
        if (latest := latest_version(s)) is not None
    ]


def check_launchable(set_id: int | None) -> None:
    """Raise SetError unless `set_id` is None (built-in) or a set with a saved version."""
    if set_id is None:
        return
    found = db.session.get(QuestionnaireSet, set_id)
    if found is None or latest_version(found) is None:
        raise SetError("choose a questionnaire set that has a saved version")


def launch_snapshot(campaign: Campaign) -> dict[str, Any]:
    """The snapshot a campaign launches with (SPEC §3): its set's latest version, whose number
    is noted on the campaign, or the built-in set. Raises SetError, ContentError."""
    if campaign.questionnaire_set_id is None:
        campaign.questionnaire_version = None
        return built_in_content().to_snapshot()
    check_launchable(campaign.questionnaire_set_id)
    latest = latest_version(get_set(campaign.questionnaire_set_id))
    assert latest is not None
    campaign.questionnaire_version = latest.number
    return Content.from_snapshot(latest.content).to_snapshot()


def campaign_set_label(campaign: Campaign) -> str:
    """The set a campaign uses in words: "Acme framework, version 2" or the built-in name."""
    if campaign.questionnaire_set_id is None:
        return BUILT_IN_NAME
    name = get_set(campaign.questionnaire_set_id).name
    version = campaign.questionnaire_version
    return f"{name}, version {version}" if version is not None else f"{name} (latest version)"


def toml_zip(data: Mapping[str, Any], notes: Mapping[str, str], folder: str, source: str) -> bytes:
    """A zip of the content folder as TOML (`folder/<file>.toml`), for `questionnaire check`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in content_files(data, notes, source).items():
            archive.writestr(f"{folder}/{name}", text)
    return buffer.getvalue()
