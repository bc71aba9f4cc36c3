"""Frozen results: each subject's report is computed once after close and read back (SPEC §5).

A closed campaign accepts no answers and never reopens, so its reports cannot change. The first
read of a report (or `precompute_reports` at close) stores the domain report as JSON data plus
its shown cells; later reads are one primary-key lookup. Drafts and open campaigns are never
stored: nothing computed from answers exists while answers may still arrive.

Each stored document carries the `FORMAT` of the scoring rules it was computed with. A snapshot
of an older format is computed again and replaced (document and shown cells) the next time it
is read or precomputed: format 1 held anonymous area scores from which one rater's answer could
be solved (security review, SPEC §7.6), and such figures must not be served from storage;
format 2 ranked strengths on item cells with n < k.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from survey.domain.report import SubjectReport
from survey.errors import InvalidState
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Subject
from survey.models_reports import ReportSnapshot, ShownScore
from survey.services.report_data import report_from_data
from survey.services.report_scoring import CampaignScorer, ScoredSubject, load_responses

RESULT_STATUSES = (CampaignStatus.CLOSED, CampaignStatus.RELEASED)
BATCH = 500
WRITE_BATCH = 100
FORMAT = 3  # 2: area scores pooled from shown item cells (SPEC §7.6); 3: strengths need n ≥ k


def require_results(campaign: Campaign) -> None:
    """Raise InvalidState unless the campaign is closed or released (SPEC §5: none while open)."""
    if campaign.status not in RESULT_STATUSES:
        raise InvalidState(
            f"campaign {campaign.id} is {campaign.status.value}; reports exist only once it is "
            "closed"
        )


def stored_report(subject: Subject) -> ScoredSubject:
    """Return the subject's frozen reports, computing and storing them on first use.

    A snapshot of an older `FORMAT` is computed again and replaced. Raises InvalidState while
    the campaign is draft or open. Adds rows; the caller commits.
    """
    require_results(subject.campaign)
    snapshot = db.session.get(ReportSnapshot, subject.id)
    if snapshot is not None and snapshot.document.get("format") == FORMAT:
        return _scored(snapshot.document)
    scorer = CampaignScorer(subject.campaign)
    responses = load_responses([subject.id]).get(subject.id, [])
    scored = scorer.score(subject.level, subject.include_next_level, responses)
    _store_once(subject, scored, stale=snapshot is not None)
    return scored


def precompute_reports(campaign: Campaign) -> int:
    """Store the frozen report of every subject of a closed campaign that has none yet.

    A stored report of an older `FORMAT` is replaced. Reads responses in batches of 500
    subjects (two queries per batch) and writes 100 reports per two executemany; returns how
    many reports were written. Raises InvalidState while the campaign is draft or open. Call it
    right after `campaign.close(now)` so the HR organisation view is instant. The caller
    commits.
    """
    require_results(campaign)
    scorer = CampaignScorer(campaign)
    written = 0
    for batch in _batches(_missing_subjects(campaign), BATCH):
        responses = load_responses(s.id for s in batch)
        _forget([s.id for s in batch])
        for part in _batches(batch, WRITE_BATCH):  # bounded memory: ~100 reports at a time
            _insert(
                [
                    (s, scorer.score(s.level, s.include_next_level, responses.get(s.id, [])))
                    for s in part
                ]
            )
        written += len(batch)
    return written


def _missing_subjects(campaign: Campaign) -> list[Subject]:
    done = select(ReportSnapshot.subject_id).where(
        ReportSnapshot.campaign_id == campaign.id,
        ReportSnapshot.document["format"].as_integer() == FORMAT,
    )
    return list(
        db.session.scalars(
            select(Subject)
            .options(joinedload(Subject.person))
            .where(Subject.campaign_id == campaign.id, Subject.id.not_in(done))
            .order_by(Subject.id)
        )
    )


def _batches(subjects: Sequence[Subject], size: int) -> Iterator[list[Subject]]:
    it = iter(subjects)
    while batch := list(islice(it, size)):
        yield batch


def _scored(document: dict[str, Any]) -> ScoredSubject:
    readiness = document.get("readiness")
    return ScoredSubject(
        report_from_data(document["report"]),
        report_from_data(readiness) if readiness else None,
        document.get("readiness_level"),
    )


def _store_once(subject: Subject, scored: ScoredSubject, *, stale: bool = False) -> None:
    """Store in a savepoint: a concurrent request that stored it first wins, harmlessly.

    `stale`: a snapshot of an older format exists; it and its shown cells are replaced.
    """
    try:
        with db.session.begin_nested():
            if stale:
                _forget([subject.id])
            _store(subject, scored)
    except IntegrityError:
        pass  # the same frozen figures are already stored by another request


def _forget(subject_ids: list[int]) -> None:
    """Delete the stored reports (document and shown cells) of these subjects, if any."""
    db.session.execute(delete(ShownScore).where(ShownScore.subject_id.in_(subject_ids)))
    db.session.execute(delete(ReportSnapshot).where(ReportSnapshot.subject_id.in_(subject_ids)))


def _store(subject: Subject, scored: ScoredSubject) -> None:
    _insert([(subject, scored)])


def _insert(scored: list[tuple[Subject, ScoredSubject]]) -> None:
    """Write the documents and shown cells of these subjects: two executemany statements."""
    snapshots = [
        {"subject_id": s.id, "campaign_id": s.campaign_id, "document": _document(found)}
        for s, found in scored
    ]
    cells = [row for s, found in scored for row in _subject_cells(s, found)]
    if snapshots:
        db.session.execute(insert(ReportSnapshot.__table__), snapshots)
    if cells:
        db.session.execute(insert(ShownScore.__table__), cells)


def _document(scored: ScoredSubject) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "report": report_data(scored.report),
        "readiness": report_data(scored.readiness) if scored.readiness else None,
        "readiness_level": scored.readiness_level,
    }


def report_data(report: SubjectReport) -> dict[str, Any]:
    """Return `report` as the JSON data `report_data.report_to_data` gives (same keys, order).

    Every part of a report is a flat frozen dataclass of JSON scalars (and AreaSpec's item
    tuple), so a shallow copy of each one's fields is the whole conversion; `asdict`'s deep
    copy cost a fifth of close (issue 8).
    """
    return {
        "areas": [{"key": a.key, "title": a.title, "items": list(a.items)} for a in report.areas],
        "groups": [vars(g).copy() for g in report.groups],
        "area_scores": [vars(c).copy() for c in report.area_scores],
        "item_scores": [vars(c).copy() for c in report.item_scores],
        "gaps": [vars(g).copy() for g in report.gaps],
        "strengths": [vars(i).copy() for i in report.strengths],
        "development": [vars(i).copy() for i in report.development],
        "comments": [vars(c).copy() for c in report.comments],
    }


def _subject_cells(subject: Subject, scored: ScoredSubject) -> list[dict[str, Any]]:
    rows = _cells(subject, "level", scored.report)
    if scored.readiness is not None:
        rows += _cells(subject, "readiness", scored.readiness)
    return rows


def _cells(subject: Subject, section: str, report: SubjectReport) -> list[dict[str, Any]]:
    base = {
        "subject_id": subject.id,
        "campaign_id": subject.campaign_id,
        "level": subject.level,
        "team": subject.person.team,
        "section": section,
    }
    areas = [
        base | {"kind": "area", "area": c.area, "item": "", "rater_group": c.group,
                "score_centi": round(c.score * 100), "n": c.n, "na": 0}
        for c in report.area_scores
    ]
    items = [
        base | {"kind": "item", "area": c.area, "item": c.item, "rater_group": c.group,
                "score_centi": round(c.score * 100), "n": c.n, "na": c.na}
        for c in report.item_scores
    ]
    return areas + items
