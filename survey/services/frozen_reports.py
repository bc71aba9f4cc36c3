"""Frozen results: each subject's report computed at close, stored once, and read back (SPEC §5).

A closed campaign accepts no answers and never reopens, so its reports cannot change.
`freeze_reports` (run by `survey.services.lifecycle.close_campaign`, or after a close from the
HR page by `survey.tasks.freeze_reports` in the RQ worker or a thread of the web process,
resumed by `survey tick` if cut short) computes every subject's domain
report from the stored responses and stores it as one JSON document (`ReportSnapshot`), then
each level's organisation norms, computed from those reports by `survey.domain.norms`
(`OrgNorms`). Every channel reads these back through the domain's `from_data`.

Reading never writes. A report whose document is missing (the campaign was closed without
freezing and the job has not run yet) or was stored under an older `FORMAT` is computed in
memory for that read and not stored; so are norms missing or of an older format. Nothing is
computed from answers while a campaign is draft or open (`require_results`).

Nothing here decides a number or what is visible: it gathers the domain's inputs (areas in
spoke order, items each group was shown, and the answers summed per group by four GROUP BY or
plain queries: response counts, item tallies, each rater's per-area sum and answered items,
comments) and calls `build_report_from_answers`. Close reads the answers set-wise in one
streamed pass over the campaign (`CampaignScorer.stream`), never per subject.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby, islice
from operator import itemgetter
from typing import Any, TypeGuard, TypeVar

from sqlalchemy import Connection, and_, case, delete, func, insert, or_, select, update

from survey.domain.norms import AreaNorm, NormSums
from survey.domain.questionnaire import (
    LEVELS,
    RATER_GROUPS,
    Content,
    area_items,
    next_level,
    observed_items,
)
from survey.domain.report import (
    ScoredSubject,
    SubjectReport,
    build_report_from_answers,
)
from survey.domain.scoring import AreaAnswers, AreaSpec, GroupAnswers, Tally
from survey.errors import InvalidState
from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    OrgNorms,
    Person,
    ReportSnapshot,
    Response,
    Subject,
)
from survey.services.questionnaires import campaign_content

RESULT_STATUSES = (CampaignStatus.CLOSED, CampaignStatus.RELEASED)
FORMAT = 5  # 2: area scores pooled from shown item cells (SPEC §7.6); 3: strengths need n ≥ k;
# 4: sd/agreement on cells with n ≥ spread_min, no strength below the scale midpoint (SPEC §10);
# 5: no all-others sd over a manager cell of two answers (it would split them)
BATCH = 200  # subjects whose responses or stored documents are read at once
STREAM_ROWS = 2000  # rows fetched at a time from each of close's streamed queries
T = TypeVar("T")
Norms = dict[str, AreaNorm]
Absorb = Callable[["SubjectAnswers", list[Any]], None]  # adds one query's rows to a subject


def require_results(campaign: Campaign) -> None:
    """Raise InvalidState unless the campaign is closed or released (SPEC §5: none while open)."""
    if campaign.status not in RESULT_STATUSES:
        raise InvalidState(
            f"campaign {campaign.id} is {campaign.status.value}; reports exist only once it is "
            "closed"
        )


@dataclass(frozen=True)
class LevelInputs:
    """What the domain needs about one level: areas in spoke order, items shown per group."""

    areas: tuple[AreaSpec, ...]
    observed: dict[str, frozenset[str]]


@dataclass
class SubjectAnswers:
    """One subject's submitted answers, summed by the database: per rater group its response
    count, item tallies of numeric answers, each rater's sum and answered items per area (tagged
    with the level the items belong to: a readiness section scores the next level's) and its
    comments."""

    responses: dict[str, int] = field(default_factory=dict)
    items: dict[str, dict[str, Tally]] = field(default_factory=dict)
    raters: dict[str, list[tuple[str, AreaAnswers]]] = field(default_factory=dict)
    comments: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def groups(self, level: str, *, with_comments: bool) -> dict[str, GroupAnswers]:
        """Return group → its answers on the items of `level`, for the domain."""
        return {
            group: GroupAnswers(
                count,
                self.items.get(group, {}),
                [a for lv, a in self.raters.get(group, ()) if lv == level],
                self.comments.get(group, ()) if with_comments else (),
            )
            for group, count in self.responses.items()
        }


@dataclass
class CampaignScorer:
    """Scores subjects of one campaign with its snapshot content, `k` and gap threshold."""

    campaign: Campaign
    reader: Connection | None = None  # where answers are read; default: the session's
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

    def score(self, level: str, include_next_level: bool, answers: SubjectAnswers) -> ScoredSubject:
        """Return the subject's report (and readiness report) from their summed answers."""
        report = self._build(level, answers.groups(level, with_comments=True))
        above = next_level(level) if include_next_level else None
        if above is None:
            return ScoredSubject(report)
        # comments belong to the main report only, never shown twice
        readiness = self._build(above, answers.groups(above, with_comments=False))
        return ScoredSubject(report, readiness, above)

    def _build(self, level: str, groups: dict[str, GroupAnswers]) -> SubjectReport:
        inputs = self.inputs(level)
        scale = self.content.scale
        return build_report_from_answers(
            inputs.areas,
            inputs.observed,
            groups,
            k=self.campaign.min_raters,
            gap_threshold=self.campaign.gap_threshold,
            questions=[(q.key, q.other_text) for q in self.content.open_questions],
            scale=(scale.min, scale.max),
            spread_min=self.campaign.spread_min,
        )

    def load(self, subject_ids: Iterable[int]) -> dict[int, SubjectAnswers]:
        """Return subject id → its summed answers, in four GROUP BY or plain queries (response
        counts, item tallies, rater sums per area, comments) whatever the number of subjects.

        Nothing per rater leaves the database but, per area, a sum and the keys answered; the
        comments of a group carry no response id and come in no meaningful order (SPEC §6).
        """
        ids = list(subject_ids)
        if not ids:
            return {}
        found: dict[int, SubjectAnswers] = defaultdict(SubjectAnswers)
        for subject_id, absorb, rows in self._rows(Response.subject_id.in_(ids), ordered=False):
            absorb(found[subject_id], rows)
        return found

    def stream(self, level: str | None = None) -> Iterator[tuple[int, SubjectAnswers]]:
        """Yield (subject id, summed answers) for every subject of the campaign (of `level`
        only, if given) that has a response, by subject id.

        The same four queries as `load`, each over the whole campaign in one pass ordered by
        subject and read as it streams (a server-side cursor on PostgreSQL), merged here: one
        subject's sums in memory at a time, each answer read once whatever the campaign's size.
        """
        where = Response.campaign_id == self.campaign.id
        if level is not None:
            of_level = select(Subject.id).where(
                Subject.campaign_id == self.campaign.id, Subject.level == level
            )
            where = and_(where, Response.subject_id.in_(of_level))
        current: int | None = None
        answers = SubjectAnswers()
        for subject_id, absorb, rows in self._rows(where, ordered=True):
            if subject_id != current:
                if current is not None:
                    yield current, answers
                current, answers = subject_id, SubjectAnswers()
            absorb(answers, rows)
        if current is not None:
            yield current, answers

    def _rows(self, where: Any, *, ordered: bool) -> Iterator[tuple[int, Absorb, list[Any]]]:
        """Yield (subject id, how rows add to its sums, that subject's rows of one query) from
        the four queries; `ordered`: merged by subject id, each streamed, else one by one."""
        numeric = (Answer.value.is_not(None), where)
        answered_sets: dict[str, frozenset[str]] = {}

        def counts(found: SubjectAnswers, rows: list[Any]) -> None:
            for _, group, count in rows:
                found.responses[group] = count

        def items(found: SubjectAnswers, rows: list[Any]) -> None:
            for _, group, key, total, total_sq, n in rows:
                cells = found.items.setdefault(group, {})
                cells[key] = Tally(int(total or 0), n, 0, int(total_sq or 0))

        def raters(found: SubjectAnswers, rows: list[Any]) -> None:
            for _, group, level, area, total, keys in rows:
                answered = answered_sets.get(keys)
                if answered is None:
                    answered = answered_sets[keys] = frozenset(keys.split(","))
                found.raters.setdefault(group, []).append(
                    (level, AreaAnswers(area, total, answered))
                )

        def comments(found: SubjectAnswers, rows: list[Any]) -> None:
            for _, group, question, text in rows:
                found.comments.setdefault(group, []).append((question, text))

        queries: list[tuple[Any, Absorb]] = [
            (
                select(Response.subject_id, Response.rater_group, func.count())
                .where(where)
                .group_by(Response.subject_id, Response.rater_group),
                counts,
            ),
            (
                select(
                    Response.subject_id,
                    Response.rater_group,
                    Answer.item,
                    func.sum(Answer.value),
                    func.sum(Answer.value * Answer.value),
                    func.count(Answer.value),
                )
                .join(Answer, Answer.response_id == Response.id)
                .where(*numeric)
                .group_by(Response.subject_id, Response.rater_group, Answer.item),
                items,
            ),
            (self._rater_areas(numeric), raters),
            (
                select(Response.subject_id, Response.rater_group, Comment.question, Comment.text)
                .join(Comment, Comment.response_id == Response.id)
                .where(where),
                comments,
            ),
        ]
        # Core rows: no ORM result layer per row
        connection = self.reader if self.reader is not None else db.session.connection()
        if not ordered:
            for query, absorb in queries:
                for subject_id, rows in groupby(connection.execute(query), key=itemgetter(0)):
                    yield subject_id, absorb, list(rows)
            return
        def by_subject(
            position: int, query: Any, absorb: Absorb
        ) -> Iterator[tuple[int, int, Absorb, list[Any]]]:
            ordered = query.order_by(query.selected_columns[0])
            rows = connection.execute(
                ordered.execution_options(stream_results=True, yield_per=STREAM_ROWS)
            )
            for subject_id, group in groupby(rows, key=itemgetter(0)):
                yield subject_id, position, absorb, list(group)

        streams = [by_subject(position, *q) for position, q in enumerate(queries)]
        for subject_id, _, absorb, merged in heapq.merge(*streams, key=itemgetter(0, 1)):
            yield subject_id, absorb, merged

    def _rater_areas(self, where: tuple[Any, ...]) -> Any:
        """Each rater's numeric answers per area and level: sum and the item keys answered."""
        level_of = case(
            *[
                (Answer.item.in_([i.key for i in self.content.level(lv).items]), lv)
                for lv in LEVELS
            ],
            else_="",
        )
        tagged = (
            select(
                Response.id.label("response"),
                Response.subject_id,
                Response.rater_group,
                level_of.label("level"),
                Answer.area,
                Answer.item,
                Answer.value,
            )
            .join(Answer, Answer.response_id == Response.id)
            .where(*where)
            .subquery()
        )
        return select(
            tagged.c.subject_id,
            tagged.c.rater_group,
            tagged.c.level,
            tagged.c.area,
            func.sum(tagged.c.value),
            func.aggregate_strings(tagged.c.item, ","),
        ).group_by(
            tagged.c.response,
            tagged.c.subject_id,
            tagged.c.rater_group,
            tagged.c.level,
            tagged.c.area,
        )


