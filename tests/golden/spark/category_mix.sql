-- Spark SQL generated from queries/category_mix.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH rollup AS (
  SELECT
    channel,
    category,
    settled_fen
  FROM (
    SELECT
      *
    FROM sales_daily_stored
    WHERE
      paid_date BETWEEN :start AND :end
  ) AS sales_daily
  WHERE
    :shop IS NULL AND :account IS NULL
), lines AS (
  SELECT
    channel,
    category,
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
        NULL IS NULL OR COALESCE(p.category, 'other') = NULL
      )
  ) AS filtered_lines
  WHERE
    NOT :shop IS NULL OR NOT :account IS NULL
), by_category AS (
  SELECT
    channel,
    category,
    SUM(settled_fen) AS settled_gmv_fen
  FROM (
    SELECT
      *
    FROM rollup
    UNION ALL
    SELECT
      *
    FROM lines
  ) AS chosen
  WHERE
    channel IN ('short_video', 'live')
  GROUP BY
    channel,
    category
)
SELECT
  channel,
  category,
  CAST(settled_gmv_fen AS BIGINT) AS settled_gmv_fen,
  CAST(settled_gmv_fen / NULLIF(SUM(settled_gmv_fen) OVER (PARTITION BY channel), 0) AS DOUBLE) AS share_within_channel
FROM by_category
ORDER BY
  channel NULLS LAST,
  category NULLS LAST
