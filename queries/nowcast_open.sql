-- name: nowcast_open
-- title_zh: 待结算订单（按账龄）
-- title_en: Unsettled lines of a window by age
-- kind: analyst
-- params: start, end, cutoff_date, mature_days
-- columns: channel, category, age, lines, settled_fen, unsettled_fen, unsettled_sq
-- order: channel, category, age
-- description: Lines paid on Asia/Shanghai days start..end, by channel,
--   product category and age (days from the paid day to cutoff_date, capped
--   at mature_days): GMV settled by cutoff_date (net of refunds; settled_at on
--   or before that local day) and the paid amount of the other lines,
--   refunded ones included, because the development factors of
--   nowcast_development are learnt on exactly that set (a mature line's
--   refund date is not recorded). unsettled_sq is the sum of squared
--   amounts, for the interval. cutoff_date is normally the snapshot's cutoff
--   day; an earlier one replays what was known then (settlement dates are
--   recorded), which is how the nowcast backtests itself.
with lines as (
    select
        o.channel,
        coalesce(p.category, 'other') as category,
        cast(least(date_diff('day', o.paid_date, cast($cutoff_date as DATE)), $mature_days) as INTEGER) as age,
        o.amount_fen,
        o.refund_fen,
        o.status = 'settled'
            and o.settled_date <= cast($cutoff_date as DATE) as is_settled
    from orders_paid($start, $end) as o
    left join products as p using (product_id)
)

select
    channel,
    category,
    age,
    count(*) as lines,
    cast(coalesce(sum(amount_fen - refund_fen) filter (where is_settled), 0) as BIGINT) as settled_fen,
    cast(coalesce(sum(amount_fen) filter (where not is_settled), 0) as BIGINT) as unsettled_fen,
    -- 128-bit integers, converted once: a sum of doubles past 2^53 depends on the order it is added in
    cast(coalesce(sum(cast(amount_fen as HUGEINT) * amount_fen) filter (where not is_settled), 0) as DOUBLE)
        as unsettled_sq
from lines
group by all
order by channel, category, age
