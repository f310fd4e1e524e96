"""What the scoring service serves: a Home Credit scorer, or a generic model (/invocations only).

The kind of a deployment follows its model: a model of the Home Credit features is scored by
client id and application (``Scorer``); any other registered model (``credit train --data
FILE``) is a ``GenericModel``, answered through /invocations with the raw columns of its file.
The kind is fixed by the first version served (or by ``SCORING_MODEL_KIND``): a later version of
the other kind is refused like an incompatible version, so a misregistered model never turns a
Home Credit deployment into a generic one under its clients.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from credit_core.model_source import LoadedModel, ModelLoadError
from credit_core.scoring import Scorer, check_compatible, is_home_credit

__all__ = ["GenericModel", "ModelKind", "Served", "ServedBuilder", "kind_of", "load_pyfunc"]

ModelKind = Literal["home_credit", "generic"]


def load_pyfunc(model: LoadedModel) -> Any:
    """The version's own MLflow pyfunc model, as ``mlflow models serve`` loads it."""
    import mlflow.pyfunc

    return mlflow.pyfunc.load_model(str(model.directory))


@dataclass
class GenericModel:
    """A registered model that is not of the Home Credit features, with its pyfunc loaded.

    The pyfunc is loaded with the version (not on the first request) so that readiness means
    /invocations answers, and a version whose pyfunc cannot load is refused at load time.
    """

    model: LoadedModel
    pyfunc: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.pyfunc is None:
            self.pyfunc = load_pyfunc(self.model)


Served: TypeAlias = Scorer | GenericModel


def kind_of(served: Served) -> ModelKind:
    """The kind of the served object."""
    return "generic" if isinstance(served, GenericModel) else "home_credit"


def _mismatch(model: LoadedModel, found: ModelKind, expected: ModelKind) -> str:
    """Why a version of the other kind is refused, naming what makes it so."""
    why = ""
    if found == "generic":
        try:
            check_compatible(model.bundle)
        except ValueError as error:
            why = f" ({error})"
    return (f"version {model.version} of {model.name} is a {found.replace('_', ' ')} model"
            f"{why}; this deployment serves {expected.replace('_', ' ')} models")


class ServedBuilder:
    """The holder's ``build``: a Scorer or a GenericModel, the kind fixed once for the process."""

    def __init__(self, kind: ModelKind | None = None) -> None:
        self.kind = kind
        self._lock = threading.Lock()

    def __call__(self, model: LoadedModel) -> Served:
        found: ModelKind = "home_credit" if is_home_credit(model.bundle) else "generic"
        with self._lock:
            expected = self.kind
            if expected is not None and found != expected:
                raise ModelLoadError(_mismatch(model, found, expected), model.version)
        served: Served = Scorer(model) if found == "home_credit" else GenericModel(model)
        with self._lock:
            self.kind = self.kind or found  # fixed only once the version could be built
        return served
