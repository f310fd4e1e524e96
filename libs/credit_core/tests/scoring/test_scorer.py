"""The pure scorer: full vectors -> probabilities -> decisions at the version's threshold."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import numpy as np
import pytest

from credit_core.bundle import ModelBundle
from credit_core.model_source import LoadedModel
from credit_core.schema.features import FEATURE_NAMES
from credit_core.scoring import Scorer, check_compatible, is_home_credit, new_decision_ids


def loaded(bundle: ModelBundle, version: str = "1") -> LoadedModel:
    """The bundle as a served version (no registry needed)."""
    return LoadedModel("credit-default", version, bundle, Path("."), "registry")


def _vectors(rows: int) -> np.ndarray:
    vectors = np.full((rows, len(FEATURE_NAMES)), np.nan)
    position = FEATURE_NAMES.index("EXT_SOURCE_2")
    vectors[:, position] = np.linspace(0.05, 0.95, rows)
    return vectors


def test_probabilities_are_the_bundles_on_its_columns(tiny_bundle: ModelBundle) -> None:
    scorer = Scorer(loaded(tiny_bundle))
    vectors = _vectors(20)
    positions = [FEATURE_NAMES.index(name) for name in tiny_bundle.features]
    np.testing.assert_array_equal(scorer.probabilities(vectors),
                                  tiny_bundle.predict_proba(vectors[:, positions]))
    assert scorer.version == "1" and scorer.threshold == tiny_bundle.threshold


def test_decisions_refuse_from_the_threshold_on(tiny_bundle: ModelBundle) -> None:
    vectors = _vectors(50)
    probabilities = Scorer(loaded(tiny_bundle)).probabilities(vectors)
    # A threshold among the probabilities, met exactly by one of them (refused: p >= threshold).
    threshold = float(np.sort(probabilities)[25])
    scorer = Scorer(loaded(dataclasses.replace(tiny_bundle, threshold=threshold)))
    made = scorer.decide([*range(49), None], vectors)
    assert [d.probability for d in made] == probabilities.tolist()
    assert [d.decision for d in made] == ["refused" if p >= threshold else "approved"
                                          for p in probabilities]
    assert {"approved", "refused"} == {d.decision for d in made}
    assert made[-1].client_id is None and len({d.decision_id for d in made}) == 50
    assert len({d.scored_at for d in made}) == 1  # one scoring, one moment


def test_a_model_needing_unknown_features_is_refused(tiny_bundle: ModelBundle) -> None:
    foreign = ModelBundle(tiny_bundle.booster, [*tiny_bundle.features[:-1], "NOT_A_FEATURE"],
                          [], tiny_bundle.threshold)
    with pytest.raises(ValueError, match="NOT_A_FEATURE"):
        check_compatible(foreign)
    with pytest.raises(ValueError):
        Scorer(loaded(foreign))


def test_decision_ids_are_distinct_version_4_uuids() -> None:
    for count in (1, 2, 5_000):
        ids = new_decision_ids(count)
        assert len(ids) == len(set(ids)) == count
        for text in ids[:50] + ids[-50:]:
            parsed = uuid.UUID(text)
            assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_model_of_other_columns_is_generic(tiny_bundle: ModelBundle) -> None:
    foreign = ModelBundle(tiny_bundle.booster, [*tiny_bundle.features[:-1], "NOT_A_FEATURE"],
                          [], tiny_bundle.threshold)
    levelled = dataclasses.replace(tiny_bundle, category_levels={"CODE_GENDER": ["F", "M"]})
    assert is_home_credit(tiny_bundle) and is_home_credit(levelled)  # string levels are fine
    assert not is_home_credit(foreign)
