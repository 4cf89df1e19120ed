-- name: channel_mix
-- title_zh: 渠道结构
-- title_en: Channel mix
-- kind: contract
-- params: start, end
-- filters: shop, account, category
-- columns: channel, order_lines, paid_gmv_fen, settled_gmv_fen, settled_share
-- order: channel
-- description: Order lines, paid GMV (all statuses) and settled GMV (status
--   settled, net of refunds) by sales channel for lines paid on Asia/Shanghai
--   days start..end, with each channel's share of all channels' settled GMV
--   (empty when the window has no settled GMV). One row per channel that has
--   lines in the window. Filters (shop, account, category) narrow the lines
--   counted, shares included; without them it is the contract's KPI.

-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py), which
-- holds exactly these sums per day, channel and category; with a shop or
-- account filter, which the roll-up lacks, it sums the filtered order lines
-- instead (filtered_lines; the branch not taken reads nothing).
with rollup as (
    select channel, order_lines, paid_fen, settled_fen
    from sales_daily($start, $end)
    where $shop is null and $account is null and ($category is null or category = $category)
),

lines as (
    select
        channel,
        1 as order_lines,
        amount_fen as paid_fen,
        case when status = 'settled' then amount_fen - refund_fen else 0 end as settled_fen
    from filtered_lines($start, $end, $shop, $account, $category)
    where $shop is not null or $account is not null
),

by_channel as (
    select
        channel,
        sum(order_lines) as order_lines,
        sum(paid_fen) as paid_gmv_fen,
        sum(settled_fen) as settled_gmv_fen
    from (select * from rollup union all select * from lines) as chosen
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
