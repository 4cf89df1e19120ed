-- Pre-aggregate `sales_daily`: one row per (Asia/Shanghai paid date, channel,
-- product category) with order lines, paid GMV, settled GMV, refunds and
-- not-yet-settled GMV. It is written with every snapshot
-- (aggregates/sales_daily/) so the window KPIs sum a few thousand rows
-- instead of scanning every order line; workbench.snapshot.read.connect reads the
-- parquet when it is there and falls back to this macro otherwise, so a
-- snapshot without it gives the same numbers. Each measure is an integer
-- sum of lines, so summing it again over days is exact.
-- The category comes from products via product_id; a line whose product is
-- missing from products counts as `other`.
create or replace macro sales_daily_from_lines(start_date, end_date) as table
    with lines as (
        select
            o.paid_date,
            o.channel,
            coalesce(p.category, 'other') as category,
            o.amount_fen,
            o.refund_fen,
            o.status
        from orders_paid(start_date, end_date) as o
        left join products as p using (product_id)
    )

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
    from lines
    group by paid_date, channel, category;
