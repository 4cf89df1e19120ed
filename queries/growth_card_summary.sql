-- name: growth_card_summary
-- title_zh: 成长卡汇总
-- title_en: Growth card summary
-- kind: analyst
-- params: end
-- columns: accounts, newcomer_accounts, existing_accounts, total_points, newcomer_points, existing_points, accounts_at_cap, points_p50, points_p90, points_max, days_elapsed, projected_total_points
-- order: (one row)
-- description: One row summing the contract's growth_card KPI as of end (same
--   accounts and points: eligible accounts enrolled by end with a reward base >
--   0; the reward-base rule is written exactly as in growth_card.sql). Points
--   totals for newcomers and existing accounts, accounts at the points cap,
--   the median, 90th percentile (interpolated) and maximum points per account
--   (empty when no account earns points), days_elapsed = campaign days from
--   the campaign start to min(end, campaign end), and projected_total_points =
--   total_points / days_elapsed * campaign days, a straight run-rate pace
--   (empty before the campaign starts). The projection is rough for existing
--   accounts, whose reward base deducts a full campaign of baseline sales.
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

elapsed as (
    select cast(greatest(0, least($end, $campaign_end) - $campaign_start + 1) as BIGINT) as days_elapsed
),

summary as (
    select
        count(*) as accounts,
        count(*) filter (where is_newcomer) as newcomer_accounts,
        count(*) filter (where not is_newcomer) as existing_accounts,
        coalesce(sum(points), 0) as total_points,
        coalesce(sum(points) filter (where is_newcomer), 0) as newcomer_points,
        coalesce(sum(points) filter (where not is_newcomer), 0) as existing_points,
        count(*) filter (where points >= $card_cap_points) as accounts_at_cap,
        quantile_cont(points, 0.5) as points_p50,
        quantile_cont(points, 0.9) as points_p90,
        max(points) as points_max
    from points
)

select
    cast(accounts as BIGINT) as accounts,
    cast(newcomer_accounts as BIGINT) as newcomer_accounts,
    cast(existing_accounts as BIGINT) as existing_accounts,
    cast(total_points as DOUBLE) as total_points,
    cast(newcomer_points as DOUBLE) as newcomer_points,
    cast(existing_points as DOUBLE) as existing_points,
    cast(accounts_at_cap as BIGINT) as accounts_at_cap,
    cast(points_p50 as DOUBLE) as points_p50,
    cast(points_p90 as DOUBLE) as points_p90,
    cast(points_max as DOUBLE) as points_max,
    days_elapsed,
    total_points / nullif(days_elapsed, 0) * $campaign_days as projected_total_points
from summary
cross join elapsed
