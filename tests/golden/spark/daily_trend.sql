-- Spark SQL generated from queries/daily_trend.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH day_offsets AS (
  SELECT
    EXPLODE(SEQUENCE(0, DATEDIFF(DAY, :start, :end))) AS day_offset
), days AS (
  SELECT
    CAST(:start + CAST(day_offset AS INT) AS DATE) AS date
  FROM day_offsets
), by_day AS (
  SELECT
    paid_date AS date,
    SUM(paid_fen) FILTER(WHERE
      channel = 'short_video') AS sv_paid,
    SUM(paid_fen) FILTER(WHERE
      channel = 'live') AS live_paid,
    SUM(settled_fen) FILTER(WHERE
      channel = 'short_video') AS sv_settled,
    SUM(settled_fen) FILTER(WHERE
      channel = 'live') AS live_settled,
    SUM(unsettled_fen) AS unsettled
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
  WHERE
    channel IN ('short_video', 'live')
  GROUP BY
    paid_date
), baseline AS (
  SELECT
    SUM(settled_fen) FILTER(WHERE
      channel = 'short_video') AS sv_settled,
    SUM(settled_fen) FILTER(WHERE
      channel = 'live') AS live_settled
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
), daily AS (
  SELECT
    days.date,
    CAST(COALESCE(by_day.sv_paid, 0) AS BIGINT) AS short_video_paid_gmv_fen,
    CAST(COALESCE(by_day.live_paid, 0) AS BIGINT) AS live_paid_gmv_fen,
    CAST(COALESCE(by_day.sv_settled, 0) AS BIGINT) AS short_video_settled_gmv_fen,
    CAST(COALESCE(by_day.live_settled, 0) AS BIGINT) AS live_settled_gmv_fen,
    by_day.unsettled
  FROM days
  LEFT JOIN by_day
    USING (date)
), shares AS (
  SELECT
    daily.*,
    short_video_settled_gmv_fen / NULLIF(short_video_settled_gmv_fen + live_settled_gmv_fen, 0) AS short_video_share,
    baseline.sv_settled / NULLIF(baseline.sv_settled + baseline.live_settled, 0) AS baseline_share,
    baseline.sv_settled / :baseline_days AS baseline_sv_daily
  FROM daily
  CROSS JOIN baseline
)
SELECT
  date,
  short_video_paid_gmv_fen,
  live_paid_gmv_fen,
  short_video_settled_gmv_fen,
  live_settled_gmv_fen,
  short_video_share,
  baseline_share,
  (
    short_video_share - baseline_share
  ) * 100 AS share_change_vs_baseline_pp,
  short_video_settled_gmv_fen / NULLIF(baseline_sv_daily, 0) AS short_video_settled_vs_baseline_daily,
  (
    short_video_share - LAG(short_video_share) OVER (ORDER BY date NULLS LAST)
  ) * 100 AS share_change_dod_pp,
  CAST(unsettled / NULLIF(short_video_paid_gmv_fen + live_paid_gmv_fen, 0) AS DOUBLE) AS unsettled_share
FROM shares
ORDER BY
  date NULLS LAST
