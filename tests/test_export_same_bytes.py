"""The streamed export writes exactly the bytes of the straightforward row-by-row export.

`reference_csv`/`reference_rows` below are the export as it was before it was made fast
(issue 8): ORM rows, a sort key and `neutralise` per cell, `csv.writer.writerow` per row. The
fast export must not change one byte of it, on hostile text (formulas, commas, quotes, line
breaks) and on a readiness section too.
"""

from __future__ import annotations

import csv
import io
from itertools import groupby
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from survey.domain.anonymity import DISPLAY_ORDER
from survey.domain.questionnaire import LEVELS, area_items
from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Person, Subject
from survey.models_reports import ShownScore
from survey.services.export import HEADER, export_chunks, neutralise, prepare_export
from survey.services.questionnaires import campaign_content
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
