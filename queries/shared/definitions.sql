-- The contract's shared definitions (shared/contract/README.md, "KPI
-- definitions") as DuckDB table macros. workbench.snapshot.read.connect defines them
-- once on every connection, so "eligible", "newcomer" and "enrolled"
-- are written once and every KPI that counts accounts agrees on them.
-- Rule values arrive as macro arguments: the calling query binds them from
-- CampaignConfig, nothing here is a hard-coded rule.

-- The posting-quota fan tiers (contract: "posting quota"), from the lists
-- CampaignConfig.sql_params() binds, lowest tier first:
-- $quota_tier_min_fans (lower bounds, strictly increasing),
-- $quota_tier_quotas (videos a day) and $quota_tier_labels (`<1k`, `1k-10k`,
-- ..., made from the bounds by CampaignConfig.quota_tier_labels), so a rule
-- with any number of tiers needs no SQL change.
-- fan_tier is an account's tier as a 1-based index into those lists: the
-- number of lower bounds its effective fans reach, at least 1, so the first
-- tier also holds any account below its own bound (as
-- CampaignConfig.quota_for). Its label is $quota_tier_labels[fan_tier(...)],
-- its quota $quota_tier_quotas[fan_tier(...)].
create or replace macro fan_tier(effective_fans, tier_min_fans) as
    greatest(1, len(list_filter(tier_min_fans, lambda lower_bound: effective_fans >= lower_bound)));

-- The 1-based band of a value among ascending lower bounds, at least 1 (the
-- first band also holds values below its own bound): the peer size band of a
-- shop's paid GMV ($peer_band_min_fen, CampaignConfig.peer_size_bands_yuan)
-- in shop_peers. The same counting as fan_tier, for any measure.
create or replace macro tier_index(value, lower_bounds) as
    greatest(1, len(list_filter(lower_bounds, lambda lower_bound: value >= lower_bound)));

-- Every fan tier, one row each, lowest first: for KPIs that list every tier,
-- with zeros when it has no accounts.
create or replace macro fan_tiers(tier_min_fans, tier_quotas, tier_labels) as table
    select
        cast(tier as BIGINT) as tier,
        cast(tier_min_fans[tier] as BIGINT) as min_fans,
        cast(tier_labels[tier] as VARCHAR) as fan_tier,
        cast(tier_quotas[tier] as BIGINT) as quota
    from (select unnest(generate_series(1, len(tier_min_fans))) as tier) as tiers;

-- Settled short-video GMV per credited account (orders.account_id) of the
-- lines paid on Asia/Shanghai days start_date..end_date, summed from the
-- daily roll-up video_sales_daily (workbench/snapshot/aggregates.py).
create or replace macro settled_video_gmv(start_date, end_date) as table
    select account_id, sum(settled_fen) as settled_fen
    from video_sales_daily(start_date, end_date)
    group by account_id;

-- Eligible accounts, each flagged as a newcomer when its settled short-video
-- GMV over the baseline is 0 (live and other channels there do not matter;
-- a fully refunded line adds 0).
create or replace macro eligible_accounts(min_fans, baseline_start, baseline_end) as table
    select a.account_id, coalesce(b.settled_fen, 0) = 0 as is_newcomer
    from accounts as a
    left join settled_video_gmv(baseline_start, baseline_end) as b using (account_id)
    where (a.effective_fans >= min_fans or a.is_self_operated)
      and a.short_video_commerce_enabled;

-- Accounts whose enrollment falls on an Asia/Shanghai date <= end_date
-- (enrolled_date, the local day the enrollments view adds).
create or replace macro enrolled_by(end_date) as table
    select account_id
    from enrollments
    where enrolled_date <= end_date;

-- Reward base and growth-card points (电商成长卡) of every eligible account
-- enrolled by end_date whose reward base is > 0: the contract's growth_card
-- rule, written once for growth_card, growth_card_summary and
-- growth_card_distribution. X = settled short-video GMV of lines paid from
-- campaign_start to min(end_date, campaign_end), B = the same over the
-- baseline; a newcomer's base is X, an existing account's
-- max(0, X - B / baseline_days * campaign_days) floored to whole fen, in exact
-- integer arithmetic.
create or replace macro growth_cards(
    end_date, campaign_start, campaign_end, baseline_start, baseline_end,
    baseline_days, campaign_days, min_fans, card_rate, card_cap
) as table
    with campaign_video as (
        select account_id, settled_fen
        from settled_video_gmv(campaign_start, least(end_date, campaign_end))
    ),

    baseline_video as (
        select account_id, settled_fen
        from settled_video_gmv(baseline_start, baseline_end)
    ),

    reward_bases as (
        select
            e.account_id,
            e.is_newcomer,
            greatest(
                0,
                coalesce(c.settled_fen, 0) * baseline_days - coalesce(b.settled_fen, 0) * campaign_days
            ) // baseline_days as reward_base_fen
        from eligible_accounts(min_fans, baseline_start, baseline_end) as e
        semi join enrolled_by(end_date) using (account_id)
        left join campaign_video as c using (account_id)
        left join baseline_video as b using (account_id)
    )

    select
        account_id,
        is_newcomer,
        cast(reward_base_fen as BIGINT) as reward_base_fen,
        cast(least(card_cap, cast(reward_base_fen as DOUBLE) / 100.0 * card_rate) as DOUBLE) as growth_card_points
    from reward_bases
    where reward_base_fen > 0;

