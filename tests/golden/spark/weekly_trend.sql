-- Spark SQL generated from queries/weekly_trend.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH weeks AS (
  SELECT
    CAST(week_offset DIV 7 + 1 AS BIGINT) AS week,
    CAST(:campaign_start + CAST(week_offset AS INT) AS DATE) AS week_start
  FROM (
    SELECT
      EXPLODE(SEQUENCE(0, :campaign_days - 1, 7)) AS week_offset
  ) AS offsets
), periods AS (
  SELECT
    week,
    week_start,
    LEAST(week_start + 6, :campaign_end, :end) AS week_end
  FROM weeks
  WHERE
    week_start <= :end
  UNION ALL
  SELECT
    0,
    :baseline_start,
    :baseline_end
), lines AS (
  SELECT
    paid_date,
    channel,
    paid_fen,
    settled_fen,
    unsettled_fen
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
  UNION ALL
  SELECT
    paid_date,
    channel,
    paid_fen,
    settled_fen,
    unsettled_fen
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
        paid_date BETWEEN :campaign_start AND LEAST(:end, :campaign_end)
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
          partition_date BETWEEN :campaign_start - 1 AND LEAST(:end, :campaign_end) + 1
          AND paid_date BETWEEN :campaign_start AND LEAST(:end, :campaign_end)
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
), by_period AS (
  SELECT
    periods.week,
    SUM(lines.paid_fen) FILTER(WHERE
      lines.channel = 'short_video') AS sv_paid,
    SUM(lines.paid_fen) FILTER(WHERE
      lines.channel = 'live') AS live_paid,
    SUM(lines.settled_fen) FILTER(WHERE
      lines.channel = 'short_video') AS sv_settled,
    SUM(lines.settled_fen) FILTER(WHERE
      lines.channel = 'live') AS live_settled,
    SUM(lines.unsettled_fen) FILTER(WHERE
      lines.channel IN ('short_video', 'live')) AS unsettled
  FROM periods
  LEFT JOIN lines
    ON lines.paid_date BETWEEN periods.week_start AND periods.week_end
  GROUP BY
    periods.week
), per_period AS (
  SELECT
    periods.*,
    CAST(DATEDIFF(DAY, week_start, week_end) + 1 AS BIGINT) AS days,
    COALESCE(sv_paid, 0) AS sv_paid,
    COALESCE(live_paid, 0) AS live_paid,
    COALESCE(sv_settled, 0) AS sv_settled,
    COALESCE(live_settled, 0) AS live_settled,
    COALESCE(unsettled, 0) AS unsettled
  FROM periods
  JOIN by_period
    USING (week)
), shares AS (
  SELECT
    *,
    sv_settled / NULLIF(sv_settled + live_settled, 0) AS share,
    sv_paid / NULLIF(sv_paid + live_paid, 0) AS paid_share,
    sv_settled / days AS sv_daily
  FROM per_period
), campaign_weeks AS (
  SELECT
    shares.*,
    baseline.share AS baseline_share,
    baseline.sv_daily AS baseline_sv_daily,
    baseline.paid_share AS baseline_paid_share
  FROM shares
  CROSS JOIN (
    SELECT
      share,
      sv_daily,
      paid_share
    FROM shares
    WHERE
      week = 0
  ) AS baseline
  WHERE
    shares.week > 0
)
SELECT
  week,
  week_start,
  week_end,
  days,
  CAST(sv_paid AS BIGINT) AS short_video_paid_gmv_fen,
  CAST(live_paid AS BIGINT) AS live_paid_gmv_fen,
  CAST(sv_settled AS BIGINT) AS short_video_settled_gmv_fen,
  CAST(live_settled AS BIGINT) AS live_settled_gmv_fen,
  share AS short_video_share,
  baseline_share,
  (
    share - baseline_share
  ) * 100 AS share_change_vs_baseline_pp,
  (
    share - LAG(share) OVER (ORDER BY week NULLS LAST)
  ) * 100 AS share_change_wow_pp,
  CAST(sv_settled DIV days AS BIGINT) AS short_video_settled_daily_avg_fen,
  sv_daily / NULLIF(baseline_sv_daily, 0) AS short_video_settled_vs_baseline_daily,
  CAST(paid_share AS DOUBLE) AS paid_share,
  CAST(baseline_paid_share AS DOUBLE) AS baseline_paid_share,
  CAST(unsettled / NULLIF(sv_paid + live_paid, 0) AS DOUBLE) AS unsettled_share
FROM campaign_weeks
ORDER BY
  week NULLS LAST
