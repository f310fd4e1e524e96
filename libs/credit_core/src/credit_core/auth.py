"""Credentials: API keys for integrators and services, passwords for the dashboard's advisors.

Both are stored only as salted argon2 hashes. An API key is ``ck_<prefix>_<secret>``: the
prefix (not secret) finds the row by index, the secret is checked against the hash in constant
time by argon2. Services cache a successful check briefly (see the services' auth), since
argon2 is deliberately slow.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from credit_core.db.browser_sessions import revoke_sessions_of
from credit_core.db.tables import api_keys, users

__all__ = [
    "API_KEY_ROLES",
    "NAME_PATTERN",
    "USER_ROLES",
    "ApiKeyRecord",
    "CredentialError",
    "create_api_key",
    "create_user",
    "hash_secret",
    "key_is_active",
    "parse_api_key",
    "remove_user",
    "revoke_api_key",
    "set_password",
    "verify_secret",
]

USER_ROLES = ("advisor", "ops", "admin")
API_KEY_ROLES = ("integrator", "service", "ops", "admin")
#: Names of keys and accounts: what the API may accept as a user name, too.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"
_NAME = re.compile(NAME_PATTERN)
_KEY = re.compile(r"^ck_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{20,100})$")
_hasher = PasswordHasher()


class CredentialError(ValueError):
    """A name, role or secret that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class ApiKeyRecord:
    name: str
    role: str
    key: str  # shown once, at creation


def hash_secret(secret: str) -> str:
    """A salted argon2id hash of ``secret``."""
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    """True when ``secret`` matches ``stored_hash`` (constant-time comparison inside argon2)."""
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise CredentialError(
            f"invalid name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'"
        )


def parse_api_key(key: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    match = _KEY.match(key)
    return (match.group(1), match.group(2)) if match else None


def create_api_key(engine: Engine, name: str, role: str = "integrator") -> ApiKeyRecord:
    """Create a key; the plain key is returned once and never stored."""
    _check_name(name)
    if role not in API_KEY_ROLES:
        raise CredentialError(f"invalid role {role!r}: choose one of {', '.join(API_KEY_ROLES)}")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        exists = connection.execute(select(api_keys.c.id).where(api_keys.c.name == name)).first()
        if exists:
            raise CredentialError(f"an API key named {name!r} already exists")
        connection.execute(insert(api_keys).values(
            name=name, prefix=prefix, key_hash=hash_secret(secret), role=role,
            created_at=datetime.now(UTC), revoked_at=None,
        ))
    return ApiKeyRecord(name=name, role=role, key=f"ck_{prefix}_{secret}")


def revoke_api_key(engine: Engine, name: str) -> bool:
    """Revoke the key called ``name``; False when there is no such active key."""
    with engine.begin() as connection:
        result = connection.execute(
            update(api_keys)
            .where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return result.rowcount > 0


def key_is_active(engine: Engine, name: str, role: str) -> bool:
    """True while the API key called ``name`` exists with ``role`` and is not revoked.

    A session opened with a key (the ops dashboard's) asks this on every page, so that revoking
    the key ends its sessions.
    """
    with engine.connect() as connection:
        row = connection.execute(
            select(api_keys.c.role).where(api_keys.c.name == name,
                                          api_keys.c.revoked_at.is_(None))).first()
    return row is not None and row.role == role


def create_user(engine: Engine, username: str, password: str, role: str = "advisor") -> None:
    """Create a dashboard account with a hashed password."""
    _check_name(username)
    if role not in USER_ROLES:
        raise CredentialError(f"invalid role {role!r}: choose one of {', '.join(USER_ROLES)}")
    if len(password) < 12:
        raise CredentialError("the password must have at least 12 characters")
    with engine.begin() as connection:
        exists = connection.execute(select(users.c.id).where(users.c.username == username)).first()
        if exists:
            raise CredentialError(f"a user named {username!r} already exists")
        connection.execute(insert(users).values(
            username=username, password_hash=hash_secret(password), role=role, disabled=False,
            created_at=datetime.now(UTC),
        ))


def set_password(engine: Engine, username: str, password: str) -> bool:
    """Change an account's password and end its open sessions; False when there is no such
    account."""
    if len(password) < 12:
        raise CredentialError("the password must have at least 12 characters")
    with engine.begin() as connection:
        result = connection.execute(update(users).where(users.c.username == username)
                                    .values(password_hash=hash_secret(password)))
    if result.rowcount == 0:
        return False
    revoke_sessions_of(engine, username)
    return True


def remove_user(engine: Engine, username: str) -> bool:
    """Delete an account and end its open sessions; False when there is no such account."""
    with engine.begin() as connection:
        result = connection.execute(delete(users).where(users.c.username == username))
    revoke_sessions_of(engine, username)
    return result.rowcount > 0
