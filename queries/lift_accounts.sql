-- name: lift_accounts
-- title_zh: 激励效果分析的账号与分层
-- title_en: Campaign lift: accounts and strata
-- kind: analyst
-- params: end, min_controls
-- columns: account_id, enrolled_date, fan_tier, main_category, stratum
-- order: account_id
-- description: Every eligible account (contract definition) that sold by
--   short video in the baseline (paid GMV > 0), with its
--   Asia/Shanghai enrolment date if it enrolled on or before end (else empty:
--   a control), its fan tier (the posting-quota tiers and their labels, <1k,
--   1k-10k, 10k-100k, >=100k with the default rule; bound as
--   quota_tier_min_fans and quota_tier_labels) and its main category:
--   the shop's main_category for a self-operated account, otherwise the
--   category with the most paid GMV among the lines credited to it in the
--   baseline window (any channel), or among all its lines up to end when it
--   sold nothing in the baseline, else other. stratum is tier/category when
--   that cell holds at least min_controls non-enrolled accounts, else tier/*
--   (the tier's accounts pooled), so every enrolled account is compared
--   with similar controls. Accounts without baseline short-video sales
--   (newcomers) are left out: with no baseline there is no growth to compare.
with eligible as (
    select account_id
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end)
),

enrolled as (
    select account_id, enrolled_date
    from enrollments
    where enrolled_date <= $end
),

-- Paid GMV of the lines credited to each account by category and day, from the
-- roll-up account_sales_daily (workbench/snapshot/aggregates.py); a category
-- with no lines in the baseline has no baseline_fen (null), as no line is summed.
-- One read of the roll-up serves the dominant category and the baseline's
-- short-video sales (a row without short-video lines adds 0 to baseline_video_fen).
-- Only eligible accounts are described, so only their rows are grouped
-- (about a third of the roll-up's accounts with the default rules).
category_sales as (
    select
        account_id,
        category,
        sum(paid_fen) filter (where paid_date <= $baseline_end) as baseline_fen,
        sum(paid_fen) as all_fen,
        coalesce(sum(video_paid_fen) filter (where paid_date <= $baseline_end), 0) as baseline_video_fen
    from account_sales_daily($baseline_start, $end)
    semi join eligible using (account_id)
    group by account_id, category
),

dominant_category as (
    select account_id, arg_max(category, (coalesce(baseline_fen, 0), all_fen, category)) as category
    from category_sales
    group by account_id
),

baseline_video as (
    select account_id, sum(baseline_video_fen) as video_fen
    from category_sales
    group by account_id
    having sum(baseline_video_fen) > 0
),

described as (
    select
        a.account_id,
        en.enrolled_date,
        $quota_tier_labels[fan_tier(a.effective_fans, $quota_tier_min_fans)] as fan_tier,
        coalesce(case when a.is_self_operated then s.main_category end, d.category, 'other') as main_category
    from accounts as a
    semi join eligible using (account_id)
    semi join baseline_video using (account_id)
    left join enrolled as en using (account_id)
    left join shops as s on s.shop_id = a.shop_id
    left join dominant_category as d using (account_id)
),

cell_controls as (
    select fan_tier, main_category, count(*) filter (where enrolled_date is null) as controls
    from described
    group by fan_tier, main_category
)

select
    account_id,
    enrolled_date,
    fan_tier,
    main_category,
    case when c.controls >= $min_controls then fan_tier || '/' || main_category else fan_tier || '/*' end as stratum
from described
join cell_controls as c using (fan_tier, main_category)
order by account_id
