"""KPI frames as one Excel workbook: a sheet per KPI and an about sheet saying what produced them.

Each KPI sheet has the catalogue's column titles (Chinese first) in one
frozen header row; money is a number in yuan (fen / 100) with a `#,##0.00`
format, never text, shares are numbers formatted `0.0%`, codes read as
their labels. The about sheet names the snapshot (date, cutoff, source,
folder) and, per sheet, the KPI, its window and any other parameters or
filters. Polars' `write_excel` writes each sheet through xlsxwriter; the
workbook is built in memory and returned as bytes, so callers write it
atomically (workbench.files.write_atomic).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl
import xlsxwriter

from workbench import text
from workbench.errors import WorkbenchError
from workbench.tables.columns import Kind, kinds, labelled

# Excel's number formats by column kind (kinds without one keep Polars' default).
NUMBER_FORMATS: dict[Kind, str] = {
    "money": "#,##0.00",
    "share": "0.0%",
    "pp": "0.0",
    "count": "#,##0",
    "number": "#,##0.00",
}
# What Excel refuses in a sheet name, and its length limit.
_BAD_SHEET_CHARACTERS = set("[]:*?/\\")
_MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class Source:
    """The snapshot the sheets were computed from."""

    snapshot: date
    cutoff: str
    source: str
    folder: str


@dataclass(frozen=True)
class Sheet:
    """One KPI's frame, the sheet it goes to, and the parameters that produced it."""

    name: str
    kpi: str
    title_zh: str
    title_en: str
    frame: pl.DataFrame
    params: Mapping[str, object] = field(default_factory=dict)


def _headers(frame: pl.DataFrame, lang: str) -> dict[str, str]:
    """Column -> header: the catalogue's title, with the unit for money; a repeated title gets its column name."""
    headers: dict[str, str] = {}
    for column, kind in kinds(frame).items():
        title = text.column(column, lang)
        header = text.t("excel.yuan", lang, name=title) if kind == "money" else title
        headers[column] = f"{header} ({column})" if header in headers.values() else header
    return headers


def _yuan(fen: pl.Series) -> pl.Series:
    """Fen as yuan, each the double nearest the exact amount, as Python's `fen / 100`.

    (Polars' `/ 100` multiplies by 0.01, which can land one bit off: 92669.68000000001.)
    """
    return pl.Series(fen.name, fen.cast(pl.Float64).to_numpy() / 100, nan_to_null=True)


def _shown(frame: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, dict[str, str]]:
    """The frame as the sheet shows it (yuan, labels, headers) and each header's number format."""
    column_kinds = kinds(frame)
    shown = labelled(frame, lang)
    yuan = shown.with_columns(_yuan(shown[c]) for c, k in column_kinds.items() if k == "money")
    headers = _headers(frame, lang)
    formats = {headers[c]: NUMBER_FORMATS[k] for c, k in column_kinds.items() if k in NUMBER_FORMATS}
    return yuan.rename(headers), formats


def _check_names(sheets: Sequence[Sheet], about: str) -> None:
    seen = {about}
    for sheet in sheets:
        if len(sheet.name) > _MAX_SHEET_NAME or set(sheet.name) & _BAD_SHEET_CHARACTERS or not sheet.name:
            raise WorkbenchError(
                f"{sheet.name!r} cannot name an Excel sheet: at most 31 characters, none of [ ] : * ? / \\"
            )
        if sheet.name in seen:
            raise WorkbenchError(f"two sheets are named {sheet.name!r}; give each KPI its own sheet name")
        seen.add(sheet.name)


def _window(params: Mapping[str, object]) -> tuple[str, str, str]:
    """start, end and every other parameter as `name=value`, for the about sheet."""
    shown = {k: "" if v is None else str(v) for k, v in params.items()}
    others = ", ".join(f"{k}={v}" for k, v in shown.items() if k not in ("start", "end"))
    return shown.get("start", ""), shown.get("end", ""), others


def _about(book: xlsxwriter.Workbook, name: str, sheets: Sequence[Sheet], source: Source, lang: str) -> None:
    page = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    facts = [
        ("excel.snapshot", source.snapshot.isoformat()),
        ("excel.cutoff", source.cutoff),
        ("excel.source", source.source),
        ("excel.folder", source.folder),
    ]
    for row, (key, value) in enumerate(facts):
        page.write_string(row, 0, text.t(key, lang), bold)
        page.write_string(row, 1, value)
    page.write_string(len(facts), 0, text.t("excel.note", lang))
    top = len(facts) + 2
    header = ["excel.sheet", "excel.kpi", "excel.title", "excel.start", "excel.end", "excel.filters"]
    for col, key in enumerate(header):
        page.write_string(top, col, text.t(key, lang), bold)
    for row, sheet in enumerate(sheets, start=top + 1):
        start, end, others = _window(sheet.params)
        title = f"{sheet.title_zh} {sheet.title_en}" if lang == "zh" else sheet.title_en
        cells = [sheet.name, sheet.kpi, title, start, end, others or text.t("excel.none", lang)]
        for col, value in enumerate(cells):
            page.write_string(row, col, value)
    page.set_column(0, 0, 16)
    page.set_column(1, 1, 28)
    page.set_column(2, 2, 36)
    page.set_column(3, 4, 12)
    page.set_column(5, 5, 40)


def workbook(sheets: Sequence[Sheet], source: Source, lang: str = "zh") -> bytes:
    """The .xlsx bytes: one sheet per `sheets` entry in order, then the about sheet."""
    text.check_lang(lang)
    if not sheets:
        raise WorkbenchError("name at least one KPI to write to Excel")
    about = text.t("excel.about", lang)
    _check_names(sheets, about)
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        for sheet in sheets:
            shown, formats = _shown(sheet.frame, lang)
            shown.write_excel(
                workbook=book,
                worksheet=sheet.name,
                column_formats=formats,
                header_format={"bold": True},
                freeze_panes=(1, 0),
                autofit=True,
            )
        _about(book, about, sheets, source, lang)
    return buffer.getvalue()
