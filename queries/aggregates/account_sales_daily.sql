-- Pre-aggregate `account_sales_daily`: paid GMV (every status, refunds not
-- deducted) of the lines credited to a promoter account (orders.account_id not
-- null), one row per (Asia/Shanghai paid date, account, product category),
-- with the same for its short-video lines alone. The campaign lift reads it:
-- lift_daily (daily short-video paid GMV per account) and lift_accounts (an
-- account's dominant category and whether it sold by short video in the
-- baseline). A row exists exactly when the account has a line of that
-- category that day; video_lines > 0 exactly when one of them is a
-- short-video line. The category comes from products via product_id; a line
-- whose product is missing from products counts as `other`.
create or replace macro account_sales_daily_from_lines(start_date, end_date) as table
    select
        o.paid_date,
        o.account_id,
        coalesce(p.category, 'other') as category,
        cast(count(*) as BIGINT) as lines,
        cast(sum(o.amount_fen) as BIGINT) as paid_fen,
        cast(count(*) filter (where o.channel = 'short_video') as BIGINT) as video_lines,
        cast(coalesce(sum(o.amount_fen) filter (where o.channel = 'short_video'), 0) as BIGINT) as video_paid_fen
    from orders_paid(start_date, end_date) as o
    left join products as p using (product_id)
    where o.account_id is not null
    group by o.paid_date, o.account_id, coalesce(p.category, 'other');
