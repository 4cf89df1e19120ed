-- name: settlement_progress
-- title_zh: 结算进度
-- title_en: Settlement progress
-- kind: analyst
-- params: start, end
-- filters: shop
-- columns: paid_gmv_fen, settled_gmv_fen, refunded_fen, unsettled_gmv_fen, unsettled_share
-- description: How far the GMV of lines paid on Asia/Shanghai days start..end
--   has settled as of the snapshot cutoff, all channels. unsettled_gmv_fen is
--   the amount net of refunds so far of lines still paid, shipped or delivered:
--   GMV that may still settle, so a recent window's settled figures will grow.
--   unsettled_share = unsettled / paid GMV (empty when nothing was paid).
--   refunded_fen is every refund so far, fully and partly refunded lines alike.
--   Always one row. With `shop`, that shop's lines only.
-- Reads the daily roll-up sales_daily (workbench/snapshot/aggregates.py).
with totals as (
    select
        coalesce(sum(paid_fen), 0) as paid_fen,
        coalesce(sum(settled_fen), 0) as settled_fen,
        coalesce(sum(refund_fen), 0) as refunded_fen,
        coalesce(sum(unsettled_fen), 0) as unsettled_fen
    from scoped_sales_daily($start, $end, $shop)
)

select
    cast(paid_fen as BIGINT) as paid_gmv_fen,
    cast(settled_fen as BIGINT) as settled_gmv_fen,
    cast(refunded_fen as BIGINT) as refunded_fen,
    cast(unsettled_fen as BIGINT) as unsettled_gmv_fen,
    cast(unsettled_fen / nullif(paid_fen, 0) as DOUBLE) as unsettled_share
from totals
