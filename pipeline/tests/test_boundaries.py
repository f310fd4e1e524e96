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
