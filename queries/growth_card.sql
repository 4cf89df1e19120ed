-- name: growth_card
-- title_zh: 电商成长卡
-- title_en: Growth card
-- kind: contract
-- params: end
-- ignores: start
-- filters: account
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
--   start does not limit it. The account filter keeps that account's row;
--   without it it is the contract's KPI.
select account_id, is_newcomer, reward_base_fen, growth_card_points
from growth_cards(
        $end, $campaign_start, $campaign_end, $baseline_start, $baseline_end,
        $baseline_days, $campaign_days, $eligible_min_fans, $card_rate, $card_cap_points
    )
where $account is null or account_id = $account
order by account_id
