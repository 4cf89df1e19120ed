"""Chinese display names for shops, accounts and products, assembled vectorised.

Names only have to read plausibly in a report table; they are built from
short word lists with arrow string joins so a million of them cost nothing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BRANDS = (
    "山禾",
    "小满",
    "春知",
    "麦田",
    "云朵",
    "青柠",
    "木子",
    "南风",
    "北辰",
    "拾光",
    "福瑞",
    "优选",
    "暖阳",
    "溪谷",
    "星河",
    "鹿角",
)
SHOP_SUFFIXES = ("旗舰店", "官方小店", "专营店", "优品馆", "好物铺")
ACCOUNT_HEADS = ("阿", "小", "大", "老", "甜", "胖", "乐", "美", "酷", "宅")
ACCOUNT_TAILS = ("好物分享", "带你逛", "的日常", "种草记", "爱生活", "严选", "说好物", "探店", "的厨房", "穿搭")
# Product nouns by contract category, in contract.CATEGORIES order.
ITEMS = {
    "food": ("坚果礼盒", "螺蛳粉", "牛肉干", "挂面", "茶叶", "蜂蜜"),
    "home": ("收纳盒", "四件套", "拖把", "保温杯", "毛巾", "香薰"),
    "beauty": ("面霜", "精华液", "口红", "面膜", "洗发水", "防晒霜"),
    "apparel": ("羽绒服", "卫衣", "运动鞋", "双肩包", "围巾", "牛仔裤"),
    "digital": ("蓝牙耳机", "充电宝", "电饭煲", "吹风机", "空气炸锅", "手机壳"),
    "health": ("维生素", "益生菌", "鱼油", "护膝", "艾草贴", "钙片"),
    "mother_baby": ("纸尿裤", "奶瓶", "婴儿湿巾", "辅食机", "爬行垫", "儿童牙刷"),
    "other": ("文具套装", "宠物零食", "鲜花", "拼图", "车载香氛", "雨伞"),
}


def pick(words: tuple[str, ...], rng: np.random.Generator, count: int) -> pa.Array:
    """`count` words drawn uniformly from `words`."""
    return pa.array(words).take(pa.array(rng.integers(0, len(words), count)))


def join(*parts: pa.Array) -> pa.Array:
    """Element-wise concatenation of string arrays."""
    return pc.binary_join_element_wise(*parts, "")


def numbered(count: int, rng: np.random.Generator) -> pa.Array:
    """Short numbers that tell apart entities whose words coincide."""
    return pc.cast(pa.array(rng.integers(1, 1000, count)), pa.string())


def shop_names(count: int, rng: np.random.Generator) -> pa.Array:
    return join(pick(BRANDS, rng, count), numbered(count, rng), pick(SHOP_SUFFIXES, rng, count))


def account_names(count: int, rng: np.random.Generator) -> pa.Array:
    return join(pick(ACCOUNT_HEADS, rng, count), pick(BRANDS, rng, count), pick(ACCOUNT_TAILS, rng, count))


def product_titles(categories: np.ndarray, category_names: tuple[str, ...], rng: np.random.Generator) -> pa.Array:
    """Titles like `山禾 牛肉干 250`: brand, a noun of the product's category, a size number."""
    per_category = len(next(iter(ITEMS.values())))
    nouns = pa.array([w for c in category_names for w in ITEMS[c]])
    noun_index = categories.astype(np.int64) * per_category + rng.integers(0, per_category, len(categories))
    count = len(categories)
    space = pa.array([" "] * count)
    return join(pick(BRANDS, rng, count), space, nouns.take(pa.array(noun_index)), space, numbered(count, rng))
