"""Shops and their products: what can be sold, at what price, from where.

Products are stored grouped by shop so "another item from the same shop"
(multi-line orders, a self-operated account's own goods) is an index range,
and a popularity CDF per category lets the order generator draw millions of
products with one `searchsorted`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workbench.simulate import ids, names
from workbench.simulate.settings import SHANGHAI, Settings, epoch
from workbench.snapshot.contract import CATEGORIES, TS

# Share of shops (and of demand) per category, in CATEGORIES order.
CATEGORY_WEIGHTS = np.array([0.22, 0.16, 0.12, 0.18, 0.08, 0.07, 0.07, 0.10])
# Median price in yuan per category.
MEDIAN_PRICE_YUAN = np.array([39, 59, 99, 129, 299, 89, 79, 49])
# Probability a line is fully / partly refunded, per category: apparel returns most.
FULL_REFUND_RATE = np.array([0.04, 0.06, 0.08, 0.22, 0.07, 0.04, 0.06, 0.06])
PARTIAL_REFUND_RATE = np.array([0.03, 0.04, 0.04, 0.08, 0.03, 0.02, 0.03, 0.03])
PRODUCT_ID_BASE = 10_000_000_000_000
PRODUCT_ID_STEP = 104_729


@dataclass(frozen=True)
class Catalog:
    """Shops and products as numpy arrays (for drawing) plus their id strings."""

    shop_category: np.ndarray  # int8 per shop
    shop_ids: pa.Array
    shop_first_product: np.ndarray  # index of the shop's first product
    shop_product_count: np.ndarray
    product_shop: np.ndarray  # int32 per product, non-decreasing
    product_category: np.ndarray  # int8 per product
    price_fen: np.ndarray  # int64 per product
    product_ids: pa.Array
    category_cdf: np.ndarray  # category index + cumulative popularity share within it, sorted
    category_order: np.ndarray  # product index for each position of category_cdf
    shops_table: pa.Table
    products_table: pa.Table

    def draw_products(self, category: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Popularity-weighted products of the given categories, one per uniform `u`."""
        pos = np.searchsorted(self.category_cdf, category + u * (1 - 1e-12), side="right")
        return self.category_order[np.minimum(pos, len(self.category_order) - 1)]

    def draw_from_shops(self, shop: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A uniformly drawn product of each given shop."""
        return self.shop_first_product[shop] + (u * self.shop_product_count[shop]).astype(np.int64)


def build_catalog(settings: Settings, rng: np.random.Generator) -> Catalog:
    """Shops with a main category and products priced by category."""
    n_shops, n_products = settings.n_shops, settings.n_products
    shop_category = rng.choice(len(CATEGORIES), n_shops, p=CATEGORY_WEIGHTS).astype(np.int8)
    size = rng.pareto(1.5, n_shops) + 1
    extra = rng.choice(n_shops, n_products - n_shops, p=size / size.sum())
    product_shop = np.sort(np.concatenate([np.arange(n_shops), extra])).astype(np.int32)
    counts = np.bincount(product_shop, minlength=n_shops)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    own = rng.random(n_products) < 0.8
    product_category = np.where(
        own, shop_category[product_shop], rng.choice(len(CATEGORIES), n_products, p=CATEGORY_WEIGHTS)
    ).astype(np.int8)
    yuan = MEDIAN_PRICE_YUAN[product_category] * rng.lognormal(0.0, 0.6, n_products)
    price_fen = np.maximum(np.round(yuan) * 100 - 10, 90).astype(np.int64)
    popularity = rng.lognormal(0.0, 1.2, n_products)
    order = np.lexsort((np.arange(n_products), product_category))
    cdf = np.empty(n_products)
    for cat in range(len(CATEGORIES)):
        in_cat = product_category[order] == cat
        if in_cat.any():
            share = np.cumsum(popularity[order[in_cat]])
            cdf[in_cat] = cat + share / share[-1]
    shop_ids = ids.hex_ids("wx", n_shops, settings.seed * 8 + 1)
    product_ids = pc.cast(
        pa.array(
            PRODUCT_ID_BASE + np.arange(n_products) * PRODUCT_ID_STEP + rng.integers(0, PRODUCT_ID_STEP, n_products)
        ),
        pa.string(),
    )
    opened = rng.integers(
        epoch(datetime(2019, 1, 1, tzinfo=SHANGHAI)), epoch(datetime(2025, 6, 30, tzinfo=SHANGHAI)), n_shops
    )
    category_names = pa.array(CATEGORIES)
    shops_table = pa.table(
        {
            "shop_id": shop_ids,
            "shop_name": names.shop_names(n_shops, rng),
            "main_category": category_names.take(pa.array(shop_category)),
            "opened_at": pa.array(opened * 1_000_000, TS),
        }
    )
    products_table = pa.table(
        {
            "product_id": product_ids,
            "shop_id": shop_ids.take(pa.array(product_shop)),
            "title": names.product_titles(product_category, CATEGORIES, rng),
            "category": category_names.take(pa.array(product_category)),
            "price_fen": pa.array(price_fen),
        }
    )
    return Catalog(
        shop_category=shop_category,
        shop_ids=shop_ids,
        shop_first_product=first.astype(np.int64),
        shop_product_count=counts.astype(np.int64),
        product_shop=product_shop,
        product_category=product_category,
        price_fen=price_fen,
        product_ids=product_ids,
        category_cdf=cdf,
        category_order=order,
        shops_table=shops_table,
        products_table=products_table,
    )
