-- Spark SQL generated from queries/eligibility_funnel.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH segments AS (
  SELECT
    1 AS group_order,
    0 AS segment_order,
    'all' AS segment_type,
    'all' AS segment
  UNION ALL
  SELECT
    2,
    tier,
    'fan_tier',
    fan_tier
  FROM (
    SELECT
      CAST(tier AS BIGINT) AS tier,
      CAST(ELEMENT_AT(:quota_tier_min_fans, tier) AS BIGINT) AS min_fans,
      CAST(ELEMENT_AT(:quota_tier_labels, tier) AS STRING) AS fan_tier,
      CAST(ELEMENT_AT(:quota_tier_quotas, tier) AS BIGINT) AS quota
    FROM (
      SELECT
        EXPLODE(SEQUENCE(1, SIZE(:quota_tier_min_fans))) AS tier
    ) AS tiers
  ) AS fan_tiers
  UNION ALL
  SELECT
    3,
    1,
    'promoter_type',
    'self_operated'
  UNION ALL
  SELECT
    3,
    2,
    'promoter_type',
    'independent'
), enrolled_by_end AS (
  SELECT DISTINCT
    account_id
  FROM (
    SELECT
      account_id
    FROM enrollments
    WHERE
      enrolled_date <= :end
  ) AS enrolled_by
), posted AS (
  SELECT DISTINCT
    account_id
  FROM videos
  WHERE
    published_date BETWEEN :campaign_start AND :end
    AND (
      :shop IS NULL
      OR product_id IN (
        SELECT
          product_id
        FROM products
        WHERE
          shop_id = :shop
      )
    )
), sold AS (
  SELECT
    account_id
  FROM (
    SELECT
      account_id,
      settled_fen
    FROM (
      SELECT
        account_id,
        SUM(settled_fen) AS settled_fen
      FROM (
        SELECT
          *
        FROM video_sales_daily_stored
        WHERE
          paid_date BETWEEN :campaign_start AND :end
      ) AS video_sales_daily
      GROUP BY
        account_id
    ) AS settled_video_gmv
    WHERE
      :shop IS NULL
    UNION ALL
    SELECT
      account_id,
      CAST(SUM(amount_fen - refund_fen) AS BIGINT) AS settled_fen
    FROM (
      SELECT
        o.*,
        COALESCE(p.category, 'other') AS category
      FROM (
        SELECT
          *
        FROM orders
        WHERE
          partition_date BETWEEN :campaign_start - 1 AND :end + 1
          AND paid_date BETWEEN :campaign_start AND :end
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
      AND channel = 'short_video'
      AND status = 'settled'
      AND NOT account_id IS NULL
    GROUP BY
      account_id
  ) AS scoped_settled_video_gmv
  WHERE
    settled_fen > 0
), flags AS (
  SELECT
    accounts.*,
    NOT enrolled_by_end.account_id IS NULL AS has_enrolled,
    NOT posted.account_id IS NULL AS has_posted,
    NOT sold.account_id IS NULL AS has_sold
  FROM accounts
  LEFT JOIN enrolled_by_end
    USING (account_id)
  LEFT JOIN posted
    USING (account_id)
  LEFT JOIN sold
    USING (account_id)
  WHERE
    :shop IS NULL
    OR accounts.account_id IN (
      SELECT
        account_id
      FROM (
        SELECT
          account_id
        FROM accounts
        WHERE
          NOT :shop IS NULL AND shop_id = :shop AND is_self_operated
        UNION
        SELECT
          account_id
        FROM (
          SELECT
            o.*,
            COALESCE(p.category, 'other') AS category
          FROM (
            SELECT
              *
            FROM orders
            WHERE
              partition_date BETWEEN :campaign_start - 1 AND :end + 1
              AND paid_date BETWEEN :campaign_start AND :end
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
          NOT :shop IS NULL AND NOT account_id IS NULL
      ) AS shop_accounts
    )
), stages AS (
  SELECT
    ELEMENT_AT(
      :quota_tier_labels,
      (
        GREATEST(
          1,
          SIZE(FILTER(:quota_tier_min_fans, lower_bound -> effective_fans >= lower_bound))
        )
      )
    ) AS fan_tier,
    CASE WHEN is_self_operated THEN 'self_operated' ELSE 'independent' END AS promoter_type,
    effective_fans >= :eligible_min_fans OR is_self_operated AS meets,
    meets AND short_video_commerce_enabled AS eligible,
    eligible AND has_enrolled AS enrolled,
    enrolled AND has_posted AS posted_video,
    posted_video AND has_sold AS sold_video
  FROM flags
), counted AS (
  SELECT
    CASE
      WHEN GROUPING(fan_tier) = 0
      THEN 'fan_tier'
      WHEN GROUPING(promoter_type) = 0
      THEN 'promoter_type'
      ELSE 'all'
    END AS segment_type,
    COALESCE(fan_tier, promoter_type, 'all') AS segment,
    COUNT(*) AS accounts,
    COUNT(*) FILTER(WHERE
      meets) AS meets,
    COUNT(*) FILTER(WHERE
      eligible) AS eligible,
    COUNT(*) FILTER(WHERE
      enrolled) AS enrolled,
    COUNT(*) FILTER(WHERE
      posted_video) AS posted_video,
    COUNT(*) FILTER(WHERE
      sold_video) AS sold_video
  FROM stages
  GROUP BY
    GROUPING SETS (
      STRUCT(),
      (
        fan_tier
      ),
      (
        promoter_type
      )
    )
)
SELECT
  segments.segment_type,
  segments.segment,
  CAST(COALESCE(counted.accounts, 0) AS BIGINT) AS accounts,
  CAST(COALESCE(counted.meets, 0) AS BIGINT) AS meets_fans_or_self_operated,
  CAST(COALESCE(counted.eligible, 0) AS BIGINT) AS eligible,
  CAST(COALESCE(counted.enrolled, 0) AS BIGINT) AS enrolled,
  CAST(COALESCE(counted.posted_video, 0) AS BIGINT) AS posted_campaign_video,
  CAST(COALESCE(counted.sold_video, 0) AS BIGINT) AS sold_short_video
FROM segments
LEFT JOIN counted
  USING (segment_type, segment)
ORDER BY
  segments.group_order NULLS LAST,
  segments.segment_order NULLS LAST
