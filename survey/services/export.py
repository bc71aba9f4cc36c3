"""Export a campaign's shown figures as CSV (UTF-8 with BOM) or XLSX, streamed (SPEC §8).

Rows come from the stored shown cells, so a hidden cell cannot appear: it was never stored. The
CSV reads each subject's shown cells as ready text (`export_text`, written with the frozen
report) and puts the person columns in front of each line; XLSX reads them from `shown_score`.
Both give the same rows in the same order. Text cells that a spreadsheet could run as a
formula (starting with = + - @, tab or carriage return) are prefixed with a single quote (OWASP
CSV injection advice).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from survey.errors import SurveyError
from survey.models import Campaign
from survey.services.export_cells import (
    HEADER,
    RISKY_STARTS,
    csv_text,
    lines_split_cleanly,
    neutralise,
    subject_cells,
    subject_texts,
)
from survey.services.report_cache import (
    export_text_missing,
    precompute_reports,
    require_results,
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
__all__ = ["FORMATS", "HEADER", "RISKY_STARTS", "neutralise", "export_chunks", "write_export"]
ROWS_PER_CHUNK = 2000
CHARS_PER_CHUNK = 1 << 19


def prepare_export(campaign: Campaign) -> None:
    """Check the campaign has results; store any missing frozen reports and export text.

    Looks for a subject without export text of the current format first (one indexed query):
    when there is none, every frozen report is stored and current. Otherwise stores what is
    missing, including the text of subjects frozen before it was stored. Raises InvalidState
    while the campaign is draft or open. The caller commits.
    """
    require_results(campaign)
    if export_text_missing(campaign):
        precompute_reports(campaign)


def csv_chunks(campaign: Campaign) -> Iterator[bytes]:
    """Yield the campaign's export as UTF-8 CSV bytes (BOM first), a subject at a time.

    Columns: `HEADER`; the score with 2 decimals (SPEC §7.9), `na` empty on an area cell.
    Each subject's stored lines get the person columns in front (`prepare_export` first).
    """
    if not lines_split_cleanly(campaign):
        yield from _csv_chunks_from_cells(campaign)
        return
    pending = ["\ufeff" + csv_text(HEADER) + "\r\n"]
    size = 0
    for person, body in subject_texts(campaign):
        if not body:
            continue  # nothing shown for this subject
        text = person + body.replace("\r\n", "\r\n" + person)
        pending.append(text[: -len(person)])
        size += len(text)
        if size >= CHARS_PER_CHUNK:
            yield "".join(pending).encode("utf-8")
            pending = []
            size = 0
    yield "".join(pending).encode("utf-8")


def _csv_chunks_from_cells(campaign: Campaign) -> Iterator[bytes]:
    """`csv_chunks` from the shown cells: for a campaign whose area titles hold CRLF."""
    pending = ["\ufeff" + csv_text(HEADER) + "\r\n"]
    for cells in subject_cells(campaign):
        pending += [person.text + kind.text + figures.text for _, person, kind, figures in cells]
        if len(pending) >= ROWS_PER_CHUNK:
            yield "".join(pending).encode("utf-8")
            pending = []
    yield "".join(pending).encode("utf-8")


def write_xlsx(campaign: Campaign, target: IO[bytes] | str | Path) -> None:
    """Write the campaign's export as XLSX (write-only mode); scores are 0.00 number cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Shown figures")
    sheet.append(HEADER)
    for cells in subject_cells(campaign):
        for _, person, kind, figures in cells:
            score, n, na = figures.values
            cell = WriteOnlyCell(sheet, value=score)
            cell.number_format = "0.00"
            sheet.append([*person.values, *kind.values, cell, n, na])
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
