-- The contract's shared definitions (shared/contract/README.md, "KPI
-- definitions") as DuckDB table macros. kpi.run defines them on the
-- connection before every query, so "eligible", "newcomer" and "enrolled"
-- are written once and every KPI that counts accounts agrees on them.
-- Rule values arrive as macro arguments: the calling query binds them from
-- CampaignConfig, nothing here is a hard-coded rule.

-- Settled short-video GMV per credited account (orders.account_id) of the
-- lines paid on Asia/Shanghai days start_date..end_date.
create or replace macro settled_video_gmv(start_date, end_date) as table
    select account_id, sum(amount_fen - refund_fen) as settled_fen
    from orders_paid(start_date, end_date)
    where channel = 'short_video' and status = 'settled' and account_id is not null
    group by account_id;

-- Eligible accounts, each flagged as a newcomer when its settled short-video
-- GMV over the baseline is 0 (live and other channels there do not matter;
-- a fully refunded line adds 0).
create or replace macro eligible_accounts(min_fans, baseline_start, baseline_end) as table
    select a.account_id, coalesce(b.settled_fen, 0) = 0 as is_newcomer
    from accounts as a
    left join settled_video_gmv(baseline_start, baseline_end) as b using (account_id)
    where (a.effective_fans >= min_fans or a.is_self_operated)
      and a.short_video_commerce_enabled;

-- Accounts whose enrollment falls on an Asia/Shanghai date <= end_date.
create or replace macro enrolled_by(end_date) as table
    select account_id
    from enrollments
    where cast(timezone('Asia/Shanghai', enrolled_at) as DATE) <= end_date;
