"""The package's shape (docs/architecture.md): three layers that import one way, no circles, small modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
#: "no module over about 400 lines": the package, the scripts and the benchmarks
MAX_LINES = 400
LAYERS = ("engine", "content", "classroom")


def python_files() -> list[Path]:
    return sorted(p for folder in ("innovation_course", "scripts", "benchmarks", "sources/scripts")
                  for p in (ROOT / folder).rglob("*.py"))


def test_no_module_is_over_400_lines():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in python_files()}
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, f"split these along the ideas they hold: {over}"


def test_every_module_lives_in_a_layer():
    top = sorted(p.name for p in (ROOT / "innovation_course").iterdir()
                 if not p.name.startswith((".", "__pycache__")))
    assert top == ["__init__.py", "classroom", "content", "engine", "names.py"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": ""})


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package and its contracts, in a folder where a wrong import can be written."""
    shutil.copytree(ROOT / "innovation_course", tmp_path / "innovation_course",
                    ignore=shutil.ignore_patterns("__pycache__", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold(copy):
    done = lint_imports(copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


LAYERED = "Three layers: classroom above content above engine"
ACYCLIC = "No import cycles between siblings, at any depth"


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("engine/keys.py", "from ..content import findings", LAYERED),       # the engine reaching up
    ("content/charts.py", "from ..classroom import build", LAYERED),     # the content reaching up
    ("content/findings/policy.py", "from . import plans", ACYCLIC),      # a circle (plans imports policy)
])
def test_a_wrong_import_breaks_a_contract(copy, module, line, broken):
    path = copy / "innovation_course" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(line) + "  # noqa\n", encoding="utf-8")
    done = lint_imports(copy)
    assert done.returncode != 0 and f"{broken} BROKEN" in done.stdout, done.stdout + done.stderr
