"""Platform-style string ids built vectorised, unique by construction.

Real exports join on the platform's strings (`sph3FZbOEY46mAB`,
`10000043902725`, `export/UzFfAgtg...`), so the generator produces the same
shapes. Each id encodes its entity's index through a bijective 64-bit mix,
so ids look random yet can never collide, and building millions of them is
a few numpy operations plus one arrow buffer, no Python loop.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix64(index: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of index + salt: a bijection on uint64, so distinct inputs stay distinct."""
    with np.errstate(over="ignore"):
        x = index.astype(np.uint64) + np.uint64(salt & 0xFFFFFFFFFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return (x ^ (x >> np.uint64(31))) & _M64


def digits(values: np.ndarray, alphabet: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width big-endian digits of uint64 values -> (n, width) uint8 characters."""
    base = np.uint64(len(alphabet))
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.uint64)
    for pos in range(width - 1, -1, -1):
        out[:, pos] = alphabet[(rest % base).astype(np.intp)]
        rest = rest // base
    return out


def strings(prefix: str, chars: np.ndarray) -> pa.StringArray:
    """`prefix` + each row of an (n, width) uint8 character matrix, as one arrow array."""
    n, width = chars.shape
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    row = len(head) + width
    data = np.empty((n, row), dtype=np.uint8)
    data[:, : len(head)] = head
    data[:, len(head) :] = chars
    offsets = np.arange(0, (n + 1) * row, row, dtype=np.int32 if (n + 1) * row < 2**31 else np.int64)
    kind = pa.string() if offsets.dtype == np.int32 else pa.large_string()
    arr = pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())])
    return arr.cast(pa.string())


def base62_ids(prefix: str, count: int, salt: int, width: int = 11) -> pa.StringArray:
    """`count` unique ids `prefix` + `width` (>= 11) base62 characters.

    The last 11 characters are the digits of mix64(index), unique because
    11 base62 digits hold any uint64; leading extra characters come from a
    second mix so they look as random as the rest.
    """
    index = np.arange(count)
    unique = digits(mix64(index, salt), BASE62, 11)
    # 10 base62 digits of a uint64 are all random (the 11th is not), hence chunks of 10.
    extra = [
        digits(mix64(index, salt + 1 + k), BASE62, 10)[:, : min(10, width - 11 - 10 * k)]
        for k in range(-(-(width - 11) // 10))
    ]
    return strings(prefix, np.concatenate([*extra, unique], axis=1))


def hex_ids(prefix: str, count: int, salt: int) -> pa.StringArray:
    """`count` unique ids `prefix` + 16 hex digits, e.g. shop app ids `wx1f0c...`."""
    return strings(prefix, digits(mix64(np.arange(count), salt), HEX, 16))
