-- name: growth_card_summary
-- title_zh: 成长卡汇总
-- title_en: Growth card summary
-- kind: analyst
-- params: end
-- filters: shop
-- columns: accounts, newcomer_accounts, existing_accounts, total_points, newcomer_points, existing_points, accounts_at_cap, accounts_near_cap, points_p50, points_p90, points_max, days_elapsed, projected_total_points
-- order: (one row)
-- description: One row summing the contract's growth_card KPI as of end (same
--   accounts and points: eligible accounts enrolled by end with a reward base >
--   0; both read the shared growth_cards macro). Points
--   totals for newcomers and existing accounts, accounts at the points cap,
--   the median, 90th percentile (interpolated) and maximum points per account
--   (empty when no account earns points), days_elapsed = campaign days from
--   the campaign start to min(end, campaign end), and projected_total_points =
--   the sum over accounts of min(cap, points / days_elapsed * campaign days),
--   each account's straight run-rate pace held to the cap (empty before the
--   campaign starts). accounts_near_cap counts accounts below the cap with at
--   least card_near_cap_share of it (0.8: 120,000 points with the defaults),
--   those a pace would carry to the cap first. The projection is rough for
--   existing accounts, whose reward base deducts a full campaign of baseline
--   sales, and it paces settled points, which trail payment.
--   Points are summed exactly (each account's points to 18 decimal places),
--   so the totals are the same however DuckDB splits the sum over threads.
--   With `shop`, only the shop's self-operated accounts (accounts.shop_id):
--   a promoter's points come from every shop it sells for, not the shop's to see.
with points as (
    -- exact: a parallel sum of doubles depends on the order its parts are added in
    select is_newcomer, growth_card_points as points, cast(growth_card_points as DECIMAL(38, 18)) as exact_points
    from growth_cards(
        $end, $campaign_start, $campaign_end, $baseline_start, $baseline_end,
        $baseline_days, $campaign_days, $eligible_min_fans, $card_rate, $card_cap_points
    )
    where $shop is null
        or account_id in (select account_id from accounts where shop_id = $shop and is_self_operated)
),

elapsed as (
    select cast(greatest(0, date_diff('day', $campaign_start, least($end, $campaign_end)) + 1) as BIGINT) as days_elapsed
),

paced as (
    -- each account's run-rate to the campaign end, held to the cap (empty with no day elapsed)
    select
        points.*,
        cast(least($card_cap_points, points / nullif(days_elapsed, 0) * $campaign_days) as DECIMAL(38, 18))
            as exact_projected
    from points
    cross join elapsed
),

summary as (
    select
        count(*) as accounts,
        count(*) filter (where is_newcomer) as newcomer_accounts,
        count(*) filter (where not is_newcomer) as existing_accounts,
        cast(coalesce(sum(exact_points), 0) as DOUBLE) as total_points,
        cast(coalesce(sum(exact_points) filter (where is_newcomer), 0) as DOUBLE) as newcomer_points,
        cast(coalesce(sum(exact_points) filter (where not is_newcomer), 0) as DOUBLE) as existing_points,
        count(*) filter (where points >= $card_cap_points) as accounts_at_cap,
        count(*) filter (
            where points < $card_cap_points and points >= $card_near_cap_share * $card_cap_points
        ) as accounts_near_cap,
        quantile_cont(points, 0.5) as points_p50,
        quantile_cont(points, 0.9) as points_p90,
        max(points) as points_max,
        cast(sum(exact_projected) as DOUBLE) as projected_points
    from paced
)

select
    cast(accounts as BIGINT) as accounts,
    cast(newcomer_accounts as BIGINT) as newcomer_accounts,
    cast(existing_accounts as BIGINT) as existing_accounts,
    cast(total_points as DOUBLE) as total_points,
    cast(newcomer_points as DOUBLE) as newcomer_points,
    cast(existing_points as DOUBLE) as existing_points,
    cast(accounts_at_cap as BIGINT) as accounts_at_cap,
    cast(accounts_near_cap as BIGINT) as accounts_near_cap,
    cast(points_p50 as DOUBLE) as points_p50,
    cast(points_p90 as DOUBLE) as points_p90,
    cast(points_max as DOUBLE) as points_max,
    days_elapsed,
    -- no account yet: 0 points paced once a day has elapsed, empty before the campaign starts
    case when days_elapsed > 0 then coalesce(projected_points, 0) end as projected_total_points
from summary
cross join elapsed
