"""What the code says the deployment files must say: ports, variables, routes, commands.

Read from the services' settings classes, app factories and the CLI, never typed here by hand,
so that compose, the manifests and the images cannot drift from the code unnoticed. A service
whose package is not written yet is reported as missing (its tests skip, naming it).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from credit_core.settings import CoreSettings
from credit_launcher.plan import service_modules

ROOT = Path(__file__).resolve().parents[2]
API_SERVICES = ("scoring", "explain", "monitoring")
ALL_SERVICES = (*API_SERVICES, "ui")
#: Variables that no settings class reads but the runtime below it does, each for a reason.
RUNTIME_VARIABLES = {
    "PGPASSWORD",  # libpq (psycopg): the database password, kept out of DATABASE_URL
    "PGPASSFILE",  # libpq: the same, from a password file
    "MLFLOW_DISABLE_TELEMETRY",  # MLflow's own switch
    "MLFLOW_TRACKING_USERNAME",  # MLflow's client: the part's own account on the server
    "MLFLOW_TRACKING_PASSWORD",  # MLflow's client: its password (a Secret in Kubernetes)
    "MLFLOW_TRACKING_PASSWORD_FILE",  # credit_core.mlflow_credentials: the same, from a file
}
#: CLI commands a manifest may name before they exist, with the issue that adds them (none now).
PENDING_COMMANDS: dict[tuple[str, ...], str] = {}


@dataclass(frozen=True)
class ServiceFacts:
    name: str
    settings_class: type[BaseSettings]
    port: int
    variables: frozenset[str]


def settings_variables(settings_class: type[BaseSettings]) -> frozenset[str]:
    """The environment variables a pydantic-settings class reads (prefix + field, or alias)."""
    prefix = str(settings_class.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for field_name, info in settings_class.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices)
        else:
            names.add(f"{prefix}{field_name}".upper())
    return frozenset(names)


def _modules(service: str) -> tuple[str, str]:
    return service_modules(service)


@cache
def service_facts(service: str) -> ServiceFacts | None:
    """The service's settings class, default port and variables; None until it is written."""
    try:
        module = importlib.import_module(_modules(service)[1])
    except ModuleNotFoundError:
        return None
    classes = [value for value in vars(module).values()
               if inspect.isclass(value) and issubclass(value, CoreSettings)
               and value.__module__ == module.__name__]
    assert len(classes) == 1, f"{module.__name__}: expected one settings class, got {classes}"
    settings_class = cast(type[BaseSettings], classes[0])
    port = settings_class.model_fields["port"].default
    return ServiceFacts(service, settings_class, int(port), settings_variables(settings_class))


#: Settings a service's app needs to be built at all (secrets it refuses to start without).
_BUILD_SETTINGS: dict[str, dict[str, Any]] = {
    "ui": {"api_key": "ck_00000000_" + "0" * 40, "session_secret": "0" * 48},
}


@cache
def service_routes(service: str) -> frozenset[str] | None:
    """The paths of the service's app (its OpenAPI schema); None until it is written."""
    facts = service_facts(service)
    try:
        module = importlib.import_module(_modules(service)[0])
    except ModuleNotFoundError:
        return None
    factory = getattr(module, "create_app", None)
    if factory is None or facts is None:
        return None
    app = factory(facts.settings_class(**_BUILD_SETTINGS.get(service, {})))
    return frozenset(app.openapi()["paths"])


def require(value: Any, what: str) -> Any:
    """``value``, or skip the test naming what is not written yet."""
    import pytest

    if value is None:
        pytest.skip(f"{what} is not written yet")
    return value


def _subcommands(command: Any) -> dict[str, Any]:
    return dict(getattr(command, "commands", {}))


@cache
def cli_root() -> Any:
    """The `credit` command tree (click-like objects), with the optional commands registered."""
    import typer

    from credit_pipeline import cli

    cli._register_optional_commands()
    command = typer.main.get_command(cli.app)
    assert _subcommands(command), "the credit CLI has no subcommands"
    return command


