"""ganlab's run-time data (icons, translations, lessons) and the small API that loads it.

This folder is the package `ganlab.resources` (pyproject maps it with setuptools' package-dir), so the
same calls work from a wheel, an editable install and a PyInstaller bundle:

    from ganlab import resources
    resources.icon_path()          # the scalable icon (SVG)
    resources.icon_path(48)        # the 48 px PNG (the smallest PNG at least that big)
    resources.app_icon()           # a QIcon with every size, for QApplication.setWindowIcon
    resources.read_text("lessons/README.md")
    resources.files() / "i18n"     # a Traversable (a pathlib.Path unless installed zipped)

Keep this module free of Qt and torch imports at the top: `import ganlab.resources` must stay cheap.
"""

from __future__ import annotations

from importlib import resources as _ir
from importlib.resources.abc import Traversable

__all__ = ["DESKTOP_ID", "ICON_SIZES", "app_icon", "files", "icon_path", "read_bytes", "read_text"]

DESKTOP_ID = "io.github.ganlab.Ganlab"
"""Reverse-DNS id: the .desktop file's base name, the AppStream component id and the icon name.
The app passes it to QGuiApplication.setDesktopFileName so its windows group with the launcher."""

ICON_SIZES = (16, 32, 48, 64, 128, 256)
"""PNG sizes in icons/ (ganlab-<size>.png), rendered from the SVGs by packaging/make_icons.py."""


def files() -> Traversable:
    """The root of the resources (a pathlib.Path in every install mode that unpacks files)."""
    return _ir.files(__name__)


def _resolve(relpath: str) -> Traversable:
    if not relpath or relpath.startswith(("/", "\\")) or ".." in relpath.replace("\\", "/").split("/"):
        raise ValueError(f"resource path must be relative and stay inside the package: {relpath!r}")
    node = files()
    for part in relpath.replace("\\", "/").split("/"):
        if part:
            node = node / part
    if not node.is_file():
        raise FileNotFoundError(f"no resource {relpath!r} in {files()}")
    return node


def read_text(relpath: str, encoding: str = "utf-8") -> str:
    """The text of a resource file, e.g. read_text("lessons/README.md")."""
    return _resolve(relpath).read_text(encoding=encoding)


def read_bytes(relpath: str) -> bytes:
    return _resolve(relpath).read_bytes()


def icon_path(size: int | None = None) -> Traversable:
    """The application icon: the SVG when size is None, else the smallest PNG of at least `size` px
    (the largest PNG for sizes above 256)."""
    if size is None:
        return _resolve("icons/ganlab.svg")
    size = int(size)
    if size <= 0:
        raise ValueError(f"icon size must be positive, got {size}")
    best = next((s for s in ICON_SIZES if s >= size), ICON_SIZES[-1])
    return _resolve(f"icons/ganlab-{best}.png")


def app_icon():
    """A QIcon holding every PNG size and, where the files are on disk, the SVG (sharp at any scale).

    Needs a QGuiApplication (QApplication) to exist, like every QIcon."""
    from pathlib import Path

    from PySide6.QtGui import QIcon, QPixmap

    icon = QIcon()
    for size in ICON_SIZES:
        node = icon_path(size)
        if isinstance(node, Path):
            icon.addFile(str(node))
        else:  # zipped install: no file name to give Qt
            pm = QPixmap()
            pm.loadFromData(node.read_bytes(), "PNG")
            icon.addPixmap(pm)
    svg = icon_path()
    if isinstance(svg, Path):
        icon.addFile(str(svg))
    return icon