def frozen_report(subject: Subject) -> ScoredSubject:
    """Return the subject's frozen report (and readiness report).

    Read from the store; computed in memory, and not stored, when the stored document is
    missing or of an older `FORMAT`. Raises InvalidState while the campaign is draft or open.
    """
    require_results(subject.campaign)
    document = db.session.scalar(
        select(ReportSnapshot.document).where(ReportSnapshot.subject_id == subject.id)
    )
    if _current(document):
        return ScoredSubject.from_data(document)
    scorer = CampaignScorer(subject.campaign)
    answers = scorer.load([subject.id]).get(subject.id, SubjectAnswers())
    return scorer.score(subject.level, subject.include_next_level, answers)


@dataclass(frozen=True)
class SubjectRow:
    """A subject as exports and norms show it: current name and e-mail, team as at close (the
    person's team now when the report is not frozen yet)."""

    id: int
    name: str
    email: str
    level: str
    team: str
    include_next_level: bool


@dataclass(frozen=True)
class FrozenSubject:
    """A subject with its frozen report; `stored` says whether it was read from the store."""

    subject: SubjectRow
    scored: ScoredSubject
    stored: bool


def campaign_reports(
    campaign: Campaign, level: str | None = None, reader: Connection | None = None
) -> Iterator[FrozenSubject]:
    """Yield every subject of the campaign (of `level` only, if given) with its frozen report,
    by subject id.

    Reads `BATCH` stored documents at a time, so memory stays bounded whatever the campaign's
    size; missing or stale documents are computed in memory (not stored) from one streamed pass
    over the campaign's answers (`CampaignScorer.stream`, opened at the first such subject).
    `reader`: a connection of its own to read the answers through, so the caller may commit
    between batches (`freeze_reports` in steps). Raises InvalidState while the campaign is draft
    or open.
    """
    require_results(campaign)
    scorer = CampaignScorer(campaign, reader)
    answers: _Cursor | None = None
    for batch in _batches(_subject_rows(campaign, level), BATCH):
        stored = stored_reports([s.id for s in batch])
        for s in batch:
            found = stored.get(s.id)
            if found is not None:
                yield FrozenSubject(s, found, True)
                continue
            if answers is None:
                answers = _Cursor(scorer.stream(level))
            scored = scorer.score(s.level, s.include_next_level, answers.take(s.id))
            yield FrozenSubject(s, scored, False)
    if answers is not None:
        answers.finish()


