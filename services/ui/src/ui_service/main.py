"""``python -m ui_service.main``: the dashboard on UI_HOST:UI_PORT (the container's command)."""

from __future__ import annotations

import uvicorn

from ui_service.app import create_app
from ui_service.settings import get_settings

__all__ = ["main"]


def main() -> None:
    """Build the app and serve it until stopped."""
    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_config=None, proxy_headers=True, timeout_graceful_shutdown=5)


if __name__ == "__main__":
    main()
