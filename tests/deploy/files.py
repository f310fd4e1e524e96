"""Reading the deployment files: Dockerfiles, compose's scripts, rendered Kubernetes objects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.code_facts import ROOT

BIN = Path(sys.executable).parent
OVERLAYS = ("dev", "prod")
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job")
#: Dockerfile of each image, by image name (credit-platform/<name> in compose and manifests):
#: the Python parts share the root Dockerfile (build arguments and targets in compose).
DOCKERFILES = {
    "scoring": "Dockerfile",
    "explain": "Dockerfile",
    "monitoring": "Dockerfile",
    "ui": "Dockerfile",
    "pipeline": "Dockerfile",
    "mlflow": "mlflow/Dockerfile",
}
#: The stand-ins of the official base images (scripts/base-images.sh), by the name they take.
BASE_DOCKERFILES = {
    "PYTHON_IMAGE": "docker/base/python.Dockerfile",
    "POSTGRES_IMAGE": "docker/base/postgres.Dockerfile",
}
#: The scripts compose mounts into its one-shot containers.
COMPOSE_SCRIPTS = {  # a file name, not a secret
    "secrets": "docker/compose/make-secrets.sh",  # pragma: allowlist secret
    "init": "docker/compose/init.sh",
}

@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        """The JSON array of CMD / HEALTHCHECK ... CMD."""
        text = self.arguments
        if self.keyword == "HEALTHCHECK":
            text = text[text.index("CMD") + 3:]
        return list(json.loads(text))


def dockerfile(path: str) -> list[Instruction]:
    """The instructions of a Dockerfile (continuations joined, comments dropped)."""
    lines = [line for line in (ROOT / path).read_text().splitlines()
             if not line.lstrip().startswith("#")]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in text.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append(Instruction(keyword.upper(), " ".join(arguments.split())))
    return instructions


def last(instructions: list[Instruction], keyword: str) -> Instruction:
    return [i for i in instructions if i.keyword == keyword][-1]


def stage(instructions: list[Instruction], target: str | None) -> list[Instruction]:
    """The instructions of one stage (`FROM ... AS target`); the last stage when None."""
    starts = [i for i, step in enumerate(instructions) if step.keyword == "FROM"]
    if target is None:
        return instructions[starts[-1]:]
    for index, start in enumerate(starts):
        if instructions[start].arguments.split()[-1] == target:
            end = starts[index + 1] if index + 1 < len(starts) else len(instructions)
            return instructions[start:end]
    raise AssertionError(f"no stage {target}")


def compose_script(name: str) -> str:
    """The text of a script compose mounts (docker/compose/...)."""
    return (ROOT / COMPOSE_SCRIPTS[name]).read_text()


INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")


def interpolations(text: str) -> list[tuple[str, str, str]]:
    """(variable, operator, default) of every ${...} compose interpolates."""
    return [(m.group(1), m.group(2) or "", m.group(3) or "") for m in INTERPOLATION.finditer(text)]


def render(kustomization: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize` of a folder, as a list of objects."""
    result = subprocess.run([str(BIN / "kubectl"), "kustomize", str(kustomization)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def find(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [o for o in objects
            if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def one(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = find(objects, kind, name)
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def workloads(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] in WORKLOAD_KINDS]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return dict(workload["spec"]["template"]["spec"])


def containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_env_names(container: dict[str, Any],
                        objects: list[dict[str, Any]]) -> set[str]:
    """Every variable a container gets: env entries and the keys of envFrom ConfigMaps."""
    names = {entry["name"] for entry in container.get("env", [])}
    for source in container.get("envFrom", []):
        config_map = one(objects, "ConfigMap", source["configMapRef"]["name"])
        names.update(config_map["data"])
    return names


def shell_script(container: dict[str, Any]) -> str:
    """The script of a `sh -c` container, or its command as one line."""
    command = [*container.get("command", []), *container.get("args", [])]
    if command[:2] == ["sh", "-c"]:
        return str(command[2])
    return " ".join(command)
