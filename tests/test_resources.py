"""ganlab.resources: the data package (resources/ in the source tree) and its loader API."""

from __future__ import annotations

import importlib.resources
import importlib.util
import struct
import sys
import tomllib
import xml.etree.ElementTree as ET
from fnmatch import fnmatch
from pathlib import Path

import pytest

from ganlab import resources

ROOT = Path(__file__).resolve().parent.parent


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_importlib_resources_finds_the_package():
    root = importlib.resources.files("ganlab.resources")
    assert (root / "icons" / "ganlab.svg").is_file()
    assert resources.files() == root
    assert (resources.files() / "i18n").is_dir()
    assert (resources.files() / "lessons").is_dir()


def test_the_package_is_the_top_level_resources_folder():
    """pyproject maps ganlab.resources to resources/; the loader lives in its __init__.py (a ganlab/resources.py
    or ganlab/resources/ folder would shadow it)."""
    assert not (ROOT / "ganlab" / "resources.py").exists()
    assert not (ROOT / "ganlab" / "resources").exists()
    spec = importlib.util.find_spec("ganlab.resources")
    assert spec is not None and spec.submodule_search_locations
    installed_from = Path(list(spec.submodule_search_locations)[0]).resolve()
    if installed_from.parent == ROOT:  # editable install or the source tree
        assert installed_from == ROOT / "resources"
    else:  # an installed wheel
        assert installed_from.parts[-2:] == ("ganlab", "resources")


def test_icon_sizes_are_pngs_of_that_size():
    for size in resources.ICON_SIZES:
        node = resources.icon_path(size)
        assert node.name == f"ganlab-{size}.png"
        assert _png_size(node.read_bytes()) == (size, size)


def test_icon_path_picks_the_smallest_png_at_least_that_big():
    assert resources.icon_path(1).name == "ganlab-16.png"
    assert resources.icon_path(16).name == "ganlab-16.png"
    assert resources.icon_path(17).name == "ganlab-32.png"
    assert resources.icon_path(100).name == "ganlab-128.png"
    assert resources.icon_path(1000).name == "ganlab-256.png"
    assert resources.icon_path().name == "ganlab.svg"
    with pytest.raises(ValueError):
        resources.icon_path(0)


def test_svgs_are_square_svg_documents():
    for name in ("ganlab.svg", "ganlab-small.svg"):
        root = ET.fromstring(resources.read_bytes(f"icons/{name}"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        x, y, w, h = (float(v) for v in root.get("viewBox").split())
        assert (x, y) == (0, 0) and w == h
        text = resources.read_text(f"icons/{name}")
        assert "#0072B2" in text and "#E69F00" in text  # the app's real / generated colours


def test_read_text_and_its_guards():
    assert "lesson" in resources.read_text("lessons/README.md").lower()
    assert resources.read_text("i18n/README.md").strip()
    with pytest.raises(FileNotFoundError):
        resources.read_text("lessons/no-such-lesson.toml")
    with pytest.raises(FileNotFoundError):
        resources.read_text("icons")  # a folder, not a file
    for bad in ("../pyproject.toml", "/etc/passwd", "icons/../../x", ""):
        with pytest.raises(ValueError):
            resources.read_text(bad)


def test_importing_resources_stays_free_of_qt_and_torch():
    import subprocess

    code = ("import sys, ganlab.resources as r; r.icon_path(32); r.read_text('i18n/README.md'); "
            "bad = [m for m in ('PySide6', 'torch', 'numpy', 'pyqtgraph') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT / "tests")
    assert out.returncode == 0, out.stdout + out.stderr


def test_app_icon_has_every_size(qapp):
    icon = resources.app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert set(resources.ICON_SIZES) <= sizes
    assert not icon.pixmap(24, 24).isNull()


def test_every_resource_file_is_packaged():
    """Each file in resources/ (but Python) matches a package-data pattern, or wheels would silently lack it."""
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert cfg["package-dir"]["ganlab.resources"] == "resources"
    assert "ganlab.resources" in cfg["packages"]
    patterns = cfg["package-data"]["ganlab.resources"]
    for want in ("*.svg", "*.png", "*.qm", "*.ts", "*.toml", "*.md"):
        assert f"**/{want}" in patterns
    base = ROOT / "resources"
    missing = []
    for p in base.rglob("*"):
        if p.is_dir() or "__pycache__" in p.parts or p.suffix == ".py":
            continue
        rel = p.relative_to(base).as_posix()
        if not any(fnmatch(rel, pat) or fnmatch(rel, pat.removeprefix("**/")) for pat in patterns):
            missing.append(rel)
    assert not missing, f"not matched by [tool.setuptools.package-data]: {missing}"


def test_pngs_match_their_svgs(qapp):
    """The committed PNGs are what packaging/make_icons.py renders from the SVGs (regenerate if not)."""
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    assert make_icons.SIZES == resources.ICON_SIZES
    assert make_icons.check() == [], "run: python packaging/make_icons.py"