class _Cursor:
    """Walks `CampaignScorer.stream` in step with subjects taken by increasing id."""

    def __init__(self, stream: Iterator[tuple[int, SubjectAnswers]]) -> None:
        self._stream = stream
        self._head = next(stream, None)

    def take(self, subject_id: int) -> SubjectAnswers:
        """Return the subject's summed answers (none when they have no response)."""
        while self._head is not None and self._head[0] < subject_id:
            self._head = next(self._stream, None)
        if self._head is None or self._head[0] != subject_id:
            return SubjectAnswers()
        found = self._head[1]
        self._head = next(self._stream, None)
        return found

    def finish(self) -> None:
        """Read the stream to its end, so no cursor stays open into the caller's commit."""
        for _ in self._stream:
            pass


def freeze_reports(campaign: Campaign, *, in_steps: bool = False) -> int:
    """Store the frozen report of every subject that has none of the current `FORMAT`, then
    each level's org norms computed from all of them; returns how many reports were written.

    Does nothing when every report and norm is already frozen under the current `FORMAT`.
    Writes 200 documents per executemany. Raises InvalidState while the campaign is draft or
    open. The caller commits; `in_steps`: commits itself after every 200 documents and at the
    end (the answers are then read through a connection of their own), so `freeze_progress`
    shows how far it got and a freeze cut short resumes where it stopped.
    """
    require_results(campaign)
    if _all_frozen(campaign):
        return 0
    if not in_steps:
        return _freeze(campaign, None, lambda: None)
    with db.engine.connect() as reader:
        written = _freeze(campaign, reader, db.session.commit)
        reader.rollback()  # it only read
    db.session.commit()
    return written


