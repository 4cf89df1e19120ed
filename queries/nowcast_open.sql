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
-- Reads the roll-up settlement_daily (workbench/snapshot/aggregates.py): a
-- line had settled by cutoff_date exactly when its settle_age (days from paid
-- to settled day) is known and paid_date + settle_age <= cutoff_date.
with groups as (
    select
        channel,
        category,
        cast(least(date_diff('day', paid_date, cast($cutoff_date as DATE)), $mature_days) as INTEGER) as age,
        lines,
        paid_fen,
        eventual_fen,
        paid_sq,
        settle_age is not null
            and paid_date + cast(settle_age as INTEGER) <= cast($cutoff_date as DATE) as is_settled
    from settlement_daily($start, $end)
)

select
    channel,
    category,
    age,
    cast(sum(lines) as BIGINT) as lines,
    -- a settled line's eventual_fen is its settled GMV, net of refunds
    cast(coalesce(sum(eventual_fen) filter (where is_settled), 0) as BIGINT) as settled_fen,
    cast(coalesce(sum(paid_fen) filter (where not is_settled), 0) as BIGINT) as unsettled_fen,
    -- 128-bit integers, converted once: a sum of doubles past 2^53 depends on the order it is added in
    cast(coalesce(sum(cast(paid_sq as HUGEINT)) filter (where not is_settled), 0) as DOUBLE) as unsettled_sq
from groups
group by channel, category, age
order by channel, category, age
