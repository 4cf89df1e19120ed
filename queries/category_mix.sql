-- name: category_mix
-- title_zh: 品类结构
-- title_en: Category mix
-- kind: contract
-- params: start, end
-- filters: shop, account
-- columns: channel, category, settled_gmv_fen, share_within_channel
-- order: channel, category
-- description: Settled GMV (status settled, net of refunds) of short-video and
--   live lines paid on Asia/Shanghai days start..end by product category, with
--   each category's share of its channel's settled GMV (empty when the
--   channel's settled GMV is 0). One row per (channel, category) with lines in
--   the window. The category comes from products via product_id; a line whose
--   product is missing from products counts as category `other`. Filters
--   (shop, account) narrow the lines counted; without them it is the
--   contract's KPI.

-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py), which
-- already carries the category; with a shop or account filter, which the
-- roll-up lacks, the filtered order lines.
with rollup as (
    select channel, category, settled_fen
    from sales_daily($start, $end)
    where $shop is null and $account is null
),

lines as (
    select channel, category, case when status = 'settled' then amount_fen - refund_fen else 0 end as settled_fen
    from filtered_lines($start, $end, $shop, $account, null)
    where $shop is not null or $account is not null
),

by_category as (
    select channel, category, sum(settled_fen) as settled_gmv_fen
    from (select * from rollup union all select * from lines) as chosen
    where channel in ('short_video', 'live')
    group by channel, category
)

select
    channel,
    category,
    cast(settled_gmv_fen as BIGINT) as settled_gmv_fen,
    cast(settled_gmv_fen / nullif(sum(settled_gmv_fen) over (partition by channel), 0) as DOUBLE)
        as share_within_channel
from by_category
order by channel, category
