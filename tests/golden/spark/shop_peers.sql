-- Spark SQL generated from queries/shop_peers.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH window_lines AS (
  SELECT
    shop_id,
    channel,
    account_id,
    content_id,
    amount_fen
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN :start - 1 AND :end + 1
      AND paid_date BETWEEN :start AND :end
  ) AS orders_paid
), shop_list AS (
  SELECT
    shop_id,
    main_category
  FROM shops
  UNION
  SELECT DISTINCT
    shop_id,
    CAST(NULL AS STRING) AS main_category
  FROM window_lines
  WHERE
    NOT shop_id IN (
      SELECT
        shop_id
      FROM shops
    )
), sales AS (
  SELECT
    shop_id,
    SUM(amount_fen) AS paid_fen,
    COALESCE(SUM(amount_fen) FILTER(WHERE
      channel = 'short_video'), 0) AS video_fen,
    COALESCE(SUM(amount_fen) FILTER(WHERE
      channel = 'live'), 0) AS live_fen
  FROM window_lines
  GROUP BY
    shop_id
), newcomers AS (
  SELECT
    account_id
  FROM (
    SELECT
      a.account_id,
      COALESCE(b.settled_fen, 0) = 0 AS is_newcomer
    FROM accounts AS a
    LEFT JOIN (
      SELECT
        account_id,
        SUM(settled_fen) AS settled_fen
      FROM (
        SELECT
          *
        FROM video_sales_daily_stored
        WHERE
          paid_date BETWEEN :baseline_start AND :baseline_end
      ) AS video_sales_daily
      GROUP BY
        account_id
    ) AS b
      USING (account_id)
    WHERE
      (
        a.effective_fans >= :eligible_min_fans OR a.is_self_operated
      )
      AND a.short_video_commerce_enabled
  ) AS eligible_accounts
  WHERE
    is_newcomer
    AND account_id IN (
      SELECT
        account_id
      FROM (
        SELECT
          account_id
        FROM enrollments
        WHERE
          enrolled_date <= :end
      ) AS enrolled_by
    )
), video_sellers AS (
  SELECT
    shop_id,
    account_id,
    SUM(amount_fen) AS paid_fen
  FROM window_lines
  WHERE
    channel = 'short_video' AND NOT account_id IS NULL
  GROUP BY
    shop_id,
    account_id
), shop_newcomers AS (
  SELECT
    shop_id,
    account_id
  FROM accounts
  WHERE
    is_self_operated AND NOT shop_id IS NULL
  UNION
  SELECT
    products.shop_id,
    videos.account_id
  FROM videos
  JOIN products
    ON products.product_id = videos.product_id
  WHERE
    videos.published_date <= :end
  UNION
  SELECT
    shop_id,
    account_id
  FROM video_sellers
), uptake AS (
  SELECT
    n.shop_id,
    COUNT(*) AS newcomer_promoters,
    COUNT(*) FILTER(WHERE
      s.paid_fen > 0) AS selling_newcomers
  FROM shop_newcomers AS n
  LEFT JOIN video_sellers AS s
    ON s.shop_id = n.shop_id AND s.account_id = n.account_id
  WHERE
    n.account_id IN (
      SELECT
        account_id
      FROM newcomers
    )
  GROUP BY
    n.shop_id
), campaign_video AS (
  SELECT
    shop_id,
    account_id,
    SUM(amount_fen - refund_fen) AS settled_fen
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN :campaign_start - 1 AND LEAST(CAST(:end AS DATE), CAST(:campaign_end AS DATE)) + 1
      AND paid_date BETWEEN :campaign_start AND LEAST(CAST(:end AS DATE), CAST(:campaign_end AS DATE))
  ) AS orders_paid
  WHERE
    channel = 'short_video' AND status = 'settled'
  GROUP BY
    shop_id,
    account_id
), account_video AS (
  SELECT
    account_id,
    SUM(settled_fen) AS settled_fen
  FROM campaign_video
  WHERE
    NOT account_id IS NULL
  GROUP BY
    account_id
), campaign_video__growth_cards_7 AS (
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
        paid_date BETWEEN :campaign_start AND LEAST(:end, :campaign_end)
    ) AS video_sales_daily
    GROUP BY
      account_id
  ) AS settled_video_gmv
), baseline_video__growth_cards_7 AS (
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
        paid_date BETWEEN :baseline_start AND :baseline_end
    ) AS video_sales_daily
    GROUP BY
      account_id
  ) AS settled_video_gmv
), reward_bases__growth_cards_7 AS (
  SELECT
    e.account_id,
    e.is_newcomer,
    GREATEST(
      0,
      COALESCE(c.settled_fen, 0) * :baseline_days - COALESCE(b.settled_fen, 0) * :campaign_days
    ) DIV :baseline_days AS reward_base_fen
  FROM (
    SELECT
      a.account_id,
      COALESCE(b.settled_fen, 0) = 0 AS is_newcomer
    FROM accounts AS a
    LEFT JOIN (
      SELECT
        account_id,
        SUM(settled_fen) AS settled_fen
      FROM (
        SELECT
          *
        FROM video_sales_daily_stored
        WHERE
          paid_date BETWEEN :baseline_start AND :baseline_end
      ) AS video_sales_daily
      GROUP BY
        account_id
    ) AS b
      USING (account_id)
    WHERE
      (
        a.effective_fans >= :eligible_min_fans OR a.is_self_operated
      )
      AND a.short_video_commerce_enabled
  ) AS e
  SEMI JOIN (
    SELECT
      account_id
    FROM enrollments
    WHERE
      enrolled_date <= :end
  ) AS enrolled_by
    USING (account_id)
  LEFT JOIN campaign_video__growth_cards_7 AS c
    USING (account_id)
  LEFT JOIN baseline_video__growth_cards_7 AS b
    USING (account_id)
), cards AS (
  SELECT
    account_id,
    growth_card_points
  FROM (
    SELECT
      account_id,
      is_newcomer,
      CAST(reward_base_fen AS BIGINT) AS reward_base_fen,
      CAST(LEAST(:card_cap_points, CAST(reward_base_fen AS DOUBLE) / 100.0 * :card_rate) AS DOUBLE) AS growth_card_points
    FROM reward_bases__growth_cards_7 AS reward_bases
    WHERE
      reward_base_fen > 0
  ) AS growth_cards
), shop_points AS (
  SELECT
    c.shop_id,
    SUM(c.settled_fen) AS settled_fen,
    COALESCE(
      SUM(
        CAST(cards.growth_card_points * c.settled_fen / a.settled_fen AS DECIMAL(38, 18))
      ),
      0
    ) AS points
  FROM campaign_video AS c
  LEFT JOIN account_video AS a
    ON a.account_id = c.account_id
  LEFT JOIN cards
    ON cards.account_id = c.account_id
  GROUP BY
    c.shop_id
), shop_videos AS (
  SELECT
    videos.video_id,
    products.shop_id
  FROM videos
  JOIN products
    ON products.product_id = videos.product_id
), video_clicks AS (
  SELECT
    v.shop_id,
    SUM(t.product_clicks) AS clicks
  FROM video_traffic AS t
  JOIN shop_videos AS v
    ON v.video_id = t.video_id
  WHERE
    t.date BETWEEN :start AND :end
  GROUP BY
    v.shop_id
), video_orders AS (
  SELECT
    v.shop_id,
    COUNT(*) AS lines
  FROM window_lines AS w
  JOIN shop_videos AS v
    ON v.video_id = w.content_id
  WHERE
    w.channel = 'short_video'
  GROUP BY
    v.shop_id
), measured AS (
  SELECT
    l.shop_id,
    COALESCE(l.main_category, 'other') AS main_category,
    CAST(COALESCE(s.paid_fen, 0) AS BIGINT) AS paid_fen,
    CAST(s.video_fen AS DOUBLE) / NULLIF(s.video_fen + s.live_fen, 0) AS short_video_share,
    CAST(u.selling_newcomers AS DOUBLE) / NULLIF(u.newcomer_promoters, 0) AS newcomer_uptake,
    CAST(p.points AS DOUBLE) / (
      NULLIF(p.settled_fen, 0) / 1000000.0
    ) AS points_per_10k_yuan,
    CAST(o.lines AS DOUBLE) / NULLIF(vc.clicks, 0) AS video_conversion
  FROM shop_list AS l
  LEFT JOIN sales AS s
    ON s.shop_id = l.shop_id
  LEFT JOIN uptake AS u
    ON u.shop_id = l.shop_id
  LEFT JOIN shop_points AS p
    ON p.shop_id = l.shop_id
  LEFT JOIN video_clicks AS vc
    ON vc.shop_id = l.shop_id
  LEFT JOIN video_orders AS o
    ON o.shop_id = l.shop_id
), banded AS (
  SELECT
    measured.*,
    ELEMENT_AT(
      :peer_band_labels,
      (
        GREATEST(1, SIZE(FILTER(:peer_band_min_fen, lower_bound -> paid_fen >= lower_bound)))
      )
    ) AS size_band
  FROM measured
), per_measure AS (
  SELECT
    shop_id,
    main_category,
    size_band,
    paid_fen,
    1 AS metric_order,
    'short_video_share' AS metric,
    short_video_share AS value
  FROM banded
  UNION ALL
  SELECT
    shop_id,
    main_category,
    size_band,
    paid_fen,
    2,
    'newcomer_uptake',
    newcomer_uptake
  FROM banded
  UNION ALL
  SELECT
    shop_id,
    main_category,
    size_band,
    paid_fen,
    3,
    'points_per_10k_yuan',
    points_per_10k_yuan
  FROM banded
  UNION ALL
  SELECT
    shop_id,
    main_category,
    size_band,
    paid_fen,
    4,
    'video_conversion',
    video_conversion
  FROM banded
), by_band AS (
  SELECT
    main_category,
    size_band,
    metric,
    COUNT(value) AS shops,
    PERCENTILE(value, 0.25) AS p25,
    PERCENTILE(value, 0.5) AS p50,
    PERCENTILE(value, 0.75) AS p75
  FROM per_measure
  GROUP BY
    main_category,
    size_band,
    metric
), by_category AS (
  SELECT
    main_category,
    metric,
    COUNT(value) AS shops,
    PERCENTILE(value, 0.25) AS p25,
    PERCENTILE(value, 0.5) AS p50,
    PERCENTILE(value, 0.75) AS p75
  FROM per_measure
  GROUP BY
    main_category,
    metric
), by_all AS (
  SELECT
    metric,
    COUNT(value) AS shops,
    PERCENTILE(value, 0.25) AS p25,
    PERCENTILE(value, 0.5) AS p50,
    PERCENTILE(value, 0.75) AS p75
  FROM per_measure
  GROUP BY
    metric
), leveled AS (
  SELECT
    l.*,
    CASE
      WHEN b.shops >= :peer_min_shops
      THEN 'category_band'
      WHEN c.shops >= :peer_min_shops
      THEN 'category'
      ELSE 'all'
    END AS peer_level,
    b.shops AS band_shops,
    b.p25 AS band_p25,
    b.p50 AS band_p50,
    b.p75 AS band_p75,
    c.shops AS category_shops,
    c.p25 AS category_p25,
    c.p50 AS category_p50,
    c.p75 AS category_p75,
    a.shops AS all_shops,
    CASE WHEN a.shops >= :peer_min_shops THEN a.p25 END AS all_p25,
    CASE WHEN a.shops >= :peer_min_shops THEN a.p50 END AS all_p50,
    CASE WHEN a.shops >= :peer_min_shops THEN a.p75 END AS all_p75
  FROM per_measure AS l
  JOIN by_band AS b
    ON b.main_category = l.main_category
    AND b.size_band = l.size_band
    AND b.metric = l.metric
  JOIN by_category AS c
    ON c.main_category = l.main_category AND c.metric = l.metric
  JOIN by_all AS a
    ON a.metric = l.metric
)
SELECT
  shop_id,
  main_category,
  size_band,
  paid_fen AS paid_gmv_fen,
  metric,
  CAST(value AS DOUBLE) AS value,
  peer_level,
  CAST(CASE peer_level
    WHEN 'category_band'
    THEN band_shops
    WHEN 'category'
    THEN category_shops
    ELSE all_shops
  END AS BIGINT) AS peer_shops,
  CAST(CASE peer_level
    WHEN 'category_band'
    THEN band_p25
    WHEN 'category'
    THEN category_p25
    ELSE all_p25
  END AS DOUBLE) AS peer_p25,
  CAST(CASE peer_level
    WHEN 'category_band'
    THEN band_p50
    WHEN 'category'
    THEN category_p50
    ELSE all_p50
  END AS DOUBLE) AS peer_p50,
  CAST(CASE peer_level
    WHEN 'category_band'
    THEN band_p75
    WHEN 'category'
    THEN category_p75
    ELSE all_p75
  END AS DOUBLE) AS peer_p75
FROM leveled
ORDER BY
  shop_id NULLS LAST,
  metric_order NULLS LAST
