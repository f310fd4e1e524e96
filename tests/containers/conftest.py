"""The container tests run only when asked for: they build images and start the whole stack.

Asked for: `make test-containers` (CREDIT_TEST_CONTAINERS=1), or `-m containers`. Otherwise
they are skipped with that reason, so `make test` never builds an image. When asked for, a
stack that cannot be brought up is a failure; only a machine without Docker skips them, and
not in CI (CI=true), where that is a failure too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.containers.stack import Stack, StackError, bring_up, tear_down

ENABLE = "CREDIT_TEST_CONTAINERS"


def _asked_for(config: pytest.Config) -> bool:
    markers = str(config.getoption("markexpr", "") or "")
    return os.environ.get(ENABLE) == "1" or ("containers" in markers
                                             and "not containers" not in markers)


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The compose stack, up and healthy with a small data set; `down -v` afterwards."""
    if not _asked_for(request.config):
        pytest.skip("container tests build the images and run the stack: `make test-containers` "
                    f"(or {ENABLE}=1, or -m containers)")
    if shutil.which("docker") is None:
        message = "docker is not installed (Debian: apt-get install docker.io docker-compose)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        running = bring_up()
    except StackError as error:
        pytest.fail(f"the stack did not come up: {error}")
    try:
        yield running
    finally:
        if os.environ.get("CONTAINERS_KEEP") != "1":
            tear_down()
