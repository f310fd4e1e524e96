"""Non-root, the cases the image and manifest tests leave open.

test_dockerfiles.py checks the last USER of each Dockerfile and test_kubernetes.py the pods'
runAsNonRoot; here: that USER belongs to the final stage (the image that runs), and that no
container or pod sets a root user that runAsNonRoot would only refuse at run time.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.files import DOCKERFILES, OVERLAYS, containers, dockerfile, pod_spec, workloads

ROOT_USERS = {"root", "0"}


@pytest.mark.parametrize("path", DOCKERFILES.values())
def test_the_final_stage_switches_to_a_numeric_non_root_user(path: str) -> None:
    instructions = dockerfile(path)
    final_from = max(i for i, step in enumerate(instructions) if step.keyword == "FROM")
    users = [step.arguments for step in instructions[final_from:] if step.keyword == "USER"]
    assert users, f"{path}: the final stage runs as the base image's user (root)"
    user, _, group = users[-1].partition(":")
    # Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
    assert user.isdigit() and int(user) != 0, users[-1]
    assert not group or (group.isdigit() and int(group) != 0), users[-1]


def _root_settings(security: dict[str, Any]) -> list[str]:
    wrong = []
    if security.get("runAsNonRoot") is False:
        wrong.append("runAsNonRoot: false")
    if security.get("runAsUser") == 0:
        wrong.append("runAsUser: 0")
    if security.get("runAsGroup") == 0:
        wrong.append("runAsGroup: 0")
    if security.get("privileged"):
        wrong.append("privileged")
    return wrong


@pytest.mark.parametrize("name", ("base", *OVERLAYS))
def test_no_pod_or_container_asks_for_root(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    for workload in workloads(rendered[name]):
        where = f"{name}: {workload['kind']} {workload['metadata']['name']}"
        spec = pod_spec(workload)
        assert not _root_settings(spec.get("securityContext", {})), where
        assert spec.get("securityContext", {}).get("runAsNonRoot") is True, where
        assert not spec.get("hostPID") and not spec.get("hostNetwork"), where
        for container in containers(workload):
            wrong = _root_settings(container.get("securityContext", {}))
            assert not wrong, f"{where}, container {container['name']}: {wrong}"
