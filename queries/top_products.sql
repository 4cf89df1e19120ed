-- name: top_products
-- title_zh: 短视频热销商品
-- title_en: Top products in short videos
-- kind: analyst
-- params: start, end, limit=20
-- filters: shop, account, category
-- columns: rank, product_id, title, category, shop_id, shop_name, videos, order_lines, settled_gmv_fen, paid_gmv_fen
-- order: rank
-- description: The `limit` products (e.g. 20) with the most settled GMV from
--   short-video lines paid start..end; ties broken by paid GMV, then
--   product_id. videos = distinct videos (content_id) that sold the product.
--   Title, category and shop come from products and shops (empty when
--   missing). Filters (shop, account, category) narrow the lines counted. Buyers are
--   never shown.
with product_lines as (
    select
        product_id,
        count(distinct content_id) as videos,
        count(*) as order_lines,
        coalesce(sum(amount_fen - refund_fen) filter (where status = 'settled'), 0) as settled_fen,
        sum(amount_fen) as paid_fen
    from filtered_lines($start, $end, $shop, $account, $category)
    where channel = 'short_video'
    group by product_id
),

ranked as (
    select
        row_number() over (order by settled_fen desc, paid_fen desc, product_id) as rank,
        *
    from product_lines
)

select
    cast(ranked.rank as BIGINT) as rank,
    ranked.product_id,
    products.title,
    products.category,
    products.shop_id,
    shops.shop_name,
    cast(ranked.videos as BIGINT) as videos,
    cast(ranked.order_lines as BIGINT) as order_lines,
    cast(ranked.settled_fen as BIGINT) as settled_gmv_fen,
    cast(ranked.paid_fen as BIGINT) as paid_gmv_fen
from ranked
left join products using (product_id)
left join shops on shops.shop_id = products.shop_id
where ranked.rank <= $limit
order by ranked.rank
