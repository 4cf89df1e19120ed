-- Spark SQL generated from queries/top_videos.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH video_lines AS (
  SELECT
    content_id AS video_id,
    MIN(account_id) AS line_account_id,
    COUNT(*) AS order_lines,
    COALESCE(SUM(amount_fen - refund_fen) FILTER(WHERE
      status = 'settled'), 0) AS settled_fen,
    SUM(amount_fen) AS paid_fen
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
        :account IS NULL OR o.account_id = :account
      )
      AND (
        :category IS NULL OR COALESCE(p.category, 'other') = :category
      )
  ) AS filtered_lines
  WHERE
    channel = 'short_video' AND NOT content_id IS NULL
  GROUP BY
    content_id
), ranked AS (
  SELECT
    ROW_NUMBER() OVER (ORDER BY settled_fen DESC, paid_fen DESC, video_id NULLS LAST) AS rank,
    *
  FROM video_lines
)
SELECT
  CAST(ranked.rank AS BIGINT) AS rank,
  ranked.video_id,
  COALESCE(videos.account_id, ranked.line_account_id) AS account_id,
  accounts.account_name,
  videos.product_id,
  products.title,
  products.category,
  CAST(ranked.order_lines AS BIGINT) AS order_lines,
  CAST(ranked.settled_fen AS BIGINT) AS settled_gmv_fen,
  CAST(ranked.paid_fen AS BIGINT) AS paid_gmv_fen
FROM ranked
LEFT JOIN videos
  USING (video_id)
LEFT JOIN accounts
  ON accounts.account_id = COALESCE(videos.account_id, ranked.line_account_id)
LEFT JOIN products
  ON products.product_id = videos.product_id
WHERE
  ranked.rank <= :limit
ORDER BY
  ranked.rank NULLS LAST