def _freeze(campaign: Campaign, reader: Connection | None, step: Callable[[], None]) -> int:
    cells = _NormCells()
    written = 0
    for batch in _batches(campaign_reports(campaign, reader=reader), BATCH):
        fresh = [f for f in batch if not f.stored]
        _store_reports(campaign, fresh)
        step()
        written += len(fresh)
        for frozen in batch:
            cells.add(frozen)
    _store_norms(campaign, cells.norms(campaign))
    return written


@dataclass(frozen=True)
class FreezeProgress:
    """How many of a closed campaign's subjects have their report stored, and whether the org
    norms are stored under the current `FORMAT` (the last step of a freeze): then `done`."""

    computed: int
    subjects: int
    norms: bool

    @property
    def done(self) -> bool:
        """True when every report and the norms are stored."""
        return self.computed >= self.subjects and self.norms


def freeze_progress(campaign: Campaign) -> FreezeProgress:
    """Return how far the freeze of a closed or released campaign has got: counts only, cheap
    enough for a page that refreshes (a document's format is not read: one of an older format
    is still read through, computed in memory, until a freeze replaces it)."""
    subjects = db.session.scalar(
        select(func.count()).select_from(Subject).where(Subject.campaign_id == campaign.id)
    )
    computed = db.session.scalar(
        select(func.count())
        .select_from(ReportSnapshot)
        .where(ReportSnapshot.campaign_id == campaign.id)
    )
    norms = db.session.scalar(
        select(func.count())
        .select_from(OrgNorms)
        .where(OrgNorms.campaign_id == campaign.id, OrgNorms.format == FORMAT)
    )
    return FreezeProgress(int(computed or 0), int(subjects or 0), bool(norms) or not subjects)


