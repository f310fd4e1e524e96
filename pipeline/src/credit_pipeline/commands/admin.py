"""`credit db ...`, `credit users ...`, `credit keys ...`: the schema and the credentials."""

from __future__ import annotations

from typing import Annotated

import typer

from credit_core.settings import get_core_settings
from credit_pipeline.commands.data import fail

__all__ = ["db_app", "keys_app", "users_app"]

# The credential and database modules (SQLAlchemy, Alembic, argon2: about 1.5 s) are imported by
# the commands that use them, so that `credit` answers any other command without them.

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Dashboard accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for integrators and services.", no_args_is_help=True)


def _migrated_engine():  # type: ignore[no-untyped-def]
    from credit_core.db import get_engine
    from credit_core.db.migrate import upgrade
    url = get_core_settings().resolved_database_url
    upgrade(url)
    return get_engine(url)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations to DATABASE_URL (or the embedded SQLite database)."""
    from credit_core.db import get_engine
    from credit_core.db.migrate import upgrade

    url = get_core_settings().resolved_database_url
    upgrade(url)
    typer.echo(f"Database at the latest schema: {get_engine(url).url.render_as_string()}")


#: A new password: prompted twice unless given (CREDIT_USER_PASSWORD for scripts).
NewPassword = Annotated[str, typer.Option(
    prompt=True, hide_input=True, confirmation_prompt=True,
    envvar="CREDIT_USER_PASSWORD", help="Prompted when not given (at least 12 characters).",
)]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The advisor's login name.")],
    role: Annotated[str, typer.Option(help="advisor, ops or admin.")] = "advisor",
    password: NewPassword = "",
) -> None:
    """Create a dashboard account (the password is stored as an argon2 hash)."""
    from credit_core.auth import CredentialError, create_user

    try:
        create_user(_migrated_engine(), name, password, role)
    except CredentialError as error:
        raise fail(str(error)) from error
    typer.echo(f"User {name!r} created with role {role}.")


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="The account's login name.")],
    password: NewPassword = "",
) -> None:
    """Change an account's password; its open dashboard sessions end."""
    from credit_core.auth import CredentialError, set_password

    try:
        changed = set_password(_migrated_engine(), name, password)
    except CredentialError as error:
        raise fail(str(error)) from error
    if not changed:
        raise fail(f"no user named {name!r}")
    typer.echo(f"Password of {name!r} changed; its sessions ended.")


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="The account's login name.")]) -> None:
    """Delete an account; its open dashboard sessions end."""
    from credit_core.auth import remove_user

    if not remove_user(_migrated_engine(), name):
        raise fail(f"no user named {name!r}")
    typer.echo(f"User {name!r} removed; its sessions ended.")


@users_app.command("unlock")
def users_unlock(name: Annotated[str, typer.Argument(help="The account's login name.")]) -> None:
    """Clear the sign-in delay that failed attempts put on an account (its owner's unlock)."""
    from credit_core.logins import LoginThrottle

    engine = _migrated_engine()
    if not LoginThrottle(lambda: engine).unlock(name):
        raise fail(f"no sign-in delay on {name!r}")
    typer.echo(f"User {name!r} unlocked: failed sign-ins forgotten.")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key (shown in the audit log).")],
    role: Annotated[str, typer.Option(help="integrator, service, ops or admin.")] = "integrator",
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    from credit_core.auth import CredentialError, create_api_key

    try:
        record = create_api_key(_migrated_engine(), name, role)
    except CredentialError as error:
        raise fail(str(error)) from error
    typer.echo(record.key)
    typer.echo(f"API key {name!r} ({role}) created: send it as 'Authorization: Bearer <key>'. "
               "It is not shown again.", err=True)


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke an API key."""
    from credit_core.auth import revoke_api_key

    if not revoke_api_key(_migrated_engine(), name):
        raise fail(f"no active API key named {name!r}")
    typer.echo(f"API key {name!r} revoked.")
