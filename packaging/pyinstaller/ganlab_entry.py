"""Entry point of the PyInstaller bundle: the same `ganlab` command as the pip-installed one.

GANLAB_BUNDLE_CHECK=1 makes the bundle print where its resources are and load the icon (offscreen),
then exit: smoke.sh uses it to prove that importlib.resources works inside the frozen app.
"""

import multiprocessing
import os
import sys


def _bundle_check() -> int:
    from importlib import resources as ir

    from ganlab import resources

    root = ir.files("ganlab.resources")
    svg = resources.icon_path()
    print(f"bundle-check: frozen={getattr(sys, 'frozen', False)} resources={root}")
    print(f"bundle-check: icon {svg} exists={svg.is_file()}; lessons/README.md "
          f"{len(resources.read_text('lessons/README.md'))} chars")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["ganlab"])  # noqa: F841 (QIcon needs it)
    icon = resources.app_icon()
    sizes = sorted(s.width() for s in icon.availableSizes())
    print(f"bundle-check: app_icon null={icon.isNull()} sizes={sizes}")
    ok = svg.is_file() and not icon.isNull() and 16 in sizes and 256 in sizes
    print("bundle-check: OK" if ok else "bundle-check: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if os.environ.get("GANLAB_BUNDLE_CHECK") == "1":
        sys.exit(_bundle_check())
    from ganlab.cli import main

    sys.exit(main())