def unfrozen_campaigns() -> list[Campaign]:
    """Closed or released campaigns not yet sealed, or whose freeze has not run or was cut
    short (`FreezeProgress` not done), by id."""
    closed = db.session.scalars(
        select(Campaign).where(Campaign.status.in_(RESULT_STATUSES)).order_by(Campaign.id)
    ).all()
    return [c for c in closed if c.sealed_at is None or not freeze_progress(c).done]


@dataclass(frozen=True)
class LevelNorms:
    """One level's organisation norms (SPEC §7.10): over all its subjects, and per team.

    Every norm whatever its n: HR's figures. Areas in spoke order, teams alphabetical.
    """

    norms: Norms
    teams: dict[str, Norms]


def campaign_norms(campaign: Campaign) -> dict[str, LevelNorms]:
    """Return level → its org norms for every level of the campaign that has subjects.

    As frozen at close; computed in memory from the frozen reports (not stored) when not
    frozen under the current `FORMAT`. Raises InvalidState while the campaign is draft or open.
    """
    require_results(campaign)
    rows = db.session.execute(
        select(OrgNorms.level, OrgNorms.format, OrgNorms.norms, OrgNorms.teams).where(
            OrgNorms.campaign_id == campaign.id
        )
    ).all()
    if rows and all(row.format == FORMAT for row in rows):
        return {
            row.level: LevelNorms(
                _norms_from_data(row.norms),
                {team: _norms_from_data(data) for team, data in sorted(row.teams.items())},
            )
            for row in sorted(rows, key=lambda row: LEVELS.index(row.level))
        }
    return _computed_norms(campaign)


def level_norms(campaign: Campaign, level: str) -> Norms:
    """Return area → org norm of one level (SPEC §7.10): every norm, whatever its n.

    HR's figures: a subject-facing channel passes them through
    `survey.domain.norms.norms_for_subjects`. As frozen at close, or computed in memory as
    `campaign_norms` does. Raises InvalidState while the campaign is draft or open.
    """
    require_results(campaign)
    row = db.session.execute(
        select(OrgNorms.format, OrgNorms.norms).where(
            OrgNorms.campaign_id == campaign.id, OrgNorms.level == level
        )
    ).first()
    if row is not None and row.format == FORMAT:
        return _norms_from_data(row.norms)
    found = _computed_norms(campaign, level).get(level)
    return found.norms if found is not None else {}


@dataclass
class _NormCells:
    """Running sums of a campaign's frozen reports' all_others area cells, by level and by
    level and team (`NormSums`: memory grows with levels, teams and areas, not subjects)."""

    levels: dict[str, NormSums] = field(default_factory=dict)
    teams: dict[str, dict[str, NormSums]] = field(default_factory=dict)

    def add(self, frozen: FrozenSubject) -> None:
        """Count the subject's all_others area cells (a level without any still counts)."""
        level = frozen.subject.level
        sums = self.levels.setdefault(level, NormSums())
        teams = self.teams.setdefault(level, {})
        team = frozen.subject.team
        for cell in frozen.scored.report.area_scores:
            if sums.add(cell):
                teams.setdefault(team, NormSums()).add(cell)

    def norms(self, campaign: Campaign) -> dict[str, LevelNorms]:
        """Return level → norms computed by the domain rule, areas in the level's spoke order."""
        content = campaign_content(campaign)
        result = {}
        for level in [lv for lv in LEVELS if lv in self.levels]:
            order = [key for key, _, _ in area_items(level, content)]
            teams = self.teams[level]
            result[level] = LevelNorms(
                _in_order(self.levels[level].norms(), order),
                {team: _in_order(teams[team].norms(), order) for team in sorted(teams)},
            )
        return result


def _computed_norms(campaign: Campaign, level: str | None = None) -> dict[str, LevelNorms]:
    cells = _NormCells()
    for frozen in campaign_reports(campaign, level):
        cells.add(frozen)
    return cells.norms(campaign)


def _in_order(norms: Norms, order: list[str]) -> Norms:
    return {area: norms[area] for area in order if area in norms}


def _norms_from_data(data: list[dict[str, Any]]) -> Norms:
    return {entry["area"]: AreaNorm.from_data(entry) for entry in data}


def _norms_data(norms: Norms) -> list[dict[str, Any]]:
    return [norm.to_data() for norm in norms.values()]


