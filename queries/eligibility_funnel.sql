-- name: eligibility_funnel
-- title_zh: 资格与参与漏斗
-- title_en: Eligibility and participation funnel
-- kind: analyst
-- params: end
-- filters: shop
-- columns: segment_type, segment, accounts, meets_fans_or_self_operated, eligible, enrolled, posted_campaign_video, sold_short_video
-- order: segment_type, segment (fixed: all, fan tiers low to high, self_operated, independent)
-- description: How promoter accounts narrow down from all accounts to enrolled
--   accounts that sold through short videos, overall and by fan tier (<1k,
--   1k-10k, 10k-100k, >=100k effective fans with the default rule; tiers and
--   labels from the posting-quota rule, bound as quota_tier_min_fans and
--   quota_tier_labels) and promoter type (self_operated / independent). Each
--   stage is a subset of the previous one: meets_fans_or_self_operated
--   (effective fans >= the eligibility minimum, or a shop's self-operated
--   account), eligible (and short-video commerce enabled), enrolled (and an
--   enrollment dated, in Asia/Shanghai, on or before end),
--   posted_campaign_video (and a commerce video published on a day from the
--   campaign start to end), sold_short_video (and settled short-video GMV > 0
--   from lines paid from the campaign start to end, credited by the order's
--   account_id). Every segment row is present, with zeros when it has no
--   accounts. With `shop`, only the shop's accounts (its self-operated ones
--   and those credited on its lines paid from the campaign start to end), a
--   video of the shop's products and the shop's lines as sales.
with segments as (
    select 1 as group_order, 0 as segment_order, 'all' as segment_type, 'all' as segment
    union all
    select 2, tier, 'fan_tier', fan_tier
    from fan_tiers($quota_tier_min_fans, $quota_tier_quotas, $quota_tier_labels)
    union all
    select 3, 1, 'promoter_type', 'self_operated'
    union all
    select 3, 2, 'promoter_type', 'independent'
),

enrolled_by_end as (
    select distinct account_id from enrolled_by($end)
),

posted as (
    select distinct account_id
    from videos
    where published_date between $campaign_start and $end
      and ($shop is null or product_id in (select product_id from products where shop_id = $shop))
),

sold as (
    select account_id
    from scoped_settled_video_gmv($campaign_start, $end, $shop)
    where settled_fen > 0
),

flags as (
    select
        accounts.*,
        enrolled_by_end.account_id is not null as has_enrolled,
        posted.account_id is not null as has_posted,
        sold.account_id is not null as has_sold
    from accounts
    left join enrolled_by_end using (account_id)
    left join posted using (account_id)
    left join sold using (account_id)
    where $shop is null or accounts.account_id in (select account_id from shop_accounts($shop, $campaign_start, $end))
),

stages as (
    select
        $quota_tier_labels[fan_tier(effective_fans, $quota_tier_min_fans)] as fan_tier,
        case when is_self_operated then 'self_operated' else 'independent' end as promoter_type,
        effective_fans >= $eligible_min_fans or is_self_operated as meets,
        meets and short_video_commerce_enabled as eligible,
        eligible and has_enrolled as enrolled,
        enrolled and has_posted as posted_video,
        posted_video and has_sold as sold_video
    from flags
),

counted as (
    select
        case when grouping(fan_tier) = 0 then 'fan_tier' when grouping(promoter_type) = 0 then 'promoter_type' else 'all' end as segment_type,
        coalesce(fan_tier, promoter_type, 'all') as segment,
        count(*) as accounts,
        count(*) filter (where meets) as meets,
        count(*) filter (where eligible) as eligible,
        count(*) filter (where enrolled) as enrolled,
        count(*) filter (where posted_video) as posted_video,
        count(*) filter (where sold_video) as sold_video
    from stages
    group by grouping sets ((), (fan_tier), (promoter_type))
)

select
    segments.segment_type,
    segments.segment,
    cast(coalesce(counted.accounts, 0) as BIGINT) as accounts,
    cast(coalesce(counted.meets, 0) as BIGINT) as meets_fans_or_self_operated,
    cast(coalesce(counted.eligible, 0) as BIGINT) as eligible,
    cast(coalesce(counted.enrolled, 0) as BIGINT) as enrolled,
    cast(coalesce(counted.posted_video, 0) as BIGINT) as posted_campaign_video,
    cast(coalesce(counted.sold_video, 0) as BIGINT) as sold_short_video
from segments
left join counted using (segment_type, segment)
order by segments.group_order, segments.segment_order
