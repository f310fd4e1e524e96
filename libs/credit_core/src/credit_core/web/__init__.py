"""The HTTP layer every service shares: settings base, logging, middleware, auth, health, errors.

Needs the ``web`` extra (FastAPI, uvicorn, prometheus-client).
"""
