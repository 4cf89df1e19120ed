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
with newcomers as (
    select account_id, enrolled_date, cohort_week, days_to_first_sale
    from newcomer_first_sales($end, $campaign_start, $campaign_days, $eligible_min_fans, $baseline_start, $baseline_end)
)

select
    cohort_week,
    count(*) as cohort_size,
    count(days_to_first_sale) as sold,
    quantile_cont(days_to_first_sale, 0.5) as median_days_to_first_sale,
    count(days_to_first_sale) / count(*) as share_sold
from newcomers
group by cohort_week
order by cohort_week
