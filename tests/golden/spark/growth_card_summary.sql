-- Spark SQL generated from queries/growth_card_summary.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH campaign_video__growth_cards_1 AS (
  SELECT
    account_id,
    settled_fen
  FROM (
    SELECT
      account_id,
      SUM(settled_fen) AS settled_fen
    FROM (
      SELECT
        *
      FROM video_sales_daily_stored
      WHERE
        paid_date BETWEEN :campaign_start AND LEAST(:end, :campaign_end)
    ) AS video_sales_daily
    GROUP BY
      account_id
  ) AS settled_video_gmv
), baseline_video__growth_cards_1 AS (
  SELECT
    account_id,
    settled_fen
  FROM (
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
  ) AS settled_video_gmv
), reward_bases__growth_cards_1 AS (
  SELECT
    e.account_id,
    e.is_newcomer,
    GREATEST(
      0,
      COALESCE(c.settled_fen, 0) * :baseline_days - COALESCE(b.settled_fen, 0) * :campaign_days
    ) DIV :baseline_days AS reward_base_fen
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
  ) AS e
  SEMI JOIN (
    SELECT
      account_id
    FROM enrollments
    WHERE
      enrolled_date <= :end
  ) AS enrolled_by
    USING (account_id)
  LEFT JOIN campaign_video__growth_cards_1 AS c
    USING (account_id)
  LEFT JOIN baseline_video__growth_cards_1 AS b
    USING (account_id)
), points AS (
  SELECT
    is_newcomer,
    growth_card_points AS points,
    CAST(growth_card_points AS DECIMAL(38, 18)) AS exact_points
  FROM (
    SELECT
      account_id,
      is_newcomer,
      CAST(reward_base_fen AS BIGINT) AS reward_base_fen,
      CAST(LEAST(:card_cap_points, CAST(reward_base_fen AS DOUBLE) / 100.0 * :card_rate) AS DOUBLE) AS growth_card_points
    FROM reward_bases__growth_cards_1 AS reward_bases
    WHERE
      reward_base_fen > 0
  ) AS growth_cards
  WHERE
    :shop IS NULL
    OR account_id IN (
      SELECT
        account_id
      FROM accounts
      WHERE
        shop_id = :shop AND is_self_operated
    )
), elapsed AS (
  SELECT
    CAST(GREATEST(0, DATEDIFF(DAY, :campaign_start, LEAST(:end, :campaign_end)) + 1) AS BIGINT) AS days_elapsed
), paced AS (
  SELECT
    points.*,
    CAST(LEAST(:card_cap_points, points / NULLIF(days_elapsed, 0) * :campaign_days) AS DECIMAL(38, 18)) AS exact_projected
  FROM points
  CROSS JOIN elapsed
), summary AS (
  SELECT
    COUNT(*) AS accounts,
    COUNT(*) FILTER(WHERE
      is_newcomer) AS newcomer_accounts,
    COUNT(*) FILTER(WHERE
      NOT is_newcomer) AS existing_accounts,
    CAST(COALESCE(SUM(exact_points), 0) AS DOUBLE) AS total_points,
    CAST(COALESCE(SUM(exact_points) FILTER(WHERE
      is_newcomer), 0) AS DOUBLE) AS newcomer_points,
    CAST(COALESCE(SUM(exact_points) FILTER(WHERE
      NOT is_newcomer), 0) AS DOUBLE) AS existing_points,
    COUNT(*) FILTER(WHERE
      points >= :card_cap_points) AS accounts_at_cap,
    COUNT(*) FILTER(WHERE
      points < :card_cap_points AND points >= :card_near_cap_share * :card_cap_points) AS accounts_near_cap,
    PERCENTILE(points, 0.5) AS points_p50,
    PERCENTILE(points, 0.9) AS points_p90,
    MAX(points) AS points_max,
    CAST(SUM(exact_projected) AS DOUBLE) AS projected_points
  FROM paced
)
SELECT
  CAST(accounts AS BIGINT) AS accounts,
  CAST(newcomer_accounts AS BIGINT) AS newcomer_accounts,
  CAST(existing_accounts AS BIGINT) AS existing_accounts,
  CAST(total_points AS DOUBLE) AS total_points,
  CAST(newcomer_points AS DOUBLE) AS newcomer_points,
  CAST(existing_points AS DOUBLE) AS existing_points,
  CAST(accounts_at_cap AS BIGINT) AS accounts_at_cap,
  CAST(accounts_near_cap AS BIGINT) AS accounts_near_cap,
  CAST(points_p50 AS DOUBLE) AS points_p50,
  CAST(points_p90 AS DOUBLE) AS points_p90,
  CAST(points_max AS DOUBLE) AS points_max,
  days_elapsed,
  CASE WHEN days_elapsed > 0 THEN COALESCE(projected_points, 0) END AS projected_total_points
FROM summary
CROSS JOIN elapsed
