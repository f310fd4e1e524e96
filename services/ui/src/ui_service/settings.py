"""Dashboard settings: the shared variables plus UI_* (see .env.example).

Secrets never appear in a repr, a log line or the page: the service API key comes from
``UI_API_KEY`` or the file named by ``UI_API_KEY_FILE``; the session-signing secret from
``UI_SESSION_SECRET`` or, when unset, a random one generated once into ``var/`` (mode 0600).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr

from credit_core.topology import Part, local_url, service
from credit_core.web.settings import ServiceSettings, service_config

__all__ = ["MissingSecret", "UISettings", "get_settings"]


class MissingSecret(RuntimeError):
    """A secret the dashboard needs was given neither directly nor as a file."""


class UISettings(ServiceSettings):
    """The dashboard: where the peers answer, its own API key, the advisors' sessions."""

    part: ClassVar[Part] = service("ui")
    model_config = service_config(part)
    port: int = part.port

    scoring_url: str = local_url("scoring")
    explain_url: str = local_url("explain")
    monitoring_url: str = local_url("monitoring")
    api_key: SecretStr | None = None
    api_key_file: Path | None = None
    session_secret: SecretStr | None = None
    session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    #: Set behind HTTPS so that the session cookie is never sent in clear.
    cookie_secure: bool = False
    #: Seconds to wait for a peer before telling the advisor it is unavailable.
    connect_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    read_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    #: Applicants listed at once in the chooser.
    page_size: int = Field(default=12, ge=1, le=50)

    def resolved_api_key(self) -> str:
        """The service API key (MissingSecret when neither variable gives one)."""
        if self.api_key is not None:
            return self.api_key.get_secret_value().strip()
        if self.api_key_file is not None:
            try:
                return self.api_key_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise MissingSecret(f"UI_API_KEY_FILE cannot be read: {error.strerror}") from error
        raise MissingSecret("set UI_API_KEY or UI_API_KEY_FILE (a key with role 'service', "
                            "from `credit keys create`)")

    @property
    def session_secret_file(self) -> Path:
        return self.resolved_var_dir / "secrets" / "ui-session-secret"

    def resolved_session_secret(self) -> str:
        """The secret signing session cookies; generated into var/ on first use when unset."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        path = self.session_secret_file
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process generated it first: use theirs
            return path.read_text(encoding="utf-8").strip()
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secret)
        return secret


@lru_cache
def get_settings() -> UISettings:
    """The dashboard's settings, read once."""
    return UISettings()
