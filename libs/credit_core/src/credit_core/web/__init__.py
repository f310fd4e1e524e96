"""The HTTP layer every service shares: settings base, logging, middleware, auth, health, errors.

Needs the ``web`` extra (FastAPI, uvicorn, prometheus-client), except ``sessions`` (browser
session cookies), which needs only the ``sessions`` extra so that the dashboard can use it.
"""
