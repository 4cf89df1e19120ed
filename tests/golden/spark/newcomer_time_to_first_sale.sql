-- Spark SQL generated from queries/newcomer_time_to_first_sale.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH enrolled_newcomers__newcomer_first_sales_1 AS (
  SELECT
    newcomers.account_id,
    MIN(enrollments.enrolled_date) AS enrolled_date
  FROM (
    SELECT
      a.account_id,
      COALESCE(b.settled_fen, 0) = 0 AS is_newcomer
    FROM accounts AS a
    LEFT JOIN (
      SELECT
        account_id,
        SUM(settled_fen) AS settled_fen
      FROM (
        SELECT
          *
        FROM video_sales_daily_stored
        WHERE
          paid_date BETWEEN :baseline_start AND :baseline_end
      ) AS video_sales_daily
      GROUP BY
        account_id
    ) AS b
      USING (account_id)
    WHERE
      (
        a.effective_fans >= :eligible_min_fans OR a.is_self_operated
      )
      AND a.short_video_commerce_enabled
  ) AS newcomers
  JOIN enrollments
    USING (account_id)
  WHERE
    newcomers.is_newcomer
  GROUP BY
    newcomers.account_id
), cohorts__newcomer_first_sales_1 AS (
  SELECT
    account_id,
    enrolled_date,
    CAST(LEAST(
      GREATEST(DATEDIFF(DAY, :campaign_start, enrolled_date) DIV 7 + 1, 1),
      (
        :campaign_days + 6
      ) DIV 7
    ) AS BIGINT) AS cohort_week
  FROM enrolled_newcomers__newcomer_first_sales_1 AS enrolled_newcomers
  WHERE
    enrolled_date <= :end
), first_sales__newcomer_first_sales_1 AS (
  SELECT
    cohorts.account_id,
    DATEDIFF(DAY, cohorts.enrolled_date, MIN(sales.paid_date)) AS days_to_first_sale
  FROM cohorts__newcomer_first_sales_1 AS cohorts
  JOIN (
    SELECT
      *
    FROM video_sales_daily_stored
    WHERE
      paid_date BETWEEN CAST('0001-01-02' AS DATE) AND :end
  ) AS sales
    ON sales.account_id = cohorts.account_id
    AND sales.paid_date BETWEEN cohorts.enrolled_date AND :end
  WHERE
    sales.settled_fen > 0
  GROUP BY
    cohorts.account_id,
    cohorts.enrolled_date
), newcomers AS (
  SELECT
    account_id,
    enrolled_date,
    cohort_week,
    days_to_first_sale
  FROM (
    SELECT
      cohorts.account_id,
      cohorts.enrolled_date,
      cohorts.cohort_week,
      first_sales.days_to_first_sale
    FROM cohorts__newcomer_first_sales_1 AS cohorts
    LEFT JOIN first_sales__newcomer_first_sales_1 AS first_sales
      USING (account_id)
  ) AS newcomer_first_sales
)
SELECT
  cohort_week,
  COUNT(*) AS cohort_size,
  COUNT(days_to_first_sale) AS sold,
  PERCENTILE(days_to_first_sale, 0.5) AS median_days_to_first_sale,
  COUNT(days_to_first_sale) / COUNT(*) AS share_sold
FROM newcomers
GROUP BY
  cohort_week
ORDER BY
  cohort_week NULLS LAST
