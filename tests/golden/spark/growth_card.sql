-- Spark SQL generated from queries/growth_card.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
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
)
SELECT
  account_id,
  is_newcomer,
  reward_base_fen,
  growth_card_points
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
  :account IS NULL OR account_id = :account
ORDER BY
  account_id NULLS LAST
