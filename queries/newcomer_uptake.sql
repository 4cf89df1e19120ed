-- name: newcomer_uptake
-- title_zh: 新手参与
-- title_en: Newcomer uptake
-- kind: contract
-- params: end
-- ignores: start
-- filters: shop
-- columns: eligible_accounts, newcomers, enrolled_newcomers, selling_newcomers, uptake_rate
-- description: How many eligible accounts there are, how many are newcomers
--   (no settled short-video GMV from lines paid in the baseline), how many
--   newcomers enrolled on an Asia/Shanghai date <= end, how many of those have
--   settled short-video GMV > 0 from lines paid from the campaign start to end,
--   and that last count over the enrolled ones (empty if none enrolled). One
--   row; counts are cumulative from the campaign start to end, so start does
--   not limit them. Sales are credited to orders.account_id. With `shop`,
--   only the shop's accounts (its self-operated ones and those credited on
--   its lines paid from the campaign start to end) and only the shop's
--   lines as sales: a newcomer sells when it has sold the shop's products.
--   Being a newcomer stays the contract's account-wide test.
with eligible as (
    select account_id, is_newcomer
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end)
    where $shop is null or account_id in (select account_id from shop_accounts($shop, $campaign_start, $end))
),

enrolled_newcomers as (
    select account_id
    from eligible
    semi join enrolled_by($end) using (account_id)
    where is_newcomer
),

selling_newcomers as (
    select n.account_id
    from enrolled_newcomers as n
    join scoped_settled_video_gmv($campaign_start, $end, $shop) as sold using (account_id)
    where sold.settled_fen > 0
),

counts as (
    select
        (select count(*) from eligible) as eligible_accounts,
        (select count(*) from eligible where is_newcomer) as newcomers,
        (select count(*) from enrolled_newcomers) as enrolled_newcomers,
        (select count(*) from selling_newcomers) as selling_newcomers
)

select
    cast(eligible_accounts as BIGINT) as eligible_accounts,
    cast(newcomers as BIGINT) as newcomers,
    cast(enrolled_newcomers as BIGINT) as enrolled_newcomers,
    cast(selling_newcomers as BIGINT) as selling_newcomers,
    cast(selling_newcomers / nullif(enrolled_newcomers, 0) as DOUBLE) as uptake_rate
from counts
