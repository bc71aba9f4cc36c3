"""Org-chart import and people look-ups (SPEC §4): add/flush, never commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased, joinedload

from survey.domain.orgchart import PersonRow, normalise_email, parse_org_chart
from survey.domain.raters import OrgPerson
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject
from survey.models_plans import DevelopmentPlan

Progress = Callable[[int], None]


@dataclass(frozen=True)
class PersonChange:
    """One change a re-import made to someone already known: manager, team or level."""

    name: str
    email: str
    what: str  # "manager", "team", "level" or "language"
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.name} ({self.email}): {self.what} {self.before} → {self.after}"


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed: people created, updated, and left as they were; for people
    already known, who moved manager, team or level, and the campaigns (by name) that keep the
    raters they were set up with."""

    created: int
    updated: int
    unchanged: int
    changes: tuple[PersonChange, ...] = ()
    open_campaigns: tuple[str, ...] = ()
    draft_campaigns: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def notes(self) -> list[str]:
        """Sentences about the campaigns the changes do not reach (empty without changes)."""
        if not self.changes:
            return []
        notes = []
        if self.open_campaigns:
            notes.append(
                "Open campaigns keep the raters they were launched with: "
                + ", ".join(self.open_campaigns)
            )
        if self.draft_campaigns:
            notes.append(
                "Draft campaigns keep the raters chosen so far (check them before launch): "
                + ", ".join(self.draft_campaigns)
            )
        return notes


def import_people(data: bytes, progress: Progress | None = None) -> ImportSummary:
    """Create or update people by e-mail from CSV bytes; all-or-nothing (SPEC §4).

    Raises `OrgChartError` (every bad row with its line) before touching the database.
    `progress(n)` is called once per row applied. Past campaigns and responses are untouched.
    """
    before = _manager_emails()
    rows = parse_org_chart(data, before)
    existing = {person.email: person for person in db.session.scalars(select(Person))}
    changes = _changes(rows, existing, before)
    states = [_apply(row, existing) for row in rows]
    db.session.flush()
    for index, row in enumerate(rows):
        manager = existing[row.manager_email] if row.manager_email else None
        existing[row.email].manager_id = manager.id if manager else None
        if states[index] == "unchanged" and before.get(row.email) != row.manager_email:
            states[index] = "updated"
        if progress is not None:
            progress(1)
    _unshare_plans(
        existing[row.email].id
        for row in rows
        if row.email in before and before[row.email] != row.manager_email
    )
    db.session.flush()
    return ImportSummary(
        created=states.count("created"),
        updated=states.count("updated"),
        unchanged=states.count("unchanged"),
        changes=tuple(changes),
        open_campaigns=_campaign_names(CampaignStatus.OPEN) if changes else (),
        draft_campaigns=_campaign_names(CampaignStatus.DRAFT) if changes else (),
    )


def _unshare_plans(person_ids: Iterable[int]) -> None:
    """A plan is shared with the manager its subject chose (SPEC §12): when the org chart gives
    the subject another manager (or none), the plan is no longer shared, so the new manager
    never reads what was shared with the old one. The subject may share it again."""
    ids = list(person_ids)
    if not ids:
        return
    subjects = select(Subject.id).where(Subject.person_id.in_(ids))
    db.session.execute(
        update(DevelopmentPlan)
        .where(DevelopmentPlan.subject_id.in_(subjects), DevelopmentPlan.share_with_manager)
        .values(share_with_manager=False)
    )


def _changes(
    rows: Sequence[PersonRow], existing: dict[str, Person], managers: dict[str, str | None]
) -> list[PersonChange]:
    """Who already in the org chart moves manager, team or level with these rows."""
    names = {email: person.name for email, person in existing.items()}
    names.update({row.email: row.name for row in rows})
    changes = []
    for row in rows:
        person = existing.get(row.email)
        if person is None:
            continue
        old_manager = managers.get(row.email)
        pairs = [
            ("team", person.team or "no team", row.team or "no team"),
            ("level", person.level.replace("_", " "), row.level.replace("_", " ")),
        ]
        if row.language is not None:
            old_language, new_language = person.language or "", row.language
            pairs.append(("language", old_language or "default", new_language or "default"))
        if old_manager != row.manager_email:
            pairs.insert(0, ("manager", *_manager_names(old_manager, row.manager_email, names)))
        changes += [
            PersonChange(row.name, row.email, what, old, new)
            for what, old, new in pairs
            if old != new
        ]
    return changes


