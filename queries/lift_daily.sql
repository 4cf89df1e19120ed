-- name: lift_daily
-- title_zh: 账号每日短视频成交额
-- title_en: Campaign lift: daily short-video paid GMV per account
-- kind: analyst
-- params: end
-- columns: account_id, paid_date, video_paid_fen
-- order: account_id, paid_date
-- description: Paid GMV of short-video lines credited to each eligible
--   account, per Asia/Shanghai paid day from the baseline start to end; days
--   without sales are absent (they are 0). Paid, not settled, GMV: it is final
--   the day the order is paid, so recent campaign days are not understated
--   by orders that have not settled yet.
-- Reads the roll-up account_sales_daily (workbench/snapshot/aggregates.py):
-- an account-day has short-video lines exactly when its video_lines > 0.
with eligible as (
    select account_id
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end)
)

select account_id, paid_date, cast(sum(video_paid_fen) as BIGINT) as video_paid_fen
from account_sales_daily($baseline_start, $end)
semi join eligible using (account_id)
where video_lines > 0
group by account_id, paid_date
order by account_id, paid_date
