"""The statistics behind the nowcast and the lift estimate, in numpy only.

Everything that is an aggregation lives in `queries/`; what is left here is
the part SQL cannot say well: resampling (bootstrap), the ratio
difference-in-differences estimator, and turning replicates into an
interval. Each function is small and takes plain arrays so it can be tested
on synthetic numbers whose answer is known.

Why a *ratio* difference-in-differences: the synthetic world (and, as far as
we know, the real platform) moves demand multiplicatively — seasons,
campaign-wide attention and the incentive itself scale an account's
expected GMV. Enrolled accounts sell more to begin with, so an additive
difference would count the common uplift applied to their larger base as an
effect. Comparing growth *ratios* removes it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np

Z95 = 1.959963984540054


def resample_counts(rng: np.random.Generator, n: int, reps: int) -> np.ndarray:
    """Bootstrap weights: `reps` rows of how often each of `n` units is drawn.

    Drawing counts (multinomial) instead of indices lets every replicate be a
    weighted sum, i.e. one matrix product for all replicates.
    """
    if n == 0:
        return np.zeros((reps, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=reps).astype(float)


def percentile_interval(replicates: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval over axis 0 (the replicates)."""
    tail = (1.0 - level) / 2.0 * 100.0
    with warnings.catch_warnings():
        # A column undefined in every replicate (a week with no counterfactual)
        # has no interval: NaN is the answer there, not something to warn about.
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanpercentile(replicates, [tail, 100.0 - tail], axis=0)
    return low, high


