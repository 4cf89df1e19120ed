-- name: traffic_by_tab
-- title_zh: 分频道流量
-- title_en: Traffic by feed tab
-- kind: analyst
-- params: start, end
-- filters: shop
-- columns: enrolled, tab, impressions, boosted_impressions, boosted_share, product_clicks, ctr, order_lines, paid_gmv_fen, orders_per_mille, paid_gmv_fen_per_mille
-- order: enrolled (true first), tab (recommend, follow, friends)
-- description: Commerce-video traffic on days start..end by feed tab (推荐
--   recommend, 关注 follow, 朋友 friends), split by whether the video's account
--   had enrolled (Asia/Shanghai enrolment date on or before the traffic date).
--   boosted_share = boosted (campaign traffic support) / impressions; ctr =
--   product clicks / impressions. Orders carry no tab, so a video's
--   short-video order lines paid start..end (content_id = video_id) and their
--   paid GMV are attributed to its traffic rows in the window in proportion to
--   product clicks (to impressions when it had no clicks); order_lines is
--   therefore fractional, and paid_gmv_fen is rounded to whole fen. Each
--   traffic row's attributed lines and fen are taken to 18 decimal places and
--   summed exactly, so the figures are the same however DuckDB splits the sum
--   over threads. Orders of videos without traffic rows in the window are not
--   attributed.
--   orders_per_mille and paid_gmv_fen_per_mille are per 1,000 impressions.
--   With `shop`, only videos of the shop's products and the shop's lines.
with enrolled_videos as (
    -- Only enrolled accounts' videos: a small table, joined to the window's
    -- traffic instead of joining every traffic row to every video.
    select videos.video_id, enrollments.enrolled_date
    from videos
    join enrollments using (account_id)
),

traffic as (
    select
        video_traffic.*,
        coalesce(enrolled_videos.enrolled_date <= video_traffic.date, false) as enrolled
    from video_traffic
    left join enrolled_videos using (video_id)
    where video_traffic.date between $start and $end
      and ($shop is null or video_traffic.video_id in (
          select videos.video_id from videos join products using (product_id) where products.shop_id = $shop
      ))
),

video_totals as (
    select video_id, sum(product_clicks) as video_clicks, sum(impressions) as video_impressions
    from traffic
    group by video_id
),

weighted as (
    select
        traffic.*,
        coalesce(
            product_clicks / nullif(video_clicks, 0),
            impressions / nullif(video_impressions, 0),
            0
        ) as weight
    from traffic
    join video_totals using (video_id)
),

video_orders as (
    select content_id as video_id, count(*) as order_lines, sum(amount_fen) as paid_fen
    from orders_paid($start, $end)
    where channel = 'short_video' and content_id is not null and ($shop is null or shop_id = $shop)
    group by content_id
),

attributed as (
    -- Decimals, not doubles: a parallel sum of doubles depends on the order its
    -- parts are added in, and the CSV changed in its last digits from run to run.
    select
        weighted.*,
        cast(coalesce(video_orders.order_lines, 0) * weight as DECIMAL(38, 18)) as order_lines,
        cast(coalesce(video_orders.paid_fen, 0) * weight as DECIMAL(38, 18)) as paid_fen
    from weighted
    left join video_orders using (video_id)
),

by_tab as (
    select
        enrolled,
        tab,
        sum(impressions) as impressions,
        sum(boosted_impressions) as boosted_impressions,
        sum(product_clicks) as product_clicks,
        sum(order_lines) as order_lines,
        sum(paid_fen) as paid_fen
    from attributed
    group by enrolled, tab
)

select
    enrolled,
    tab,
    cast(impressions as BIGINT) as impressions,
    cast(boosted_impressions as BIGINT) as boosted_impressions,
    boosted_impressions / nullif(impressions, 0) as boosted_share,
    cast(product_clicks as BIGINT) as product_clicks,
    product_clicks / nullif(impressions, 0) as ctr,
    cast(order_lines as DOUBLE) as order_lines,
    cast(round(paid_fen) as BIGINT) as paid_gmv_fen,
    cast(order_lines as DOUBLE) / nullif(impressions, 0) * 1000 as orders_per_mille,
    cast(paid_fen as DOUBLE) / nullif(impressions, 0) * 1000 as paid_gmv_fen_per_mille
from by_tab
order by enrolled desc, case tab when 'recommend' then 0 when 'follow' then 1 else 2 end, tab
