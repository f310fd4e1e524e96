"""Database failures are 503 with Retry-After (retry later), never a 500."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from credit_core.web.errors import install_error_handlers


@pytest.mark.parametrize("error", [
    PoolTimeout("QueuePool limit of size 5 overflow 10 reached, connection timed out"),
    OperationalError("SELECT 1", {}, Exception("server closed the connection")),
])
def test_database_failures_are_503_with_retry_after(error: Exception) -> None:
    app = FastAPI()
    install_error_handlers(app, retry_after=7)

    @app.get("/boom")
    def boom() -> None:
        raise error

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert "database" in response.json()["detail"]
