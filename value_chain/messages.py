"""The bilingual message catalogue: every word the package shows a person, in en and zh.

Results hold codes and numbers; words are looked up here when a result is shown, so the
same result can be shown in either language.  The catalogue is a set of YAML files, each
``{key: {en: "...", zh: "..."}}`` with ``{named}`` placeholders (``str.format`` style).
``value_chain`` ships the words about the landscape (``value_chain/messages/*.yaml``);
``maturity`` adds its own folder (``maturity/messages/*.yaml``).  Keys are unique across
all files; a key that is missing, or a language that is not ``en``/``zh``, is an error, not a
silent fallback.

Examples
--------
>>> msg("landscape.islands", "en", n=3)
'3 information islands'
>>> msg("landscape.islands", "zh", n=3)
'3 个信息孤岛'
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

__all__ = ["LANGS", "catalogue", "catalogue_problems", "msg", "placeholders"]

LANGS = ("en", "zh")

# Packages whose ``messages/`` folder belongs to the catalogue, lowest layer first.
_PACKAGES: list[str] = ["value_chain"]


def register(package: str) -> None:
    """Add ``package``'s ``messages/*.yaml`` to the catalogue (upper layers call this)."""
    if package not in _PACKAGES:
        _PACKAGES.append(package)
        catalogue.cache_clear()


def _files(package: str) -> Iterable[Traversable]:
    folder = resources.files(package) / "messages"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key of every registered package, ``{key: {"en": ..., "zh": ...}}``."""
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for package in _PACKAGES:
        for f in _files(package):
            data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            for key, texts in data.items():
                if key in merged:
                    raise ValueError(f"message key {key!r} is in both {origin[key]} and {f.name}")
                merged[key] = texts
                origin[key] = f"{package}/messages/{f.name}"
    return merged


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message text.

    >>> sorted(placeholders("{n} of {total:.0%}"))
    ['n', 'total']
    """
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(text) if name}


def catalogue_problems() -> list[str]:
    """What is wrong with the catalogue: a missing language or differing placeholders."""
    problems = []
    for key, texts in catalogue().items():
        if not isinstance(texts, dict) or set(texts) != set(LANGS):
            problems.append(f"{key}: needs exactly en and zh, has {sorted(texts or {})}")
            continue
        if not all(isinstance(texts[lang], str) and texts[lang].strip() for lang in LANGS):
            problems.append(f"{key}: empty text")
            continue
        if placeholders(texts["en"]) != placeholders(texts["zh"]):
            en, zh = sorted(placeholders(texts["en"])), sorted(placeholders(texts["zh"]))
            problems.append(f"{key}: placeholders differ between en {en} and zh {zh}")
    return problems


def msg(key: str, lang: str = "en", /, **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``values`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue") from None
    return text.format(**values) if values else text
