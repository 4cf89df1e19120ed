-- name: promoter_types
-- title_zh: 带货者类型
-- title_en: Promoter types
-- kind: analyst
-- params: start, end
-- columns: promoter_type, has_official_account, accounts, selling_accounts, short_video_settled_gmv_fen, live_settled_gmv_fen, short_video_share
-- order: promoter_type, has_official_account
-- description: Accounts split by promoter type (self_operated: a shop's
--   self-operated account; independent) and whether they run a linked
--   official account (公众号). selling_accounts have settled short-video GMV > 0
--   from lines paid start..end; settled GMV of short-video and live lines
--   credited to the accounts (orders.account_id); short_video_share = short
--   video / (short video + live) settled GMV, empty when both are 0. Only
--   combinations that have accounts appear.
with by_account as (
    select
        account_id,
        sum(amount_fen - refund_fen) filter (where channel = 'short_video') as sv_settled,
        sum(amount_fen - refund_fen) filter (where channel = 'live') as live_settled
    from orders_paid($start, $end)
    where status = 'settled' and account_id is not null
    group by account_id
),

typed as (
    select
        case when accounts.is_self_operated then 'self_operated' else 'independent' end as promoter_type,
        accounts.has_official_account,
        coalesce(by_account.sv_settled, 0) as sv_settled,
        coalesce(by_account.live_settled, 0) as live_settled
    from accounts
    left join by_account using (account_id)
),

by_type as (
    select
        promoter_type,
        has_official_account,
        count(*) as accounts,
        count(*) filter (where sv_settled > 0) as selling_accounts,
        sum(sv_settled) as sv_settled,
        sum(live_settled) as live_settled
    from typed
    group by all
)

select
    promoter_type,
    has_official_account,
    cast(accounts as BIGINT) as accounts,
    cast(selling_accounts as BIGINT) as selling_accounts,
    cast(sv_settled as BIGINT) as short_video_settled_gmv_fen,
    cast(live_settled as BIGINT) as live_settled_gmv_fen,
    sv_settled / nullif(sv_settled + live_settled, 0) as short_video_share
from by_type
order by promoter_type, has_official_account
