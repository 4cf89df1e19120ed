-- name: growth_card_distribution
-- title_zh: 成长卡积分分布
-- title_en: Growth card points distribution
-- kind: analyst
-- params: end
-- columns: bucket, bucket_order, accounts, points
-- order: bucket_order
-- description: Accounts of the contract's growth_card KPI as of end (the
--   reward-base rule from the shared growth_cards macro) by points per
--   account: 0-10, 10-100, 100-1k, 1k-10k, 10k-150k (lower bound inclusive)
--   and "at cap" (points equal to the card cap, 150,000 by default); points is
--   the bucket's total, summed exactly (each account's points to 18 decimal
--   places). Every bucket is present, with zeros when empty.
with points as (
    -- exact: a parallel sum of doubles depends on the order its parts are added in
    select is_newcomer, growth_card_points as points, cast(growth_card_points as DECIMAL(38, 18)) as exact_points
    from growth_cards(
        $end, $campaign_start, $campaign_end, $baseline_start, $baseline_end,
        $baseline_days, $campaign_days, $eligible_min_fans, $card_rate, $card_cap_points
    )
),

buckets as (
    select * from (values
        (1, '0-10', 0.0, 10.0),
        (2, '10-100', 10.0, 100.0),
        (3, '100-1k', 100.0, 1000.0),
        (4, '1k-10k', 1000.0, 10000.0),
        (5, '10k-150k', 10000.0, $card_cap_points),
        (6, 'at cap', $card_cap_points, 'infinity'::DOUBLE)
    ) as t(bucket_order, bucket, lower_points, upper_points)
)

select
    buckets.bucket,
    cast(buckets.bucket_order as BIGINT) as bucket_order,
    cast(count(points.points) as BIGINT) as accounts,
    cast(coalesce(sum(points.exact_points), 0) as DOUBLE) as points
from buckets
left join points on points.points >= buckets.lower_points and points.points < buckets.upper_points
group by buckets.bucket, buckets.bucket_order
order by buckets.bucket_order
