-- name: newcomer_cohorts
-- title_zh: 新手队列首单曲线
-- title_en: Newcomer cohorts: cumulative first sales
-- kind: analyst
-- params: end
-- columns: cohort_week, cohort_size, days_since_enrollment, selling, cumulative_share_selling
-- order: cohort_week, days_since_enrollment
-- description: Enrolled newcomers (contract definition: eligible, no settled
--   short-video GMV from lines paid in the baseline window, enrolled on or
--   before end) grouped by the campaign week of their Asia/Shanghai enrolment
--   date (enrolments before the campaign start join week 1). For each day d =
--   0..N after enrolment, where N is end minus the cohort's earliest enrolment
--   date, selling counts the cohort's accounts whose first settled short-video
--   sale (earliest paid date of a settled short-video line with GMV > 0, paid
--   on or after the enrolment date and on or before end) came within d days;
--   cumulative_share_selling = selling / cohort_size. Accounts enrolled late
--   have had fewer days, so the right end of a curve mixes members with less
--   time; compare cohorts at equal d.
with newcomers as (
    select account_id, enrolled_date, cohort_week, days_to_first_sale
    from newcomer_first_sales($end, $campaign_start, $campaign_days, $eligible_min_fans, $baseline_start, $baseline_end)
),

cohort_sizes as (
    select cohort_week, count(*) as cohort_size, min(enrolled_date) as first_enrolled
    from newcomers
    group by cohort_week
),

cohort_days as (
    select cohort_week, cohort_size, unnest(generate_series(0, date_diff('day', first_enrolled, $end))) as days_since_enrollment
    from cohort_sizes
)

select
    cohort_days.cohort_week,
    cast(cohort_days.cohort_size as BIGINT) as cohort_size,
    cohort_days.days_since_enrollment,
    cast(count(newcomers.days_to_first_sale) filter (
        where newcomers.days_to_first_sale <= cohort_days.days_since_enrollment
    ) as BIGINT) as selling,
    count(newcomers.days_to_first_sale) filter (
        where newcomers.days_to_first_sale <= cohort_days.days_since_enrollment
    ) / cohort_days.cohort_size as cumulative_share_selling
from cohort_days
join newcomers using (cohort_week)
group by cohort_days.cohort_week, cohort_days.cohort_size, cohort_days.days_since_enrollment
order by cohort_week, days_since_enrollment
