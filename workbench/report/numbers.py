"""Number formats for the report beyond money and shares (workbench.output_format).

Changes in percentage points and large counts are written the way Chinese
business readers expect (`个百分点`, 万/亿); English gets `pp` and K/M.
"""

from __future__ import annotations

from workbench.output_format import format_share, format_yuan

__all__ = ["format_count", "format_pp", "format_share", "format_yuan", "pp_change", "direction"]

_MISSING = "—"


def pp_change(current: float | None, reference: float | None) -> float | None:
    """current - reference in percentage points, or None when either share is undefined."""
    if current is None or reference is None:
        return None
    return (current - reference) * 100


def direction(delta: float | None) -> str:
    """`up`, `down` or `flat` (under 0.05 pp or undefined), the key of the word to use."""
    if delta is None or abs(delta) < 0.05:
        return "flat"
    return "up" if delta > 0 else "down"


def format_pp(delta: float | None, lang: str, signed: bool = True) -> str:
    """`+1.2个百分点` / `+1.2 pp`; unsigned gives the magnitude for a sentence."""
    if delta is None:
        return _MISSING
    number = f"{delta:+.1f}" if signed else f"{abs(delta):.1f}"
    return f"{number}个百分点" if lang == "zh" else f"{number} pp"


def format_count(value: float | None, lang: str) -> str:
    """Counts and points: `12.35万` (zh) / `123.5K` (en) when large, digits otherwise."""
    if value is None:
        return _MISSING
    units = ((100_000_000, "亿"), (10_000, "万")) if lang == "zh" else ((1_000_000, "M"), (1_000, "K"))
    for size, unit in units:
        if abs(value) >= size:
            return f"{value / size:,.2f}{unit}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
