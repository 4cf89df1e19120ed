-- name: settled_at_age
-- title_zh: 同账龄结算GMV
-- title_en: Settled GMV at equal settlement maturity
-- kind: analyst
-- params: start, end, age=0
-- filters: shop
-- columns: channel, order_lines, paid_gmv_fen, settled_gmv_fen, settled_share
-- order: channel
-- description: channel_mix of the lines paid on Asia/Shanghai days start..end
--   as it stood `age` days after end: settled GMV counts only the lines whose
--   Asia/Shanghai settled date is on or before end + age (status settled, net
--   of refunds as the snapshot knows them). Two windows compared at the same
--   age are compared at equal settlement maturity: an earlier week has had
--   more days to settle, so its settled GMV as of today is not comparable with
--   this week's. With end + age at or past the cutoff day it equals
--   channel_mix. settled_share is the channel's share of all channels' settled
--   GMV at that age (empty when nothing had settled). One row per channel that
--   has lines in the window. With `shop`, that shop's lines only.
-- Without a shop it reads the roll-up settlement_daily
-- (workbench/snapshot/aggregates.py): a line had settled by end + age exactly
-- when its settle_age is known and paid_date + settle_age <= end + age, and a
-- settled line's eventual_fen is its amount net of refunds. With a shop (the
-- roll-up has no shop) it reads that shop's order lines; either branch is
-- constant-false for the other case and never read.
with by_channel as (
    select
        channel,
        sum(lines) as order_lines,
        sum(paid_fen) as paid_gmv_fen,
        coalesce(
            sum(eventual_fen) filter (
                where settle_age is not null
                    and paid_date + cast(settle_age as INTEGER) <= cast($end as DATE) + cast($age as INTEGER)
            ),
            0
        ) as settled_gmv_fen
    from settlement_daily($start, $end)
    where $shop is null
    group by channel
    union all
    select
        channel,
        count(*) as order_lines,
        sum(amount_fen) as paid_gmv_fen,
        coalesce(
            sum(amount_fen - refund_fen) filter (
                where status = 'settled' and settled_date <= cast($end as DATE) + cast($age as INTEGER)
            ),
            0
        ) as settled_gmv_fen
    from orders_paid($start, $end)
    where $shop is not null and shop_id = $shop
    group by channel
)

select
    channel,
    cast(order_lines as BIGINT) as order_lines,
    cast(paid_gmv_fen as BIGINT) as paid_gmv_fen,
    cast(settled_gmv_fen as BIGINT) as settled_gmv_fen,
    cast(settled_gmv_fen / nullif(sum(settled_gmv_fen) over (), 0) as DOUBLE) as settled_share
from by_channel
order by channel
