-- Spark SQL generated from queries/nowcast_open.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH lines AS (
  SELECT
    o.channel,
    COALESCE(p.category, 'other') AS category,
    CAST(LEAST(DATEDIFF(DAY, o.paid_date, CAST(:cutoff_date AS DATE)), :mature_days) AS INT) AS age,
    o.amount_fen,
    o.refund_fen,
    o.status = 'settled' AND o.settled_date <= CAST(:cutoff_date AS DATE) AS is_settled
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
)
SELECT
  channel,
  category,
  age,
  COUNT(*) AS lines,
  CAST(COALESCE(SUM(amount_fen - refund_fen) FILTER(WHERE
    is_settled), 0) AS BIGINT) AS settled_fen,
  CAST(COALESCE(SUM(amount_fen) FILTER(WHERE
    NOT is_settled), 0) AS BIGINT) AS unsettled_fen,
  CAST(COALESCE(
    SUM(CAST(amount_fen AS DECIMAL(38, 0)) * amount_fen) FILTER(WHERE
      NOT is_settled),
    0
  ) AS DOUBLE) AS unsettled_sq
FROM lines
GROUP BY ALL
ORDER BY
  channel NULLS LAST,
  category NULLS LAST,
  age NULLS LAST
