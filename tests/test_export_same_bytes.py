"""The streamed export writes exactly the bytes of the straightforward row-by-row export.

`reference_csv`/`reference_rows` below are the export as it was before it was made fast
(issue 8): ORM rows, a sort key and `neutralise` per cell, `csv.writer.writerow` per row. The
fast export must not change one byte of it, on hostile text (formulas, commas, quotes, line
breaks) and on a readiness section too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from itertools import groupby
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import delete, func, select, update

from survey.domain.anonymity import DISPLAY_ORDER
from survey.domain.questionnaire import LEVELS, area_items
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject
from survey.models_reports import ExportText, ReportSnapshot, ShownScore
from survey.services import export as export_module
from survey.services import export_cells
from survey.services.export import HEADER, export_chunks, neutralise, prepare_export
from survey.services.questionnaires import campaign_content
from survey.services.report_cache import (
    FORMAT,
    export_text_missing,
    fill_export_text,
    stored_report,
)
from tests.factories import make_person
from tests.helpers_reports import team_leader_scenario, worked_example


def reference_rows(campaign: Campaign) -> list[list[Any]]:
    content = campaign_content(campaign)
    spoke: dict[str, int] = {}
    item_pos: dict[str, int] = {}
    for level in LEVELS:
        for key, _, items in area_items(level, content):
            spoke.setdefault(key, len(spoke))
            for item in items:
                item_pos.setdefault(item, len(item_pos))
    groups = {g: i for i, g in enumerate(DISPLAY_ORDER)}

    def order(row: Any) -> tuple[int, ...]:
        return (row[5] != "level", row[6] != "area", spoke.get(row[7], 99),
                item_pos.get(row[8], -1), groups.get(row[9], 99))

    query = (
        select(ShownScore.subject_id, Subject.name, Person.email, ShownScore.level,
               ShownScore.team, ShownScore.section, ShownScore.kind, ShownScore.area,
               ShownScore.item, ShownScore.rater_group, ShownScore.score_centi, ShownScore.n,
               ShownScore.na)
        .join(Subject, ShownScore.subject_id == Subject.id)
        .join(Person, Subject.person_id == Person.id)
        .where(ShownScore.campaign_id == campaign.id)
        .order_by(ShownScore.subject_id)
    )
    titles = {a.key: a.title for a in content.areas}
    rows: list[list[Any]] = [list(HEADER)]
    for _, cells in groupby(db.session.execute(query), key=lambda row: row[0]):
        for row in sorted(cells, key=order):
            (_, name, email, level, team, section, kind, area, item, group, centi, n, na) = row
            rows.append([campaign.name, name, email, level, team, section, kind, area,
                         titles.get(area, area), item, group, centi / 100, n,
                         na if kind == "item" else ""])
    return rows


def reference_csv(campaign: Campaign) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    for row in reference_rows(campaign):
        writer.writerow([f"{v:.2f}" if isinstance(v, float) else neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def hostile_campaign() -> Campaign:
    example = worked_example(status=CampaignStatus.CLOSED, team='-ops, "north"\nteam')
    campaign = example.campaign
    campaign.name = "=Autumn, 360"
    example.person.name = '@Alice "Al" Example'
    for index, team in enumerate(["+Green", "Blue, team", "\tTabbed"]):
        leader = team_leader_scenario(
            campaign, f"lead{index}@example.test", peers=3 + index, reports=3 + index,
            team=team, include_next_level=index != 1,
        )
        leader.name = f"=Leader {index}"
    make_person("=bystander@example.test", team="=Nobody")
    db.session.commit()
    prepare_export(campaign)
    db.session.commit()
    return campaign


def test_csv_export_is_byte_identical_to_the_row_by_row_export(app: Flask) -> None:
    with app.app_context():
        campaign = hostile_campaign()
        expected = reference_csv(campaign)
        produced = b"".join(export_chunks(campaign, "csv"))
    assert produced == expected
    text = produced.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 400  # 4 subjects, two of them with a readiness section
    assert {r[5] for r in rows[1:]} == {"level", "readiness"}
    assert {r[0] for r in rows[1:]} == {"'=Autumn, 360"}
    assert {r[4] for r in rows[1:]} == {"'-ops, \"north\"\nteam", "'+Green", "Blue, team",
                                        "'\tTabbed"}


def test_xlsx_export_holds_the_row_by_row_values(app: Flask, tmp_path) -> None:
    with app.app_context():
        campaign = hostile_campaign()
        expected = [[neutralise(v) for v in row] for row in reference_rows(campaign)]
        target = tmp_path / "export.xlsx"
        target.write_bytes(b"".join(export_chunks(campaign, "xlsx")))
    book = load_workbook(target, read_only=True)
    cells = [list(row) for row in book.active.iter_rows()]
    values = [[c.value if c.value is not None else "" for c in row] for row in cells]
    assert values == expected
    assert {c.number_format for row in cells[1:] for c in row[11:12]} == {"0.00"}


def csv_export(campaign: Campaign) -> bytes:
    """The CSV as the download route makes it: prepare (and commit), then stream."""
    prepare_export(campaign)
    db.session.commit()
    return b"".join(export_chunks(campaign, "csv"))


def test_every_subject_has_export_text_of_exactly_its_shown_cells(app: Flask) -> None:
    with app.app_context():
        campaign = hostile_campaign()
        texts = db.session.scalars(
            select(ExportText).where(ExportText.campaign_id == campaign.id)).all()
        shown = dict(db.session.execute(
            select(ShownScore.subject_id, func.count())
            .where(ShownScore.campaign_id == campaign.id)
            .group_by(ShownScore.subject_id)).all())
        subjects = db.session.scalars(
            select(Subject.id).where(Subject.campaign_id == campaign.id)).all()
    assert sorted(t.subject_id for t in texts) == sorted(subjects)
    assert {t.subject_id: t.body.count("\r\n") for t in texts} == shown
    assert {t.format for t in texts} == {FORMAT}


def test_export_shows_names_as_they_are_now(app: Flask) -> None:
    """Results are frozen at close, the subject's name and e-mail are not: renamed after the
    export text was stored, the next export shows the new ones on every row."""
    with app.app_context():
        campaign = hostile_campaign()
        before = csv_export(campaign)
        subject = db.session.scalars(
            select(Subject).where(Subject.campaign_id == campaign.id).order_by(Subject.id)).first()
        assert subject is not None
        old_name = subject.name
        subject.name = "+Alice, renamed"
        subject.person.email = "alice.renamed@example.test"
        campaign.name = "Autumn 360 (final)"
        db.session.commit()
        after = csv_export(campaign)
        assert after == reference_csv(campaign)
    assert after != before
    rows = list(csv.reader(io.StringIO(after.decode("utf-8-sig"))))
    assert "'+Alice, renamed" in {r[1] for r in rows}
    assert old_name not in {r[1] for r in rows}
    assert "alice.renamed@example.test" in {r[2] for r in rows}
    assert {r[0] for r in rows[1:]} == {"Autumn 360 (final)"}


def test_campaign_frozen_before_export_text_exports_the_same_bytes(app: Flask) -> None:
    """A campaign closed before export text was stored (or with text of an older format) has
    its text written from the stored shown cells by the next export: same bytes as ever."""
    with app.app_context():
        campaign = hostile_campaign()
        expected = reference_csv(campaign)
        subjects = db.session.scalars(
            select(Subject.id).where(Subject.campaign_id == campaign.id).order_by(Subject.id)
        ).all()
        db.session.execute(delete(ExportText).where(ExportText.subject_id != subjects[0]))
        db.session.execute(update(ExportText).values(format=FORMAT - 1))
        documents_before = db.session.execute(select(ReportSnapshot.subject_id,
                                                     ReportSnapshot.document)).all()
        db.session.commit()
        assert export_text_missing(campaign)
        produced = csv_export(campaign)
        assert not export_text_missing(campaign)
        texts = db.session.scalars(select(ExportText)).all()
        documents_after = db.session.execute(select(ReportSnapshot.subject_id,
                                                    ReportSnapshot.document)).all()
    assert produced == expected
    assert sorted(t.subject_id for t in texts) == sorted(subjects)
    assert {t.format for t in texts} == {FORMAT}
    assert documents_after == documents_before  # filled from shown cells, nothing recomputed


def test_stored_text_and_shown_cells_give_the_same_csv(app: Flask, monkeypatch) -> None:
    with app.app_context():
        campaign = hostile_campaign()
        from_text = csv_export(campaign)
        monkeypatch.setattr(export_module, "lines_split_cleanly", lambda campaign: False)
        from_cells = csv_export(campaign)
    assert from_text == from_cells


def test_an_area_title_with_a_line_break_exports_from_the_shown_cells(
    app: Flask, monkeypatch
) -> None:
    """The stored lines get the person columns at each CRLF: a title holding one would be cut
    there, so that campaign's CSV comes from the shown cells, as before export text existed."""
    with app.app_context():
        campaign = hostile_campaign()
        content = campaign_content(campaign)
        first = content.areas[0]
        broken = replace(content, areas=(replace(first, title="Line one\r\nline two"),
                                         *content.areas[1:]))
        monkeypatch.setattr(export_cells, "campaign_content", lambda campaign: broken)
        assert not export_cells.lines_split_cleanly(campaign)
        expected = b"".join(export_module._csv_chunks_from_cells(campaign))
        produced = csv_export(campaign)
    assert produced == expected
    assert b"Line one\r\nline two" in produced


def test_a_report_read_before_export_stores_the_same_text_as_the_shown_cells(app: Flask) -> None:
    with app.app_context():
        example = worked_example(status=CampaignStatus.CLOSED)
        stored_report(example.subject)  # a report page read before any precompute
        db.session.commit()
        stored = db.session.get(ExportText, example.subject.id)
        assert stored is not None and stored.body.count("\r\n") > 10
        first = stored.body
        db.session.execute(delete(ExportText))
        db.session.commit()
        db.session.expire_all()
        assert fill_export_text(example.campaign) == 1
        db.session.commit()
        refilled = db.session.get(ExportText, example.subject.id)
        assert refilled is not None
        assert refilled.body == first
