-- name: growth_card
-- title_zh: 电商成长卡
-- title_en: Growth card
-- kind: contract
-- params: end
-- columns: account_id, is_newcomer, reward_base_fen, growth_card_points
-- order: account_id
-- description: Reward base and growth-card points (电商成长卡) of every
--   eligible account enrolled on an Asia/Shanghai date <= end whose reward base
--   is > 0. X = settled short-video GMV of lines paid from the campaign start
--   to min(end, campaign end); B = the same over the baseline. A newcomer's
--   (B = 0) reward base is X; an existing account's is
--   max(0, X - B / baseline_days * campaign_days) floored to whole fen,
--   computed exactly in integers as (X * baseline_days - B * campaign_days)
--   // baseline_days. Points = min(card cap, reward base in yuan * card rate).
--   start does not limit it.
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
)

select
    account_id,
    is_newcomer,
    cast(reward_base_fen as BIGINT) as reward_base_fen,
    cast(least($card_cap_points, cast(reward_base_fen as DOUBLE) / 100.0 * $card_rate) as DOUBLE)
        as growth_card_points
from reward_bases
where reward_base_fen > 0
order by account_id
