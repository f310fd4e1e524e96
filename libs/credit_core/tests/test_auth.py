import pytest
from sqlalchemy import select

from credit_core.auth import (
    CredentialError,
    create_api_key,
    create_user,
    parse_api_key,
    revoke_api_key,
    verify_secret,
)
from credit_core.db import api_keys, get_engine, users
from credit_core.db.migrate import upgrade


@pytest.fixture
def engine(sqlite_url: str):  # type: ignore[no-untyped-def]
    upgrade(sqlite_url)
    return get_engine(sqlite_url)


def test_api_key_is_stored_only_as_a_salted_hash(engine) -> None:  # type: ignore[no-untyped-def]
    record = create_api_key(engine, "partner-a")
    prefix, secret = parse_api_key(record.key)  # type: ignore[misc]
    with engine.connect() as connection:
        row = connection.execute(select(api_keys).where(api_keys.c.name == "partner-a")).one()
    assert secret not in row.key_hash and row.key_hash.startswith("$argon2id$")
    assert row.prefix == prefix
    assert verify_secret(row.key_hash, secret)
    assert not verify_secret(row.key_hash, secret + "x")
    assert not verify_secret("not a hash", secret)


def test_two_keys_with_the_same_secret_hash_differently() -> None:
    from credit_core.auth import hash_secret

    assert hash_secret("same secret") != hash_secret("same secret")


def test_key_names_roles_and_duplicates_are_checked(engine) -> None:  # type: ignore[no-untyped-def]
    create_api_key(engine, "svc", role="service")
    with pytest.raises(CredentialError, match="already exists"):
        create_api_key(engine, "svc")
    with pytest.raises(CredentialError, match="invalid name"):
        create_api_key(engine, "bad name; drop table")
    with pytest.raises(CredentialError, match="invalid role"):
        create_api_key(engine, "other", role="root")


def test_revoke(engine) -> None:  # type: ignore[no-untyped-def]
    create_api_key(engine, "temp")
    assert revoke_api_key(engine, "temp")
    assert not revoke_api_key(engine, "temp")


def test_malformed_keys_do_not_parse() -> None:
    for key in ("", "ck_short_x", "Bearer abc", "ck_12345678_" + "a" * 5, "ck_1234567$_" + "a" * 30):
        assert parse_api_key(key) is None


def test_users(engine) -> None:  # type: ignore[no-untyped-def]
    create_user(engine, "alice", "correct horse battery", "advisor")
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == "alice")).one()
    assert verify_secret(row.password_hash, "correct horse battery")
    with pytest.raises(CredentialError, match="12 characters"):
        create_user(engine, "bob", "short")
    with pytest.raises(CredentialError, match="invalid role"):
        create_user(engine, "carol", "long enough password", "superuser")
