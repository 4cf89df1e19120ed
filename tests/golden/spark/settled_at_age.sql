-- Spark SQL generated from queries/settled_at_age.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH by_channel AS (
  SELECT
    channel,
    SUM(lines) AS order_lines,
    SUM(paid_fen) AS paid_gmv_fen,
    COALESCE(
      SUM(eventual_fen) FILTER(WHERE
        NOT settle_age IS NULL
        AND paid_date + CAST(settle_age AS INT) <= CAST(:end AS DATE) + CAST(:age AS INT)),
      0
    ) AS settled_gmv_fen
  FROM (
    SELECT
      *
    FROM settlement_daily_stored
    WHERE
      paid_date BETWEEN :start AND :end
  ) AS settlement_daily
  WHERE
    :shop IS NULL
  GROUP BY
    channel
  UNION ALL
  SELECT
    channel,
    COUNT(*) AS order_lines,
    SUM(amount_fen) AS paid_gmv_fen,
    COALESCE(
      SUM(amount_fen - refund_fen) FILTER(WHERE
        status = 'settled' AND settled_date <= CAST(:end AS DATE) + CAST(:age AS INT)),
      0
    ) AS settled_gmv_fen
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN :start - 1 AND :end + 1
      AND paid_date BETWEEN :start AND :end
  ) AS orders_paid
  WHERE
    NOT :shop IS NULL AND shop_id = :shop
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