def _current(document: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    return document is not None and document.get("format") == FORMAT


def _subject_rows(campaign: Campaign, level: str | None) -> list[SubjectRow]:
    query = (
        select(
            Subject.id,
            Subject.name,
            Person.email,
            Subject.level,
            func.coalesce(ReportSnapshot.team, Person.team),
            Subject.include_next_level,
        )
        .join(Person, Subject.person_id == Person.id)
        .outerjoin(ReportSnapshot, ReportSnapshot.subject_id == Subject.id)
        .where(Subject.campaign_id == campaign.id)
        .order_by(Subject.id)
    )
    if level is not None:
        query = query.where(Subject.level == level)
    return [SubjectRow(*row) for row in db.session.execute(query)]


def stored_reports(subject_ids: list[int]) -> dict[int, ScoredSubject]:
    """Subject id → frozen report, for those of these subjects stored under `FORMAT`."""
    rows = db.session.execute(
        select(ReportSnapshot.subject_id, ReportSnapshot.document).where(
            ReportSnapshot.subject_id.in_(subject_ids)
        )
    )
    return {sid: ScoredSubject.from_data(doc) for sid, doc in rows if _current(doc)}


def _all_frozen(campaign: Campaign) -> bool:
    """True when every subject's report and every level's norms are stored under `FORMAT`."""
    unfrozen = (
        select(Subject.id)
        .outerjoin(ReportSnapshot, ReportSnapshot.subject_id == Subject.id)
        .where(
            Subject.campaign_id == campaign.id,
            or_(
                ReportSnapshot.subject_id.is_(None),
                ReportSnapshot.document["format"].as_integer() != FORMAT,
            ),
        )
        .limit(1)
    )
    if db.session.execute(unfrozen).first() is not None:
        return False
    levels = set(
        db.session.scalars(select(Subject.level).where(Subject.campaign_id == campaign.id))
    )
    frozen = set(
        db.session.scalars(
            select(OrgNorms.level).where(
                OrgNorms.campaign_id == campaign.id, OrgNorms.format == FORMAT
            )
        )
    )
    return levels == frozen


def rewrite_frozen_report(subject: Subject, scored: ScoredSubject) -> bool:
    """Replace the subject's stored report with `scored` (HR removed a comment); returns False
    when no report of the current `FORMAT` is stored: one of an older format, which still
    holds the removed text, is deleted (reads compute it from the remaining answers until the
    next freeze stores it again). The caller commits."""
    db.session.execute(
        delete(ReportSnapshot).where(
            ReportSnapshot.subject_id == subject.id,
            or_(
                ReportSnapshot.document["format"].as_integer() != FORMAT,
                ReportSnapshot.document["format"].as_integer().is_(None),
            ),
        )
    )
    updated = db.session.execute(
        update(ReportSnapshot)
        .where(
            ReportSnapshot.subject_id == subject.id,
            ReportSnapshot.document["format"].as_integer() == FORMAT,
        )
        .values(document={"format": FORMAT, **scored.to_data()})
    )
    return bool(updated.rowcount)  # type: ignore[attr-defined]


def refreeze_norms(campaign: Campaign) -> None:
    """Recompute and store the campaign's org norms from its frozen reports as they are now (a
    subject was erased). The caller commits."""
    require_results(campaign)
    _store_norms(campaign, _computed_norms(campaign))


def _store_reports(campaign: Campaign, fresh: list[FrozenSubject]) -> None:
    """Replace these subjects' stored documents (none, or of an older format) in one insert."""
    if not fresh:
        return
    db.session.execute(
        delete(ReportSnapshot).where(ReportSnapshot.subject_id.in_([f.subject.id for f in fresh]))
    )
    db.session.execute(
        insert(ReportSnapshot),
        [
            {
                "subject_id": f.subject.id,
                "campaign_id": campaign.id,
                "team": f.subject.team,
                "document": {"format": FORMAT, **f.scored.to_data()},
            }
            for f in fresh
        ],
    )


def _store_norms(campaign: Campaign, norms: dict[str, LevelNorms]) -> None:
    db.session.execute(delete(OrgNorms).where(OrgNorms.campaign_id == campaign.id))
    if norms:
        db.session.execute(
            insert(OrgNorms),
            [
                {
                    "campaign_id": campaign.id,
                    "level": level,
                    "format": FORMAT,
                    "norms": _norms_data(found.norms),
                    "teams": {team: _norms_data(n) for team, n in found.teams.items()},
                }
                for level, found in norms.items()
            ],
        )


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
