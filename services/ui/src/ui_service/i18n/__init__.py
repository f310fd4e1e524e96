"""Every word the dashboard shows, in English and French, and the number formats of each.

``t(key, language, **values)`` is the one accessor; the catalogues (``en.py``, ``fr.py``) hold
the same keys (a test checks it). Feature labels come from credit_core's schema (English) and
``labels_fr`` (French), so they are defined once for every service.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from credit_core.schema.features import FEATURE_NAMES, feature
from credit_core.schema.labels_fr import french_label
from ui_service.i18n.en import MESSAGES as ENGLISH
from ui_service.i18n.fr import LEVELS as FRENCH_LEVELS
from ui_service.i18n.fr import MESSAGES as FRENCH

__all__ = ["CATALOGUES", "LANGUAGES", "amount", "feature_label", "language_of", "level_label",
           "moment", "number", "percent", "t"]

LANGUAGES = ("en", "fr")
CATALOGUES: dict[str, dict[str, str]] = {"en": ENGLISH, "fr": FRENCH}


def language_of(value: Any) -> str:
    """A supported language code ('en' unless ``value`` is 'fr')."""
    return "fr" if str(value or "").lower().startswith("fr") else "en"


def t(key: str, language: str, **values: Any) -> str:
    """The message ``key`` in ``language``, with ``values`` filled in."""
    text = CATALOGUES[language_of(language)][key]
    return text.format(**values) if values else text


def number(value: float | None, digits: int = 0, language: str = "en") -> str:
    """``1,234.5`` in English, ``1 234,5`` in French (narrow no-break space); '—' if missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if language_of(language) == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text.replace("-", "−")


def percent(share: float | None, language: str = "en", digits: int = 1) -> str:
    """A share (0-1) as ``23.4%`` / ``23,4 %``."""
    if share is None:
        return "—"
    text = number(100 * share, digits, language)
    return f"{text}\u202f%" if language_of(language) == "fr" else f"{text}%"


def amount(value: float | None, language: str = "en") -> str:
    """A money amount, rounded to the unit."""
    return number(value, 0, language)


def moment(stamp: Any, language: str) -> str:
    """An ISO timestamp from a peer as the advisor reads dates (as sent when not ISO)."""
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    return when.strftime("%d/%m/%Y %H:%M" if language == "fr" else "%Y-%m-%d %H:%M")


def feature_label(name: str, language: str, english: str | None = None) -> str:
    """The readable label of a model feature (or application field) in ``language``."""
    if language_of(language) == "fr":
        try:
            return french_label(name)
        except KeyError:
            pass
    if english:
        return english
    return feature(name).label if name in FEATURE_NAMES else name


def level_label(level: str, language: str) -> str:
    """A categorical level (e.g. 'Cash loans') in ``language``."""
    if language_of(language) == "fr":
        return FRENCH_LEVELS.get(level, level)
    return level
