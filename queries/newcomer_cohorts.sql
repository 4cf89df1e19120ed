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
),

cohort_sizes as (
    select cohort_week, count(*) as cohort_size, min(enrolled_date) as first_enrolled
    from cohorts
    group by cohort_week
),

cohort_days as (
    select cohort_week, cohort_size, unnest(range(0, $end - first_enrolled + 1)) as days_since_enrollment
    from cohort_sizes
)

select
    cohort_days.cohort_week,
    cast(cohort_days.cohort_size as BIGINT) as cohort_size,
    cohort_days.days_since_enrollment,
    cast(count(first_sales.account_id) as BIGINT) as selling,
    count(first_sales.account_id) / cohort_days.cohort_size as cumulative_share_selling
from cohort_days
join cohorts using (cohort_week)
left join first_sales on first_sales.account_id = cohorts.account_id
    and first_sales.days_to_first_sale <= cohort_days.days_since_enrollment
group by cohort_days.cohort_week, cohort_days.cohort_size, cohort_days.days_since_enrollment
order by cohort_week, days_since_enrollment
