"""Global importance: mean |SHAP| per feature, as stored with the version at training.

A version without a stored importance gets one computed once by this service (mean |SHAP| over
a few client rows from the database, LightGBM's gain when there are none) and cached with the
version's explainer; the answer says which it is. Never recomputed per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from explain_service.shap.explainer import VersionExplainer

__all__ = ["global_importance"]


def _fallback(explainer: VersionExplainer, sample: Callable[[], np.ndarray]) -> None:
    with explainer.lock:
        if explainer.fallback_importance is not None:
            return
        vectors = sample()
        names = explainer.bundle.features
        if len(vectors):
            values = np.abs(explainer.contributions(explainer.model_rows(vectors))).mean(axis=0)
        else:
            gain = explainer.bundle.booster.feature_importance(importance_type="gain")
            values = np.asarray(gain, dtype=float)
        explainer.fallback_rows = len(vectors)
        explainer.fallback_importance = {n: float(v) for n, v in zip(names, values, strict=True)}


def _source(explainer: VersionExplainer) -> tuple[str, dict[str, str]]:
    if explainer.stored_importance is not None:
        return "stored", {
            "en": "Mean absolute SHAP value (raw log-odds) over the reference sample, computed "
                  "at training and stored with the model version.",
            "fr": "Valeur SHAP absolue moyenne (log-odds brutes) sur l'échantillon de "
                  "référence, calculée à l'entraînement et conservée avec la version.",
        }
    if explainer.fallback_rows:
        rows = explainer.fallback_rows
        return "computed", {
            "en": f"This version stores no importance: mean absolute SHAP value over {rows} "
                  f"client rows, computed once by this service.",
            "fr": f"Cette version ne contient pas d'importance : valeur SHAP absolue moyenne "
                  f"sur {rows} clients, calculée une fois par ce service.",
        }
    return "gain", {
        "en": "This version stores no importance and no client rows were available: "
              "LightGBM's total gain per feature (not SHAP).",
        "fr": "Cette version ne contient pas d'importance et aucun client n'était disponible : "
              "gain total LightGBM par caractéristique (pas SHAP).",
    }


def global_importance(explainer: VersionExplainer, sample: Callable[[], np.ndarray],
                      top: int | None = None) -> dict[str, Any]:
    """Importance per feature and per family, with the readable labels."""
    if explainer.stored_importance is None:
        _fallback(explainer, sample)
    values = explainer.stored_importance or explainer.fallback_importance or {}
    ranked = sorted(explainer.features, key=lambda info: -values.get(info.name, 0.0))
    families: dict[str, dict[str, Any]] = {}
    for info in ranked:
        family = families.setdefault(info.family, {
            "family": info.family, "label": info.family_label, "label_fr": info.family_label_fr,
            "importance": 0.0, "features": 0})
        family["importance"] += values.get(info.name, 0.0)
        family["features"] += 1
    source, description = _source(explainer)
    features = [{"rank": rank, "feature": info.name, "label": info.label,
                 "label_fr": info.label_fr, "family": info.family,
                 "importance": values.get(info.name, 0.0), "protected": info.protected}
                for rank, info in enumerate(ranked[:top] if top else ranked, start=1)]
    return {
        "model": {"name": explainer.model.name, "version": explainer.version},
        "source": source, "stored": source == "stored", "description": description,
        "features": features,
        "families": sorted(families.values(), key=lambda f: -f["importance"]),
        "family_note": {"en": "A family's importance is the sum of its features' (an upper "
                              "bound of the family's own mean absolute SHAP value).",
                        "fr": "L'importance d'une famille est la somme de celles de ses "
                              "caractéristiques (un majorant de sa propre valeur SHAP "
                              "absolue moyenne)."},
    }
