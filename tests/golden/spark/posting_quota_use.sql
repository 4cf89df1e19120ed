-- Spark SQL generated from queries/posting_quota_use.sql by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).
WITH tiers AS (
  SELECT
    tier,
    fan_tier,
    quota
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
), account_days AS (
  SELECT
    account_id,
    published_date AS day,
    COUNT(*) AS videos
  FROM videos
  WHERE
    published_date BETWEEN :start AND :end
  GROUP BY ALL
), tiered AS (
  SELECT
    account_days.*,
    (
      GREATEST(
        1,
        SIZE(
          FILTER(:quota_tier_min_fans, lower_bound -> accounts.effective_fans >= lower_bound)
        )
      )
    ) AS tier
  FROM account_days
  JOIN accounts
    USING (account_id)
)
SELECT
  tiers.fan_tier,
  CAST(tiers.quota AS BIGINT) AS quota,
  CAST(COUNT(DISTINCT tiered.account_id) AS BIGINT) AS accounts_posting,
  CAST(COUNT(tiered.account_id) AS BIGINT) AS account_days,
  CAST(COALESCE(SUM(tiered.videos), 0) AS BIGINT) AS videos,
  SUM(tiered.videos) / NULLIF(COUNT(tiered.account_id), 0) AS videos_per_account_day,
  COUNT(*) FILTER(WHERE
    tiered.videos >= tiers.quota) / NULLIF(COUNT(tiered.account_id), 0) AS share_at_full_quota,
  CAST(COUNT(*) FILTER(WHERE
    tiered.videos > tiers.quota) AS BIGINT) AS account_days_over_quota
FROM tiers
LEFT JOIN tiered
  USING (tier)
GROUP BY
  tiers.tier,
  tiers.fan_tier,
  tiers.quota
ORDER BY
  tiers.tier NULLS LAST
