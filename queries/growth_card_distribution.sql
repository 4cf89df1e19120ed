-- name: growth_card_distribution
-- title_zh: 成长卡积分分布
-- title_en: Growth card points distribution
-- kind: analyst
-- params: end
-- columns: bucket, bucket_order, accounts, points
-- order: bucket_order
-- description: Accounts of the contract's growth_card KPI as of end (the
--   reward-base rule written exactly as in growth_card.sql) by points per
--   account: 0-10, 10-100, 100-1k, 1k-10k, 10k-150k (lower bound inclusive)
--   and "at cap" (points equal to the card cap, 150,000 by default); points is
--   the bucket's total. Every bucket is present, with zeros when empty.
with campaign_video as (
    select account_id, settled_fen
    from settled_video_gmv($campaign_start, least($end, $campaign_end))
),

baseline_video as (
    select account_id, settled_fen
    from settled_video_gmv($baseline_start, $baseline_end)
),

reward_bases as (
    select
        e.account_id,
        e.is_newcomer,
        greatest(
            0,
            coalesce(c.settled_fen, 0) * $baseline_days - coalesce(b.settled_fen, 0) * $campaign_days
        ) // $baseline_days as reward_base_fen
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end) as e
    semi join enrolled_by($end) using (account_id)
    left join campaign_video as c using (account_id)
    left join baseline_video as b using (account_id)
),

points as (
    select
        is_newcomer,
        cast(least($card_cap_points, cast(reward_base_fen as DOUBLE) / 100.0 * $card_rate) as DOUBLE) as points
    from reward_bases
    where reward_base_fen > 0
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
    cast(coalesce(sum(points.points), 0) as DOUBLE) as points
from buckets
left join points on points.points >= buckets.lower_points and points.points < buckets.upper_points
group by buckets.bucket, buckets.bucket_order
order by buckets.bucket_order
