-- name: daily_trend
-- title_zh: 每日趋势
-- title_en: Daily trend
-- kind: analyst
-- params: start, end
-- filters: shop
-- columns: date, short_video_paid_gmv_fen, live_paid_gmv_fen, short_video_settled_gmv_fen, live_settled_gmv_fen, short_video_share, baseline_share, share_change_vs_baseline_pp, short_video_settled_vs_baseline_daily, share_change_dod_pp, unsettled_share
-- order: date
-- description: One row per Asia/Shanghai day start..end, days without sales
--   included (zero GMV, empty share), so a chart shows gaps as gaps. Paid and
--   settled GMV of short-video and live lines paid that day; short_video_share
--   = short-video / (short-video + live) settled GMV; baseline_share is the same
--   share over the whole baseline window; share_change_vs_baseline_pp is the
--   difference in percentage points. short_video_settled_vs_baseline_daily is the
--   day's short-video settled GMV over the baseline daily average (baseline
--   short-video settled GMV / baseline days): 1.0 means the baseline pace.
--   share_change_dod_pp is the change against the previous row (empty on the
--   first day of the window and next to a day without settled GMV).
--   unsettled_share is the part of the day's short-video + live paid GMV still
--   waiting to settle at the cutoff (lines paid, shipped or delivered, net of
--   refunds so far): a day with a large one is still settling, so its settled
--   GMV will grow (empty on a day without paid GMV).
--   With `shop`, that shop's order lines only, in the window and in the baseline alike.
with day_offsets as (
    select unnest(generate_series(0, date_diff('day', $start, $end))) as day_offset
),

days as (
    select cast($start + cast(day_offset as INTEGER) as DATE) as date
    from day_offsets
),

-- Both windows read the daily roll-up sales_daily (workbench/snapshot/aggregates.py).
by_day as (
    select
        paid_date as date,
        sum(paid_fen) filter (where channel = 'short_video') as sv_paid,
        sum(paid_fen) filter (where channel = 'live') as live_paid,
        sum(settled_fen) filter (where channel = 'short_video') as sv_settled,
        sum(settled_fen) filter (where channel = 'live') as live_settled,
        sum(unsettled_fen) as unsettled
    from scoped_sales_daily($start, $end, $shop)
    where channel in ('short_video', 'live')
    group by paid_date
),

baseline as (
    select
        sum(settled_fen) filter (where channel = 'short_video') as sv_settled,
        sum(settled_fen) filter (where channel = 'live') as live_settled
    from scoped_sales_daily($baseline_start, $baseline_end, $shop)
),

daily as (
    select
        days.date,
        cast(coalesce(by_day.sv_paid, 0) as BIGINT) as short_video_paid_gmv_fen,
        cast(coalesce(by_day.live_paid, 0) as BIGINT) as live_paid_gmv_fen,
        cast(coalesce(by_day.sv_settled, 0) as BIGINT) as short_video_settled_gmv_fen,
        cast(coalesce(by_day.live_settled, 0) as BIGINT) as live_settled_gmv_fen,
        by_day.unsettled
    from days
    left join by_day using (date)
),

shares as (
    select
        daily.*,
        short_video_settled_gmv_fen / nullif(short_video_settled_gmv_fen + live_settled_gmv_fen, 0) as short_video_share,
        baseline.sv_settled / nullif(baseline.sv_settled + baseline.live_settled, 0) as baseline_share,
        baseline.sv_settled / $baseline_days as baseline_sv_daily
    from daily
    cross join baseline
)

select
    date,
    short_video_paid_gmv_fen,
    live_paid_gmv_fen,
    short_video_settled_gmv_fen,
    live_settled_gmv_fen,
    short_video_share,
    baseline_share,
    (short_video_share - baseline_share) * 100 as share_change_vs_baseline_pp,
    short_video_settled_gmv_fen / nullif(baseline_sv_daily, 0) as short_video_settled_vs_baseline_daily,
    (short_video_share - lag(short_video_share) over (order by date)) * 100 as share_change_dod_pp,
    cast(unsettled / nullif(short_video_paid_gmv_fen + live_paid_gmv_fen, 0) as DOUBLE) as unsettled_share
from shares
order by date
