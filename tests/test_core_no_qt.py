"""ganlab.core and ganlab.headless must work without Qt: in CI, over ssh, in notebooks."""

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import ganlab.core

QT_PREFIXES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2")
CORE_DIR = Path(ganlab.core.__file__).parent


def _core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages([str(CORE_DIR)], prefix="ganlab.core.")]
    return sorted(names)


def test_core_modules_are_discovered():
    names = _core_modules()
    for expected in ("target", "presets", "config", "trainer", "observer", "theory", "losses", "networks"):
        assert f"ganlab.core.{expected}" in names
    assert len(names) == len(list(CORE_DIR.glob("*.py"))) - 1 + len(
        [d for d in CORE_DIR.iterdir() if (d / "__init__.py").exists()])


def test_importing_core_and_headless_loads_no_qt():
    modules = ["ganlab.core", *_core_modules(), "ganlab.headless", "ganlab.cli"]
    code = f"""
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split('.')[0].startswith({QT_PREFIXES!r}))
print(json.dumps({{"loaded": [m for m in {modules!r} if m in sys.modules], "qt": qt}}))
"""
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["loaded"] == modules
    assert result["qt"] == []


def _imported_names(tree: ast.AST, package: str = "") -> set[str]:
    """Absolute names of every module a source imports (relative imports resolved against package)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, *([node.module] if node.module else [])]))
            elif node.module:
                names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def _imported_roots(tree: ast.AST) -> set[str]:
    return {n.split(".")[0] for n in _imported_names(tree)}


def test_no_qt_import_in_core_sources():
    files = [*sorted(CORE_DIR.rglob("*.py")), CORE_DIR.parent / "headless.py"]
    assert len(files) > 5
    for f in files:
        package = "ganlab" if f.name == "headless.py" else "ganlab.core"
        names = _imported_names(ast.parse(f.read_text(encoding="utf-8"), filename=str(f)), package)
        bad = {n for n in names if n.startswith(QT_PREFIXES)}
        assert not bad, f"{f.name} imports {sorted(bad)}"
        # nor the GUI package, which does
        gui = {n for n in names if n == "ganlab.app" or n.startswith("ganlab.app.")}
        assert not gui, f"{f.name} imports {sorted(gui)}"


def test_static_check_catches_qt_imports():
    # the checker itself must be able to fail
    for src in ("import PySide6.QtCore", "from pyqtgraph import PlotWidget", "import shiboken6 as s",
                "importlib.import_module('PySide6.QtWidgets')"):
        assert any(r.startswith(QT_PREFIXES) for r in _imported_roots(ast.parse(src)))
    assert _imported_names(ast.parse("from .grid import Grid"), "ganlab.core") == {"ganlab.core.grid"}
    assert _imported_names(ast.parse("from ..app.window import W"), "ganlab.core") == {"ganlab.app.window"}
    assert _imported_names(ast.parse("from . import losses"), "ganlab.core") == {"ganlab.core"}
