"""What a notebook shows about KPIs: the dictionary as a frame, one KPI's help card.

`s.kpis()` and `s.help(name)` (workbench.kpi.opened) read the same query
headers as `workbench kpi --list` and docs/metrics.md, so the three never
disagree. A help card prints as plain text and renders as Markdown or HTML
in Jupyter.
"""

from __future__ import annotations

import html

import polars as pl

from workbench.kpi.registry import FILTERS, Kpi, registry


def dictionary_frame() -> pl.DataFrame:
    """One row per KPI: name, titles, kind, parameters, filters, columns, description."""
    rows = [
        {
            "name": k.name,
            "title_zh": k.title_zh,
            "title_en": k.title_en,
            "kind": k.kind,
            "params": ", ".join(_param(k, p) for p in k.params),
            "filters": ", ".join(k.filters),
            "columns": ", ".join(k.columns),
            "description": k.description,
        }
        for k in registry().values()
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))


def _param(kpi: Kpi, name: str) -> str:
    return f"{name}={kpi.defaults[name]}" if name in kpi.defaults else name


class KpiHelp:
    """One KPI's dictionary entry: title, description, parameters, filters and columns."""

    def __init__(self, kpi: Kpi) -> None:
        self.kpi = kpi

    def _parameters(self) -> list[tuple[str, str]]:
        k = self.kpi
        rows = [(_param(k, p), _PARAM_NOTES.get(p, "")) for p in k.params]
        rows += [(f, f"filter, optional: {FILTERS[f]}") for f in k.filters]
        rows += [(p, "accepted from the contract's window by `workbench kpi`, not used") for p in k.ignores]
        return rows

    def _window(self) -> str:
        if "start" in self.kpi.params:
            return "week=N, start= and end=, or neither (the snapshot's latest complete campaign week)"
        if "end" in self.kpi.params:
            return "end= or week=N (its last day), or neither (the end of the latest complete campaign week)"
        return "no window"

    def __str__(self) -> str:
        k = self.kpi
        lines = [
            f"{k.name}: {k.title_zh} / {k.title_en} ({k.kind})",
            "",
            k.description,
            "",
            f"window: {self._window()}",
        ]
        lines += ["parameters:"] + [f"  {name}  {note}".rstrip() for name, note in self._parameters()]
        lines += [f"columns: {', '.join(k.columns)}"]
        if k.order:
            lines.append(f"rows ordered by: {', '.join(k.order)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        k = self.kpi
        params = "\n".join(f"- `{name}` {note}".rstrip() for name, note in self._parameters())
        return (
            f"### `{k.name}` — {k.title_zh} / {k.title_en}\n\n{k.description}\n\n"
            f"**window**: {self._window()}\n\n**parameters**\n\n{params}\n\n"
            f"**columns**: {', '.join(f'`{c}`' for c in k.columns)}\n"
        )

    def _repr_html_(self) -> str:
        k = self.kpi
        e = html.escape
        params = "".join(f"<li><code>{e(name)}</code> {e(note)}</li>" for name, note in self._parameters())
        columns = ", ".join(f"<code>{e(c)}</code>" for c in k.columns)
        return (
            f"<div><h3><code>{e(k.name)}</code> — {e(k.title_zh)} / {e(k.title_en)}</h3>"
            f"<p>{e(k.description)}</p><p><b>window</b>: {e(self._window())}</p>"
            f"<p><b>parameters</b></p><ul>{params}</ul><p><b>columns</b>: {columns}</p></div>"
        )


_PARAM_NOTES = {
    "start": "first Asia/Shanghai paid date (inclusive)",
    "end": "last Asia/Shanghai date (inclusive)",
    "limit": "how many rows",
}
