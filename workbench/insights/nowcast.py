"""Where will a window's settled GMV land? A chain-ladder nowcast by channel.

Lines settle days to weeks after payment, so a recent week's settled GMV is
far below its final value. From the snapshot's own mature lines
(`queries/nowcast_development.sql`) we learn, for each channel, category
and age in days, what share of the paid amount of lines *not yet settled
at that age* finally settles; applied to the window's unsettled lines
(`queries/nowcast_open.sql`) it gives the final settled GMV. The interval
uses the larger of the model's spread (factors bootstrapped over the mature
paid days, plus which lines will be refunded) and the method's own error
when replayed on earlier windows that are final now. docs/methods.md says
when not to trust it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from workbench.errors import WorkbenchError
from workbench.insights import stats
from workbench.insights.unavailable import MethodUnavailable
from workbench.kpi.opened import OpenedSnapshot

# Lines paid this many days before the cutoff are treated as final.
MATURE_DAYS = 30
# Paid days of mature lines the factors are learnt from (the most recent ones).
LEARN_DAYS = 28
# A (channel, category, age) cell needs this many mature lines, else it pools categories, then channels.
MIN_LINES = 200
BOOTSTRAP_REPS = 400
# Earlier windows the method is replayed on to measure its own error.
BACKTESTS = 4

# Learning levels from finest to coarsest: the columns a factor is specific to (age always).
_LEVELS = (("channel", "category"), ("channel",), ())


@dataclass(frozen=True)
class NowcastSettings:
    """The tuning of one nowcast; the defaults suit the synthetic demo world."""

    mature_days: int = MATURE_DAYS
    learn_days: int = LEARN_DAYS
    min_lines: int = MIN_LINES
    reps: int = BOOTSTRAP_REPS
    backtests: int = BACKTESTS
    seed: int = 0


def _key(level: tuple[str, ...]) -> pl.Expr:
    parts = [pl.col(c) if c in level else pl.lit("*") for c in ("channel", "category")]
    return pl.concat_str([*parts, pl.col("age").cast(pl.Utf8)], separator="|")


def _choose_keys(dev: pl.DataFrame, cells: pl.DataFrame, min_lines: int) -> pl.DataFrame:
    """Each open cell's learning key: the finest level with at least `min_lines` mature lines."""
    chosen = cells.with_columns(key=pl.lit(None, dtype=pl.Utf8))
    for level in _LEVELS:
        counts = dev.group_by(_key(level).alias("candidate")).agg(pl.col("lines").sum().alias("n"))
        chosen = (
            chosen.with_columns(candidate=_key(level))
            .join(counts, on="candidate", how="left")
            .with_columns(key=pl.coalesce("key", pl.when(pl.col("n") >= min_lines).then("candidate")))
            .drop("candidate", "n")
        )
    return chosen


