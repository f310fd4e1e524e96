"""The built images: non-root, nothing secret or local in any layer, only their own packages.

Each final image is the base plus its own stages' layers (build stages never reach it), so the
final file system and the history of its instructions cover every layer it carries.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.containers.stack import Stack

pytestmark = pytest.mark.containers

PYTHON_IMAGES = ("scoring", "explain", "monitoring", "ui", "pipeline")
#: Files that must never be in an image: local configuration, secrets, state.
FORBIDDEN = ("-name .env -o -name '*.env' -o -name 'secrets.env*' -o -name pgpass "
             "-o -name '*_api_key' -o -name admin_password -o -path '*/var/secrets' "
             "-o -path /app/var -o -name mlruns")
#: Import names of the training stack, which only the pipeline image may carry.
TRAINING_ONLY = ("credit_pipeline", "optuna", "xgboost")


def _in_image(image: str, script: str) -> str:
    # As root, so that no directory is unreadable to the search.
    result = subprocess.run(["docker", "run", "--rm", "--network", "none", "--user", "0",
                             "--entrypoint", "/bin/sh", f"credit-platform/{image}:dev", "-c",
                             script],
                            capture_output=True, text=True, timeout=300, check=True)
    return result.stdout


@pytest.mark.parametrize("image", [*PYTHON_IMAGES, "mlflow"])
def test_no_secret_or_local_state_in_the_image(stack: Stack, image: str) -> None:
    assert _in_image(image, f"find / -xdev \\( {FORBIDDEN} \\) -print 2>/dev/null || true") == ""
    history = subprocess.run(["docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}",
                              f"credit-platform/{image}:dev"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    for word in ("BUILD_CA_CERTS", "BEGIN CERTIFICATE", "PASSWORD"):
        assert word not in history, word
    user = subprocess.run(["docker", "image", "inspect", "-f", "{{.Config.User}}",
                           f"credit-platform/{image}:dev"], capture_output=True, text=True,
                          timeout=60, check=True).stdout.strip()
    assert user == "10001:10001"


@pytest.mark.parametrize("image", PYTHON_IMAGES)
def test_only_the_packages_the_image_needs(stack: Stack, image: str) -> None:
    site = "/app/.venv/lib/python3.11/site-packages"
    found = set(_in_image(image, f"ls {site}").split())
    carried = {name for name in TRAINING_ONLY if name in found}
    assert carried == (set(TRAINING_ONLY) if image == "pipeline" else set())
    assert sorted(_in_image(image, "ls -A /app").split()) == (
        [".venv", "db"] if image == "pipeline" else [".venv"])
    if image == "ui":
        # The dashboard talks to the services over HTTP: no model runtime, no tracking client.
        assert not {"lightgbm", "mlflow", "shap", "sklearn"} & found
