-- Spark SQL generated from queries/aggregates/settlement_daily.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH lines__settlement_daily_from_lines_1 AS (
  SELECT
    o.paid_date,
    o.channel,
    COALESCE(p.category, 'other') AS category,
    CASE WHEN o.status = 'settled' THEN DATEDIFF(DAY, o.paid_date, o.settled_date) END AS settle_age,
    CAST(o.amount_fen AS DECIMAL(38, 0)) AS amount,
    CAST(CASE WHEN o.status = 'refunded' THEN 0 ELSE o.amount_fen - o.refund_fen END AS DECIMAL(38, 0)) AS eventual
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
    CAST(settle_age AS BIGINT) AS settle_age,
    CAST(COUNT(*) AS BIGINT) AS lines,
    CAST(SUM(amount) AS BIGINT) AS paid_fen,
    CAST(SUM(eventual) AS BIGINT) AS eventual_fen,
    CAST(SUM(amount * amount) AS DECIMAL(38, 0)) AS paid_sq,
    CAST(SUM(eventual * eventual) AS DECIMAL(38, 0)) AS eventual_sq,
    CAST(SUM(eventual * amount) AS DECIMAL(38, 0)) AS cross_sq
  FROM lines__settlement_daily_from_lines_1 AS lines
  GROUP BY
    paid_date,
    channel,
    category,
    settle_age
) AS settlement_daily_from_lines
