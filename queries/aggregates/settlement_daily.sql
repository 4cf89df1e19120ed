-- Pre-aggregate `settlement_daily`: one row per (Asia/Shanghai paid date,
-- channel, product category, settle_age) where settle_age is the days from
-- the line's paid day to its Asia/Shanghai settled day for a settled line and
-- null for every other line (paid, shipped, delivered, refunded). Lines that
-- settled at the same age behave alike at every cutoff, so the settlement
-- KPIs (nowcast_development, nowcast_open, settled_at_age) read these rows
-- instead of every order line: whether a line had settled by a day D is
-- settle_age is not null and paid_date + settle_age <= D.
-- Measures, each an exact integer sum of lines: lines; paid_fen (amount);
-- eventual_fen (what the line finally settles for, net of refunds: 0 for a
-- refunded line, amount less refunds so far otherwise, so for a settled line
-- its settled GMV); and, for the nowcast's interval, the sums of amount^2,
-- eventual^2 and eventual * amount, stored as DECIMAL(38, 0) because parquet
-- has no 128-bit integer (DuckDB would write a HUGEINT as a double).
-- The category comes from products via product_id; a line whose product is
-- missing from products counts as `other`.
create or replace macro settlement_daily_from_lines(start_date, end_date) as table
    with lines as (
        select
            o.paid_date,
            o.channel,
            coalesce(p.category, 'other') as category,
            case when o.status = 'settled' then date_diff('day', o.paid_date, o.settled_date) end as settle_age,
            cast(o.amount_fen as HUGEINT) as amount,
            cast(case when o.status = 'refunded' then 0 else o.amount_fen - o.refund_fen end as HUGEINT) as eventual
        from orders_paid(start_date, end_date) as o
        left join products as p using (product_id)
    )

    select
        paid_date,
        channel,
        category,
        cast(settle_age as BIGINT) as settle_age,
        cast(count(*) as BIGINT) as lines,
        cast(sum(amount) as BIGINT) as paid_fen,
        cast(sum(eventual) as BIGINT) as eventual_fen,
        cast(sum(amount * amount) as DECIMAL(38, 0)) as paid_sq,
        cast(sum(eventual * eventual) as DECIMAL(38, 0)) as eventual_sq,
        cast(sum(eventual * amount) as DECIMAL(38, 0)) as cross_sq
    from lines
    group by paid_date, channel, category, settle_age;
