-- Spark SQL generated from queries/aggregates/sales_daily.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH lines__sales_daily_from_lines_1 AS (
  SELECT
    o.paid_date,
    o.channel,
    COALESCE(p.category, 'other') AS category,
    o.amount_fen,
    o.refund_fen,
    o.status
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN CAST('0001-01-02' AS DATE) - 1 AND CAST('9999-12-30' AS DATE) + 1
      AND paid_date BETWEEN CAST('0001-01-02' AS DATE) AND CAST('9999-12-30' AS DATE)
  ) AS o
  LEFT JOIN products AS p
    USING (product_id)
)
SELECT
  *
FROM (
  SELECT
    paid_date,
    channel,
    category,
    CAST(COUNT(*) AS BIGINT) AS order_lines,
    CAST(SUM(amount_fen) AS BIGINT) AS paid_fen,
    CAST(COALESCE(SUM(amount_fen - refund_fen) FILTER(WHERE
      status = 'settled'), 0) AS BIGINT) AS settled_fen,
    CAST(SUM(refund_fen) AS BIGINT) AS refund_fen,
    CAST(COALESCE(
      SUM(amount_fen - refund_fen) FILTER(WHERE
        status IN ('paid', 'shipped', 'delivered')),
      0
    ) AS BIGINT) AS unsettled_fen
  FROM lines__sales_daily_from_lines_1 AS lines
  GROUP BY
    paid_date,
    channel,
    category
) AS sales_daily_from_lines
