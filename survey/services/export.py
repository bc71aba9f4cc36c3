"""Export a campaign's shown figures as CSV (UTF-8 with BOM) or XLSX, streamed (SPEC §8).

Rows come from the stored shown cells (`shown_score`), so a hidden cell cannot appear: it was
never stored. Text cells that a spreadsheet could run as a formula (starting with = + - @, tab
or carriage return) are prefixed with a single quote (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from survey.domain.anonymity import DISPLAY_ORDER
from survey.domain.questionnaire import LEVELS, area_items
from survey.errors import SurveyError
from survey.extensions import db
from survey.models import Campaign, Person, Subject
from survey.models_reports import ShownScore
from survey.services.questionnaires import campaign_content
from survey.services.report_cache import precompute_reports, require_results

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = [
    "campaign", "subject", "email", "level", "team", "section", "kind",
    "area", "area_title", "item", "group", "score", "n", "na",
]
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 2000


def neutralise(value: Any) -> Any:
    """Return a text cell prefixed with ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


def prepare_export(campaign: Campaign) -> None:
    """Check the campaign has results and store any missing frozen reports (caller commits).

    Raises InvalidState while the campaign is draft or open.
    """
    require_results(campaign)
    precompute_reports(campaign)


def export_rows(campaign: Campaign) -> Iterator[list[Any]]:
    """Yield the header, then one row per shown cell, subject by subject, in spoke order."""
    yield HEADER
    order = _sort_keys(campaign)
    query = (
        select(
            ShownScore.subject_id, Subject.name, Person.email, ShownScore.level,
            ShownScore.team, ShownScore.section, ShownScore.kind, ShownScore.area,
            ShownScore.item, ShownScore.rater_group, ShownScore.score_centi, ShownScore.n,
            ShownScore.na,
        )
        .join(Subject, ShownScore.subject_id == Subject.id)
        .join(Person, Subject.person_id == Person.id)
        .where(ShownScore.campaign_id == campaign.id)
        .order_by(ShownScore.subject_id)
        .execution_options(yield_per=ROWS_PER_CHUNK)
    )
    titles = {a.key: a.title for a in campaign_content(campaign).areas}
    for _, cells in groupby(db.session.execute(query), key=lambda row: row[0]):
        for row in sorted(cells, key=order):
            (_, name, email, level, team, section, kind, area, item, group, centi, n, na) = row
            yield [
                campaign.name, name, email, level, team, section, kind, area,
                titles.get(area, area), item, group, centi / 100, n, na if kind == "item" else "",
            ]


def csv_chunks(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """Yield UTF-8 CSV bytes with a BOM first, a few thousand rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(v) for v in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[list[Any]], target: IO[bytes] | str | Path) -> None:
    """Write rows to an XLSX workbook in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Shown figures")
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    workbook.save(target)


def _csv_cell(value: Any) -> Any:
    """Scores keep their 2 decimals in text (SPEC §7.9); text is neutralised."""
    return f"{value:.2f}" if isinstance(value, float) else neutralise(value)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00"
        return cell
    return neutralise(value)


def export_chunks(campaign: Campaign, fmt: str) -> Iterator[bytes]:
    """Yield the export file's bytes in chunks (XLSX goes through a temporary file)."""
    if fmt == "csv":
        yield from csv_chunks(export_rows(campaign))
        return
    with tempfile.TemporaryFile() as spool:
        write_xlsx(export_rows(campaign), spool)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


def write_export(campaign: Campaign, fmt: str, output: Path) -> None:
    """Write the export to `output`; raises SurveyError for an unknown format or bad path."""
    if fmt not in FORMATS:
        raise SurveyError(f"unknown export format {fmt!r}; use csv or xlsx")
    try:
        with open(output, "wb") as handle:
            for chunk in export_chunks(campaign, fmt):
                handle.write(chunk)
    except OSError as error:
        raise SurveyError(f"cannot write {output}: {error.strerror}") from None


def file_name(campaign: Campaign, fmt: str) -> str:
    """Return a safe download file name like `campaign-3-shown-figures.csv`."""
    return f"campaign-{campaign.id}-shown-figures.{fmt}"


def _sort_keys(campaign: Campaign) -> Any:
    """Order within a subject: section, areas then items, spoke order, group display order."""
    content = campaign_content(campaign)
    spoke: dict[str, int] = {}
    item_pos: dict[str, int] = {}
    for level in LEVELS:
        for key, _, items in area_items(level, content):
            spoke.setdefault(key, len(spoke))
            for item in items:
                item_pos.setdefault(item, len(item_pos))
    groups = {g: i for i, g in enumerate(DISPLAY_ORDER)}

    def order(row: Any) -> tuple[int, int, int, int, int]:
        return (
            row[5] != "level", row[6] != "area", spoke.get(row[7], 99),
            item_pos.get(row[8], -1), groups.get(row[9], 99),
        )

    return order
