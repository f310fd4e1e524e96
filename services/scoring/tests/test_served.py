"""The kind of a scoring deployment (Home Credit or generic), and /invocations' two readings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from credit_core.bundle import ModelBundle
from credit_core.model_source import LoadedModel, ModelLoadError
from credit_core.scoring import Scorer
from scoring_service.invocations import InvocationError, NotANumber, count_rows, parse_invocation
from scoring_service.invoke import InvocationRefused, NeedsMlflow, answer_fast, answer_mlflow
from scoring_service.mlflow_invocations import PyfuncCache
from scoring_service.served import GenericModel, ServedBuilder


def _loaded(bundle: ModelBundle, version: str = "1") -> LoadedModel:
    return LoadedModel("m", version, bundle, Path("."), "registry")


def _foreign(bundle: ModelBundle) -> ModelBundle:
    return ModelBundle(booster=bundle.booster, categorical_features=[], threshold=0.5,
                       features=[f"NOT_A_FEATURE_{i}" for i in range(len(bundle.features))])


def test_the_first_version_fixes_the_kind(tiny_bundle: ModelBundle) -> None:
    build = ServedBuilder()
    assert isinstance(build(_loaded(tiny_bundle)), Scorer) and build.kind == "home_credit"
    with pytest.raises(ModelLoadError, match=r"generic model .*NOT_A_FEATURE.*home credit"):
        build(_loaded(_foreign(tiny_bundle), "2"))
    assert build.kind == "home_credit"


def test_a_configured_kind_refuses_the_other_from_the_start(tiny_bundle: ModelBundle) -> None:
    with pytest.raises(ModelLoadError, match="is a home credit model; this deployment serves "
                                             "generic models"):
        ServedBuilder("generic")(_loaded(tiny_bundle))


def test_a_generic_model_is_built_with_its_pyfunc(tiny_bundle: ModelBundle) -> None:
    pyfunc = object()
    generic = GenericModel(_loaded(_foreign(tiny_bundle)), pyfunc)
    assert PyfuncCache().get(generic) is pyfunc


def test_text_is_left_to_mlflow_only_where_the_model_has_levels() -> None:
    features = ["amount", "grade"]
    with pytest.raises(InvocationError) as soft:
        parse_invocation({"inputs": [{"grade": "A"}]}, features, {"grade"})
    assert not isinstance(soft.value, NotANumber)
    with pytest.raises(NotANumber, match="amount"):
        parse_invocation({"inputs": [{"amount": "high", "grade": "A"}]}, features, {"grade"})
    with pytest.raises(NotANumber, match="infinite"):
        parse_invocation({"inputs": [[1e400, 0]]}, features, {"grade"})
    matrix = parse_invocation({"inputs": [{"grade": 1}]}, features, {"grade"})
    assert np.isnan(matrix[0, 0]) and matrix[0, 1] == 1


@pytest.mark.parametrize(("body", "rows"), [
    ({"dataframe_split": {"columns": ["a"], "data": [[1], [2]]}}, 2),
    ({"inputs": {"a": [1, 2, 3]}}, 3),
    ({"instances": [{"a": 1}]}, 1),
    ({"params": {}}, 0),
    ([1, 2], 0),
])
def test_rows_are_counted_from_the_shape(body: object, rows: int) -> None:
    assert count_rows(body) == rows


def test_the_batch_limit_and_final_errors_come_before_mlflow(tiny_bundle: ModelBundle) -> None:
    scorer = Scorer(_loaded(tiny_bundle))
    many = json.dumps({"instances": [{}] * 3}).encode()
    with pytest.raises(InvocationRefused) as refused:
        answer_fast(many, scorer, max_rows=2)
    assert refused.value.status == 413
    text = json.dumps({"instances": [{"EXT_SOURCE_1": "high"}]}).encode()
    pending = answer_fast(text, scorer, max_rows=2)
    assert isinstance(pending, NeedsMlflow)
    with pytest.raises(InvocationRefused, match="EXT_SOURCE_1") as final:
        answer_mlflow(pending, scorer, PyfuncCache())  # never loads the pyfunc: refused before
    assert final.value.status == 422