def _by_day(dev: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Development sums per (mature paid day, learning key), every level's keys together."""
    parts = [dev.with_columns(key=_key(level)).filter(pl.col("key").is_in(keys)) for level in _LEVELS]
    sums = ("unsettled_fen", "eventual_fen", "unsettled_sq", "eventual_sq", "cross_sq")
    return pl.concat(parts).group_by("paid_date", "key").agg(pl.col(c).sum() for c in sums)


def _matrices(frame: pl.DataFrame, columns: tuple[str, ...], days: list[date], keys: list[str]) -> list[np.ndarray]:
    """Each column as a (paid day x key) matrix, 0 where a day has no row for a key.

    `frame` has one row per (paid_date, key) (_by_day's groups), so placing
    each value at its day and key is exact; it replaces one pivot per column.
    """
    row = {d: i for i, d in enumerate(days)}
    col = {k: j for j, k in enumerate(keys)}
    rows = np.array([row[d] for d in frame["paid_date"].to_list()], dtype=int)
    cols = np.array([col[k] for k in frame["key"].to_list()], dtype=int)
    out = []
    for column in columns:
        matrix = np.zeros((len(days), len(keys)))
        matrix[rows, cols] = frame[column].fill_null(0.0).to_numpy().astype(float)
        out.append(matrix)
    return out


@dataclass(frozen=True)
class _Fit:
    """A nowcast's parts before summing per channel."""

    cells: pl.DataFrame
    keys: list[str]
    factor: np.ndarray
    replicates: np.ndarray
    spread: np.ndarray


def _development(snap: OpenedSnapshot, cut: date, s: NowcastSettings, earlier_days: int = 0) -> pl.DataFrame:
    """The development rows of the lines mature at `cut` and at every cutoff up to `earlier_days` before it.

    A paid day's rows do not depend on the cutoff (the ages run 0..mature_days
    whatever it is; the cutoff only picks the paid days), so one query serves
    the nowcast and all its backtests, each taking its own paid days (_mature_at).
    """
    return snap.kpi(
        "nowcast_development", cutoff_date=cut, mature_days=s.mature_days, learn_days=s.learn_days + earlier_days
    )


def _mature_at(development: pl.DataFrame, cut: date, s: NowcastSettings) -> pl.DataFrame:
    """The rows of nowcast_development at cutoff `cut`: lines paid on the learn_days days ending mature_days before it."""
    last = cut - timedelta(days=s.mature_days)
    return development.filter(pl.col("paid_date").is_between(last - timedelta(days=s.learn_days - 1), last))


def _fit(
    snap: OpenedSnapshot, start: date, end: date, cut: date, s: NowcastSettings, development: pl.DataFrame
) -> _Fit:
    """Learn factors from lines mature at `cut` and line them up with the window's cells as of `cut`.

    `development` is _development's frame for `cut` or a later cutoff.
    """
    dev = _mature_at(development, cut, s)
    cells = _choose_keys(
        dev, snap.kpi("nowcast_open", start, end, cutoff_date=cut, mature_days=s.mature_days), s.min_lines
    )
    unlearnt = cells.filter(pl.col("key").is_null() & (pl.col("unsettled_fen") > 0))
    if unlearnt.height:
        raise MethodUnavailable(
            f"snapshot {snap.date}: fewer than {s.min_lines} mature lines (paid {s.mature_days}+ days before "
            f"{cut}) to learn from for ages {sorted(set(unlearnt['age'].to_list()))}; use a snapshot with more "
            "history or lower min_lines",
            "nowcast_history",
            min_lines=s.min_lines,
            mature_days=s.mature_days,
            cut=cut,
        )
    keys = sorted(set(cells["key"].drop_nulls().to_list()))
    learnt = _by_day(dev, keys)
    days = sorted(set(learnt["paid_date"].to_list()))
    numer, denom, *squares = _matrices(
        learnt, ("eventual_fen", "unsettled_fen", "unsettled_sq", "eventual_sq", "cross_sq"), days, keys
    )
    factor = stats.ratio_factors(numer, denom)
    weights = stats.resample_counts(np.random.default_rng(s.seed), len(days), s.reps)
    replicates = stats.ratio_factors(numer, denom, weights)
    unsettled_sq, eventual_sq, cross_sq = (m.sum(axis=0) for m in squares)
    spread = stats.outcome_variance(factor, unsettled_sq, eventual_sq, cross_sq)
    return _Fit(cells, keys, factor, np.where(np.isnan(replicates), factor, replicates), spread)


def _shifts(s: NowcastSettings) -> range:
    """How many days each backtest moves the window and cutoff back: whole weeks, past mature_days."""
    first_shift = -(-s.mature_days // 7) * 7
    return range(first_shift, first_shift + 7 * s.backtests, 7)


def _backtest_errors(
    snap: OpenedSnapshot, start: date, end: date, cut: date, s: NowcastSettings, development: pl.DataFrame
) -> dict[str, list[float]]:
    """Relative errors (truth / nowcast - 1) of the same method on earlier, now final windows, per channel.

    The window and cutoff are moved back together by whole weeks (same
    weekdays, same ages at the cutoff) far enough that the moved window has
    matured in this snapshot; settlement dates let the query replay what was
    known at the earlier cutoff. Shifts without enough history are skipped.
    """
    errors: dict[str, list[float]] = {}
    for shift in _shifts(s):
        back = timedelta(days=shift)
        try:
            fit = _fit(snap, start - back, end - back, cut - back, s, development)
        except WorkbenchError:
            continue
        point = _channel_sums(fit)[1]
        truth = snap.kpi("channel_mix", start - back, end - back).select("channel", "settled_gmv_fen")
        final = dict(zip(truth["channel"].to_list(), truth["settled_gmv_fen"].to_list(), strict=True))
        for channel, estimate in zip(_channels(fit.cells), point, strict=True):
            if estimate > 0 and channel in final:
                errors.setdefault(channel, []).append(final[channel] / estimate - 1.0)
    return errors


def nowcast(
    snap: OpenedSnapshot, start: date, end: date, settings: NowcastSettings = NowcastSettings()
) -> pl.DataFrame:
    """Per channel: settled so far, nowcast of final settled GMV and its 95% interval (fen).

    The interval's spread is the larger of the model's (factor bootstrap +
    line outcomes) and the root-mean-square error of the same method on
    `backtests` earlier windows, so an error source the model misses still
    widens it.
    """
    cut = snap.cutoff_date
    if end > cut:
        raise MethodUnavailable(
            f"window end {end} is after the snapshot's cutoff day {cut}; nowcast a window that has started and ended by then",
            "nowcast_open",
            end=end,
            cut=cut,
        )
    development = _development(snap, cut, settings, max(_shifts(settings), default=0))
    fit = _fit(snap, start, end, cut, settings, development)
    settled, point, variance, unsettled = _channel_sums(fit)
    errors = _backtest_errors(snap, start, end, cut, settings, development)
    channels = _channels(fit.cells)
    rmse = np.array([float(np.sqrt(np.mean(np.square(errors[c])))) if c in errors else np.nan for c in channels])
    low, high = stats.normal_interval(point, np.fmax(variance, (rmse * point) ** 2))
    return pl.DataFrame(
        {
            "channel": channels,
            "settled_so_far_fen": np.round(settled).astype(np.int64),
            "unsettled_paid_fen": np.round(unsettled).astype(np.int64),
            "nowcast_settled_fen": np.round(point).astype(np.int64),
            "low_fen": np.round(np.maximum(low, settled)).astype(np.int64),
            "high_fen": np.round(np.minimum(high, settled + unsettled)).astype(np.int64),
            "backtest_rmse": rmse,
            "backtests": [len(errors.get(c, [])) for c in channels],
        }
    )


def _channels(cells: pl.DataFrame) -> list[str]:
    return sorted(set(cells["channel"].to_list()))


def _channel_sums(fit: _Fit) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per channel: settled so far, point nowcast, model variance (factor bootstrap + line outcomes), unsettled paid."""
    cells, channels = fit.cells, _channels(fit.cells)
    position = {k: i for i, k in enumerate(fit.keys)}
    # Cells with nothing unsettled have no key; they add their settled GMV only.
    learnt = cells["key"].is_not_null().to_numpy()
    index = np.array([position[k] for k in cells["key"].drop_nulls().to_list()], dtype=int)
    unsettled = cells["unsettled_fen"].to_numpy().astype(float)
    onehot = np.zeros((cells.height, len(channels)))
    onehot[np.arange(cells.height), [channels.index(c) for c in cells["channel"].to_list()]] = 1.0
    learnt_onehot = onehot[learnt]
    settled = cells["settled_fen"].to_numpy().astype(float) @ onehot
    point = settled + (fit.factor[index] * unsettled[learnt]) @ learnt_onehot
    boot = settled + (fit.replicates[:, index] * unsettled[learnt]) @ learnt_onehot
    line_spread = (fit.spread[index] * cells["unsettled_sq"].to_numpy()[learnt]) @ learnt_onehot
    return settled, point, boot.var(axis=0, ddof=1) + line_spread, unsettled @ onehot
