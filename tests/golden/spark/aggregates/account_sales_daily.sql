-- Spark SQL generated from queries/aggregates/account_sales_daily.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
SELECT
  *
FROM (
  SELECT
    o.paid_date,
    o.account_id,
    COALESCE(p.category, 'other') AS category,
    CAST(COUNT(*) AS BIGINT) AS lines,
    CAST(SUM(o.amount_fen) AS BIGINT) AS paid_fen,
    CAST(COUNT(*) FILTER(WHERE
      o.channel = 'short_video') AS BIGINT) AS video_lines,
    CAST(COALESCE(SUM(o.amount_fen) FILTER(WHERE
      o.channel = 'short_video'), 0) AS BIGINT) AS video_paid_fen
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
  WHERE
    NOT o.account_id IS NULL
  GROUP BY
    o.paid_date,
    o.account_id,
    COALESCE(p.category, 'other')
) AS account_sales_daily_from_lines
