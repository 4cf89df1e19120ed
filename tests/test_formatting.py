"""The one number ladder (workbench/formatting.py): money, counts, shares and changes."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.formatting import (
    FLAT_RELATIVE,
    direction,
    format_change,
    format_count,
    format_pp,
    format_share,
    format_yuan,
)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        # The bug the old copy of the ladder had: a value that rounds up to the next unit.
        (999_999, "en", "1.00M"),
        (99_999_999, "zh", "1.00亿"),
        (9_999.996, "zh", "1.00万"),
        (999.996, "en", "1.00K"),
        (999, "en", "999"),
        (9_999, "zh", "9,999"),
        (999_994, "en", "999.99K"),
        (123_456_789_012, "en", "123.46B"),
        (-16_000, "zh", "-1.60万"),
        (0, "zh", "0"),
    ],
)
def test_count_ladder_moves_up_when_the_smaller_unit_would_round_to_the_next(
    value: float, lang: str, expected: str
) -> None:
    assert format_count(value, lang) == expected


@pytest.mark.parametrize(
    ("fen", "lang", "expected"),
    [
        (9_999_999_999, "zh", "1.00亿元"),
        (99_999_999, "en", "¥1.00M"),
        (99_999, "zh", "999.99元"),
    ],
)
def test_money_uses_the_same_ladder(fen: int, lang: str, expected: str) -> None:
    assert format_yuan(fen, lang) == expected


def test_unknown_language_is_refused_not_guessed() -> None:
    with pytest.raises(WorkbenchError, match="language 'fr'"):
        format_count(12, "fr")
    with pytest.raises(WorkbenchError, match="language 'fr'"):
        format_yuan(12, "fr")


def test_shares_changes_and_directions() -> None:
    assert format_share(0.1234) == "12.3%"
    assert format_change(0.664) == "+66.4%"
    assert format_pp(-14.04, "zh") == "-14.0个百分点"
    assert format_pp(-14.04, "en", signed=False) == "14.0 pp"
    assert [direction(d) for d in (None, 0.04, -0.04, 0.05, -0.2)] == ["flat", "flat", "flat", "up", "down"]
    # A relative change (0.0004 = +0.04%) is flat below the same threshold written in percent.
    assert [direction(d, FLAT_RELATIVE) for d in (0.0004, -0.0004, 0.0005, -0.02)] == ["flat", "flat", "up", "down"]
