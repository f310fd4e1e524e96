"""The application input model, generated from credit_core's application schema.

Shared by the scoring and explanation APIs (and any caller that validates an application):
types, ranges and levels come from APPLICATION_FIELDS, unknown fields are refused, absent
optional fields are missing values, as in training.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from credit_core.schema.application import APPLICATION_FIELDS

__all__ = ["REQUIRED_APPLICATION_FIELDS", "ApplicationFeatures"]

#: What every application has; everything else may be absent and is then missing, as in
#: training for a client without that information.
REQUIRED_APPLICATION_FIELDS = ("AMT_INCOME_TOTAL", "AMT_CREDIT", "DAYS_BIRTH")
_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


def _field_type(kind: str, levels: tuple[str, ...]) -> Any:
    if kind == "category":
        return Literal[levels]  # type: ignore[valid-type]
    return int if kind == "int" else float


def _application_model() -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for app_field in APPLICATION_FIELDS:
        annotation = _field_type(app_field.kind, app_field.levels)
        required = app_field.name in REQUIRED_APPLICATION_FIELDS
        constraints = {"ge": app_field.minimum, "le": app_field.maximum,
                       "description": app_field.label}
        if app_field.kind == "category":
            constraints = {"description": app_field.label}
        if required:
            fields[app_field.name] = (annotation, Field(..., **constraints))  # type: ignore[call-overload]
        else:
            fields[app_field.name] = (annotation | None, Field(None, **constraints))  # type: ignore[call-overload]
    return create_model("ApplicationFeatures", __config__=_STRICT, **fields)


ApplicationFeatures: type[BaseModel] = _application_model()
