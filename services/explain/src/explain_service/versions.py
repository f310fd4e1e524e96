"""Whether a registered version exists: tells "no such version" (404) from "registry down"."""

from __future__ import annotations

from credit_core.model_source import ModelSource, RegistryUnavailable

__all__ = ["UnknownVersion", "version_exists"]


class UnknownVersion(LookupError):
    """The registry has no such version of the model."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(f"model {name} has no version {version}")
        self.version = version


def version_exists(source: ModelSource, version: str) -> bool:
    """True if the registry knows ``version``; RegistryUnavailable if it cannot be asked."""
    from mlflow.exceptions import MlflowException

    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=source.tracking_uri, registry_uri=source.tracking_uri)
    try:
        client.get_model_version(source.name, version)
    except MlflowException as error:
        if getattr(error, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
            return False
        raise RegistryUnavailable(f"cannot ask for version {version}: {error}") from error
    except Exception as error:  # unreachable registry and the like
        raise RegistryUnavailable(f"cannot ask for version {version}: {error}") from error
    return True
