-- name: paid_share
-- title_zh: 短视频支付占比
-- title_en: Short-video share of paid GMV
-- kind: analyst
-- params: start, end
-- filters: shop, account, category
-- columns: short_video_paid_gmv_fen, live_paid_gmv_fen, total_paid_gmv_fen, share_of_video_and_live, share_of_total
-- description: Paid GMV (every line, whatever its status) of lines paid on
--   Asia/Shanghai days start..end from short videos, from live rooms and from
--   all channels, with the short-video share of video + live and of the total.
--   Paid GMV is known as soon as the day is over, while settled GMV
--   (short_video_share) trails it by one to three weeks, so this is the share
--   a report can state for a week that has just ended. Always one row: money
--   is 0 when there is none, a share whose denominator is 0 is empty. Filters
--   narrow the lines counted, as in short_video_share.

-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py); with
-- a shop or account filter, which the roll-up lacks, the filtered order lines.
with rollup as (
    select channel, paid_fen
    from sales_daily($start, $end)
    where $shop is null and $account is null and ($category is null or category = $category)
),

lines as (
    select channel, amount_fen as paid_fen
    from filtered_lines($start, $end, $shop, $account, $category)
    where $shop is not null or $account is not null
),

totals as (
    select
        coalesce(sum(paid_fen) filter (where channel = 'short_video'), 0) as video_fen,
        coalesce(sum(paid_fen) filter (where channel = 'live'), 0) as live_fen,
        coalesce(sum(paid_fen), 0) as total_fen
    from (select * from rollup union all select * from lines) as chosen
)

select
    cast(video_fen as BIGINT) as short_video_paid_gmv_fen,
    cast(live_fen as BIGINT) as live_paid_gmv_fen,
    cast(total_fen as BIGINT) as total_paid_gmv_fen,
    cast(video_fen / nullif(video_fen + live_fen, 0) as DOUBLE) as share_of_video_and_live,
    cast(video_fen / nullif(total_fen, 0) as DOUBLE) as share_of_total
from totals
