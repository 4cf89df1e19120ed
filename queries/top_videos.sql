-- name: top_videos
-- title_zh: 热销短视频
-- title_en: Top videos
-- kind: analyst
-- params: start, end, limit=20
-- filters: shop, account, category
-- columns: rank, video_id, account_id, account_name, product_id, title, category, order_lines, settled_gmv_fen, paid_gmv_fen
-- order: rank
-- description: The `limit` short videos (e.g. 20) with the most settled GMV
--   from short-video lines paid start..end (content_id = video_id); ties
--   broken by paid GMV, then video_id. Account, product, title and category
--   come from videos, accounts and products (empty when missing; a video
--   missing from videos takes the lines' credited account). Buyers are never
--   shown. Filters (shop, account, category) narrow the lines counted.
with video_lines as (
    select
        content_id as video_id,
        min(account_id) as line_account_id,
        count(*) as order_lines,
        coalesce(sum(amount_fen - refund_fen) filter (where status = 'settled'), 0) as settled_fen,
        sum(amount_fen) as paid_fen
    from filtered_lines($start, $end, $shop, $account, $category)
    where channel = 'short_video' and content_id is not null
    group by content_id
),

ranked as (
    select
        row_number() over (order by settled_fen desc, paid_fen desc, video_id) as rank,
        *
    from video_lines
)

select
    cast(ranked.rank as BIGINT) as rank,
    ranked.video_id,
    coalesce(videos.account_id, ranked.line_account_id) as account_id,
    accounts.account_name,
    videos.product_id,
    products.title,
    products.category,
    cast(ranked.order_lines as BIGINT) as order_lines,
    cast(ranked.settled_fen as BIGINT) as settled_gmv_fen,
    cast(ranked.paid_fen as BIGINT) as paid_gmv_fen
from ranked
left join videos using (video_id)
left join accounts on accounts.account_id = coalesce(videos.account_id, ranked.line_account_id)
left join products on products.product_id = videos.product_id
where ranked.rank <= $limit
order by ranked.rank
