-- Spark SQL generated from queries/settlement_progress.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH totals AS (
  SELECT
    COALESCE(SUM(paid_fen), 0) AS paid_fen,
    COALESCE(SUM(settled_fen), 0) AS settled_fen,
    COALESCE(SUM(refund_fen), 0) AS refunded_fen,
    COALESCE(SUM(unsettled_fen), 0) AS unsettled_fen
  FROM (
    SELECT
      *
    FROM sales_daily_stored
    WHERE
      paid_date BETWEEN :start AND :end
  ) AS sales_daily
)
SELECT
  CAST(paid_fen AS BIGINT) AS paid_gmv_fen,
  CAST(settled_fen AS BIGINT) AS settled_gmv_fen,
  CAST(refunded_fen AS BIGINT) AS refunded_fen,
  CAST(unsettled_fen AS BIGINT) AS unsettled_gmv_fen,
  CAST(unsettled_fen / NULLIF(paid_fen, 0) AS DOUBLE) AS unsettled_share
FROM totals
