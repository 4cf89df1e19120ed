-- Spark SQL generated from queries/newcomer_uptake.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH eligible AS (
  SELECT
    account_id,
    is_newcomer
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
    :shop IS NULL
    OR account_id IN (
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
), enrolled_newcomers AS (
  SELECT
    account_id
  FROM eligible
  SEMI JOIN (
    SELECT
      account_id
    FROM enrollments
    WHERE
      enrolled_date <= :end
  ) AS enrolled_by
    USING (account_id)
  WHERE
    is_newcomer
), selling_newcomers AS (
  SELECT
    n.account_id
  FROM enrolled_newcomers AS n
  JOIN (
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
  ) AS sold
    USING (account_id)
  WHERE
    sold.settled_fen > 0
), counts AS (
  SELECT
    (
      SELECT
        COUNT(*)
      FROM eligible
    ) AS eligible_accounts,
    (
      SELECT
        COUNT(*)
      FROM eligible
      WHERE
        is_newcomer
    ) AS newcomers,
    (
      SELECT
        COUNT(*)
      FROM enrolled_newcomers
    ) AS enrolled_newcomers,
    (
      SELECT
        COUNT(*)
      FROM selling_newcomers
    ) AS selling_newcomers
)
SELECT
  CAST(eligible_accounts AS BIGINT) AS eligible_accounts,
  CAST(newcomers AS BIGINT) AS newcomers,
  CAST(enrolled_newcomers AS BIGINT) AS enrolled_newcomers,
  CAST(selling_newcomers AS BIGINT) AS selling_newcomers,
  CAST(selling_newcomers / NULLIF(enrolled_newcomers, 0) AS DOUBLE) AS uptake_rate
FROM counts
