"""The one zh/en catalogue of user-facing words (workbench/catalogue.toml).

Charts, the report, the terminal table and the CLI's summaries all take
their words from here, keyed `section.key`, so a wording change or a third
language touches the catalogue and nothing else. Chinese is the first
language; a language a key lacks is an error, not a silent fallback.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Literal

from workbench.errors import WorkbenchError
from workbench.paths import PACKAGE_ROOT

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")
CATALOGUE = PACKAGE_ROOT / "catalogue.toml"


@cache
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """section -> key -> language -> text, read once."""
    return tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))


def check_lang(lang: str) -> str:
    """`lang` if the catalogue speaks it, else an error naming the languages it does."""
    if lang not in LANGS:
        raise WorkbenchError(f"language {lang!r} is not supported; use one of {', '.join(LANGS)}")
    return lang


def has(key: str) -> bool:
    """Whether `section.key` is in the catalogue."""
    section, _, name = key.partition(".")
    return name in catalogue().get(section, {})


def t(key: str, lang: str, **fields: object) -> str:
    """The text `section.key` in `lang`, its `{fields}` filled in."""
    section, _, name = key.partition(".")
    try:
        entry = catalogue()[section][name]
    except KeyError:
        raise KeyError(f"{key!r} is not in {CATALOGUE.name}") from None
    return entry[check_lang(lang)].format(**fields)


def label(code: str, lang: str) -> str:
    """A contract code (channel, category, tab) as people read it; unknown codes show as they are."""
    return t(f"label.{code}", lang) if has(f"label.{code}") else code


def column(name: str, lang: str) -> str:
    """A KPI column's header; columns without a catalogue entry show their name."""
    return t(f"column.{name}", lang) if has(f"column.{name}") else name
