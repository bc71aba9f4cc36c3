"""Export a campaign's shown figures as CSV (UTF-8 with BOM) or XLSX, streamed (SPEC §8).

Rows come from the subjects' frozen reports (`survey.services.frozen_reports`), which hold
shown cells only, so a hidden cell cannot appear. One row per shown area and item cell; within
a subject: the level section, then the readiness section; area cells before item cells; each
in the report's order (spoke order, item order, group display order); then, when the subject
has a previous campaign (SPEC §11), section `trend`: one `area` row per cell shown in both
campaigns, whose `score` is the change (current − previous) and `n`, `na` empty. Text cells that a
spreadsheet could run as a formula (starting with = + - @, tab or carriage return) are
prefixed with a single quote (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from survey.domain.report import SubjectReport
from survey.domain.trend import find_trend
from survey.models import Campaign
from survey.services.frozen_reports import campaign_reports, require_results
from survey.services.trend import previous_reports

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = (
    "campaign",
    "subject",
    "email",
    "level",
    "team",
    "section",
    "kind",
    "area",
    "area_title",
    "item",
    "group",
    "score",
    "n",
    "na",
)
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHARS_PER_CHUNK = 1 << 19

Row = tuple[Any, ...]


def neutralise(value: Any) -> Any:
    """Return a text cell prefixed with ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


def export_rows(
    campaign: Campaign, score: Callable[[float], Any] = float
) -> Iterator[Iterator[Row]]:
    """Yield the export's rows after `HEADER` as one run per report section of each subject
    (see the module docstring), subjects by id; a subject with nothing shown has no rows.

    Values: free text (names, e-mail, team, area titles) neutralised; keys and group names are
    identifiers (`survey.domain.content.KEY_PATTERN`), which never start like a formula;
    `score(s)` for the score, rounded to 2 decimals (SPEC §7.9); `n` an int; `na` an int on an
    item cell and "" on an area cell. Raises InvalidState while the campaign is draft or open.
    """
    previous = previous_reports(campaign)
    for frozen in campaign_reports(campaign):
        s, scored = frozen.subject, frozen.scored
        person = tuple(neutralise(v) for v in (campaign.name, s.name, s.email, s.level, s.team))
        yield _rows(person, "level", scored.report, score)
        if scored.readiness is not None:
            yield _rows(person, "readiness", scored.readiness, score)
        if s.id in previous:
            yield _trend_rows(person, scored.report, previous[s.id].report, score)


def _trend_rows(
    person: Row, report: SubjectReport, before: SubjectReport, score: Callable[[float], Any]
) -> Iterator[Row]:
    titles = {a.key: neutralise(a.title) for a in report.areas}
    for c in find_trend(report, before):
        yield (*person, "trend", "area", c.area, titles[c.area], "", c.group, score(c.delta),
               "", "")  # fmt: skip


def _rows(
    person: Row, section: str, report: SubjectReport, score: Callable[[float], Any]
) -> Iterator[Row]:
    titles = {a.key: neutralise(a.title) for a in report.areas}
    for a in report.area_scores:
        yield (*person, section, "area", a.area, titles[a.area], "", a.group, score(a.score),
               a.n, "")  # fmt: skip
    for i in report.item_scores:
        yield (*person, section, "item", i.area, titles[i.area], i.item, i.group, score(i.score),
               i.n, i.na)  # fmt: skip


def csv_chunks(campaign: Campaign) -> Iterator[bytes]:
    """Yield the campaign's export as UTF-8 CSV bytes (BOM first), about 512 KB at a time.

    Columns: `HEADER`; the score with 2 decimals (SPEC §7.9), `na` empty on an area cell.
    Raises InvalidState while the campaign is draft or open.
    """
    require_results(campaign)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for rows in export_rows(campaign, "{:.2f}".format):
        writer.writerows(rows)
        if buffer.tell() >= CHARS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(campaign: Campaign, target: IO[bytes] | str | Path) -> None:
    """Write the campaign's export as XLSX (write-only mode); scores are 0.00 number cells.

    Raises InvalidState while the campaign is draft or open.
    """
    require_results(campaign)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Shown figures")

    def score(value: float) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00"
        return cell

    sheet.append(HEADER)
    for rows in export_rows(campaign, score):
        for row in rows:
            sheet.append(row)
    workbook.save(target)


def export_chunks(campaign: Campaign, fmt: str) -> Iterator[bytes]:
    """Yield the export file's bytes in chunks (XLSX goes through a temporary file)."""
    if fmt == "csv":
        yield from csv_chunks(campaign)
        return
    with tempfile.TemporaryFile() as spool:
        write_xlsx(campaign, spool)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


def file_name(campaign: Campaign, fmt: str) -> str:
    """Return a safe download file name like `campaign-3-shown-figures.csv`."""
    return f"campaign-{campaign.id}-shown-figures.{fmt}"
