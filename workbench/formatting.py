"""The one number-formatting ladder: money, counts, shares and changes, for people.

Chinese business writing quotes large figures in 万 and 亿, English in K, M
and B. Both go through one ladder, `_scaled`, which moves up to the bigger
unit as soon as the smaller one would round up to it, so 999,999 reads
`1.00M` (never `1,000.00K`) and 99,999,999 reads `1.00亿` (never
`10,000.00万`). Null shows as a dash, never as zero: "no value" and
"nothing sold" mean different things.
"""

from __future__ import annotations

from workbench.text import check_lang

MISSING = "—"
# (size, suffix) from the biggest unit down, per language.
_UNITS: dict[str, tuple[tuple[int, str], ...]] = {
    "zh": ((100_000_000, "亿"), (10_000, "万")),
    "en": ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")),
}
# How money is written around a number, per language: (before, after).
_MONEY: dict[str, tuple[str, str]] = {"zh": ("", "元"), "en": ("¥", "")}
# Below this many pp a change reads as flat; a relative change below the same in percent (0.05%).
FLAT_PP = 0.05
FLAT_RELATIVE = FLAT_PP / 100


def _scaled(value: float, lang: str) -> tuple[float, str] | None:
    """`value` divided into the biggest unit it reaches at two decimals, or None below the smallest unit."""
    units = _UNITS[check_lang(lang)]
    smaller = [size for size, _ in units[1:]] + [1]
    for (size, suffix), below in zip(units, smaller, strict=True):
        if abs(value) >= size - 0.005 * below:
            return value / size, suffix
    return None


def format_yuan(fen: int | None, lang: str = "zh") -> str:
    """Fen as yuan: `1.23亿元`, `45.60万元`, `999.50元` (zh) or `¥1.23M`, `¥999.50` (en)."""
    if fen is None:
        return MISSING
    yuan = fen / 100
    before, after = _MONEY[check_lang(lang)]
    scaled = _scaled(yuan, lang)
    number = f"{scaled[0]:,.2f}{scaled[1]}" if scaled else f"{yuan:,.2f}"
    return f"{before}{number}{after}"


def format_count(value: float | None, lang: str) -> str:
    """Counts and points: `12.35万` (zh) / `123.46K` (en) when large, digits otherwise."""
    if value is None:
        return MISSING
    scaled = _scaled(value, lang)
    if scaled:
        return f"{scaled[0]:,.2f}{scaled[1]}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def format_share(share: float | None) -> str:
    """A share in [0, 1] as a percent with one decimal; null (no denominator) as a dash."""
    return MISSING if share is None else f"{share * 100:.1f}%"


def format_points(points: float | None) -> str:
    """Growth-card points as a whole number with separators: `150,000`; points are never quoted in 万 or K."""
    return MISSING if points is None else f"{round(points):,}"


def format_change(relative: float | None) -> str:
    """A relative change as a signed percent with one decimal, like shares: `+12.3%`; undefined as a dash."""
    return MISSING if relative is None else f"{relative * 100:+.1f}%"


def relative_change(current: float | None, reference: float | None) -> float | None:
    """current / reference - 1, or None when either is missing or the reference is 0 (no base to compare with)."""
    if current is None or reference is None or reference == 0:
        return None
    return current / reference - 1


def axis_label_expr(lang: str, money: bool = False) -> str:
    """A Vega expression that labels a chart axis on this ladder (`50万`, `1.2亿`; `¥50K` for money in en), like the cards.

    Axis ticks are round numbers, so up to two decimals are shown only when
    needed (`~` trims trailing zeros); the units and thresholds are `_UNITS`,
    the same as every formatted figure, so an axis can never disagree with
    the card beside it.
    """
    value = "datum.value"
    # In zh the axis title carries 元 (`支付GMV（元）`), so ticks stay short: `50万`.
    prefix = _MONEY[check_lang(lang)][0] if money else ""
    branches = "".join(
        f"abs({value}) >= {size} ? '{prefix}' + format({value} / {size}, ',.2~f') + '{suffix}' : "
        for size, suffix in _UNITS[check_lang(lang)]
    )
    return f"{branches}'{prefix}' + format({value}, ',.2~f')"


def pp_change(current: float | None, reference: float | None) -> float | None:
    """current - reference in percentage points, or None when either share is undefined."""
    if current is None or reference is None:
        return None
    return (current - reference) * 100


def direction(delta: float | None, flat: float = FLAT_PP) -> str:
    """`up`, `down` or `flat` (under `flat`, FLAT_PP for pp and FLAT_RELATIVE for ratios, or undefined): a word's key."""
    if delta is None or abs(delta) < flat:
        return "flat"
    return "up" if delta > 0 else "down"


def format_pp(delta: float | None, lang: str, signed: bool = True) -> str:
    """`+1.2个百分点` / `+1.2 pp`; unsigned gives the magnitude for a sentence."""
    if delta is None:
        return MISSING
    number = f"{delta:+.1f}" if signed else f"{abs(delta):.1f}"
    return f"{number}个百分点" if check_lang(lang) == "zh" else f"{number} pp"
