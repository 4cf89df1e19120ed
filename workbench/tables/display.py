"""The display form of a KPI frame: a great_tables table in the analyst's units.

Money reads in yuan, or 万元/亿元 when large, shares as percentages, pp
changes as 个百分点, counts with 万/亿, through the one ladder
(workbench.formatting); column titles and category names come from the
catalogue. great_tables (Polars' `DataFrame.style`) does the table: it
renders as HTML in JupyterLab and in an exported notebook, keeps numbers
right-aligned, and can be saved or styled further by the caller.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from great_tables import GT

from workbench import text
from workbench.formatting import MISSING, format_count, format_pp, format_share, format_yuan
from workbench.tables.columns import kinds, labelled


def _formatter(kind: str, lang: str) -> Callable[[object], str] | None:
    """The ladder's function for a column kind (None: shown as it is)."""
    return {
        "money": lambda v: format_yuan(v, lang),
        "share": format_share,
        "pp": lambda v: format_pp(v, lang),
        "count": lambda v: format_count(v, lang),
        "number": lambda v: MISSING if v is None else f"{v:,.2f}",
        "bool": lambda v: MISSING if v is None else text.t("table.yes" if v else "table.no", lang),
        "date": lambda v: MISSING if v is None else v.isoformat(),
    }.get(kind)


def display(frame: pl.DataFrame, title: str = "", subtitle: str = "", lang: str = "zh") -> GT:
    """`frame` as a great_tables table in the analyst's units, titled `title` (e.g. the KPI's) over `subtitle`.

    The frame is not changed: `kpi()` keeps its exact integer fen, this is only how it reads.
    """
    text.check_lang(lang)
    table = labelled(frame, lang).style.cols_label(**{c: text.column(c, lang) for c in frame.columns})
    for column, kind in kinds(frame).items():
        formatter = _formatter(kind, lang)
        if formatter is not None:
            table = table.fmt(formatter, columns=column)
    table = table.sub_missing(missing_text=MISSING)
    if title:
        table = table.tab_header(title=title, subtitle=subtitle or None)
    return table