def cli_envvars() -> frozenset[str]:
    """Variables the CLI's options read (e.g. CREDIT_USER_PASSWORD for `users add`)."""
    found: set[str] = set()

    def walk(command: Any) -> None:
        for parameter in command.params:
            envvar = getattr(parameter, "envvar", None)
            if isinstance(envvar, str):
                found.add(envvar)
            elif envvar:
                found.update(envvar)
        for child in _subcommands(command).values():
            walk(child)

    walk(cli_root())
    return frozenset(found)


def check_cli_call(tokens: list[str]) -> str | None:
    """Why ``credit <tokens>`` would fail to parse (unknown command or option), else None."""
    command = cli_root()
    path: list[str] = []
    rest = list(tokens)
    while _subcommands(command) and rest and not rest[0].startswith("-"):
        word = rest.pop(0)
        path.append(word)
        if word not in _subcommands(command):
            pending = any(command[:len(path)] == tuple(path) for command in PENDING_COMMANDS)
            return None if pending else f"no command `credit {' '.join(path)}`"
        command = _subcommands(command)[word]
    if _subcommands(command):
        return f"`credit {' '.join(path)}` needs a subcommand"
    options = {opt for parameter in command.params
               for opt in (*parameter.opts, *getattr(parameter, "secondary_opts", []))}
    unknown = [token.split("=", 1)[0] for token in rest
               if token.startswith("--") and token.split("=", 1)[0] not in options]
    return f"`credit {' '.join(path)}` has no option {unknown}" if unknown else None


_CREDIT_CALL = re.compile(r"(?<![\w/.-])credit\s+([^;&|)>\n]*)")


def credit_calls(script: str) -> list[list[str]]:
    """The arguments of every `credit ...` call in a shell script (echo lines excluded)."""
    script = script.replace("\\\n", " ")
    calls = []
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith(("#", "echo")):
            continue
        for match in _CREDIT_CALL.finditer(stripped):
            tokens = shlex.split(match.group(1).replace('"', " ").replace("'", " "))
            if tokens and re.match(r"^[a-z]", tokens[0]):
                calls.append(tokens)
    return calls


_ENVIRON_READ = re.compile(
    r"""(?:environ\.get|environ\.setdefault|getenv|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


@cache
def code_environment_reads() -> frozenset[str]:
    """Variables our code reads directly from os.environ (outside any settings class)."""
    sources = [*ROOT.glob("libs/*/src/**/*.py"), *ROOT.glob("services/*/src/**/*.py"),
               *ROOT.glob("pipeline/src/**/*.py"), *ROOT.glob("launcher/src/**/*.py")]
    return frozenset(name for path in sources for name in _ENVIRON_READ.findall(path.read_text()))


@cache
def mlflow_server_variables() -> frozenset[str]:
    """Variables `mlflow server` reads: its options' envvars and MLflow's declared variables
    (read from the installed package's source: importing mlflow.cli takes seconds)."""
    spec = importlib.util.find_spec("mlflow")
    assert spec is not None and spec.origin is not None
    package = Path(spec.origin).parent
    options = ((package / "cli" / "__init__.py").read_text()
               + (package / "utils" / "cli_args.py").read_text())
    declared = (package / "environment_variables.py").read_text()
    # The image's entrypoint (mlflow/entrypoint.py): its own switches and NAME_FILE secrets.
    entrypoint = (ROOT / "mlflow" / "entrypoint.py").read_text()
    secrets = re.search(r"^SECRETS = \((.*?)\)$", entrypoint, re.MULTILINE)
    assert secrets is not None
    return frozenset(re.findall(r'envvar="(MLFLOW_[A-Z_]+)"', options)
                     + re.findall(r"^(MLFLOW_[A-Z_]+) = ", declared, re.MULTILINE)
                     + re.findall(r'environ\.get\("(MLFLOW_[A-Z_]+)"', entrypoint)
                     + [f"{name}_FILE" for name in re.findall(r'"([A-Z_]+)"', secrets[1])])


def product_variables() -> frozenset[str]:
    """Every variable of every settings class written so far, and what the code reads."""
    names = set(settings_variables(CoreSettings)) | code_environment_reads() | cli_envvars()
    for service in ALL_SERVICES:
        facts = service_facts(service)
        if facts:
            names |= facts.variables
    return frozenset(names)
