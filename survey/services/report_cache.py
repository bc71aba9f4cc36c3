"""Frozen results: each subject's report is computed once after close and read back (SPEC §5).

A closed campaign accepts no answers and never reopens, so its reports cannot change. The first
read of a report (or `precompute_reports` at close) stores the domain report as JSON data plus
its shown cells and their export text (`ExportText`: the same shown cells as CSV lines, SPEC
§8); later reads are one primary-key lookup. Drafts and open campaigns are never
stored: nothing computed from answers exists while answers may still arrive.

Each stored document carries the `FORMAT` of the scoring rules it was computed with. A snapshot
of an older format is computed again and replaced (document, shown cells and export text) the
next time it is read or precomputed: format 1 held anonymous area scores from which one rater's
answer could be solved (security review, SPEC §7.6), and such figures must not be served from
storage; format 2 ranked strengths on item cells with n < k.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from survey.domain.report import SubjectReport
from survey.errors import InvalidState
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject
from survey.models_reports import ExportText, ReportSnapshot, ShownScore
from survey.services.export_cells import CellLines, cell_keys, stored_cells
from survey.services.report_data import report_from_data
from survey.services.report_scoring import CampaignScorer, ScoredSubject, load_responses

RESULT_STATUSES = (CampaignStatus.CLOSED, CampaignStatus.RELEASED)
BATCH = 500
WRITE_BATCH = 100
T = TypeVar("T")
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
    _store_once(subject, scored, CellLines(subject.campaign), stale=snapshot is not None)
    return scored


def precompute_reports(campaign: Campaign) -> int:
    """Store the frozen report of every subject of a closed campaign that has none yet.

    A stored report of an older `FORMAT` is replaced. Reads responses in batches of 500
    subjects (two queries per batch) and writes 100 reports per three executemany; returns how
    many reports were written. Then writes the export text of subjects frozen before it was
    stored (`fill_export_text`). Raises InvalidState while the campaign is draft or open. Call
    it right after `campaign.close(now)` so the HR organisation view is instant. The caller
    commits.
    """
    require_results(campaign)
    scorer = CampaignScorer(campaign)
    lines = CellLines(campaign)
    written = 0
    for batch in _batches(_missing_subjects(campaign), BATCH):
        responses = load_responses(s.id for s in batch)
        _forget([s.id for s in batch])
        for part in _batches(batch, WRITE_BATCH):  # bounded memory: ~100 reports at a time
            _insert(
                [
                    (s, scorer.score(s.level, s.include_next_level, responses.get(s.id, [])))
                    for s in part
                ],
                lines,
            )
        written += len(batch)
    fill_export_text(campaign, lines)
    return written


def export_text_missing(campaign: Campaign) -> bool:
    """True when a subject of the campaign has no export text of the current `FORMAT`.

    When False every subject has a frozen report of the current format too: the text is
    written with the report and deleted with it (`_forget`).
    """
    missing = select(Subject.id).where(
        Subject.campaign_id == campaign.id, Subject.id.not_in(_current_texts(campaign))
    )
    return db.session.execute(missing.limit(1)).first() is not None


def fill_export_text(campaign: Campaign, lines: CellLines | None = None) -> int:
    """Write the export text of subjects whose frozen report has none (frozen before export
    text was stored), from their stored shown cells; returns how many were written.

    Only subjects with a snapshot of the current `FORMAT` are filled (the others are computed
    again by `precompute_reports`, text included). The caller commits.
    """
    rows = db.session.execute(
        select(Subject.id, Subject.level, Person.team)
        .join(Person, Subject.person_id == Person.id)
        .join(ReportSnapshot, ReportSnapshot.subject_id == Subject.id)
        .where(
            Subject.campaign_id == campaign.id,
            ReportSnapshot.document["format"].as_integer() == FORMAT,
            Subject.id.not_in(_current_texts(campaign)),
        )
        .order_by(Subject.id)
    ).all()
    if not rows:
        return 0
    lines = lines or CellLines(campaign)
    for batch in _batches(rows, BATCH):
        texts = {sid: (level, team, "") for sid, level, team in batch}  # no shown cell: ""
        db.session.execute(delete(ExportText).where(ExportText.subject_id.in_(list(texts))))
        for sid, level, team, cells in list(stored_cells(campaign, list(texts))):
            texts[sid] = (level, team, lines.text(cells))
        db.session.execute(
            insert(ExportText.__table__),
            [
                {"subject_id": sid, "campaign_id": campaign.id, "format": FORMAT,
                 "level": level, "team": team, "body": body}
                for sid, (level, team, body) in texts.items()
            ],
        )
    return len(rows)


def _current_texts(campaign: Campaign) -> Select[int]:
    """The subjects of the campaign whose export text is of the current `FORMAT`."""
    return select(ExportText.subject_id).where(
        ExportText.campaign_id == campaign.id, ExportText.format == FORMAT
    )


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


def _batches(subjects: Sequence[T], size: int) -> Iterator[list[T]]:
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


def _store_once(
    subject: Subject, scored: ScoredSubject, lines: CellLines, *, stale: bool = False
) -> None:
    """Store in a savepoint: a concurrent request that stored it first wins, harmlessly.

    `stale`: a snapshot of an older format exists; it and its shown cells are replaced.
    """
    try:
        with db.session.begin_nested():
            if stale:
                _forget([subject.id])
            _insert([(subject, scored)], lines)
    except IntegrityError:
        pass  # the same frozen figures are already stored by another request


def _forget(subject_ids: list[int]) -> None:
    """Delete the stored reports (document, shown cells, export text) of these subjects."""
    db.session.execute(delete(ExportText).where(ExportText.subject_id.in_(subject_ids)))
    db.session.execute(delete(ShownScore).where(ShownScore.subject_id.in_(subject_ids)))
    db.session.execute(delete(ReportSnapshot).where(ReportSnapshot.subject_id.in_(subject_ids)))


def _insert(scored: list[tuple[Subject, ScoredSubject]], lines: CellLines) -> None:
    """Write the documents, shown cells and export text of these subjects: three executemany
    statements. The export text is built from exactly the shown cells written."""
    snapshots = []
    cells = []
    texts = []
    for s, found in scored:
        snapshots.append(
            {"subject_id": s.id, "campaign_id": s.campaign_id, "document": _document(found)}
        )
        shown = _subject_cells(s, found)
        cells += shown
        body = lines.text(
            cell_keys(c["section"], c["kind"], c["area"], c["item"], c["rater_group"],
                      c["score_centi"], c["n"], c["na"])
            for c in shown
        )
        texts.append({"subject_id": s.id, "campaign_id": s.campaign_id, "format": FORMAT,
                      "level": s.level, "team": s.person.team, "body": body})
    if snapshots:
        db.session.execute(insert(ReportSnapshot.__table__), snapshots)
    if cells:
        db.session.execute(insert(ShownScore.__table__), cells)
    if texts:
        db.session.execute(insert(ExportText.__table__), texts)


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
