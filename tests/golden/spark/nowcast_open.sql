-- Spark SQL generated from queries/nowcast_open.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH groups AS (
  SELECT
    channel,
    category,
    CAST(LEAST(DATEDIFF(DAY, paid_date, CAST(:cutoff_date AS DATE)), :mature_days) AS INT) AS age,
    lines,
    paid_fen,
    eventual_fen,
    paid_sq,
    NOT settle_age IS NULL
    AND paid_date + CAST(settle_age AS INT) <= CAST(:cutoff_date AS DATE) AS is_settled
  FROM (
    SELECT
      *
    FROM settlement_daily_stored
    WHERE
      paid_date BETWEEN :start AND :end
  ) AS settlement_daily
)
SELECT
  channel,
  category,
  age,
  CAST(SUM(lines) AS BIGINT) AS lines,
  CAST(COALESCE(SUM(eventual_fen) FILTER(WHERE
    is_settled), 0) AS BIGINT) AS settled_fen,
  CAST(COALESCE(SUM(paid_fen) FILTER(WHERE
    NOT is_settled), 0) AS BIGINT) AS unsettled_fen,
  CAST(COALESCE(SUM(CAST(paid_sq AS DECIMAL(38, 0))) FILTER(WHERE
    NOT is_settled), 0) AS DOUBLE) AS unsettled_sq
FROM groups
GROUP BY
  channel,
  category,
  age
ORDER BY
  channel NULLS LAST,
  category NULLS LAST,
  age NULLS LAST
