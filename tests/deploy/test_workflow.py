"""The GitHub Actions workflow: valid, runs what .ci/run runs, and the container tests."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.deploy.code_facts import ROOT

WORKFLOW = ROOT / ".github/workflows/ci.yml"


def test_valid_against_the_workflow_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_ci_run_against_postgres_and_the_container_tests() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    test_steps = [step.get("run", "") for step in jobs["test"]["steps"]]
    assert "bash .ci/run" in test_steps
    assert jobs["test"]["services"]["postgres"]["ports"] == ["5432:5432"]
    container_steps = [step.get("run", "") for step in jobs["containers"]["steps"]]
    assert "make test-containers" in container_steps
