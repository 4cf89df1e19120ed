-- Spark SQL generated from queries/nowcast_development.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH by_settle_age AS (
  SELECT
    paid_date,
    channel,
    category,
    settle_age,
    lines,
    CAST(paid_fen AS DECIMAL(38, 0)) AS unsettled_fen,
    CAST(eventual_fen AS DECIMAL(38, 0)) AS eventual_fen,
    CAST(paid_sq AS DECIMAL(38, 0)) AS unsettled_sq,
    CAST(eventual_sq AS DECIMAL(38, 0)) AS eventual_sq,
    CAST(cross_sq AS DECIMAL(38, 0)) AS cross_sq
  FROM (
    SELECT
      *
    FROM settlement_daily_stored
    WHERE
      paid_date BETWEEN (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days + :learn_days - 1 AS INT)
      ) AND (
        CAST(:cutoff_date AS DATE) - CAST(:mature_days AS INT)
      )
  ) AS settlement_daily
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
