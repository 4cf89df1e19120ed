"""`python -m bench.xlsx_readers READER FILE`: read every row of a workbook into Python cells, print the count.

How the xlsx reader was chosen (docs/ingest.md): each candidate reads the
same back-office sheet (bench/sheet_data.py) the way sheets.py needs it,
every cell as a Python value, rows in order; bench/ingest.py runs each in
a child process through bench/peak.py for its time and peak RSS.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def openpyxl_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        yield from sheet.iter_rows(values_only=True)
    book.close()


def calamine_rows(path: Path) -> Iterator[list[Any]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        yield from book.get_sheet_by_name(name).iter_rows()


def fastexcel_rows(path: Path) -> Iterator[list[Any]]:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        # Every column as text: ids must never pass through a float column.
        sheet = reader.load_sheet(name, header_row=None, dtypes="string")
        batch = sheet.to_arrow()
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


READERS = {"openpyxl": openpyxl_rows, "calamine": calamine_rows, "fastexcel": fastexcel_rows}

if __name__ == "__main__":
    reader, file = sys.argv[1], Path(sys.argv[2])
    print(sum(1 for _ in READERS[reader](file)))
