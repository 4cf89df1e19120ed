"""KPI frames as tables for people: the display form for notebooks and Excel workbooks.

Presentation, like `charts`: it takes the frame a KPI returns and changes
only how it reads (yuan or 万元 from integer fen, shares as percentages,
Chinese column titles and category names, through the one catalogue and
number ladder); the frame itself, with its exact integer fen, is never
touched. `columns` says how each column reads, `display` gives a
great_tables table (Polars' `DataFrame.style`), `excel` a workbook with one
sheet per KPI and an about sheet. It knows nothing of KPIs or snapshots:
`OpenedSnapshot.show` and `.to_excel` pass in titles and provenance.
"""

from workbench.tables.display import display
from workbench.tables.excel import Sheet, Source, workbook

__all__ = ["Sheet", "Source", "display", "workbook"]
