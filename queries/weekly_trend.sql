-- name: weekly_trend
-- title_zh: 每周趋势
-- title_en: Weekly trend
-- kind: analyst
-- params: end
-- filters: shop
-- columns: week, week_start, week_end, days, short_video_paid_gmv_fen, live_paid_gmv_fen, short_video_settled_gmv_fen, live_settled_gmv_fen, short_video_share, baseline_share, share_change_vs_baseline_pp, share_change_wow_pp, short_video_settled_daily_avg_fen, short_video_settled_vs_baseline_daily, paid_share, baseline_paid_share, unsettled_share
-- order: week
-- description: One row per campaign week (7-day weeks from the campaign start,
--   the last clipped at the campaign end) that starts on or before end; the
--   week holding end is clipped at end, and days says how many days the row
--   covers, so a partial week compares fairly through its daily average.
--   GMV and shares as in daily_trend (short-video share of short-video + live
--   settled GMV, baseline share over the whole baseline window, changes in
--   percentage points); share_change_wow_pp is the change against the previous
--   week (empty for week 1). short_video_settled_daily_avg_fen is the week's
--   short-video settled GMV per day, floored to whole fen, and
--   short_video_settled_vs_baseline_daily its ratio to the baseline daily average.
--   paid_share is the short-video share of short-video + live paid GMV, known
--   as soon as a week ends, and baseline_paid_share the same over the baseline
--   window; unsettled_share the part of the week's short-video
--   + live paid GMV still waiting to settle at the cutoff, as in daily_trend.
--   With `shop`, that shop's order lines only, in the window and in the baseline alike.
with weeks as (
    select
        cast(week_offset // 7 + 1 as BIGINT) as week,
        cast($campaign_start + cast(week_offset as INTEGER) as DATE) as week_start
    from (select unnest(generate_series(0, $campaign_days - 1, 7)) as week_offset) as offsets
),

-- The baseline window is period 0, so one aggregation serves every period.
periods as (
    select week, week_start, least(week_start + 6, $campaign_end, $end) as week_end
    from weeks
    where week_start <= $end
    union all
    select 0, $baseline_start, $baseline_end
),

-- Day totals from the daily roll-up sales_daily (workbench/snapshot/aggregates.py).
lines as (
    select paid_date, channel, paid_fen, settled_fen, unsettled_fen
    from scoped_sales_daily($baseline_start, $baseline_end, $shop)
    union all
    select paid_date, channel, paid_fen, settled_fen, unsettled_fen
    from scoped_sales_daily($campaign_start, least($end, $campaign_end), $shop)
),

by_period as (
    select
        periods.week,
        sum(lines.paid_fen) filter (where lines.channel = 'short_video') as sv_paid,
        sum(lines.paid_fen) filter (where lines.channel = 'live') as live_paid,
        sum(lines.settled_fen) filter (where lines.channel = 'short_video') as sv_settled,
        sum(lines.settled_fen) filter (where lines.channel = 'live') as live_settled,
        sum(lines.unsettled_fen) filter (where lines.channel in ('short_video', 'live')) as unsettled
    from periods
    left join lines on lines.paid_date between periods.week_start and periods.week_end
    group by periods.week
),

per_period as (
    select
        periods.*,
        cast(date_diff('day', week_start, week_end) + 1 as BIGINT) as days,
        coalesce(sv_paid, 0) as sv_paid,
        coalesce(live_paid, 0) as live_paid,
        coalesce(sv_settled, 0) as sv_settled,
        coalesce(live_settled, 0) as live_settled,
        coalesce(unsettled, 0) as unsettled
    from periods
    join by_period using (week)
),

shares as (
    select
        *,
        sv_settled / nullif(sv_settled + live_settled, 0) as share,
        sv_paid / nullif(sv_paid + live_paid, 0) as paid_share,
        sv_settled / days as sv_daily
    from per_period
),

campaign_weeks as (
    select
        shares.*,
        baseline.share as baseline_share,
        baseline.sv_daily as baseline_sv_daily,
        baseline.paid_share as baseline_paid_share
    from shares
    cross join (select share, sv_daily, paid_share from shares where week = 0) as baseline
    where shares.week > 0
)

select
    week,
    week_start,
    week_end,
    days,
    cast(sv_paid as BIGINT) as short_video_paid_gmv_fen,
    cast(live_paid as BIGINT) as live_paid_gmv_fen,
    cast(sv_settled as BIGINT) as short_video_settled_gmv_fen,
    cast(live_settled as BIGINT) as live_settled_gmv_fen,
    share as short_video_share,
    baseline_share,
    (share - baseline_share) * 100 as share_change_vs_baseline_pp,
    (share - lag(share) over (order by week)) * 100 as share_change_wow_pp,
    cast(sv_settled // days as BIGINT) as short_video_settled_daily_avg_fen,
    sv_daily / nullif(baseline_sv_daily, 0) as short_video_settled_vs_baseline_daily,
    cast(paid_share as DOUBLE) as paid_share,
    cast(baseline_paid_share as DOUBLE) as baseline_paid_share,
    cast(unsettled / nullif(sv_paid + live_paid, 0) as DOUBLE) as unsettled_share
from campaign_weeks
order by week
