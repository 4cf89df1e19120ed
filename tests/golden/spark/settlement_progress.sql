-- Spark SQL generated from queries/settlement_progress.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH totals AS (
  SELECT
    COALESCE(SUM(paid_fen), 0) AS paid_fen,
    COALESCE(SUM(settled_fen), 0) AS settled_fen,
    COALESCE(SUM(refund_fen), 0) AS refunded_fen,
    COALESCE(SUM(unsettled_fen), 0) AS unsettled_fen
  FROM (
    SELECT
      paid_date,
      channel,
      category,
      order_lines,
      paid_fen,
      settled_fen,
      refund_fen,
      unsettled_fen
    FROM (
      SELECT
        *
      FROM sales_daily_stored
      WHERE
        paid_date BETWEEN :start AND :end
    ) AS sales_daily
    WHERE
      :shop IS NULL
    UNION ALL
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
    FROM (
      SELECT
        o.*,
        COALESCE(p.category, 'other') AS category
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
      WHERE
        (
          :shop IS NULL OR o.shop_id = :shop
        )
        AND (
          NULL IS NULL OR o.account_id = NULL
        )
        AND (
          NULL IS NULL OR COALESCE(p.category, 'other') = NULL
        )
    ) AS filtered_lines
    WHERE
      NOT :shop IS NULL
    GROUP BY
      paid_date,
      channel,
      category
  ) AS scoped_sales_daily
)
SELECT
  CAST(paid_fen AS BIGINT) AS paid_gmv_fen,
  CAST(settled_fen AS BIGINT) AS settled_gmv_fen,
  CAST(refunded_fen AS BIGINT) AS refunded_fen,
  CAST(unsettled_fen AS BIGINT) AS unsettled_gmv_fen,
  CAST(unsettled_fen / NULLIF(paid_fen, 0) AS DOUBLE) AS unsettled_share
FROM totals