def _manager_names(old: str | None, new: str | None, names: dict[str, str]) -> tuple[str, str]:
    """Two different managers as people read them: by name, with the e-mail when both share one."""
    shown = (_name_of(old, names), _name_of(new, names))
    if shown[0] != shown[1]:
        return shown
    return (f"{shown[0]} ({old})", f"{shown[1]} ({new})")


def _name_of(email: str | None, names: dict[str, str]) -> str:
    return "nobody" if email is None else names.get(email, email)


def _campaign_names(status: CampaignStatus) -> tuple[str, ...]:
    query = select(Campaign.id, Campaign.name).where(Campaign.status == status)
    return tuple(f"{name} ({campaign_id})" for campaign_id, name in db.session.execute(query))


def _manager_emails() -> dict[str, str | None]:
    """Every person's e-mail → their manager's e-mail (one query)."""
    manager = aliased(Person)
    query = select(Person.email, manager.email).outerjoin(manager, Person.manager_id == manager.id)
    return {email: manager_email for email, manager_email in db.session.execute(query)}


def _apply(row: PersonRow, existing: dict[str, Person]) -> str:
    person = existing.get(row.email)
    if person is None:
        existing[row.email] = Person(
            email=row.email,
            name=row.name,
            level=row.level,
            team=row.team,
            language=row.language or None,
        )
        db.session.add(existing[row.email])
        return "created"
    # Without a `language` column the file says nothing about languages: keep the person's.
    language = person.language if row.language is None else (row.language or None)
    before = (person.name, person.level, person.team, person.language)
    if before == (row.name, row.level, row.team, language):
        return "unchanged"
    person.name, person.level, person.team = row.name, row.level, row.team
    person.language = language
    return "updated"


def find_people(emails: Iterable[str]) -> dict[str, Person]:
    """People by lower-case e-mail for the given addresses (missing ones are absent)."""
    wanted = {normalise_email(email) for email in emails}
    if not wanted:
        return {}
    return {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(wanted)))}


def find_person(email: str) -> Person | None:
    """One person by e-mail (case-insensitive), or None."""
    return find_people([email]).get(normalise_email(email))


def org_people() -> list[OrgPerson]:
    """The whole org chart as assignment input (one query)."""
    rows = db.session.execute(select(Person.id, Person.level, Person.manager_id))
    return [OrgPerson(id=i, level=level, manager_id=manager) for i, level, manager in rows]


def list_people(limit: int = 500, offset: int = 0, search: str = "") -> Sequence[Person]:
    """People by name for the HR list, optionally filtered by name, e-mail or team."""
    query = (
        select(Person)
        .options(joinedload(Person.manager))
        .order_by(Person.name, Person.email)
        .limit(limit)
        .offset(offset)
    )
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(Person.name).like(pattern)
            | Person.email.like(pattern)
            | func.lower(Person.team).like(pattern)
        )
    return db.session.scalars(query).all()


def count_people() -> int:
    """How many people are in the org chart."""
    return db.session.scalar(select(func.count(Person.id))) or 0


def set_language(email: str, language: str | None) -> Person:
    """Set one person's language (a key of LANGUAGES, None = DEFAULT_LANGUAGE; SPEC §14).

    Raises NotFound for an e-mail not in the org chart, SurveyError for an unknown language.
    """
    from survey.domain.languages import LANGUAGES
    from survey.errors import NotFound, SurveyError

    if language is not None and language not in LANGUAGES:
        raise SurveyError(f"unknown language {language!r}")
    person = find_person(email)
    if person is None:
        raise NotFound(f"no one with the e-mail {email!r} is in the org chart")
    person.language = language
    return person
