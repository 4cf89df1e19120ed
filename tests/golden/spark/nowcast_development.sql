-- Spark SQL generated from queries/nowcast_development.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH mature AS (
  SELECT
    o.paid_date,
    o.channel,
    COALESCE(p.category, 'other') AS category,
    CAST(o.amount_fen AS DECIMAL(38, 0)) AS amount,
    CAST(CASE WHEN o.status = 'refunded' THEN 0 ELSE o.amount_fen - o.refund_fen END AS DECIMAL(38, 0)) AS eventual,
    CASE WHEN o.status = 'settled' THEN DATEDIFF(DAY, o.paid_date, o.settled_date) END AS settle_age
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days + :learn_days - 1 AS INT)
      ) - 1 AND (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days AS INT)
      ) + 1
      AND paid_date BETWEEN (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days + :learn_days - 1 AS INT)
      ) AND (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days AS INT)
      )
  ) AS o
  LEFT JOIN products AS p
    USING (product_id)
), by_settle_age AS (
  SELECT
    paid_date,
    channel,
    category,
    settle_age,
    COUNT(*) AS lines,
    SUM(amount) AS unsettled_fen,
    SUM(eventual) AS eventual_fen,
    SUM(amount * amount) AS unsettled_sq,
    SUM(eventual * eventual) AS eventual_sq,
    SUM(eventual * amount) AS cross_sq
  FROM mature
  GROUP BY
    paid_date,
    channel,
    category,
    settle_age
), ages AS (
  SELECT
    CAST(age_offset AS INT) AS age
  FROM (
    SELECT
      EXPLODE(SEQUENCE(0, :mature_days)) AS age_offset
  ) AS offsets
)
SELECT
  g.paid_date,
  g.channel,
  g.category,
  a.age,
  CAST(SUM(g.lines) AS BIGINT) AS lines,
  CAST(SUM(g.unsettled_fen) AS DOUBLE) AS unsettled_fen,
  CAST(SUM(g.eventual_fen) AS DOUBLE) AS eventual_fen,
  CAST(SUM(g.unsettled_sq) AS DOUBLE) AS unsettled_sq,
  CAST(SUM(g.eventual_sq) AS DOUBLE) AS eventual_sq,
  CAST(SUM(g.cross_sq) AS DOUBLE) AS cross_sq
FROM by_settle_age AS g
JOIN ages AS a
  ON g.settle_age IS NULL OR g.settle_age > a.age
GROUP BY
  g.paid_date,
  g.channel,
  g.category,
  a.age
ORDER BY
  g.paid_date NULLS LAST,
  g.channel NULLS LAST,
  g.category NULLS LAST,
  a.age NULLS LAST
