-- name: category_vs_baseline
-- title_zh: 品类结构与基线对比
-- title_en: Category mix against the baseline
-- kind: analyst
-- params: start, end
-- filters: shop
-- columns: channel, category, settled_gmv_fen, share_within_channel, baseline_share, share_change_pp, paid_gmv_fen, paid_share_within_channel, baseline_paid_share
-- order: channel (short_video, live), category (the focus categories in their configured order, then by name)
-- description: Settled GMV by product category within short video and within
--   live for lines paid start..end, each category's share of its channel
--   (empty when the channel has no settled GMV), its share over the baseline
--   window, and the change in percentage points. Category comes from products
--   by product_id; a line whose product is missing counts as `other`, as in
--   category_mix. Rows are the (channel, category) pairs with lines in the
--   window or the baseline; the focus categories the campaign watches (rule
--   parameter focus_categories: food, home by default) come first in each
--   channel. paid_gmv_fen, paid_share_within_channel and baseline_paid_share
--   are the same over paid GMV (every line, whatever its status): final as
--   soon as the window ends, while a recent window's settled shares rest on
--   the few lines settled so far.
--   With `shop`, that shop's order lines only, in the window and in the baseline alike.
-- Both periods read the daily roll-up sales_daily (workbench/snapshot/aggregates.py),
-- which already carries the category.
with lines as (
    select 'window' as period, channel, category, settled_fen, paid_fen
    from scoped_sales_daily($start, $end, $shop)
    union all
    select 'baseline' as period, channel, category, settled_fen, paid_fen
    from scoped_sales_daily($baseline_start, $baseline_end, $shop)
),

by_category as (
    select
        channel,
        category,
        coalesce(sum(settled_fen) filter (where period = 'window'), 0) as settled_fen,
        coalesce(sum(settled_fen) filter (where period = 'baseline'), 0) as baseline_fen,
        coalesce(sum(paid_fen) filter (where period = 'window'), 0) as paid_fen,
        coalesce(sum(paid_fen) filter (where period = 'baseline'), 0) as baseline_paid_fen
    from lines
    where channel in ('short_video', 'live')
    group by all
),

shares as (
    select
        channel,
        category,
        settled_fen,
        settled_fen / nullif(sum(settled_fen) over (partition by channel), 0) as share_within_channel,
        baseline_fen / nullif(sum(baseline_fen) over (partition by channel), 0) as baseline_share,
        paid_fen,
        paid_fen / nullif(sum(paid_fen) over (partition by channel), 0) as paid_share_within_channel,
        baseline_paid_fen / nullif(sum(baseline_paid_fen) over (partition by channel), 0) as baseline_paid_share
    from by_category
)

select
    channel,
    category,
    cast(settled_fen as BIGINT) as settled_gmv_fen,
    share_within_channel,
    baseline_share,
    (share_within_channel - baseline_share) * 100 as share_change_pp,
    cast(paid_fen as BIGINT) as paid_gmv_fen,
    cast(paid_share_within_channel as DOUBLE) as paid_share_within_channel,
    cast(baseline_paid_share as DOUBLE) as baseline_paid_share
from shares
order by
    channel = 'live',
    list_position($focus_categories, category) nulls last,
    category
