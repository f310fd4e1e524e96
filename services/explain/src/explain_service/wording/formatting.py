"""Feature values written for people, in English and French.

Each feature gets a unit from its schema entry (amounts with thousands separators, days as
years when that reads better, shares as percentages, levels by name, flags as yes/no); the
value is then written in both languages (French: narrow no-break space and decimal comma).
``days_ago`` features are stored as negative day counts before the application and written as
their magnitude ("32.9 years"), so comparisons on them read the other way round.
"""

from __future__ import annotations

import math
from typing import Literal

from credit_core.schema.aggregates import AGGREGATES
from credit_core.schema.application import APPLICATION_FIELD_NAMES, application_field
from credit_core.schema.features import Feature

__all__ = ["Unit", "display", "number", "percent", "unit_of"]

Unit = Literal["amount", "days", "days_ago", "years", "months", "share", "ratio", "score",
               "flag", "category", "count", "hour", "number"]

_NNBSP = "\u202f"
_AGGREGATE_BY_NAME = {a.name: a for a in AGGREGATES}
_SCORES = {"EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "EXT_SOURCES_MEAN",
           "EXT_SOURCES_MIN", "EXT_SOURCES_MAX", "EXT_SOURCES_STD"}
_DERIVED_UNITS: dict[str, Unit] = {
    "DAYS_EMPLOYED_ANOM": "flag", "CREDIT_INCOME_RATIO": "ratio",
    "ANNUITY_INCOME_RATIO": "share", "PAYMENT_RATE": "share", "CREDIT_TERM": "years",
    "GOODS_CREDIT_RATIO": "share", "CREDIT_GOODS_DIFF": "amount", "DAYS_EMPLOYED_PERC": "share",
    "INCOME_PER_PERSON": "amount", "AGE_YEARS": "years", "EXT_SOURCES_MISSING": "count",
    "DOCUMENT_COUNT": "count", "PHONE_CHANGE_AGE_RATIO": "share",
}
_DAY_COUNTS = {"CREDIT_DAY_OVERDUE", "DPD", "DBD", "SK_DPD", "SK_DPD_DEF"}
_SHARE_COLUMNS = {"PAYMENT_PERC", "RATE_DOWN_PAYMENT", "UTILISATION", "APP_CREDIT_PERC"}


def _aggregate_unit(name: str) -> Unit:
    aggregate = _AGGREGATE_BY_NAME[name]
    column = aggregate.column or ""
    if aggregate.func in ("count", "nunique"):
        return "count"
    if aggregate.func == "var":
        return "number"
    if column.startswith("IS_") or column.endswith("_SHARE") or column in _SHARE_COLUMNS \
            or column == "NFLAG_INSURED_ON_APPROVAL":
        return "share"
    if column in _DAY_COUNTS or column == "DAYS_CREDIT_ENDDATE":
        return "days"
    if column.startswith("DAYS_"):
        return "days_ago"
    if column.startswith("MONTHS_"):
        return "months"
    if column.startswith("AMT_") or column == "PAYMENT_DIFF":
        return "amount"
    if column == "HOUR_APPR_PROCESS_START":
        return "hour"
    return "count" if column.startswith("CNT_") else "number"


def _application_unit(name: str) -> Unit:
    app_field = application_field(name)
    if app_field.kind == "int" and app_field.minimum == 0 and app_field.maximum == 1:
        return "flag"
    if name in _SCORES:
        return "score"
    if name.startswith("AMT_REQ_") or name.startswith(("CNT_", "OBS_", "DEF_", "REGION_RATING")):
        return "count"
    if name.startswith("AMT_"):
        return "amount"
    if name.startswith("DAYS_"):
        return "days_ago"
    if name == "OWN_CAR_AGE":
        return "years"
    return "hour" if name == "HOUR_APPR_PROCESS_START" else "number"


def unit_of(feature: Feature) -> Unit:
    """How a value of ``feature`` is best written."""
    if feature.categorical:
        return "category"
    if feature.source == "aggregate":
        return _aggregate_unit(feature.name)
    if feature.name in APPLICATION_FIELD_NAMES:
        return _application_unit(feature.name)
    if feature.name in _SCORES:
        return "score"
    return _DERIVED_UNITS.get(feature.name, "number")


def number(value: float, decimals: int, language: str) -> str:
    """``value`` with thousands separators: 1,234.5 in English, 1 234,5 in French."""
    text = f"{value:,.{decimals}f}"
    if language == "fr":
        text = text.replace(",", _NNBSP).replace(".", ",")
    return text


def percent(share: float, language: str, decimals: int = 0) -> str:
    """A share as a percentage: 12% in English, 12 % in French."""
    text = number(100.0 * share, decimals, language)
    return f"{text}{_NNBSP}%" if language == "fr" else f"{text}%"


def _significant(value: float, language: str) -> str:
    magnitude = 0 if value == 0 else math.floor(math.log10(abs(value)))
    return number(value, max(0, 2 - magnitude), language)


def _days(value: float, language: str) -> str:
    """Days, as years from a year on; negative values (in the past) keep their sign."""
    if abs(value) >= 365:
        years = number(value / 365.25, 1, language)
        return f"{years} years" if language == "en" else f"{years} ans"
    return f"{number(value, 0, language)} {'days' if language == 'en' else 'jours'}"


def _write(value: float, unit: Unit, levels: tuple[str, ...], language: str) -> str:
    if unit == "category":
        code = int(value)
        return levels[code] if 0 <= code < len(levels) else str(code)
    if unit == "flag":
        yes = value >= 0.5
        return ("yes" if yes else "no") if language == "en" else ("oui" if yes else "non")
    if unit == "amount":
        return number(value, 0, language)
    if unit == "days":
        return _days(value, language)
    if unit == "days_ago":  # stored as negative days before the application
        return _days(abs(value), language)
    if unit == "years":
        return f"{number(value, 1, language)} {'years' if language == 'en' else 'ans'}"
    if unit == "months":
        return f"{number(abs(value), 0, language)} {'months' if language == 'en' else 'mois'}"
    if unit == "share":
        return percent(value, language, 0 if abs(value) >= 0.1 else 1)
    if unit == "ratio":
        return f"{number(value, 1, language)} {'times' if language == 'en' else 'fois'}"
    if unit == "score":
        return number(value, 2, language)
    if unit == "count":
        return number(value, 0 if float(value).is_integer() else 1, language)
    if unit == "hour":
        return f"{int(value)}:00" if language == "en" else f"{int(value)} h"
    return _significant(value, language)


def display(value: float | None, unit: Unit, levels: tuple[str, ...] = ()) -> dict[str, str]:
    """``{"en": ..., "fr": ...}``: the value written for people ("not provided" if missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {"en": "not provided", "fr": "non renseigné"}
    return {language: _write(float(value), unit, levels, language) for language in ("en", "fr")}
