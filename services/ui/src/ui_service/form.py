"""The application form: which fields the advisor enters or changes, and their checks.

Bounds and levels come from credit_core's application schema, so the form accepts what the
scoring API accepts. Two fields are shown in the advisor's units and converted: age in years
(``DAYS_BIRTH``) and years in employment (``DAYS_EMPLOYED``; empty means not employed).
Validation is field by field and names each field in its error message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from credit_core.schema.application import application_field
from ui_service.i18n import number, t

__all__ = ["FORM_FIELDS", "WHATIF_FIELDS", "FormField", "errors_by_field", "field_label",
           "from_application", "key_of_target", "parse_number", "to_application",
           "validate_field"]

_DAYS_PER_YEAR = 365.25
_NOT_EMPLOYED = 365243


@dataclass(frozen=True)
class FormField:
    """One input of the form: its key, the application field it fills and how."""

    key: str
    target: str
    kind: str  # "number" or "choice"
    required: bool = False
    digits: int = 0
    minimum: float | None = None
    maximum: float | None = None

    @property
    def levels(self) -> tuple[str, ...]:
        return application_field(self.target).levels


def _number(key: str, required: bool = False, digits: int = 0) -> FormField:
    schema = application_field(key)
    return FormField(key, key, "number", required, digits, schema.minimum, schema.maximum)


FORM_FIELDS: tuple[FormField, ...] = (
    _number("AMT_CREDIT", required=True),
    _number("AMT_ANNUITY"),
    _number("AMT_GOODS_PRICE"),
    _number("AMT_INCOME_TOTAL", required=True),
    FormField("NAME_CONTRACT_TYPE", "NAME_CONTRACT_TYPE", "choice"),
    FormField("AGE_YEARS", "DAYS_BIRTH", "number", required=True, minimum=18, maximum=80),
    FormField("YEARS_EMPLOYED", "DAYS_EMPLOYED", "number", digits=1, minimum=0, maximum=60),
    FormField("NAME_INCOME_TYPE", "NAME_INCOME_TYPE", "choice"),
    FormField("NAME_EDUCATION_TYPE", "NAME_EDUCATION_TYPE", "choice"),
    FormField("NAME_HOUSING_TYPE", "NAME_HOUSING_TYPE", "choice"),
    FormField("FLAG_OWN_CAR", "FLAG_OWN_CAR", "choice"),
    FormField("FLAG_OWN_REALTY", "FLAG_OWN_REALTY", "choice"),
    _number("EXT_SOURCE_1", digits=3),
    _number("EXT_SOURCE_2", digits=3),
    _number("EXT_SOURCE_3", digits=3),
)
#: What the advisor may change in a what-if: the loan, and facts they may correct.
WHATIF_FIELDS: tuple[FormField, ...] = tuple(
    f for f in FORM_FIELDS if f.key in {"AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE",
                                        "AMT_INCOME_TOTAL", "NAME_CONTRACT_TYPE",
                                        "YEARS_EMPLOYED", "NAME_INCOME_TYPE"})
_BY_KEY = {f.key: f for f in FORM_FIELDS}
_BY_TARGET = {f.target: f for f in FORM_FIELDS}


def field_label(form_field: FormField, language: str) -> str:
    """The field's label, with the required mark."""
    mark = t("required_mark", language) if form_field.required else ""
    return t(f"f_{form_field.key}", language) + mark


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: Any, language: str) -> float | None:
    """A number typed by the advisor (None when empty, NaN when not a number).

    French input takes a decimal comma and spaces between thousands (``1 234,5``); English a
    decimal point and optional thousands commas (``1,234.5``).
    """
    if _blank(value):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.replace("−", "-")
    text = text.replace(",", ".") if language == "fr" else text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def validate_field(form_field: FormField, value: Any, language: str) -> str | None:
    """The error message for ``value`` in ``form_field`` (None when valid)."""
    label = t(f"f_{form_field.key}", language)
    if _blank(value):
        return t("err_required", language, label=label) if form_field.required else None
    if form_field.kind == "choice":
        return None if value in form_field.levels else t("err_choice", language, label=label)
    numeric = parse_number(value, language)
    assert numeric is not None  # blank handled above
    low, high = form_field.minimum, form_field.maximum
    if numeric != numeric or (low is not None and numeric < low) or (
            high is not None and numeric > high):
        return t("err_range", language, label=label,
                 minimum=number(low, form_field.digits, language),
                 maximum=number(high, form_field.digits, language))
    return None


def errors_by_field(values: Mapping[str, Any], language: str,
                    fields: tuple[FormField, ...] = FORM_FIELDS) -> dict[str, str]:
    """Every field's error (key -> message), with the cross-field check of the annuity."""
    errors = {}
    for form_field in fields:
        message = validate_field(form_field, values.get(form_field.key), language)
        if message:
            errors[form_field.key] = message
    credit = parse_number(values.get("AMT_CREDIT"), language)
    annuity = parse_number(values.get("AMT_ANNUITY"), language)
    if not errors.keys() & {"AMT_ANNUITY", "AMT_CREDIT"} and credit is not None \
            and annuity is not None and annuity > credit:
        errors["AMT_ANNUITY"] = t("err_annuity", language,
                                  label=t("f_AMT_ANNUITY", language))
    return errors


def to_application(values: Mapping[str, Any], base: Mapping[str, Any] | None = None,
                   language: str = "en") -> dict[str, Any]:
    """Application fields from checked form values (over ``base``; empty ones left out)."""
    application = {k: v for k, v in (base or {}).items() if v is not None}
    for key, value in values.items():
        form_field = _BY_KEY[key]
        numeric = parse_number(value, language) if form_field.kind == "number" else None
        if form_field.key == "YEARS_EMPLOYED":
            application[form_field.target] = (_NOT_EMPLOYED if numeric is None
                                              else -round(numeric * _DAYS_PER_YEAR))
        elif _blank(value):
            application.pop(form_field.target, None)
        elif form_field.key == "AGE_YEARS":
            application[form_field.target] = -round(float(numeric or 0) * _DAYS_PER_YEAR)
        elif form_field.kind == "number":
            kind = application_field(form_field.target).kind
            application[form_field.target] = round(numeric or 0) if kind == "int" else numeric
        else:
            application[form_field.target] = value
    application.pop("SK_ID_CURR", None)
    return application


def _typed(value: float, digits: int, language: str) -> str:
    """A number as the advisor would type it (no thousands separator)."""
    text = f"{value:.{digits}f}" if digits else f"{round(value)}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "fr" else text


def from_application(application: Mapping[str, Any], language: str = "en") -> dict[str, Any]:
    """Form values (by key) of an application: numbers as text, choices as levels."""
    values: dict[str, Any] = {}
    for form_field in FORM_FIELDS:
        raw = application.get(form_field.target)
        if raw is None:
            values[form_field.key] = None if form_field.kind == "choice" else ""
        elif form_field.key == "AGE_YEARS":
            values[form_field.key] = _typed(-float(raw) / _DAYS_PER_YEAR, 0, language)
        elif form_field.key == "YEARS_EMPLOYED":
            days = float(raw)
            values[form_field.key] = "" if days > 0 else _typed(-days / _DAYS_PER_YEAR, 1,
                                                                 language)
        elif form_field.kind == "number":
            values[form_field.key] = _typed(float(raw), form_field.digits, language)
        else:
            values[form_field.key] = raw
    return values


def key_of_target(target: str) -> str | None:
    """The form key that fills application field ``target`` (for server-side errors)."""
    form_field = _BY_TARGET.get(target)
    return form_field.key if form_field else None
