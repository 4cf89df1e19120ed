-- name: shop_peers
-- title_zh: 同行对比
-- title_en: Peer benchmarks of shops
-- kind: analyst
-- params: start, end
-- columns: shop_id, main_category, size_band, paid_gmv_fen, metric, value, peer_level, peer_shops, peer_p25, peer_p50, peer_p75
-- order: shop_id, metric (short_video_share, newcomer_uptake, points_per_10k_yuan, video_conversion)
-- description: Four measures of every shop (the shops table, plus any shop
--   with lines in the window but missing from it, as main category `other`),
--   each against the 25th, 50th and 75th percentiles (interpolated,
--   quantile_cont) of its peers: the shops with a value of that measure in
--   the same main category (shops.main_category) and size band. The size
--   band is the shop's paid GMV (all channels, lines of orders.shop_id paid
--   start..end) among the fixed bands of the rule parameter
--   peer_size_bands_yuan (lower bounds in yuan: <10k, 10k-100k, 100k-1M,
--   >=1M by default; a longer window moves shops up). A group with fewer
--   than peer_min_shops (5) shops with a value is never shown: the shop is
--   compared with its whole category instead (peer_level `category`), then
--   with all shops (`all`); if even all shops with a value are fewer than
--   5, the percentiles are empty. peer_shops is the size of the group used,
--   the shop itself included. A shop without a value of a measure (its
--   denominator is 0) still gets its peers' percentiles. The measures, one
--   row each: short_video_share = the shop's short-video paid GMV / its
--   short-video + live paid GMV, lines paid start..end. newcomer_uptake =
--   the shop's newcomer promoters selling / the shop's newcomer promoters:
--   the shop's newcomer promoters are newcomers (contract definition)
--   enrolled on an Asia/Shanghai date <= end that are the shop's
--   self-operated accounts (accounts.shop_id), posted a commerce video of
--   one of its products (videos.product_id) published on or before end, or
--   are credited with a short-video line of the shop paid start..end;
--   selling ones are credited with short-video lines of the shop paid
--   start..end whose paid GMV sums to > 0 (paid, not settled: a recent
--   week's settlements are still to come). points_per_10k_yuan =
--   growth-card points as of end (contract growth_card) earned on the
--   shop's sales / the shop's settled short-video GMV in 10,000 yuan, both
--   over lines paid from the campaign start to min(end, campaign end), as
--   the card counts them (start does not limit it): an account's points are
--   shared among shops in proportion to its settled short-video GMV from
--   each; lines of promoters without a card count in the GMV and earn 0, so
--   the measure is at most card_rate x 1,000,000 fen (150 points). video_conversion =
--   short-video order lines paid start..end whose video (content_id)
--   promotes one of the shop's products / the product clicks on those
--   videos on days start..end (video_traffic). Points are shared exactly
--   (18 decimal places), so the figures do not depend on how DuckDB splits
--   the sums over threads.
with window_lines as (
    select shop_id, channel, account_id, content_id, amount_fen
    from orders_paid($start, $end)
),

shop_list as (
    select shop_id, main_category
    from shops
    union
    select distinct shop_id, cast(null as VARCHAR) as main_category
    from window_lines
    where shop_id not in (select shop_id from shops)
),

sales as (
    select
        shop_id,
        sum(amount_fen) as paid_fen,
        coalesce(sum(amount_fen) filter (where channel = 'short_video'), 0) as video_fen,
        coalesce(sum(amount_fen) filter (where channel = 'live'), 0) as live_fen
    from window_lines
    group by shop_id
),

newcomers as (
    select account_id
    from eligible_accounts($eligible_min_fans, $baseline_start, $baseline_end)
    where is_newcomer and account_id in (select account_id from enrolled_by($end))
),

video_sellers as (
    select shop_id, account_id, sum(amount_fen) as paid_fen
    from window_lines
    where channel = 'short_video' and account_id is not null
    group by shop_id, account_id
),

shop_newcomers as (
    select shop_id, account_id
    from accounts
    where is_self_operated and shop_id is not null
    union
    select products.shop_id, videos.account_id
    from videos
    join products on products.product_id = videos.product_id
    where videos.published_date <= $end
    union
    select shop_id, account_id
    from video_sellers
),

uptake as (
    select
        n.shop_id,
        count(*) as newcomer_promoters,
        count(*) filter (where s.paid_fen > 0) as selling_newcomers
    from shop_newcomers as n
    left join video_sellers as s on s.shop_id = n.shop_id and s.account_id = n.account_id
    where n.account_id in (select account_id from newcomers)
    group by n.shop_id
),

campaign_video as (
    -- settled short-video GMV per shop and credited account (null: no promoter), as the growth card counts it
    select shop_id, account_id, sum(amount_fen - refund_fen) as settled_fen
    from orders_paid($campaign_start, least(cast($end as DATE), cast($campaign_end as DATE)))
    where channel = 'short_video' and status = 'settled'
    group by shop_id, account_id
),

account_video as (
    select account_id, sum(settled_fen) as settled_fen
    from campaign_video
    where account_id is not null
    group by account_id
),

cards as (
    select account_id, growth_card_points
    from growth_cards(
        $end, $campaign_start, $campaign_end, $baseline_start, $baseline_end,
        $baseline_days, $campaign_days, $eligible_min_fans, $card_rate, $card_cap_points
    )
),

shop_points as (
    select
        c.shop_id,
        sum(c.settled_fen) as settled_fen,
        -- an account's points shared in proportion to its settled GMV from each shop, summed as exact decimals
        coalesce(
            sum(cast(cards.growth_card_points * c.settled_fen / a.settled_fen as DECIMAL(38, 18))), 0
        ) as points
    from campaign_video as c
    left join account_video as a on a.account_id = c.account_id
    left join cards on cards.account_id = c.account_id
    group by c.shop_id
),

shop_videos as (
    select videos.video_id, products.shop_id
    from videos
    join products on products.product_id = videos.product_id
),

video_clicks as (
    select v.shop_id, sum(t.product_clicks) as clicks
    from video_traffic as t
    join shop_videos as v on v.video_id = t.video_id
    where t.date between $start and $end
    group by v.shop_id
),

video_orders as (
    select v.shop_id, count(*) as lines
    from window_lines as w
    join shop_videos as v on v.video_id = w.content_id
    where w.channel = 'short_video'
    group by v.shop_id
),

measured as (
    select
        l.shop_id,
        coalesce(l.main_category, 'other') as main_category,
        cast(coalesce(s.paid_fen, 0) as BIGINT) as paid_fen,
        cast(s.video_fen as DOUBLE) / nullif(s.video_fen + s.live_fen, 0) as short_video_share,
        cast(u.selling_newcomers as DOUBLE) / nullif(u.newcomer_promoters, 0) as newcomer_uptake,
        cast(p.points as DOUBLE) / (nullif(p.settled_fen, 0) / 1000000.0) as points_per_10k_yuan,
        cast(o.lines as DOUBLE) / nullif(vc.clicks, 0) as video_conversion
    from shop_list as l
    left join sales as s on s.shop_id = l.shop_id
    left join uptake as u on u.shop_id = l.shop_id
    left join shop_points as p on p.shop_id = l.shop_id
    left join video_clicks as vc on vc.shop_id = l.shop_id
    left join video_orders as o on o.shop_id = l.shop_id
),

banded as (
    select
        measured.*,
        $peer_band_labels[tier_index(paid_fen, $peer_band_min_fen)] as size_band
    from measured
),

per_measure as (
    select shop_id, main_category, size_band, paid_fen, 1 as metric_order, 'short_video_share' as metric,
        short_video_share as value
    from banded
    union all
    select shop_id, main_category, size_band, paid_fen, 2, 'newcomer_uptake', newcomer_uptake
    from banded
    union all
    select shop_id, main_category, size_band, paid_fen, 3, 'points_per_10k_yuan', points_per_10k_yuan
    from banded
    union all
    select shop_id, main_category, size_band, paid_fen, 4, 'video_conversion', video_conversion
    from banded
),

-- The three peer levels, finest first; count(value) counts the shops with a value.
by_band as (
    select
        main_category, size_band, metric, count(value) as shops,
        quantile_cont(value, 0.25) as p25, quantile_cont(value, 0.5) as p50, quantile_cont(value, 0.75) as p75
    from per_measure
    group by main_category, size_band, metric
),

by_category as (
    select
        main_category, metric, count(value) as shops,
        quantile_cont(value, 0.25) as p25, quantile_cont(value, 0.5) as p50, quantile_cont(value, 0.75) as p75
    from per_measure
    group by main_category, metric
),

by_all as (
    select
        metric, count(value) as shops,
        quantile_cont(value, 0.25) as p25, quantile_cont(value, 0.5) as p50, quantile_cont(value, 0.75) as p75
    from per_measure
    group by metric
),

leveled as (
    select
        l.*,
        case
            when b.shops >= $peer_min_shops then 'category_band'
            when c.shops >= $peer_min_shops then 'category'
            else 'all'
        end as peer_level,
        b.shops as band_shops, b.p25 as band_p25, b.p50 as band_p50, b.p75 as band_p75,
        c.shops as category_shops, c.p25 as category_p25, c.p50 as category_p50, c.p75 as category_p75,
        a.shops as all_shops,
        -- below k even over all shops: nothing is shown
        case when a.shops >= $peer_min_shops then a.p25 end as all_p25,
        case when a.shops >= $peer_min_shops then a.p50 end as all_p50,
        case when a.shops >= $peer_min_shops then a.p75 end as all_p75
    from per_measure as l
    join by_band as b on b.main_category = l.main_category and b.size_band = l.size_band and b.metric = l.metric
    join by_category as c on c.main_category = l.main_category and c.metric = l.metric
    join by_all as a on a.metric = l.metric
)

select
    shop_id,
    main_category,
    size_band,
    paid_fen as paid_gmv_fen,
    metric,
    cast(value as DOUBLE) as value,
    peer_level,
    cast(case peer_level when 'category_band' then band_shops when 'category' then category_shops else all_shops end
        as BIGINT) as peer_shops,
    cast(case peer_level when 'category_band' then band_p25 when 'category' then category_p25 else all_p25 end
        as DOUBLE) as peer_p25,
    cast(case peer_level when 'category_band' then band_p50 when 'category' then category_p50 else all_p50 end
        as DOUBLE) as peer_p50,
    cast(case peer_level when 'category_band' then band_p75 when 'category' then category_p75 else all_p75 end
        as DOUBLE) as peer_p75
from leveled
order by shop_id, metric_order
