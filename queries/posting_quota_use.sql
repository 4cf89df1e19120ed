-- name: posting_quota_use
-- title_zh: 发布配额使用
-- title_en: Posting quota use
-- kind: analyst
-- params: start, end
-- columns: fan_tier, quota, accounts_posting, account_days, videos, videos_per_account_day, share_at_full_quota, account_days_over_quota
-- order: fan_tier (low to high fans)
-- description: How much of the daily commerce-video quota accounts use, by fan
--   tier (<1k, 1k-10k, 10k-100k, >=100k effective fans with the default rule;
--   tiers, bounds and quotas from the posting-quota rule, bound as
--   quota_tier_min_fans, quota_tier_quotas and quota_tier_labels). Counts
--   videos in the videos table (deleted ones included, as the quota counts
--   them) by account and Asia/Shanghai day of published_at, start..end.
--   account_days = account-days with at least one video;
--   videos_per_account_day = videos / account_days; share_at_full_quota =
--   account-days with videos >= quota / account_days; account_days_over_quota
--   counts account-days above the quota, which the platform should prevent (a
--   data check, expected 0). Videos of accounts missing from the accounts
--   table have no tier and are left out. Every tier row is present.
with tiers as (
    select tier, fan_tier, quota
    from fan_tiers($quota_tier_min_fans, $quota_tier_quotas, $quota_tier_labels)
),

account_days as (
    select account_id, published_date as day, count(*) as videos
    from videos
    where published_date between $start and $end
    group by all
),

tiered as (
    select account_days.*, fan_tier(accounts.effective_fans, $quota_tier_min_fans) as tier
    from account_days
    join accounts using (account_id)
)

select
    tiers.fan_tier,
    cast(tiers.quota as BIGINT) as quota,
    cast(count(distinct tiered.account_id) as BIGINT) as accounts_posting,
    cast(count(tiered.account_id) as BIGINT) as account_days,
    cast(coalesce(sum(tiered.videos), 0) as BIGINT) as videos,
    sum(tiered.videos) / nullif(count(tiered.account_id), 0) as videos_per_account_day,
    count(*) filter (where tiered.videos >= tiers.quota) / nullif(count(tiered.account_id), 0) as share_at_full_quota,
    cast(count(*) filter (where tiered.videos > tiers.quota) as BIGINT) as account_days_over_quota
from tiers
left join tiered using (tier)
group by tiers.tier, tiers.fan_tier, tiers.quota
order by tiers.tier
