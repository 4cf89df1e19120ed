-- Spark SQL generated from queries/category_vs_baseline.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH lines AS (
  SELECT
    'window' AS period,
    channel,
    category,
    settled_fen,
    paid_fen
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
  UNION ALL
  SELECT
    'baseline' AS period,
    channel,
    category,
    settled_fen,
    paid_fen
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
        paid_date BETWEEN :baseline_start AND :baseline_end
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
          partition_date BETWEEN :baseline_start - 1 AND :baseline_end + 1
          AND paid_date BETWEEN :baseline_start AND :baseline_end
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
), by_category AS (
  SELECT
    channel,
    category,
    COALESCE(SUM(settled_fen) FILTER(WHERE
      period = 'window'), 0) AS settled_fen,
    COALESCE(SUM(settled_fen) FILTER(WHERE
      period = 'baseline'), 0) AS baseline_fen,
    COALESCE(SUM(paid_fen) FILTER(WHERE
      period = 'window'), 0) AS paid_fen,
    COALESCE(SUM(paid_fen) FILTER(WHERE
      period = 'baseline'), 0) AS baseline_paid_fen
  FROM lines
  WHERE
    channel IN ('short_video', 'live')
  GROUP BY ALL
), shares AS (
  SELECT
    channel,
    category,
    settled_fen,
    settled_fen / NULLIF(SUM(settled_fen) OVER (PARTITION BY channel), 0) AS share_within_channel,
    baseline_fen / NULLIF(SUM(baseline_fen) OVER (PARTITION BY channel), 0) AS baseline_share,
    paid_fen,
    paid_fen / NULLIF(SUM(paid_fen) OVER (PARTITION BY channel), 0) AS paid_share_within_channel,
    baseline_paid_fen / NULLIF(SUM(baseline_paid_fen) OVER (PARTITION BY channel), 0) AS baseline_paid_share
  FROM by_category
)
SELECT
  channel,
  category,
  CAST(settled_fen AS BIGINT) AS settled_gmv_fen,
  share_within_channel,
  baseline_share,
  (
    share_within_channel - baseline_share
  ) * 100 AS share_change_pp,
  CAST(paid_fen AS BIGINT) AS paid_gmv_fen,
  CAST(paid_share_within_channel AS DOUBLE) AS paid_share_within_channel,
  CAST(baseline_paid_share AS DOUBLE) AS baseline_paid_share
FROM shares
ORDER BY
  channel = 'live' NULLS LAST,
  NULLIF(ARRAY_POSITION(:focus_categories, category), 0) NULLS LAST,
  category NULLS LAST
