"""The five contract KPIs written a second time, in Polars, straight from the contract text.

Two users: tests/test_kpi_differential.py, where two implementations that
share no code (this one reads the parquet files itself and never touches
DuckDB, queries/*.sql or the roll-ups) agreeing on many snapshots is strong
evidence that both read the contract the same way; and the benchmark
(bench/run.py), where it is what a user could write instead of the
workbench: lazy Polars over the raw order lines, run by the streaming
engine. Each function returns the frame the SQL KPI of the same name should
return, columns and row order included.

It imports nothing from `workbench` (tests/test_kpi_differential.py checks
that): it finds the parquet files and their `paid_date=` folders itself,
and the campaign rules below are copied from the contract document
(../shared/contract/README.md), not read from workbench.config, so a bug in
the workbench's file listing, pruning or defaults cannot hit both sides
and hide. It lives under tests/support/ because it is a test oracle, not a
user feature; bench/ puts that folder on sys.path to race it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import polars as pl

# The campaign rules, as the contract's table "The campaign being measured" states them.
TIMEZONE = "Asia/Shanghai"
CAMPAIGN_START = date(2025, 11, 22)
CAMPAIGN_END = date(2025, 12, 31)
CAMPAIGN_DAYS = 40
BASELINE_START = date(2025, 8, 1)
BASELINE_END = date(2025, 10, 31)
BASELINE_DAYS = 92
CARD_RATE = 0.015  # growth-card points per yuan of reward base
CARD_CAP_POINTS = 150_000.0
ELIGIBLE_MIN_FANS = 1000
assert (CAMPAIGN_END - CAMPAIGN_START).days + 1 == CAMPAIGN_DAYS
assert (BASELINE_END - BASELINE_START).days + 1 == BASELINE_DAYS

_TS = pl.Datetime("us", "UTC")
# The contract's columns of the tables the KPIs read, in Polars types.
SCHEMAS = {
    "accounts": {
        "account_id": pl.String,
        "account_name": pl.String,
        "shop_id": pl.String,
        "is_self_operated": pl.Boolean,
        "effective_fans": pl.Int64,
        "short_video_commerce_enabled": pl.Boolean,
        "has_official_account": pl.Boolean,
        "created_at": _TS,
    },
    "products": {
        "product_id": pl.String,
        "shop_id": pl.String,
        "title": pl.String,
        "category": pl.String,
        "price_fen": pl.Int64,
    },
    "enrollments": {"account_id": pl.String, "enrolled_at": _TS},
    "orders": {
        "order_id": pl.String,
        "line_no": pl.Int32,
        "shop_id": pl.String,
        "product_id": pl.String,
        "account_id": pl.String,
        "channel": pl.String,
        "content_id": pl.String,
        "buyer_id": pl.String,
        "quantity": pl.Int32,
        "amount_fen": pl.Int64,
        "refund_fen": pl.Int64,
        "status": pl.String,
        "paid_at": _TS,
        "settled_at": _TS,
    },
}

_PAID_DATE_FOLDER = re.compile(r"paid_date=(\d{4}-\d{2}-\d{2})")


def files_of(snapshot: Path, table: str) -> list[Path]:
    """Every parquet file under the table's folder, at any depth, in a stable order."""
    return sorted((Path(snapshot) / table).glob("**/*.parquet"))


def folder_day(snapshot: Path, table: str, file: Path) -> date | None:
    """The day of the `paid_date=YYYY-MM-DD` folder a file sits in below the table's folder, if any."""
    inside = Path(file).relative_to(Path(snapshot) / table).parts[:-1]
    days = [m.group(1) for part in inside if (m := _PAID_DATE_FOLDER.fullmatch(part))]
    return date.fromisoformat(days[0]) if days else None


