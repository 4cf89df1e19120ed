-- Spark SQL generated from queries/aggregates/video_sales_daily.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
SELECT
  *
FROM (
  SELECT
    paid_date,
    account_id,
    CAST(SUM(amount_fen - refund_fen) AS BIGINT) AS settled_fen
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN CAST('0001-01-02' AS DATE) - 1 AND CAST('9999-12-30' AS DATE) + 1
      AND paid_date BETWEEN CAST('0001-01-02' AS DATE) AND CAST('9999-12-30' AS DATE)
  ) AS orders_paid
  WHERE
    channel = 'short_video' AND status = 'settled' AND NOT account_id IS NULL
  GROUP BY
    paid_date,
    account_id
) AS video_sales_daily_from_lines
