"""The kustomize tree: every overlay renders, every object is valid (strict schemas), and the
rendered objects hold together: hardened pods, probes, resources, references that resolve,
network policies that allow exactly the intended flows, and the shape of each overlay."""

from __future__ import annotations

import base64
import subprocess
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.code_facts import ROOT, check_cli_call, credit_calls
from tests.deploy.files import (
    DOCKERFILES,
    OVERLAYS,
    containers,
    find,
    one,
    pod_spec,
    shell_script,
    workloads,
)
from tests.deploy.netpol import Pod, allowed

RENDERS = ("base", *OVERLAYS)
SERVERS = ("scoring", "explain", "monitoring", "ui", "mlflow")
JOBS = ("migrate", "train", "batch-score")
#: The MLflow image's Job: the accounts of the MLflow server (mlflow/provision_users.py).
MLFLOW_JOBS = ("mlflow-users",)


def _validate(document: dict[str, Any]) -> None:
    try:
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)
    except kubernetes_validate.ValidationError as error:
        pytest.fail(f"{document['kind']} {document['metadata'].get('name')}: {error.message} "
                    f"at {list(error.path)}")


@pytest.mark.parametrize("name", RENDERS)
def test_every_rendered_object_is_valid(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    assert rendered[name]
    for document in rendered[name]:
        _validate(document)


def test_the_secret_template_is_valid_and_not_applied() -> None:
    template = yaml.safe_load((ROOT / "k8s/base/secret.template.yaml").read_text())
    _validate(template)
    kustomization = yaml.safe_load((ROOT / "k8s/base/kustomization.yaml").read_text())
    assert "secret.template.yaml" not in kustomization["resources"]


@pytest.mark.parametrize("name", OVERLAYS)
def test_pods_are_restricted(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    for workload in workloads(rendered[name]):
        spec = pod_spec(workload)
        pod_security = spec["securityContext"]
        where = f"{workload['kind']} {workload['metadata']['name']}"
        assert pod_security["runAsNonRoot"] is True, where
        assert pod_security["seccompProfile"]["type"] == "RuntimeDefault", where
        assert spec["automountServiceAccountToken"] is False, where
        for container in containers(workload):
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), where


@pytest.mark.parametrize("name", OVERLAYS)
def test_servers_have_the_three_probes(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    servers = [w for w in workloads(rendered[name]) if w["kind"] != "Job"]
    assert {w["metadata"]["name"] for w in servers} >= set(SERVERS)
    for workload in servers:
        for container in pod_spec(workload)["containers"]:
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert probe in container, f"{workload['metadata']['name']}: no {probe}"


@pytest.mark.parametrize("name", OVERLAYS)
def test_references_resolve(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[name]
    secret = one(objects, "Secret", find(objects, "Secret")[0]["metadata"]["name"])
    service_accounts = {sa["metadata"]["name"] for sa in find(objects, "ServiceAccount")}
    for workload in workloads(objects):
        assert pod_spec(workload)["serviceAccountName"] in service_accounts
        for container in containers(workload):
            for entry in container.get("env", []):
                reference = entry.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["name"] == secret["metadata"]["name"]
                    assert reference["key"] in secret["data"], (name, reference["key"])
            for source in container.get("envFrom", []):
                one(objects, "ConfigMap", source["configMapRef"]["name"])
    for autoscaler in find(objects, "HorizontalPodAutoscaler"):
        target = one(objects, "Deployment", autoscaler["spec"]["scaleTargetRef"]["name"])
        assert "replicas" not in target["spec"], "the autoscaler owns the replica count"
    for ingress in find(objects, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                service = one(objects, "Service", backend["name"])
                assert backend["port"]["number"] in [p["port"] for p in service["spec"]["ports"]]


@pytest.mark.parametrize("name", OVERLAYS)
def test_services_reach_a_named_container_port(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[name]
    for service in find(objects, "Service"):
        selected = [w for w in workloads(objects) if w["kind"] != "Job" and all(
            w["spec"]["template"]["metadata"]["labels"].get(k) == v
            for k, v in service["spec"]["selector"].items())]
        assert len(selected) == 1, service["metadata"]["name"]
        ports = {p["name"]: p["containerPort"] for c in pod_spec(selected[0])["containers"]
                 for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert ports[port["targetPort"]] == port["port"], service["metadata"]["name"]


@pytest.mark.parametrize("name", OVERLAYS)
def test_images_are_ours_and_tagged(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    for workload in workloads(rendered[name]):
        for container in containers(workload):
            image, _, tag = container["image"].rpartition(":")
            assert image and tag and tag != "latest", container["image"]
            if not image.startswith("postgres"):
                assert image.rsplit("/", 2)[-2] == "credit-platform", image
                assert image.rsplit("/", 1)[-1] in DOCKERFILES, image


@pytest.mark.parametrize("name", OVERLAYS)
def test_the_secret_from_the_example_holds_no_real_value(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    (secret,) = find(rendered[name], "Secret")
    for key, value in secret["data"].items():
        plain = base64.b64decode(value).decode()
        assert plain == "" or plain.startswith("change-me"), key
    tracked = subprocess.run(["git", "ls-files", "k8s"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert not [path for path in tracked if path.endswith("secrets.env")]


#: The flows the platform needs; every other pair is denied.
EXPECTED_FLOWS = {
    ("ingress-controller", "ui"), ("ingress-controller", "scoring"),
    ("ingress-controller", "explain"), ("ingress-controller", "monitoring"),
    ("ui", "scoring"), ("ui", "explain"), ("ui", "monitoring"),
    ("monitoring", "scoring"), ("monitoring", "explain"), ("monitoring", "ui"),
    *{(client, store) for client in ("scoring", "explain", "monitoring", *JOBS)
      for store in ("postgres", "mlflow")},
    ("mlflow", "postgres"), ("mlflow-users", "mlflow"),
}


def test_network_policies_allow_exactly_the_intended_flows(rendered) -> None:  # type: ignore[no-untyped-def]
    objects = rendered["dev"]
    policies = find(objects, "NetworkPolicy")
    pods = {w["metadata"]["name"]: Pod(w["spec"]["template"]["metadata"]["labels"])
            for w in workloads(objects)}
    pods["ingress-controller"] = Pod({"app.kubernetes.io/name": "ingress-nginx"}, "ingress-nginx")
    ports = {w["metadata"]["name"]: c["ports"][0]["containerPort"] for w in workloads(objects)
             for c in pod_spec(w)["containers"] if c.get("ports")}
    flows = {(source, destination) for source in pods for destination, port in ports.items()
             if source != destination and allowed(policies, pods[source], pods[destination], port)}
    assert flows == EXPECTED_FLOWS
    dns = Pod({"k8s-app": "kube-dns"}, "kube-system")
    assert all(allowed(policies, pod, dns, 53) for pod in pods.values())


def test_dev_runs_postgres_and_mlflow_as_single_statefulsets(rendered) -> None:  # type: ignore[no-untyped-def]
    objects = rendered["dev"]
    for name in ("postgres", "mlflow"):
        stateful = one(objects, "StatefulSet", name)
        assert stateful["spec"]["replicas"] == 1
        assert stateful["spec"]["volumeClaimTemplates"]
    database_url = one(objects, "ConfigMap", "credit-config")["data"]["DATABASE_URL"]
    assert "@postgres:5432/" in database_url


def test_prod_uses_external_stores_and_more_replicas(rendered) -> None:  # type: ignore[no-untyped-def]
    dev, prod = rendered["dev"], rendered["prod"]
    assert not find(prod, "StatefulSet")
    assert "@postgres:" not in one(prod, "ConfigMap", "credit-config")["data"]["DATABASE_URL"]
    mlflow = one(prod, "Deployment", "mlflow")
    environment = {e["name"]: e.get("value") for e in pod_spec(mlflow)["containers"][0]["env"]}
    assert environment["MLFLOW_ARTIFACTS_DESTINATION"].startswith("s3://")
    for name in ("scoring", "explain"):
        assert (one(prod, "HorizontalPodAutoscaler", name)["spec"]["minReplicas"]
                > one(dev, "HorizontalPodAutoscaler", name)["spec"]["minReplicas"])
    budgets = {b["spec"]["selector"]["matchLabels"]["app"] for b in find(prod, "PodDisruptionBudget")}
    replicated = {d["metadata"]["name"] for d in find(prod, "Deployment")
                  if d["spec"].get("replicas", 2) > 1}
    assert budgets == replicated


@pytest.mark.parametrize("name", OVERLAYS)
def test_jobs_run_existing_cli_commands(rendered, name: str) -> None:  # type: ignore[no-untyped-def]
    jobs = {job["metadata"]["name"]: job for job in find(rendered[name], "Job")}
    assert set(jobs) == set(JOBS) | set(MLFLOW_JOBS)
    for job in (jobs[name] for name in JOBS):
        for container in containers(job):
            calls = credit_calls(shell_script(container))
            assert calls, container["name"]
            for call in calls:
                assert check_cli_call(call) is None, check_cli_call(call)
    batch = shell_script(pod_spec(jobs["batch-score"])["containers"][0])
    assert "score batch" in batch and "--chunk-size" in batch
