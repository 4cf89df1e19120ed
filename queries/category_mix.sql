-- name: category_mix
-- title_zh: 品类结构
-- title_en: Category mix
-- kind: contract
-- params: start, end
-- columns: channel, category, settled_gmv_fen, share_within_channel
-- order: channel, category
-- description: Settled GMV (status settled, net of refunds) of short-video and
--   live lines paid on Asia/Shanghai days start..end by product category, with
--   each category's share of its channel's settled GMV (empty when the
--   channel's settled GMV is 0). One row per (channel, category) with lines in
--   the window. The category comes from products via product_id; a line whose
--   product is missing from products counts as category `other`.

-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py), which
-- already carries the category.
with by_category as (
    select channel, category, sum(settled_fen) as settled_gmv_fen
    from sales_daily($start, $end)
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
