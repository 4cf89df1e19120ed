-- Spark SQL generated from queries/promoter_types.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH by_account AS (
  SELECT
    account_id,
    SUM(amount_fen - refund_fen) FILTER(WHERE
      channel = 'short_video') AS sv_settled,
    SUM(amount_fen - refund_fen) FILTER(WHERE
      channel = 'live') AS live_settled
  FROM (
    SELECT
      *
    FROM orders
    WHERE
      partition_date BETWEEN :start - 1 AND :end + 1
      AND paid_date BETWEEN :start AND :end
  ) AS orders_paid
  WHERE
    status = 'settled' AND NOT account_id IS NULL
  GROUP BY
    account_id
), typed AS (
  SELECT
    CASE WHEN accounts.is_self_operated THEN 'self_operated' ELSE 'independent' END AS promoter_type,
    accounts.has_official_account,
    COALESCE(by_account.sv_settled, 0) AS sv_settled,
    COALESCE(by_account.live_settled, 0) AS live_settled
  FROM accounts
  LEFT JOIN by_account
    USING (account_id)
), by_type AS (
  SELECT
    promoter_type,
    has_official_account,
    COUNT(*) AS accounts,
    COUNT(*) FILTER(WHERE
      sv_settled > 0) AS selling_accounts,
    SUM(sv_settled) AS sv_settled,
    SUM(live_settled) AS live_settled
  FROM typed
  GROUP BY ALL
)
SELECT
  promoter_type,
  has_official_account,
  CAST(accounts AS BIGINT) AS accounts,
  CAST(selling_accounts AS BIGINT) AS selling_accounts,
  CAST(sv_settled AS BIGINT) AS short_video_settled_gmv_fen,
  CAST(live_settled AS BIGINT) AS live_settled_gmv_fen,
  sv_settled / NULLIF(sv_settled + live_settled, 0) AS short_video_share
FROM by_type
ORDER BY
  promoter_type NULLS LAST,
  has_official_account NULLS LAST
