"""No secret in the repository: detect-secrets, with its default plugins and filters, over every
file git tracks finds nothing but the reviewed false positives below; and .gitignore keeps the
local secrets (.env, var/, the overlays' secrets.env) out of git.

A new finding fails the test. If it is a false positive, add it to ALLOWED with the reason (or
put ``# pragma: allowlist secret`` on the line, detect-secrets' own reviewed marker); if it is
a secret, remove it from the history too and rotate it.
"""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings

ROOT = Path(__file__).resolve().parents[2]

#: Reviewed false positives, by (file, detect-secrets finding type, flagged value): the reason.
#: All three must match, so the same value elsewhere, or another finding in the same file,
#: still fails. Keep this list short: prefer fixing the line.
ALLOWED: dict[tuple[str, str, str], str] = {
    (".env.example", "Basic Auth Credentials", "password"):
        "the placeholder password of the documented PostgreSQL URL shape (user, password, host)",
    ("k8s/overlays/prod/patches/ingress.yaml", "Secret Keyword", "credit-tls"):
        "the name of the TLS Secret object the ingress uses, not its content",
    ("services/ui/src/ui_service/i18n/en.py", "Secret Keyword", "Password"):
        "the label of the sign-in form's field",
    ("services/ui/src/ui_service/i18n/fr.py", "Secret Keyword", "Mot de passe"):
        "the label of the sign-in form's field, in French",
    ("tests/deploy/code_facts.py", "Secret Keyword", "ck_00000000_"):
        "the all-zero placeholder key the deployment checks build the dashboard's app with",
    ("tests/deploy/test_dockerfiles.py", "Base64 High Entropy String",
     "MLFLOW_ARTIFACTS_DESTINATION" + "=/mlartifacts"):
        "the variable assignment the test looks for in the MLflow image",
}

# Test fixtures: the tests sign in with made-up passphrases ("correct horse", "guess") and name
# their throwaway API keys ("test-integrator") against throwaway databases. Rule: a keyword
# finding (password=, api_key_name=, ...) in a Python file under a tests/ folder is excused when
# its value is plain lowercase words, as a person types a made-up passphrase; a generated token
# (digits, capitals, symbols, or any high-entropy finding) is never excused, tests or not.
_PLAIN_WORDS = re.compile(r"^[a-z]+(?:[ -][a-z]+)*$")


@dataclass(frozen=True)
class Finding:
    path: str
    type: str
    value: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.type} {self.value[:12]!r}..."


def is_test_fixture(finding: Finding) -> bool:
    parts = Path(finding.path).parts
    return ("tests" in parts[:-1] and finding.path.endswith(".py")
            and finding.type == "Secret Keyword" and bool(_PLAIN_WORDS.match(finding.value)))


def scan(root: Path, paths: Iterable[str]) -> list[Finding]:
    """detect-secrets' default plugins and filters over ``paths`` (relative to ``root``)."""
    collection = SecretsCollection(root=str(root))
    with default_settings() as settings:
        # Never send a candidate secret to its issuer to check whether it is live.
        settings.disable_filters("detect_secrets.filters.common."
                                 "is_ignored_due_to_verification_policies")
        for path in paths:
            if (root / path).is_file():
                collection.scan_file(path)
    return sorted((Finding(path, secret.type, str(secret.secret_value), secret.line_number or 0)
                   for path, secret in collection), key=lambda f: (f.path, f.line))


def _git(*args: str) -> list[str]:
    try:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                timeout=60, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"not a git work tree with git available: {error}")
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def tracked() -> list[str]:
    return _git("ls-files")


def test_no_secret_in_the_tracked_files(tracked: list[str]) -> None:
    findings = scan(ROOT, tracked)  # one scan, one test: ~15 s of CPU, not to be paid twice
    unexpected = [f for f in findings
                  if (f.path, f.type, f.value) not in ALLOWED and not is_test_fixture(f)]
    assert not unexpected, "possible secrets:\n" + "\n".join(map(str, unexpected))
    found = {(f.path, f.type, f.value) for f in findings}
    stale = [key for key in ALLOWED if key not in found]
    assert not stale, f"remove these entries from ALLOWED, the lines changed: {stale}"


def test_the_scanner_finds_planted_secrets_and_the_fixture_rule_stays_narrow(
        tmp_path: Path) -> None:
    # The values are made at run time, so that this file holds no secret-shaped line.
    aws_key = "AKIA" + "".join(secrets.choice(string.ascii_uppercase + "234567") for _ in range(16))
    token = f"ck_{secrets.token_hex(4)}_{secrets.token_urlsafe(30)}"
    (tmp_path / "tests").mkdir()
    (tmp_path / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{aws_key}"\n')
    (tmp_path / "tests" / "test_login.py").write_text(
        f'password = "{token}"\nsecret = "correct horse"\n')

    planted = scan(tmp_path, ["settings.py", "tests/test_login.py"])

    assert {(f.path, f.type) for f in planted} >= {
        ("settings.py", "AWS Access Key"), ("tests/test_login.py", "Secret Keyword")}
    excused = {f.value for f in planted if is_test_fixture(f)}
    assert excused == {"correct horse"}


MUST_BE_IGNORED = (".env", "services/scoring/.env", "var/secrets/integrator_api_key",
                   "var/secrets/admin_password", "var/credit.db", "var/mlflow/mlflow.db",
                   "k8s/overlays/dev/secrets.env", "k8s/overlays/prod/secrets.env")
MUST_BE_TRACKABLE = (".env.example", "k8s/overlays/dev/secrets.env.example",
                     "k8s/overlays/prod/secrets.env.example")


def test_gitignore_keeps_local_secrets_out_of_git() -> None:
    # --no-index: the patterns decide, whether or not a file of that name exists or is tracked.
    paths = (*MUST_BE_IGNORED, *MUST_BE_TRACKABLE)
    ignored = set(_git_check_ignore(paths))
    assert ignored >= set(MUST_BE_IGNORED), set(MUST_BE_IGNORED) - ignored
    assert not ignored & set(MUST_BE_TRACKABLE)


def _git_check_ignore(paths: Iterable[str]) -> list[str]:
    # Exit status 1 means "none of them is ignored": not an error here.
    result = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    if result.returncode not in (0, 1):
        if os.environ.get("CI"):
            pytest.fail(result.stderr)
        pytest.skip(f"git check-ignore failed: {result.stderr}")
    return result.stdout.splitlines()


def test_no_local_secret_file_is_tracked(tracked: list[str]) -> None:
    secret_shaped = [path for path in tracked
                     if Path(path).name in (".env", "secrets.env") or path.startswith("var/")
                     or Path(path).suffix in (".pem", ".key", ".p12", ".pfx")]
    assert not secret_shaped
