"""Render the application icon's PNG sizes from the SVG sources in resources/icons/.

    python packaging/make_icons.py            # writes resources/icons/ganlab-{16,...,256}.png
    python packaging/make_icons.py --check    # exit 1 if a PNG is missing or differs from a fresh render
    python packaging/make_icons.py --preview sheet.png   # all sizes side by side, magnified, to look at

16 and 32 px come from ganlab-small.svg (fewer, bigger points, so they stay legible); the larger sizes
from ganlab.svg. Rendering uses Qt's own SVG renderer offscreen, so it needs only PySide6-Essentials.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
SMALL_MAX = 32  # sizes up to this use the small-size drawing


def source_for(size: int, icons: Path = ICONS) -> Path:
    return icons / ("ganlab-small.svg" if size <= SMALL_MAX else "ganlab.svg")


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["make_icons"])


def render(svg: Path, size: int):
    """The SVG drawn into a transparent size x size ARGB image."""
    _app()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot parse {svg}")
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    renderer.render(p)
    p.end()
    return img.convertToFormat(QImage.Format.Format_ARGB32)


def write_all(icons: Path = ICONS) -> list[Path]:
    out = []
    for size in SIZES:
        path = icons / f"ganlab-{size}.png"
        if not render(source_for(size, icons), size).save(str(path), "PNG"):
            raise SystemExit(f"make_icons: cannot write {path}")
        out.append(path)
    return out


def _rgba(img):
    import numpy as np
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, count=img.sizeInBytes())
    return buf.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].astype(np.int16)


def check(icons: Path = ICONS, tolerance: int = 12) -> list[str]:
    """Names of PNGs that are missing, of the wrong size, or differ from a fresh render by more than
    `tolerance` levels in some channel (other Qt versions antialias slightly differently)."""
    from PySide6.QtGui import QImage

    bad = []
    for size in SIZES:
        path = icons / f"ganlab-{size}.png"
        fresh = render(source_for(size, icons), size)
        have = QImage(str(path))
        if have.isNull() or have.width() != size or have.height() != size:
            bad.append(path.name)
        elif abs(_rgba(have) - _rgba(fresh)).max() > tolerance:
            bad.append(path.name)
    return bad


def preview(dest: Path, icons: Path = ICONS, zoom: int = 4) -> None:
    """Every size drawn at 1x and magnified (nearest neighbour) on a light and a dark strip."""
    _app()
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    imgs = [render(source_for(s, icons), s) for s in SIZES]
    w = sum(s * zoom for s in SIZES[:4]) + 20 * 5
    h = 2 * (SIZES[3] * (zoom + 1) + 40)
    sheet = QImage(w, h, QImage.Format.Format_ARGB32)
    sheet.fill(QColor("#FFFFFF"))
    p = QPainter(sheet)
    p.fillRect(QRect(0, h // 2, w, h // 2), QColor("#2B2B2B"))
    for row in range(2):
        x = 10
        for s, img in zip(SIZES[:4], imgs[:4], strict=True):
            y = row * h // 2 + 10
            p.drawImage(x, y, img)
            p.drawImage(QRect(x, y + s + 10, s * zoom, s * zoom),
                        img.scaled(s * zoom, s * zoom, Qt.AspectRatioMode.IgnoreAspectRatio,
                                   Qt.TransformationMode.FastTransformation))
            x += s * zoom + 20
    p.end()
    sheet.save(str(dest))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare the PNGs with a fresh render")
    ap.add_argument("--preview", metavar="PNG", help="also write a magnified preview sheet")
    args = ap.parse_args(argv)
    if args.check:
        bad = check()
        if bad:
            print("make_icons: out of date: " + ", ".join(bad) + " (run python packaging/make_icons.py)",
                  file=sys.stderr)
            return 1
        print("make_icons: all PNGs match the SVGs")
        return 0
    for path in write_all():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    if args.preview:
        preview(Path(args.preview))
        print(f"wrote preview {args.preview}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
