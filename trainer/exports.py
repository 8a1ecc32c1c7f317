"""Tabular downloads that spreadsheets open safely: UTF-8 with a byte-order mark (so Excel reads Cyrillic), and
text cells that a spreadsheet would run as a formula neutralised with a leading apostrophe (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- tables shown on a page and downloaded as CSV or XLSX, with the same rows and columns ---------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # already translated for the reader
    kind: str = "text"  # text | int | float | percent (a 0..1 share) | date


@dataclass(frozen=True)
class Table:
    name: str  # for file names: what the table is
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]

    def header(self) -> list[str]:
        return [column.label for column in self.columns]


def csv_stream(table: Table) -> Iterator[bytes]:
    """The table as CSV, a few rows at a time (a response can stream it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(label) for label in table.header()])
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for start in range(0, len(table.rows), 500):
        out.seek(0)
        out.truncate()
        for row in table.rows[start:start + 500]:
            writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        yield out.getvalue().encode("utf-8")


def xlsx_file(table: Table, path: str) -> None:
    """The table as an XLSX workbook written to ``path`` (openpyxl's write-only mode: rows go straight to disk).
    Numbers stay numbers, shares get a percent format, and text that looks like a formula is stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31] or "table")
    bold = Font(bold=True)
    header = []
    for label in table.header():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = {"percent": "0.0%", "float": "0.00", "int": "0", "date": "yyyy-mm-dd"}
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if value is not None and column.kind in formats:
                    cell.number_format = formats[column.kind]
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def file_name(what: str, when: datetime, extension: str) -> str:
    """``completion-by-province-2026-11-22-1405.xlsx``: what the file holds and when it was made."""
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-") or "export"
    return f"{slug}-{when.strftime('%Y-%m-%d-%H%M')}.{extension}"
