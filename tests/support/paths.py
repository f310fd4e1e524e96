"""Import a test helper module by its path under pipeline/tests (those folders are not packages
on sys.path under pytest's importlib mode)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def pipeline_tests(relative: str) -> ModuleType:
    path = ROOT / "pipeline" / "tests" / relative
    spec = importlib.util.spec_from_file_location(f"_helper_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
