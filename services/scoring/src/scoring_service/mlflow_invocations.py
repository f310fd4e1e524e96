"""The MLflow scoring protocol read by MLflow itself: what ``mlflow models serve`` accepts.

Used for the bodies the pandas-free reader does not take (string levels of categorical
columns, ``params`` beside the data, columns the model ignores, a generic model's raw columns):
the body goes through ``mlflow.pyfunc.scoring_server.invocations`` with the version's own pyfunc
model and its signature, so parsing, schema enforcement and predictions are those of
``mlflow models serve`` of that version. Needs pandas and MLflow; imported lazily.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from credit_core.model_source import LoadedModel
from scoring_service.served import GenericModel, Served, load_pyfunc

__all__ = ["MlflowReadError", "PyfuncCache", "predict_with_mlflow"]

logger = logging.getLogger("credit.scoring.invocations")

#: MLflow's messages quote the whole input ("Failed to predict data '...'"): keep them short.
_MAX_MESSAGE = 400


class MlflowReadError(ValueError):
    """MLflow refused the body (bad shape, types against the signature); the message says why."""


class PyfuncCache:
    """The served version's pyfunc model for a Home Credit scorer, loaded on first need.

    A Home Credit deployment rarely needs it (numeric rows take the fast path), so it is loaded
    on the first body that needs MLflow's reading, once per version; a generic model carries its
    own (loaded with the version).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[str, str] | None = None
        self._pyfunc: Any = None

    def get(self, served: Served) -> Any:
        """The pyfunc of ``served``'s version, or None if it cannot be loaded."""
        if isinstance(served, GenericModel):
            return served.pyfunc
        model: LoadedModel = served.model
        key = (model.name, model.version)
        with self._lock:  # one load per version, even under parallel requests
            if self._version != key:
                try:
                    self._pyfunc = load_pyfunc(model)
                except Exception as error:  # a version logged without a loadable pyfunc
                    logger.warning("no pyfunc for %s v%s: %s", model.name, model.version, error)
                    self._pyfunc = None
                self._version = key
            return self._pyfunc


def _short(message: str) -> str:
    # "Failed to predict data '<the whole frame>'. \nError: <why>": keep the why.
    _, marker, reason = message.rpartition("Error: ")
    text = (reason if marker else message).strip()
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "..."


def predict_with_mlflow(body: dict[str, Any], pyfunc: Any) -> str:
    """The JSON answer of ``mlflow models serve`` to ``body`` (MlflowReadError if refused)."""
    from mlflow.exceptions import MlflowException
    from mlflow.pyfunc import scoring_server

    schema = pyfunc.metadata.get_input_schema()
    try:
        answer = scoring_server.invocations(body, "application/json", pyfunc, schema)
    except MlflowException as error:
        raise MlflowReadError(_short(error.message)) from None
    except Exception as error:  # MLflow lets parsing errors of pandas through
        raise MlflowReadError(_short(f"{type(error).__name__}: {error}")) from None
    if answer.status != 200:
        raise MlflowReadError(_short(str(answer.response)))
    return str(answer.response)
