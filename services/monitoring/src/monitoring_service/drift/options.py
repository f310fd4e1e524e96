"""Drift options: which test each column gets and at which threshold, resolved as Evidently 0.7
resolves the options of ``DataDriftPreset`` (``resolve_stattest_threshold``).

Precedence for the test: per column, else the type's (``num_method``/``cat_method``), else
``method``, else the automatic choice (``engine.default_method``). For the threshold: per column,
else the type's, else ``threshold``, else the test's default. A data set drifts when the share
of drifted columns is at least ``drift_share``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["METHODS", "DriftOptions", "Kind", "Method", "MethodName", "OptionsError"]

Kind = Literal["num", "cat"]
MethodName = Literal["wasserstein", "jensenshannon", "psi", "ks", "chisquare", "z"]


@dataclass(frozen=True)
class Method:
    """A drift test as Evidently registers it: its name, display name, types and default."""

    name: str
    display_name: str
    kinds: tuple[Kind, ...]
    default_threshold: float
    #: "distance": drift when score >= threshold; "p_value": drift when p < threshold
    #: ("p_value_or_equal": p <= threshold, as Evidently's K-S test).
    rule: Literal["distance", "p_value", "p_value_or_equal"]

    def drifted(self, score: float, threshold: float) -> bool:
        """The verdict for a score under this test's rule."""
        if self.rule == "distance":
            return score >= threshold
        if self.rule == "p_value_or_equal":
            return score <= threshold
        return score < threshold


METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method("wasserstein", "Wasserstein distance (normed)", ("num",), 0.1, "distance"),
        Method("jensenshannon", "Jensen-Shannon distance", ("cat", "num"), 0.1, "distance"),
        Method("psi", "PSI", ("cat", "num"), 0.1, "distance"),
        Method("ks", "K-S p_value", ("num",), 0.05, "p_value_or_equal"),
        Method("chisquare", "chi-square p_value", ("cat",), 0.05, "p_value"),
        Method("z", "Z-test p_value", ("cat",), 0.05, "p_value"),
    )
}

_Threshold = Field(default=None, gt=0, le=1e6)


class OptionsError(ValueError):
    """The options do not fit the model's columns; the message names the culprit."""


class DriftOptions(BaseModel):
    """How columns are tested. Unset fields follow Evidently's defaults for the data's size."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    drift_share: float = Field(default=0.5, gt=0, le=1, description="Data set drift when at "
                               "least this share of the columns drift")
    method: MethodName | None = Field(default=None, description="Test for every column")
    num_method: MethodName | None = Field(default=None, description="Test for numerical columns")
    cat_method: MethodName | None = Field(default=None, description="Test for categorical "
                                          "columns")
    per_column_method: dict[str, MethodName] = Field(default_factory=dict)
    threshold: float | None = _Threshold
    num_threshold: float | None = _Threshold
    cat_threshold: float | None = _Threshold
    per_column_threshold: dict[str, float] = Field(default_factory=dict)

    def configured_method(self, column: str, kind: Kind) -> str | None:
        """The test the options ask for (None: the automatic choice)."""
        if column in self.per_column_method:
            return self.per_column_method[column]
        by_kind = self.num_method if kind == "num" else self.cat_method
        return by_kind if by_kind is not None else self.method

    def threshold_for(self, column: str, kind: Kind, method: str) -> float:
        """The threshold of ``column`` under ``method``."""
        if column in self.per_column_threshold:
            return float(self.per_column_threshold[column])
        by_kind = self.num_threshold if kind == "num" else self.cat_threshold
        for value in (by_kind, self.threshold):
            if value is not None:
                return float(value)
        return METHODS[method].default_threshold

    def check(self, kinds: dict[str, Kind]) -> None:
        """OptionsError unless every named column exists and every test fits its column type."""
        named = set(self.per_column_method) | set(self.per_column_threshold)
        unknown = sorted(named - set(kinds))
        if unknown:
            raise OptionsError(f"unknown columns in the options: {', '.join(unknown[:10])}")
        for threshold in self.per_column_threshold.values():
            if not threshold > 0:
                raise OptionsError("per_column_threshold values must be positive")
        misfits = _misfits(self, kinds.items())
        if misfits:
            raise OptionsError("; ".join(misfits[:10]))

    def merged_over(self, defaults: DriftOptions) -> DriftOptions:
        """These options where set, ``defaults`` elsewhere."""
        return defaults.model_copy(update=self.model_dump(exclude_unset=True))


def _misfits(options: DriftOptions, columns: Iterable[tuple[str, Kind]]) -> list[str]:
    problems = []
    for column, kind in columns:
        method = options.configured_method(column, kind)
        if method is not None and kind not in METHODS[method].kinds:
            label = "numerical" if kind == "num" else "categorical"
            problems.append(f"test {method!r} cannot be applied to the {label} column {column!r}")
    return problems
