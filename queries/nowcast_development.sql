-- name: nowcast_development
-- title_zh: 结算发展系数（成熟订单）
-- title_en: Settlement development of mature orders
-- kind: analyst
-- params: cutoff_date, mature_days, learn_days
-- columns: paid_date, channel, category, age, lines, unsettled_fen, eventual_fen, unsettled_sq, eventual_sq, cross_sq
-- order: paid_date, channel, category, age
-- description: How paid GMV turned into settled GMV, learnt from mature
--   lines: those paid on the learn_days Asia/Shanghai days ending mature_days
--   before cutoff_date, old enough that nearly all have settled or been
--   refunded. For each paid day, channel, product category and age a in
--   0..mature_days it sums the lines not yet settled a days after their paid
--   day (settled_at on a later local day, or never settled): their paid
--   amount (unsettled_fen) and what they finally settled for, net of refunds
--   (eventual_fen; 0 for refunded lines, amount less refunds so far for the
--   rare line still open, assumed to settle). eventual / unsettled is the
--   development factor a chain-ladder applies to lines a days old at a
--   cutoff; the squared sums (amount^2, eventual^2, eventual*amount) give the
--   spread of single lines' outcomes for the interval.
-- Reads the roll-up settlement_daily (workbench/snapshot/aggregates.py), whose
-- rows are already the lines of one paid day, channel, category and settle_age
-- (days from paid to settled day, null if not settled): lines that settled at
-- the same age behave alike for every age, so only these few groups are
-- expanded over the ages. Integers (128-bit for the squares): sums of doubles
-- past 2^53 depend on the order DuckDB's threads add them in.
with by_settle_age as (
    select
        paid_date,
        channel,
        category,
        settle_age,
        lines,
        cast(paid_fen as HUGEINT) as unsettled_fen,
        cast(eventual_fen as HUGEINT) as eventual_fen,
        cast(paid_sq as HUGEINT) as unsettled_sq,
        cast(eventual_sq as HUGEINT) as eventual_sq,
        cast(cross_sq as HUGEINT) as cross_sq
    from settlement_daily(
        cast($cutoff_date as DATE) - cast($mature_days + $learn_days - 1 as INTEGER),
        cast($cutoff_date as DATE) - cast($mature_days as INTEGER)
    )
),

ages as (
    select cast(age_offset as INTEGER) as age
    from (select unnest(generate_series(0, $mature_days)) as age_offset) as offsets
)

select
    g.paid_date,
    g.channel,
    g.category,
    a.age,
    cast(sum(g.lines) as BIGINT) as lines,
    cast(sum(g.unsettled_fen) as DOUBLE) as unsettled_fen,
    cast(sum(g.eventual_fen) as DOUBLE) as eventual_fen,
    cast(sum(g.unsettled_sq) as DOUBLE) as unsettled_sq,
    cast(sum(g.eventual_sq) as DOUBLE) as eventual_sq,
    cast(sum(g.cross_sq) as DOUBLE) as cross_sq
from by_settle_age as g
join ages as a on g.settle_age is null or g.settle_age > a.age
group by g.paid_date, g.channel, g.category, a.age
order by g.paid_date, g.channel, g.category, a.age
