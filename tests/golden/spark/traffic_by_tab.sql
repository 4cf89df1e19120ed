-- Spark SQL generated from queries/traffic_by_tab.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH enrolled_videos AS (
  SELECT
    videos.video_id,
    enrollments.enrolled_date
  FROM videos
  JOIN enrollments
    USING (account_id)
), traffic AS (
  SELECT
    video_traffic.*,
    COALESCE(enrolled_videos.enrolled_date <= video_traffic.date, FALSE) AS enrolled
  FROM video_traffic
  LEFT JOIN enrolled_videos
    USING (video_id)
  WHERE
    video_traffic.date BETWEEN :start AND :end
    AND (
      :shop IS NULL
      OR video_traffic.video_id IN (
        SELECT
          videos.video_id
        FROM videos
        JOIN products
          USING (product_id)
        WHERE
          products.shop_id = :shop
      )
    )
), video_totals AS (
  SELECT
    video_id,
    SUM(product_clicks) AS video_clicks,
    SUM(impressions) AS video_impressions
  FROM traffic
  GROUP BY
    video_id
), weighted AS (
  SELECT
    traffic.*,
    COALESCE(
      product_clicks / NULLIF(video_clicks, 0),
      impressions / NULLIF(video_impressions, 0),
      0
    ) AS weight
  FROM traffic
  JOIN video_totals
    USING (video_id)
), video_orders AS (
  SELECT
    content_id AS video_id,
    COUNT(*) AS order_lines,
    SUM(amount_fen) AS paid_fen
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN :start - 1 AND :end + 1
      AND paid_date BETWEEN :start AND :end
  ) AS orders_paid
  WHERE
    channel = 'short_video'
    AND NOT content_id IS NULL
    AND (
      :shop IS NULL OR shop_id = :shop
    )
  GROUP BY
    content_id
), attributed AS (
  SELECT
    weighted.*,
    CAST(COALESCE(video_orders.order_lines, 0) * weight AS DECIMAL(38, 18)) AS order_lines,
    CAST(COALESCE(video_orders.paid_fen, 0) * weight AS DECIMAL(38, 18)) AS paid_fen
  FROM weighted
  LEFT JOIN video_orders
    USING (video_id)
), by_tab AS (
  SELECT
    enrolled,
    tab,
    SUM(impressions) AS impressions,
    SUM(boosted_impressions) AS boosted_impressions,
    SUM(product_clicks) AS product_clicks,
    SUM(order_lines) AS order_lines,
    SUM(paid_fen) AS paid_fen
  FROM attributed
  GROUP BY
    enrolled,
    tab
)
SELECT
  enrolled,
  tab,
  CAST(impressions AS BIGINT) AS impressions,
  CAST(boosted_impressions AS BIGINT) AS boosted_impressions,
  boosted_impressions / NULLIF(impressions, 0) AS boosted_share,
  CAST(product_clicks AS BIGINT) AS product_clicks,
  product_clicks / NULLIF(impressions, 0) AS ctr,
  CAST(order_lines AS DOUBLE) AS order_lines,
  CAST(ROUND(paid_fen) AS BIGINT) AS paid_gmv_fen,
  CAST(order_lines AS DOUBLE) / NULLIF(impressions, 0) * 1000 AS orders_per_mille,
  CAST(paid_fen AS DOUBLE) / NULLIF(impressions, 0) * 1000 AS paid_gmv_fen_per_mille
FROM by_tab
ORDER BY
  enrolled DESC,
  CASE tab WHEN 'recommend' THEN 0 WHEN 'follow' THEN 1 ELSE 2 END NULLS LAST,
  tab NULLS LAST