def ratio_factors(numer: np.ndarray, denom: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Pooled ratios sum(numer) / sum(denom) per column, optionally per weight row.

    `numer`, `denom`: (units, cells). `weights`: (reps, units) or None. A
    cell with nothing in its denominator gets NaN, so the caller decides
    how to fall back instead of silently using 0.
    """
    if weights is None:
        top, bottom = numer.sum(axis=0), denom.sum(axis=0)
    else:
        top, bottom = weights @ numer, weights @ denom
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def outcome_variance(
    factor: np.ndarray, amount_sq: np.ndarray, eventual_sq: np.ndarray, cross: np.ndarray
) -> np.ndarray:
    """Spread of single lines' outcomes around the factor, per cell.

    A line of amount a finally settles for a * R, R mostly 0 (refunded) or
    1. With R's amount^2-weighted variance v = sum (e - f a)^2 / sum a^2
    (e = eventual, expanded into the three sums), the variance of the
    settled total of unsettled lines of amounts a_j is v * sum a_j^2: the
    part of the nowcast's error that more mature history cannot remove.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        v = (eventual_sq - 2.0 * factor * cross + factor**2 * amount_sq) / amount_sq
    return np.where(amount_sq > 0, np.maximum(v, 0.0), 0.0)


def normal_interval(estimate: np.ndarray, variance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% interval estimate -/+ 1.96 * sqrt(variance)."""
    half = Z95 * np.sqrt(np.maximum(variance, 0.0))
    return estimate - half, estimate + half


@dataclass(frozen=True)
class DidInputs:
    """One account per row of `y` (daily short-video GMV over consecutive days).

    `treated`: enrolled accounts. `start`: index of the first treated day
    (the enrolment day) for treated rows, ignored for controls. `stratum`:
    integer stratum of each account; controls of the same stratum supply a
    treated account's counterfactual growth. `pre`: boolean mask of the
    baseline days. `post_from`: first day a control counts as "in the
    campaign" (for the naive comparison).
    """

    y: np.ndarray
    treated: np.ndarray
    start: np.ndarray
    stratum: np.ndarray
    pre: np.ndarray
    post_from: int

    @cached_property
    def tail(self) -> np.ndarray:
        """tail[a, d] = GMV of account a from day d to the last day."""
        return np.cumsum(self.y[:, ::-1], axis=1)[:, ::-1]

    @cached_property
    def pre_sum(self) -> np.ndarray:
        """Each account's baseline GMV."""
        return self.y[:, self.pre].sum(axis=1)

    @cached_property
    def start_days(self) -> tuple[np.ndarray, np.ndarray]:
        """(distinct enrolment days, position of each account's day among them)."""
        days, position = np.unique(np.where(self.treated, self.start, 0), return_inverse=True)
        return days, position

    @cached_property
    def control_blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """(control rows ordered by stratum, start of each stratum's block in that order plus the end).

        Stratum s's controls are order[bounds[s]:bounds[s + 1]]; a stratum
        without controls has an empty block.
        """
        controls = np.flatnonzero(~self.treated)
        order = controls[np.argsort(self.stratum[controls], kind="stable")]
        n_strata = int(self.stratum.max()) + 1 if self.stratum.size else 0
        bounds = np.searchsorted(self.stratum[order], np.arange(n_strata + 1))
        return order, bounds

    def weekly(self, week: np.ndarray) -> np.ndarray:
        """(accounts, weeks) sums of y, `week[d]` being day d's week index."""
        onehot = np.zeros((week.size, int(week.max()) + 1))
        onehot[np.arange(week.size), week] = 1.0
        return self.y @ onehot


@dataclass(frozen=True)
class DidTotals:
    """Sums the estimators are built from (for one set of account weights)."""

    post: float
    counterfactual: float
    treated_days: float

    @property
    def relative(self) -> float:
        """post / counterfactual - 1: comparable to a multiplicative true effect."""
        return self.post / self.counterfactual - 1.0 if self.counterfactual > 0 else float("nan")

    @property
    def per_day(self) -> float:
        """(post - counterfactual) per treated account-day, in the unit of y."""
        return (self.post - self.counterfactual) / self.treated_days if self.treated_days > 0 else float("nan")


def _control_growth(inp: DidInputs, weights: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate and stratum: weighted control baseline totals and weighted totals of `columns`.

    `weights` is (reps, accounts); `columns` is (accounts, k): any
    per-account quantity whose growth against the baseline we need (tail
    sums, weekly sums). Returns (reps, strata) and (reps, strata, k). Each
    stratum's controls are one block of a matrix product over all
    replicates at once, instead of a one-hot product over every account
    and stratum per replicate. y holds whole fen, so every sum here is of
    whole numbers below 2**53 and exact in any order: the totals are the
    same bits as summing replicate by replicate.
    """
    order, bounds = inp.control_blocks
    reps, n_strata = weights.shape[0], bounds.size - 1
    w = weights[:, order]
    pre, cols = inp.pre_sum[order], columns[order]
    base = np.zeros((reps, n_strata))
    totals = np.zeros((reps, n_strata, columns.shape[1]))
    for s in np.flatnonzero(np.diff(bounds)):
        block = slice(bounds[s], bounds[s + 1])
        base[:, s] = w[:, block] @ pre[block]
        totals[:, s] = w[:, block] @ cols[block]
    return base, totals


def did_ratio_each(inp: DidInputs, weights: np.ndarray) -> list[DidTotals]:
    """`did_ratio` for every row of `weights` (reps, accounts): one bootstrap replicate per row."""
    days, position = inp.start_days
    base, ctrl_tail = _control_growth(inp, weights, inp.tail[:, days])
    out = []
    for w_all, base_r, tail_r in zip(weights, base, ctrl_tail, strict=True):
        rows = _usable_treated(inp, w_all, base_r)
        w = w_all[rows]
        post = inp.tail[rows, inp.start[rows]]
        growth = tail_r[inp.stratum[rows], position[rows]] / base_r[inp.stratum[rows]]
        treated_days = inp.y.shape[1] - inp.start[rows]
        out.append(DidTotals(float(w @ post), float(w @ (inp.pre_sum[rows] * growth)), float(w @ treated_days)))
    return out


def did_ratio(inp: DidInputs, weights: np.ndarray) -> DidTotals:
    """Ratio difference-in-differences with staggered enrolment, stratified.

    Each treated account's counterfactual GMV from its enrolment day on is
    its own baseline GMV times the growth its stratum's controls show over
    exactly those calendar days (sum from day e on / baseline sum; the day
    counts cancel). Treated accounts whose stratum has no control baseline
    are left out. `weights` are per-account bootstrap counts (1 = as is).
    """
    return did_ratio_each(inp, weights[None, :])[0]


def _usable_treated(inp: DidInputs, weights: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Treated accounts drawn in this replicate whose stratum has a control baseline."""
    rows = np.flatnonzero(inp.treated & (weights > 0))
    return rows[base[inp.stratum[rows]] > 0]


def event_study_each(inp: DidInputs, weekly: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`event_study` for every row of `weights` (reps, accounts): (reps, weeks)."""
    base, ctrl_week = _control_growth(inp, weights, weekly)
    out = np.empty((weights.shape[0], weekly.shape[1]))
    for r, (w_all, base_r, week_r) in enumerate(zip(weights, base, ctrl_week, strict=True)):
        rows = _usable_treated(inp, w_all, base_r)
        strata = inp.stratum[rows]
        w = w_all[rows]
        counterfactual = (w * inp.pre_sum[rows]) @ (week_r[strata] / base_r[strata][:, None])
        actual = w @ weekly[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[r] = np.where(counterfactual > 0, actual / counterfactual - 1.0, np.nan)
    return out


def event_study(inp: DidInputs, weekly: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Relative gap of enrolled accounts vs their counterfactual, per week.

    `weekly` is `inp.weekly(week)`. For week k the enrolled accounts' GMV
    is compared with their baseline GMV times their stratum's control
    growth from the baseline to week k. Before the campaign the values
    should hover around 0 if trends were parallel.
    """
    return event_study_each(inp, weekly, weights[None, :])[0]


def naive_difference(inp: DidInputs) -> float:
    """Enrolled accounts' daily GMV after enrolment / non-enrolled daily GMV in the campaign, - 1.

    This is what a dashboard comparing the two groups shows; it mixes the
    effect with whatever made accounts enrol (here: they already sold more).
    """
    days = inp.y.shape[1]
    treated = np.flatnonzero(inp.treated)
    post = inp.tail[treated, inp.start[treated]].sum() / (days - inp.start[treated]).sum()
    controls = ~inp.treated
    ctrl = inp.y[controls, inp.post_from :].sum() / (controls.sum() * (days - inp.post_from))
    return float(post / ctrl - 1.0) if ctrl > 0 else float("nan")
