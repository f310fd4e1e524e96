"""Reason units: single features, or one family of related features read as one reason.

The families and their English and French names are defined once beside the feature schema
(``Feature.family``, ``credit_core.schema.aggregates.FAMILY_LABELS``). Families whose members
say little one by one (the satellite-table aggregates, the building measures, the document
flags) are grouped into one reason when the model uses at least two of their features; every
other feature is its own reason. A unit's contribution is the sum of its members' (exact:
SHAP values add up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explain_service.wording.feature_info import FeatureInfo

__all__ = ["GROUPED_FAMILIES", "Grouping", "ReasonUnit"]

GROUPED_FAMILIES: frozenset[str] = frozenset({
    "bureau", "previous", "pos_cash", "installments", "credit_card", "building", "documents",
})


@dataclass(frozen=True)
class ReasonUnit:
    """One reason: a feature, or a family of features read together."""

    key: str
    label: str
    label_fr: str
    members: tuple[int, ...]  # positions among the model's features
    grouped: bool
    protected: bool


class Grouping:
    """How the model's features form reasons; ``unit_of[i]`` is feature i's unit."""

    def __init__(self, features: Sequence[FeatureInfo], group_families: bool) -> None:
        counts: dict[str, int] = {}
        for info in features:
            counts[info.family] = counts.get(info.family, 0) + 1
        keys: dict[str, int] = {}
        members: list[list[int]] = []
        for position, info in enumerate(features):
            family_key = f"family:{info.family}"
            grouped = (group_families and info.family in GROUPED_FAMILIES
                       and counts[info.family] > 1)
            key = family_key if grouped else info.name
            if key not in keys:
                keys[key] = len(members)
                members.append([])
            members[keys[key]].append(position)
        self.units = [self._unit(key, tuple(group), features) for key, group in
                      zip(keys, members, strict=True)]
        self.unit_of = np.empty(len(features), dtype=np.intp)
        for index, unit in enumerate(self.units):
            self.unit_of[list(unit.members)] = index

    @staticmethod
    def _unit(key: str, members: tuple[int, ...], features: Sequence[FeatureInfo]) -> ReasonUnit:
        first = features[members[0]]
        protected = any(features[m].protected for m in members)
        if key.startswith("family:"):
            return ReasonUnit(key, first.family_label, first.family_label_fr, members, True,
                              protected)
        return ReasonUnit(key, first.label, first.label_fr, members, False, protected)

    def contributions(self, feature_contributions: np.ndarray) -> np.ndarray:
        """Each unit's contribution: the sum of its members'."""
        return np.bincount(self.unit_of, weights=feature_contributions,
                           minlength=len(self.units))
