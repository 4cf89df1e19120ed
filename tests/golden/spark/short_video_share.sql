-- Spark SQL generated from queries/short_video_share.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH rollup AS (
  SELECT
    channel,
    settled_fen
  FROM (
    SELECT
      *
    FROM sales_daily_stored
    WHERE
      paid_date BETWEEN :start AND :end
  ) AS sales_daily
  WHERE
    :shop IS NULL
    AND :account IS NULL
    AND (
      :category IS NULL OR category = :category
    )
), lines AS (
  SELECT
    channel,
    CASE WHEN status = 'settled' THEN amount_fen - refund_fen ELSE 0 END AS settled_fen
  FROM (
    SELECT
      o.*,
      COALESCE(p.category, 'other') AS category
    FROM (
      SELECT
        *
      FROM orders
      WHERE
        partition_date BETWEEN :start - 1 AND :end + 1
        AND paid_date BETWEEN :start AND :end
    ) AS o
    LEFT JOIN products AS p
      USING (product_id)
    WHERE
      (
        :shop IS NULL OR o.shop_id = :shop
      )
      AND (
        :account IS NULL OR o.account_id = :account
      )
      AND (
        :category IS NULL OR COALESCE(p.category, 'other') = :category
      )
  ) AS filtered_lines
  WHERE
    NOT :shop IS NULL OR NOT :account IS NULL
), totals AS (
  SELECT
    COALESCE(SUM(settled_fen) FILTER(WHERE
      channel = 'short_video'), 0) AS video_fen,
    COALESCE(SUM(settled_fen) FILTER(WHERE
      channel = 'live'), 0) AS live_fen,
    COALESCE(SUM(settled_fen), 0) AS total_fen
  FROM (
    SELECT
      *
    FROM rollup
    UNION ALL
    SELECT
      *
    FROM lines
  ) AS chosen
)
SELECT
  CAST(video_fen AS BIGINT) AS short_video_settled_gmv_fen,
  CAST(live_fen AS BIGINT) AS live_settled_gmv_fen,
  CAST(total_fen AS BIGINT) AS total_settled_gmv_fen,
  CAST(video_fen / NULLIF(video_fen + live_fen, 0) AS DOUBLE) AS share_of_video_and_live,
  CAST(video_fen / NULLIF(total_fen, 0) AS DOUBLE) AS share_of_total
FROM totals
