-- name: category_vs_baseline
-- title_zh: 品类结构与基线对比
-- title_en: Category mix against the baseline
-- kind: analyst
-- params: start, end
-- columns: channel, category, settled_gmv_fen, share_within_channel, baseline_share, share_change_pp
-- order: channel (short_video, live), category (food, home, then by name)
-- description: Settled GMV by product category within short video and within
--   live for lines paid start..end, each category's share of its channel
--   (empty when the channel has no settled GMV), its share over the baseline
--   window, and the change in percentage points. Category comes from products
--   by product_id; a line whose product is missing counts as `other`, as in
--   category_mix. Rows are the (channel, category) pairs with lines in the
--   window or the baseline; food and home, the categories the campaign
--   watches, come first in each channel.
with lines as (
    select 'window' as period, channel, product_id, amount_fen, refund_fen, status
    from orders_paid($start, $end)
    union all
    select 'baseline' as period, channel, product_id, amount_fen, refund_fen, status
    from orders_paid($baseline_start, $baseline_end)
),

by_category as (
    select
        lines.channel,
        coalesce(products.category, 'other') as category,
        coalesce(sum(amount_fen - refund_fen) filter (where period = 'window' and status = 'settled'), 0) as settled_fen,
        coalesce(sum(amount_fen - refund_fen) filter (where period = 'baseline' and status = 'settled'), 0) as baseline_fen
    from lines
    left join products using (product_id)
    where lines.channel in ('short_video', 'live')
    group by all
),

shares as (
    select
        channel,
        category,
        settled_fen,
        settled_fen / nullif(sum(settled_fen) over (partition by channel), 0) as share_within_channel,
        baseline_fen / nullif(sum(baseline_fen) over (partition by channel), 0) as baseline_share
    from by_category
)

select
    channel,
    category,
    cast(settled_fen as BIGINT) as settled_gmv_fen,
    share_within_channel,
    baseline_share,
    (share_within_channel - baseline_share) * 100 as share_change_pp
from shares
order by
    channel = 'live',
    case category when 'food' then 0 when 'home' then 1 else 2 end,
    category
