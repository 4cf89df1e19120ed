-- name: newcomer_time_to_first_sale
-- title_zh: 新手首单用时
-- title_en: Newcomer time to first sale
-- kind: analyst
-- params: end
-- columns: cohort_week, cohort_size, sold, median_days_to_first_sale, share_sold
-- order: cohort_week
-- description: Per enrolment-week cohort of enrolled newcomers (as in
--   newcomer_cohorts: contract newcomers enrolled on or before end, by the
--   campaign week of the Asia/Shanghai enrolment date, earlier enrolments in
--   week 1): cohort_size, sold (accounts with a settled short-video sale paid
--   from their enrolment date to end), median_days_to_first_sale (median over
--   those that sold of days from enrolment to the first sale's paid date,
--   interpolated; empty if none sold) and share_sold = sold / cohort_size.
with enrolled_newcomers as (
    select
        newcomers.account_id,
        min(cast(timezone('Asia/Shanghai', enrollments.enrolled_at) as DATE)) as enrolled_date
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end) as newcomers
    join enrollments using (account_id)
    where newcomers.is_newcomer
    group by newcomers.account_id
    having enrolled_date <= $end
),

cohorts as (
    select
        account_id,
        enrolled_date,
        cast(least(greatest((enrolled_date - $campaign_start) // 7 + 1, 1), ($campaign_days + 6) // 7) as BIGINT) as cohort_week
    from enrolled_newcomers
),

first_sales as (
    select cohorts.account_id, min(orders.paid_date) - cohorts.enrolled_date as days_to_first_sale
    from cohorts
    join orders on orders.account_id = cohorts.account_id
        and orders.paid_date between cohorts.enrolled_date and $end
    where orders.channel = 'short_video' and orders.status = 'settled' and orders.amount_fen > orders.refund_fen
    group by cohorts.account_id, cohorts.enrolled_date
)

select
    cohort_week,
    count(*) as cohort_size,
    count(first_sales.account_id) as sold,
    quantile_cont(first_sales.days_to_first_sale, 0.5) as median_days_to_first_sale,
    count(first_sales.account_id) / count(*) as share_sold
from cohorts
left join first_sales using (account_id)
group by cohort_week
order by cohort_week
