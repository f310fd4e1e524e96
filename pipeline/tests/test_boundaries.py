"""The pipeline stands on the core alone: it imports no service and not the launcher.

The services and the launcher may use the pipeline's products (models in the registry, rows in
the database), never the other way round; `credit serve` joins the command line through the
``credit.commands`` entry points, not through an import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from credit_core.topology import SERVICES

SOURCE = Path(__file__).resolve().parents[1] / "src" / "credit_pipeline"
#: Top-level packages the pipeline must never import.
FORBIDDEN = frozenset({*(part.package for part in SERVICES.values() if part.package),
                       "credit_launcher"})


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_the_pipeline_imports_a_service_or_the_launcher() -> None:
    offenders = {str(path.relative_to(SOURCE)): sorted(found)
                 for path in sorted(SOURCE.rglob("*.py"))
                 if (found := _imported_packages(path) & FORBIDDEN)}
    assert offenders == {}


def test_the_command_line_loads_no_service_and_no_launcher_module() -> None:
    """In a fresh interpreter: what importing `credit`'s app really loads."""
    code = "import sys, credit_pipeline.cli; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    loaded = {name.split(".")[0] for name in result.stdout.split()}
    assert "credit_pipeline" in loaded
    assert loaded & FORBIDDEN == set()


def test_without_the_launcher_credit_works_and_has_no_serve() -> None:
    """The training image's case: no package declares `credit.commands`."""
    code = ("import importlib.metadata as metadata, sys\n"
            "found = metadata.entry_points\n"
            "metadata.entry_points = lambda **kw: (() if kw.get('group') == 'credit.commands'\n"
            "                                      else found(**kw))\n"
            "from credit_pipeline import cli\n"
            "sys.argv = ['credit', *sys.argv[1:]]\n"
            "cli.main()\n")

    def credit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=120, check=False)

    listed = credit("--help")
    assert listed.returncode == 0, listed.stderr
    assert " data " in listed.stdout and " serve" not in listed.stdout
    serve = credit("serve", "scoring")
    assert serve.returncode == 2
    assert "No such command 'serve'" in serve.stderr
