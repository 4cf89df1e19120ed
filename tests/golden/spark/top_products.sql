-- Spark SQL generated from queries/top_products.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH product_lines AS (
  SELECT
    product_id,
    COUNT(DISTINCT content_id) AS videos,
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
    channel = 'short_video'
  GROUP BY
    product_id
), ranked AS (
  SELECT
    ROW_NUMBER() OVER (ORDER BY settled_fen DESC, paid_fen DESC, product_id NULLS LAST) AS rank,
    *
  FROM product_lines
)
SELECT
  CAST(ranked.rank AS BIGINT) AS rank,
  ranked.product_id,
  products.title,
  products.category,
  products.shop_id,
  shops.shop_name,
  CAST(ranked.videos AS BIGINT) AS videos,
  CAST(ranked.order_lines AS BIGINT) AS order_lines,
  CAST(ranked.settled_fen AS BIGINT) AS settled_gmv_fen,
  CAST(ranked.paid_fen AS BIGINT) AS paid_gmv_fen
FROM ranked
LEFT JOIN products
  USING (product_id)
LEFT JOIN shops
  ON shops.shop_id = products.shop_id
WHERE
  ranked.rank <= :limit
ORDER BY
  ranked.rank NULLS LAST