-- Enrolled newcomers with their campaign-week cohort and the days from their
-- Asia/Shanghai enrolment date to their first settled short-video sale (the
-- earliest paid date of a settled line with GMV > 0 paid on or after the
-- enrolment date and on or before end_date; null if none). Enrolments before
-- the campaign start join week 1.
create or replace macro newcomer_first_sales(end_date, campaign_start, campaign_days, min_fans, baseline_start, baseline_end) as table
    with enrolled_newcomers as (
        select
            newcomers.account_id,
            min(enrollments.enrolled_date) as enrolled_date
        from eligible_accounts(min_fans, baseline_start, baseline_end) as newcomers
        join enrollments using (account_id)
        where newcomers.is_newcomer
        group by newcomers.account_id
    ),

    cohorts as (
        select
            account_id,
            enrolled_date,
            cast(least(greatest(date_diff('day', campaign_start, enrolled_date) // 7 + 1, 1), (campaign_days + 6) // 7) as BIGINT) as cohort_week
        from enrolled_newcomers
        where enrolled_date <= end_date
    ),

    -- A day of the roll-up video_sales_daily has settled_fen > 0 exactly when
    -- one of its settled short-video lines has GMV > 0 (no line's net is
    -- negative). Its range starts at the earliest date DuckDB holds: an
    -- enrolment may precede any window the rules name.
    first_sales as (
        select cohorts.account_id, date_diff('day', cohorts.enrolled_date, min(sales.paid_date)) as days_to_first_sale
        from cohorts
        join video_sales_daily(date '0001-01-02', end_date) as sales
            on sales.account_id = cohorts.account_id
            and sales.paid_date between cohorts.enrolled_date and end_date
        where sales.settled_fen > 0
        group by cohorts.account_id, cohorts.enrolled_date
    )

    select cohorts.account_id, cohorts.enrolled_date, cohorts.cohort_week, first_sales.days_to_first_sale
    from cohorts
    left join first_sales using (account_id);

-- Order lines paid start_date..end_date (orders_paid) narrowed by the optional
-- filters of a KPI call: the selling shop (orders.shop_id), the credited account
-- (orders.account_id) and the product category (products.category, `other`
-- when the product is missing, as in sales_daily). A null filter selects all.
create or replace macro filtered_lines(start_date, end_date, only_shop, only_account, only_category) as table
    select o.*, coalesce(p.category, 'other') as category
    from orders_paid(start_date, end_date) as o
    left join products as p using (product_id)
    where (only_shop is null or o.shop_id = only_shop)
      and (only_account is null or o.account_id = only_account)
      and (only_category is null or coalesce(p.category, 'other') = only_category);

-- Per-shop scope (a KPI's `shop` filter). A shop report covers the shop's own
-- order lines, whoever promoted them; the accounts that sold them or are its
-- self-operated accounts; and the growth cards of its self-operated accounts.
-- With only_shop null every macro below is exactly its unscoped counterpart
-- (the scoped branch is constant-false and never read), so an unfiltered KPI
-- reads what it read before and gives the same bytes.

-- The roll-up sales_daily's columns, of one shop's lines when only_shop is given.
create or replace macro scoped_sales_daily(start_date, end_date, only_shop) as table
    select paid_date, channel, category, order_lines, paid_fen, settled_fen, refund_fen, unsettled_fen
    from sales_daily(start_date, end_date)
    where only_shop is null
    union all
    select
        paid_date,
        channel,
        category,
        cast(count(*) as BIGINT) as order_lines,
        cast(sum(amount_fen) as BIGINT) as paid_fen,
        cast(coalesce(sum(amount_fen - refund_fen) filter (where status = 'settled'), 0) as BIGINT) as settled_fen,
        cast(sum(refund_fen) as BIGINT) as refund_fen,
        cast(coalesce(sum(amount_fen - refund_fen) filter (where status in ('paid', 'shipped', 'delivered')), 0) as BIGINT)
            as unsettled_fen
    from filtered_lines(start_date, end_date, only_shop, null, null)
    where only_shop is not null
    group by paid_date, channel, category;

-- settled_video_gmv, counting only one shop's lines when only_shop is given.
create or replace macro scoped_settled_video_gmv(start_date, end_date, only_shop) as table
    select account_id, settled_fen
    from settled_video_gmv(start_date, end_date)
    where only_shop is null
    union all
    select account_id, cast(sum(amount_fen - refund_fen) as BIGINT) as settled_fen
    from filtered_lines(start_date, end_date, only_shop, null, null)
    where only_shop is not null and channel = 'short_video' and status = 'settled' and account_id is not null
    group by account_id;

-- The accounts of a shop: its self-operated accounts (accounts.shop_id) and
-- every account credited on one of its lines paid start_date..end_date.
-- Empty when only_shop is null (callers test `only_shop is null` first).
create or replace macro shop_accounts(only_shop, start_date, end_date) as table
    select account_id
    from accounts
    where only_shop is not null and shop_id = only_shop and is_self_operated
    union
    select account_id
    from filtered_lines(start_date, end_date, only_shop, null, null)
    where only_shop is not null and account_id is not null;
