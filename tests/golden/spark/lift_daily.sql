-- Spark SQL generated from queries/lift_daily.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH eligible AS (
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
)
SELECT
  account_id,
  paid_date,
  CAST(SUM(video_paid_fen) AS BIGINT) AS video_paid_fen
FROM (
  SELECT
    *
  FROM account_sales_daily_stored
  WHERE
    paid_date BETWEEN :baseline_start AND :end
) AS account_sales_daily
SEMI JOIN eligible
  USING (account_id)
WHERE
  video_lines > 0
GROUP BY
  account_id,
  paid_date
ORDER BY
  account_id NULLS LAST,
  paid_date NULLS LAST
