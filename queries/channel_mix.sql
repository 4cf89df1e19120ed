-- name: channel_mix
-- title_zh: 渠道结构
-- title_en: Channel mix
-- kind: contract
-- params: start, end
-- columns: channel, order_lines, paid_gmv_fen, settled_gmv_fen, settled_share
-- order: channel
-- description: Order lines, paid GMV (all statuses) and settled GMV (status
--   settled, net of refunds) by sales channel for lines paid on Asia/Shanghai
--   days start..end, with each channel's share of all channels' settled GMV
--   (empty when the window has no settled GMV). One row per channel that has
--   lines in the window.

-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py), which
-- holds exactly these sums per day, channel and category.
with by_channel as (
    select
        channel,
        sum(order_lines) as order_lines,
        sum(paid_fen) as paid_gmv_fen,
        sum(settled_fen) as settled_gmv_fen
    from sales_daily($start, $end)
    group by channel
)

select
    channel,
    cast(order_lines as BIGINT) as order_lines,
    cast(paid_gmv_fen as BIGINT) as paid_gmv_fen,
    cast(settled_gmv_fen as BIGINT) as settled_gmv_fen,
    cast(settled_gmv_fen / nullif(sum(settled_gmv_fen) over (), 0) as DOUBLE) as settled_share
from by_channel
order by channel
