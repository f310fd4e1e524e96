"""How the bundle is logged as an MLflow pyfunc: the code file, the signature, the requirements.

The model class lives in ``pyfunc_model.py`` and is logged as code (not pickled); see there.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mlflow.models import ModelSignature
from mlflow.types.schema import AnyType, ColSpec, Schema

from credit_core.bundle import ModelBundle

__all__ = ["MODEL_CODE_PATH", "model_signature", "pip_requirements"]

#: The models-from-code file MLflow copies into each logged model. A registered model loads its
#: own copy (found by this file name in the model's folder), never this module by its import
#: path, so versions registered before ``train/`` was regrouped load unchanged.
MODEL_CODE_PATH = Path(__file__).with_name("pyfunc_model.py")
_RUNTIME_PACKAGES = ("mlflow", "lightgbm", "numpy", "pandas", "pyarrow", "credit-core")


def model_signature(bundle: ModelBundle) -> ModelSignature:
    """Input: one column per feature; output: the probability of default.

    Every column is typed Any: a column with known levels accepts its integer codes or the level
    strings ("F", "Cash loans"), and a numeric one integers as well as floats, as
    ``pd.read_csv`` gives them (MLflow refuses int64 for a "double" column); the model turns
    them into its float matrix (NaN when missing).
    """
    inputs = Schema([ColSpec(AnyType(), name) for name in bundle.features])
    return ModelSignature(inputs=inputs, outputs=Schema([ColSpec("double")]))


def pip_requirements() -> list[str]:
    """The runtime packages pinned to the installed versions.

    credit-core is not on a public index: the model is served from this workspace's
    environment (``mlflow models serve --env-manager local``).
    """
    pins = []
    for package in _RUNTIME_PACKAGES:
        try:
            pins.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            pins.append(package)
    return pins
