-- Spark SQL generated from queries/channel_mix.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH rollup AS (
  SELECT
    channel,
    order_lines,
    paid_fen,
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
    1 AS order_lines,
    amount_fen AS paid_fen,
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
), by_channel AS (
  SELECT
    channel,
    SUM(order_lines) AS order_lines,
    SUM(paid_fen) AS paid_gmv_fen,
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
  GROUP BY
    channel
)
SELECT
  channel,
  CAST(order_lines AS BIGINT) AS order_lines,
  CAST(paid_gmv_fen AS BIGINT) AS paid_gmv_fen,
  CAST(settled_gmv_fen AS BIGINT) AS settled_gmv_fen,
  CAST(settled_gmv_fen / NULLIF(SUM(settled_gmv_fen) OVER (), 0) AS DOUBLE) AS settled_share
FROM by_channel
ORDER BY
  channel NULLS LAST
