"""The Qt boundary is the package boundary: the core never loads Qt."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import graph_data
from tests.conftest import REPO


def core_modules() -> list[str]:
    """Every module of the core package."""
    return sorted(m.name for m in pkgutil.walk_packages(graph_data.__path__, prefix="graph_data."))


def test_importing_every_core_module_loads_no_qt():
    modules = core_modules()
    assert "graph_data.extract" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = ('PySide6', 'shiboken6', 'app')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in qt)\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"core modules pulled in: {done.stdout}"


def _core_imports(module: str, seen: set[str]) -> set[str]:
    """``module`` and every core module it imports, directly or through others."""
    if module in seen:
        return seen
    seen.add(module)
    path = REPO / "graph_data" / f"{module}.py"
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graph_data"):
            names = [node.module[len("graph_data.") :]] if "." in node.module else []
            names = names or [a.name for a in node.names]
            for name in names:
                if (REPO / "graph_data" / f"{name}.py").is_file():
                    _core_imports(name, seen)
    return seen


def test_the_build_cache_is_keyed_on_every_module_a_finding_comes_from():
    from graph_data.build import READING_SOURCES

    reading: set[str] = set()
    for module in ("reader", "linker", "extract"):
        _core_imports(module, reading)
    assert {f"{m}.py" for m in reading} <= set(READING_SOURCES)


def test_import_linter_contract_holds():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    done = subprocess.run([exe], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_core_type_checks(tmp_path):
    from mypy import api

    out, err, status = api.run(
        ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(tmp_path / "mypy")]
    )
    assert status == 0, out + err


def test_only_the_search_module_imports_whoosh():
    offenders = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "graph_data").rglob("*.py")
        if (p.name != "search.py" and "import whoosh" in p.read_text("utf-8"))
        or (p.name != "search.py" and "from whoosh" in p.read_text("utf-8"))
    ]
    assert offenders == []


def test_self_test_command_passes():
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: PASS" in done.stdout


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_ruff_finds_nothing(command):
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("ruff is not installed (pip install '.[test]')")
    done = subprocess.run([exe, *command], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def app_modules() -> list[str]:
    """Every module of the desktop app package."""
    import app

    modules = pkgutil.walk_packages(app.__path__, prefix="app.")
    # Importing app.__main__ would run the app.
    return sorted(m.name for m in modules if m.name != "app.__main__")


@pytest.mark.parametrize("name", core_modules() + app_modules())
def test_the_docstring_examples_run(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
