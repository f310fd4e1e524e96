"""What explanations show of each model input: labels in two languages, family, flags, unit."""

from __future__ import annotations

from dataclasses import dataclass

from credit_core.schema.aggregates import FAMILY_LABELS
from credit_core.schema.features import feature
from credit_core.schema.labels_fr import french_label
from explain_service.wording.formatting import Unit, unit_of

__all__ = ["FeatureInfo", "feature_info"]


@dataclass(frozen=True)
class FeatureInfo:
    """A model input with what explanations show of it."""

    name: str
    label: str
    label_fr: str
    family: str
    family_label: str
    family_label_fr: str
    source: str
    protected: bool
    actionable: bool
    unit: Unit
    levels: tuple[str, ...]


def feature_info(name: str) -> FeatureInfo:
    """The schema's facts about feature ``name`` (KeyError if unknown)."""
    schema = feature(name)
    family_en, family_fr = FAMILY_LABELS[schema.family]
    return FeatureInfo(name, schema.label, french_label(name), schema.family, family_en,
                       family_fr, schema.source, schema.protected, schema.actionable,
                       unit_of(schema), schema.levels)
