"""Stored responses → domain reports: a few set-based queries per batch of subjects (SPEC §7).

Nothing here decides a number or what is visible: it only gathers the domain's inputs (areas in
spoke order, items each group was shown, responses) and calls `build_subject_report`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select

from survey.domain.questionnaire import (
    RATER_GROUPS,
    Content,
    area_items,
    next_level,
    observed_items,
)
from survey.domain.report import SubjectReport, build_subject_report
from survey.domain.scoring import AreaSpec, RaterResponse
from survey.extensions import db
from survey.models import Answer, Campaign, Comment, Response
from survey.services.questionnaires import campaign_content


@dataclass(frozen=True)
class ScoredSubject:
    """A subject's report at their level, and at the next level when the campaign asked for it."""

    report: SubjectReport
    readiness: SubjectReport | None = None
    readiness_level: str | None = None


@dataclass(frozen=True)
class LevelInputs:
    """What the domain needs about one level: areas in spoke order, items shown per group."""

    areas: tuple[AreaSpec, ...]
    observed: dict[str, frozenset[str]]


@dataclass
class CampaignScorer:
    """Scores subjects of one campaign with its snapshot content, `k` and gap threshold."""

    campaign: Campaign
    content: Content = field(init=False)
    _levels: dict[str, LevelInputs] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.content = campaign_content(self.campaign)

    def inputs(self, level: str) -> LevelInputs:
        """Return (and memoise) the domain inputs of `level`."""
        if level not in self._levels:
            areas = tuple(
                AreaSpec(key, title, tuple(items))
                for key, title, items in area_items(level, self.content)
            )
            observed = {
                g: frozenset(observed_items(level, g, self.content)) for g in RATER_GROUPS
            }
            self._levels[level] = LevelInputs(areas, observed)
        return self._levels[level]

    def score(
        self, level: str, include_next_level: bool, responses: Sequence[RaterResponse]
    ) -> ScoredSubject:
        """Return the subject's report (and readiness report) from their responses."""
        report = self._build(level, responses, with_comments=True)
        above = next_level(level) if include_next_level else None
        if above is None:
            return ScoredSubject(report)
        return ScoredSubject(report, self._build(above, responses, with_comments=False), above)

    def _build(
        self, level: str, responses: Sequence[RaterResponse], *, with_comments: bool
    ) -> SubjectReport:
        inputs = self.inputs(level)
        if not with_comments:  # comments belong to the main report only, never shown twice
            responses = [RaterResponse(r.group, r.answers) for r in responses]
        scale = self.content.scale
        return build_subject_report(
            inputs.areas,
            inputs.observed,
            responses,
            k=self.campaign.min_raters,
            gap_threshold=self.campaign.gap_threshold,
            questions=[(q.key, q.other_text) for q in self.content.open_questions],
            scale=(scale.min, scale.max),
        )


def load_responses(subject_ids: Iterable[int]) -> dict[int, list[RaterResponse]]:
    """Return subject id → its submitted responses, read in two queries (answers, comments).

    Response ids are random, so the order says nothing about who answered when (SPEC §6).
    """
    ids = list(subject_ids)
    return _load(Response.subject_id.in_(ids)) if ids else {}


def _load(condition: ColumnElement[bool]) -> dict[int, list[RaterResponse]]:
    answers: dict[str, dict[str, int | None]] = defaultdict(dict)
    owner: dict[str, tuple[int, str]] = {}
    rows = db.session.execute(
        select(Response.subject_id, Response.id, Response.rater_group, Answer.item, Answer.value)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(condition)
    )
    for subject_id, response_id, group, item, value in rows:
        owner[response_id] = (subject_id, group)
        if item is not None:
            answers[response_id][item] = value
    comments: dict[str, dict[str, str]] = defaultdict(dict)
    for response_id, question, text in db.session.execute(
        select(Comment.response_id, Comment.question, Comment.text)
        .join(Response, Comment.response_id == Response.id)
        .where(condition)
    ):
        comments[response_id][question] = text
    found: dict[int, list[RaterResponse]] = defaultdict(list)
    for response_id, (subject_id, group) in owner.items():
        found[subject_id].append(
            RaterResponse(group, answers[response_id], comments.get(response_id, {}))
        )
    return found
