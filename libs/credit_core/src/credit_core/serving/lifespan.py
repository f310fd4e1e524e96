"""The lifespan of a model-serving app: wait for the database, load the model, run the loops.

The app follows the kit's convention: ``app.state.settings`` (a ``ModelServiceSettings``),
``app.state.engine`` and ``app.state.models`` (a ``ModelHolder``). A service adds its own
background loops (monitoring's drift schedule) and its own clean-up at shut-down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from fastapi import FastAPI

from credit_core.serving.holder import ModelHolder
from credit_core.web.settings import ModelServiceSettings
from credit_core.web.startup import wait_for_database

__all__ = ["BackgroundTask", "Lifespan", "serving_lifespan"]

#: Given the app, the coroutine of a loop to run while the app serves, or None to run none.
BackgroundTask = Callable[[FastAPI], Coroutine[Any, Any, None] | None]
Lifespan = Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def serving_lifespan(*background: BackgroundTask,
                     on_shutdown: Callable[[FastAPI], None] | None = None) -> Lifespan:
    """The app's lifespan: the model is loaded before the first request is served.

    Start-up waits (bounded) for the database, loads the model (not-ready rather than a crash
    when none can be had), starts the reload loop unless its interval is 0, then each of
    ``background``. Shut-down stops the loops, the last started first, then runs
    ``on_shutdown``.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings: ModelServiceSettings = app.state.settings
        await asyncio.to_thread(wait_for_database, app.state.engine,
                                settings.startup_database_wait_seconds)
        holder: ModelHolder[Any] = app.state.models
        await asyncio.to_thread(holder.start)
        tasks = []
        if settings.reload_interval_seconds > 0:
            tasks.append(asyncio.create_task(
                holder.poll_forever(settings.reload_interval_seconds)))
        for start in background:
            loop = start(app)
            if loop is not None:
                tasks.append(asyncio.create_task(loop))
        try:
            yield
        finally:
            for task in reversed(tasks):
                await _stop(task)
            if on_shutdown is not None:
                on_shutdown(app)

    return lifespan