def scan(snapshot: Path, table: str, files: list[Path] | None = None) -> pl.LazyFrame:
    """A contract table as a lazy Polars frame with only the contract's columns (hive folders ignored)."""
    schema = SCHEMAS[table]
    files = files_of(snapshot, table) if files is None else files
    if not files:
        return pl.LazyFrame(schema=schema)
    return pl.scan_parquet(files, hive_partitioning=False).select(list(schema)).cast(schema)


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Run a lazy query on Polars' streaming engine, which bounds memory at any scale."""
    return frame.collect(engine="streaming")


def _local_date(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone(TIMEZONE).dt.date()


def paid_between(snapshot: Path, start: date, end: date) -> pl.LazyFrame:
    """Order lines whose Asia/Shanghai paid date is in [start, end].

    Files in `paid_date=` folders more than a day outside the window are not
    opened (the same pruning the DuckDB views do); the exact filter is on
    paid_at itself.
    """
    files = [
        f
        for f in files_of(snapshot, "orders")
        if (day := folder_day(snapshot, "orders", f)) is None
        or start - timedelta(days=1) <= day <= end + timedelta(days=1)
    ]
    return scan(snapshot, "orders", files).filter(_local_date("paid_at").is_between(start, end))


def _settled_net() -> pl.Expr:
    return pl.when(pl.col("status") == "settled").then(pl.col("amount_fen") - pl.col("refund_fen")).otherwise(0)


def _with_share(frame: pl.DataFrame, whole: pl.Expr, name: str) -> pl.DataFrame:
    """settled_gmv_fen / whole as `name`, null where whole is 0.

    The quotient is taken in Python: Polars divides by a broadcast value
    (a sum, or a column made from one) as multiplication by its reciprocal,
    which is not the exactly rounded quotient (x / x gives 0.9999999999999999).
    """
    totals = frame.with_columns(whole.alias("_whole"))["_whole"].to_list()
    shares = [part / total if total else None for part, total in zip(frame["settled_gmv_fen"], totals, strict=True)]
    return frame.with_columns(pl.Series(name, shares, dtype=pl.Float64))


def channel_mix(snapshot: Path, start: date, end: date) -> pl.DataFrame:
    """One row per channel with lines in the window: lines, paid GMV, settled GMV, share of settled."""
    by_channel = collect(
        paid_between(snapshot, start, end)
        .group_by("channel")
        .agg(
            pl.len().cast(pl.Int64).alias("order_lines"),
            pl.col("amount_fen").sum().alias("paid_gmv_fen"),
            _settled_net().sum().alias("settled_gmv_fen"),
        )
    )
    return _with_share(by_channel, pl.col("settled_gmv_fen").sum(), "settled_share").sort("channel")


def short_video_share(snapshot: Path, start: date, end: date) -> pl.DataFrame:
    """One row: short-video, live and total settled GMV, and the short-video shares."""
    net = pl.col("amount_fen") - pl.col("refund_fen")
    sums = collect(
        paid_between(snapshot, start, end)
        .filter(pl.col("status") == "settled")
        .select(
            net.filter(pl.col("channel") == "short_video").sum().alias("video"),
            net.filter(pl.col("channel") == "live").sum().alias("live"),
            net.sum().alias("total"),
        )
    )
    video, live, total = (int(sums[c][0]) for c in ("video", "live", "total"))
    return pl.DataFrame(
        {
            "short_video_settled_gmv_fen": [video],
            "live_settled_gmv_fen": [live],
            "total_settled_gmv_fen": [total],
            "share_of_video_and_live": [video / (video + live) if video + live else None],
            "share_of_total": [video / total if total else None],
        },
        schema_overrides={"share_of_video_and_live": pl.Float64, "share_of_total": pl.Float64},
    )


def category_mix(snapshot: Path, start: date, end: date) -> pl.DataFrame:
    """(channel, category) rows of short-video and live lines; unknown products count as `other`."""
    lines = paid_between(snapshot, start, end).filter(pl.col("channel").is_in(["short_video", "live"]))
    categories = scan(snapshot, "products").select("product_id", "category")
    lines = lines.join(categories, on="product_id", how="left").with_columns(pl.col("category").fill_null("other"))
    by_category = collect(lines.group_by("channel", "category").agg(_settled_net().sum().alias("settled_gmv_fen")))
    return _with_share(by_category, pl.col("settled_gmv_fen").sum().over("channel"), "share_within_channel").sort(
        "channel", "category"
    )


def _video_settled_by_account(snapshot: Path, start: date, end: date) -> dict[str, int]:
    """Settled short-video GMV per credited account for lines paid in [start, end]."""
    lines = paid_between(snapshot, start, end).filter(
        (pl.col("channel") == "short_video") & (pl.col("status") == "settled") & pl.col("account_id").is_not_null()
    )
    sums = collect(lines.group_by("account_id").agg((pl.col("amount_fen") - pl.col("refund_fen")).sum().alias("fen")))
    return dict(zip(sums["account_id"].to_list(), sums["fen"].to_list(), strict=True))


def _eligible(snapshot: Path) -> list[str]:
    ok = ((pl.col("effective_fans") >= ELIGIBLE_MIN_FANS) | pl.col("is_self_operated")) & pl.col(
        "short_video_commerce_enabled"
    )
    return collect(scan(snapshot, "accounts").filter(ok))["account_id"].to_list()


def _enrolled_by(snapshot: Path, end: date) -> set[str]:
    enrolled = collect(scan(snapshot, "enrollments").filter(_local_date("enrolled_at") <= end))
    return set(enrolled["account_id"].to_list())


def newcomer_uptake(snapshot: Path, start: date, end: date) -> pl.DataFrame:
    """One row of counts up to `end`; `start` is accepted and, as the contract says, does not limit them."""
    baseline = _video_settled_by_account(snapshot, BASELINE_START, BASELINE_END)
    eligible = _eligible(snapshot)
    newcomers = [a for a in eligible if baseline.get(a, 0) == 0]
    enrolled_by_end = _enrolled_by(snapshot, end)
    enrolled = [a for a in newcomers if a in enrolled_by_end]
    sold = _video_settled_by_account(snapshot, CAMPAIGN_START, end)
    selling = [a for a in enrolled if sold.get(a, 0) > 0]
    return pl.DataFrame(
        {
            "eligible_accounts": [len(eligible)],
            "newcomers": [len(newcomers)],
            "enrolled_newcomers": [len(enrolled)],
            "selling_newcomers": [len(selling)],
            "uptake_rate": [len(selling) / len(enrolled) if enrolled else None],
        },
        schema_overrides={"uptake_rate": pl.Float64},
    )


def growth_card(snapshot: Path, start: date, end: date) -> pl.DataFrame:
    """Eligible accounts enrolled by `end` with a reward base > 0, by account_id; `start` does not matter."""
    baseline = _video_settled_by_account(snapshot, BASELINE_START, BASELINE_END)
    campaign = _video_settled_by_account(snapshot, CAMPAIGN_START, min(end, CAMPAIGN_END))
    enrolled = _enrolled_by(snapshot, end)
    rows = []
    for account in sorted(a for a in _eligible(snapshot) if a in enrolled):
        x, b = campaign.get(account, 0), baseline.get(account, 0)
        # max(0, x - b / baseline_days * campaign_days), floored to whole fen, in exact integers
        base = max(0, x * BASELINE_DAYS - b * CAMPAIGN_DAYS) // BASELINE_DAYS
        if base > 0:
            points = min(CARD_CAP_POINTS, base / 100 * CARD_RATE)
            rows.append((account, b == 0, base, points))
    return pl.DataFrame(
        rows,
        schema={
            "account_id": pl.String,
            "is_newcomer": pl.Boolean,
            "reward_base_fen": pl.Int64,
            "growth_card_points": pl.Float64,
        },
        orient="row",
    )


KPIS = {
    "channel_mix": channel_mix,
    "short_video_share": short_video_share,
    "category_mix": category_mix,
    "newcomer_uptake": newcomer_uptake,
    "growth_card": growth_card,
}
