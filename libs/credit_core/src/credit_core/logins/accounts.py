"""The dashboard accounts' password check."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Engine, select

from credit_core.auth import hash_secret, verify_secret
from credit_core.db import users

__all__ = ["DASHBOARD_ROLES", "Login", "check_login"]

#: Who may sign in to the advisors' dashboard.
DASHBOARD_ROLES = ("advisor", "admin")


@dataclass(frozen=True)
class Login:
    """A signed-in account."""

    username: str
    role: str


@functools.cache
def _dummy_hash() -> str:
    # Made with the hasher's own parameters, so that it costs exactly what a real check costs.
    return hash_secret(secrets.token_urlsafe(16))


def check_login(engine: Engine, username: str, password: str,
                roles: Collection[str] = DASHBOARD_ROLES) -> Login | None:
    """The account when the password matches an enabled account of ``roles``, else None.

    An unknown, disabled or refused account costs one argon2 check too, so that the answer's
    timing does not tell which names exist.
    """
    with engine.connect() as connection:
        row = connection.execute(
            select(users.c.username, users.c.password_hash, users.c.role, users.c.disabled)
            .where(users.c.username == username)
        ).first()
    if row is None or row.disabled or row.role not in roles:
        verify_secret(_dummy_hash(), password)
        return None
    if not verify_secret(row.password_hash, password):
        return None
    return Login(row.username, row.role)
