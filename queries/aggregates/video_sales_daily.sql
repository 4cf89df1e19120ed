-- Pre-aggregate `video_sales_daily`: settled short-video GMV (status
-- settled, net of refunds) per (Asia/Shanghai paid date, credited account).
-- Newcomer status, the growth card's reward base and "has sold" all sum
-- this over a date range, so with it they read one row per account-day
-- instead of every order line. A row exists exactly when the account has a
-- settled short-video line that day; as a line's net (amount - refund) is
-- never negative, settled_fen > 0 exactly when one of that day's lines has
-- a positive net.
create or replace macro video_sales_daily_from_lines(start_date, end_date) as table
    select paid_date, account_id, cast(sum(amount_fen - refund_fen) as BIGINT) as settled_fen
    from orders_paid(start_date, end_date)
    where channel = 'short_video' and status = 'settled' and account_id is not null
    group by paid_date, account_id;
