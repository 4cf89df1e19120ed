-- Spark SQL generated from queries/lift_accounts.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH eligible AS (
  SELECT
    account_id
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
  ) AS eligible_accounts
), enrolled AS (
  SELECT
    account_id,
    enrolled_date
  FROM enrollments
  WHERE
    enrolled_date <= :end
), category_sales AS (
  SELECT
    account_id,
    category,
    SUM(paid_fen) FILTER(WHERE
      paid_date <= :baseline_end) AS baseline_fen,
    SUM(paid_fen) AS all_fen,
    COALESCE(SUM(video_paid_fen) FILTER(WHERE
      paid_date <= :baseline_end), 0) AS baseline_video_fen
  FROM (
    SELECT
      *
    FROM account_sales_daily_stored
    WHERE
      paid_date BETWEEN :baseline_start AND :end
  ) AS account_sales_daily
  SEMI JOIN eligible
    USING (account_id)
  GROUP BY
    account_id,
    category
), dominant_category AS (
  SELECT
    account_id,
    MAX_BY(category, STRUCT(COALESCE(baseline_fen, 0), all_fen, category)) AS category
  FROM category_sales
  GROUP BY
    account_id
), baseline_video AS (
  SELECT
    account_id,
    SUM(baseline_video_fen) AS video_fen
  FROM category_sales
  GROUP BY
    account_id
  HAVING
    SUM(baseline_video_fen) > 0
), described AS (
  SELECT
    a.account_id,
    en.enrolled_date,
    ELEMENT_AT(
      :quota_tier_labels,
      (
        GREATEST(
          1,
          SIZE(FILTER(:quota_tier_min_fans, lower_bound -> a.effective_fans >= lower_bound))
        )
      )
    ) AS fan_tier,
    COALESCE(CASE WHEN a.is_self_operated THEN s.main_category END, d.category, 'other') AS main_category
  FROM accounts AS a
  SEMI JOIN eligible
    USING (account_id)
  SEMI JOIN baseline_video
    USING (account_id)
  LEFT JOIN enrolled AS en
    USING (account_id)
  LEFT JOIN shops AS s
    ON s.shop_id = a.shop_id
  LEFT JOIN dominant_category AS d
    USING (account_id)
), cell_controls AS (
  SELECT
    fan_tier,
    main_category,
    COUNT(*) FILTER(WHERE
      enrolled_date IS NULL) AS controls
  FROM described
  GROUP BY
    fan_tier,
    main_category
)
SELECT
  account_id,
  enrolled_date,
  fan_tier,
  main_category,
  CASE
    WHEN c.controls >= :min_controls
    THEN fan_tier || '/' || main_category
    ELSE fan_tier || '/*'
  END AS stratum
FROM described
JOIN cell_controls AS c
  USING (fan_tier, main_category)
ORDER BY
  account_id NULLS LAST
