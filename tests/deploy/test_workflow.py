"""The GitHub Actions workflow: valid, runs what .ci/run runs, builds every image."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.deploy.code_facts import ROOT
from tests.deploy.files import DOCKERFILES

WORKFLOW = ROOT / ".github/workflows/ci.yml"


def test_valid_against_the_workflow_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_ci_run_against_postgres_and_builds_every_image() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    test_steps = [step.get("run", "") for step in jobs["test"]["steps"]]
    assert "bash .ci/run" in test_steps
    assert jobs["test"]["services"]["postgres"]["ports"] == ["5432:5432"]
    matrix = jobs["images"]["strategy"]["matrix"]["include"]
    assert {entry["image"]: entry["dockerfile"] for entry in matrix} == DOCKERFILES
    build = next(step for step in jobs["images"]["steps"]
                 if step.get("uses", "").startswith("docker/build-push-action"))
    assert build["with"]["push"] is False and build["with"]["context"] == "."
