"""Packaging: the wheel and sdist, the Linux desktop files, and the PyInstaller spec and scripts.

The wheel test builds an sdist and a wheel from a copy of the source tree, installs the wheel into a fresh
venv (no editable install, no source tree on sys.path; only the heavy dependencies are shared through a .pth
file) and runs `ganlab --version` and a short `ganlab run` from a folder outside the source tree. It takes
about 10-20 s; GANLAB_SKIP_WHEEL_TEST=1 skips it. The bundle itself is built by
packaging/pyinstaller/build.sh and checked by smoke.sh (minutes, not for every run).
"""

from __future__ import annotations

import configparser
import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import ganlab
from ganlab import resources

DESKTOP_ID, ICON_SIZES = resources.DESKTOP_ID, resources.ICON_SIZES

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
PYI = ROOT / "packaging" / "pyinstaller"
DESKTOP = LINUX / f"{DESKTOP_ID}.desktop"
METAINFO = LINUX / f"{DESKTOP_ID}.metainfo.xml"


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    env.update(PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


# ---------------------------------------------------------------- pyproject


def test_pyproject_lists_every_package():
    """packages are listed by hand (resources/ is mapped in); a new subfolder of ganlab/ must be added."""
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(cfg["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "ganlab").rglob("*.py")
             if "__pycache__" not in p.parts}
    missing = sorted(found - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    for name in listed - {"ganlab.resources"}:
        assert (ROOT / Path(*name.split("."))).is_dir(), f"listed package {name} has no folder"
    assert cfg["package-dir"] == {"ganlab.resources": "resources"}
    assert (ROOT / "resources" / "__init__.py").is_file()


# ---------------------------------------------------------------- Linux desktop integration


def _desktop_entry(path: Path = DESKTOP) -> dict:
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str  # keys are case-sensitive
    cp.read(path, encoding="utf-8")
    return dict(cp["Desktop Entry"])


def test_desktop_file_keys():
    e = _desktop_entry()
    assert e["Type"] == "Application"
    assert e["Name"] == "ganlab"
    cats = [c for c in e["Categories"].split(";") if c]
    assert "Education" in cats and "Science" in cats
    assert e["Exec"].split()[0] == "ganlab"
    assert e["Icon"] == DESKTOP_ID == DESKTOP.name.removesuffix(".desktop")
    assert e["Terminal"] == "false"
    # X11 launchers match windows by WM_CLASS; Qt 6 sets it to ("ganlab", "ganlab") from the application name
    # (checked with xprop under Xvfb, for the pip install and the PyInstaller bundle alike)
    assert e["StartupWMClass"] == "ganlab"


def test_metainfo_matches_the_desktop_file_and_version():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == DESKTOP_ID
    assert root.find("launchable[@type='desktop-id']").text == DESKTOP.name
    assert root.findtext("provides/binary") == "ganlab"
    assert root.findtext("metadata_license") == "CC0-1.0"
    versions = [r.get("version") for r in root.iter("release")]
    assert versions and versions[0] == ganlab.__version__, "add a <release> for the new version to the metainfo"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates():
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    errors = [ln for ln in (out.stdout + out.stderr).splitlines() if "error:" in ln or "warning:" in ln]
    assert out.returncode == 0 and not errors, out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates():
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_install_desktop_script_installs_and_uninstalls(tmp_path):
    data = tmp_path / "data home"
    fake = tmp_path / "my apps" / "ganlab"  # a path with a space: Exec= must quote it
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    env = _clean_env(XDG_DATA_HOME=str(data), HOME=str(tmp_path))
    script = LINUX / "install-desktop.sh"
    assert os.access(script, os.X_OK)
    out = subprocess.run([str(script), "--exec", str(fake)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    wanted = [data / "applications" / f"{DESKTOP_ID}.desktop", data / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
              data / "icons/hicolor/scalable/apps" / f"{DESKTOP_ID}.svg"]
    wanted += [data / f"icons/hicolor/{s}x{s}/apps/{DESKTOP_ID}.png" for s in ICON_SIZES]
    for f in wanted:
        assert f.is_file(), f"not installed: {f}"
        assert str(f) in out.stdout  # it says what it did
    installed = _desktop_entry(wanted[0])
    assert installed["Exec"] == f'"{fake}"'
    assert installed["Icon"] == DESKTOP_ID
    assert (data / "icons/hicolor/48x48/apps" / f"{DESKTOP_ID}.png").read_bytes() == \
        (ROOT / "resources/icons/ganlab-48.png").read_bytes()

    out = subprocess.run([str(script), "--uninstall"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not [f for f in wanted if f.exists()]

    bad = subprocess.run([str(script), "--exec", str(tmp_path / "missing")], capture_output=True, text=True,
                         env=env, timeout=60)
    assert bad.returncode != 0 and "not an executable" in bad.stderr


# ---------------------------------------------------------------- PyInstaller spec and scripts


def test_shell_scripts_parse_and_are_executable():
    for script in (LINUX / "install-desktop.sh", PYI / "build.sh", PYI / "smoke.sh"):
        assert os.access(script, os.X_OK), f"chmod +x {script}"
        out = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr


class _Analysis:
    """Stands in for PyInstaller's Analysis: the spec's filter runs on these binaries."""

    BINARIES = [
        "torch/lib/libtorch_cpu.so", "torch/lib/libtorchbind_test.so", "torch/bin/torch_shm_manager",
        "torch/bin/protoc", "torch/test/Dict_test", "torch/include/ATen/ATen.h",
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/QtOpenGL.abi3.so", "libpython3.11.so.1.0",
    ]
    DATAS = ["PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qtdeclarative_de.qm",
             "numpy/_core/tests/data/x.csv"]

    def __init__(self, scripts, **kw):
        self.scripts_in, self.kw = scripts, kw
        self.binaries = [(d, f"/nonexistent/{d}", "BINARY") for d in self.BINARIES]
        # Analysis takes (source, dest folder) pairs and gives back TOC entries (dest file, source, type)
        self.datas = [((Path(dest) / Path(src).name).as_posix(), src, "DATA") for src, dest in kw["datas"]]
        self.datas += [(d, f"/nonexistent/{d}", "DATA") for d in self.DATAS]
        self.datas += [("libpython3.11.so", "libpython3.11.so.1.0", "SYMLINK"),  # target kept
                       ("libqgtk3.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "SYMLINK")]  # target dropped
        self.pure, self.scripts = [], []


def _exec_spec(monkeypatch, **env) -> dict:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    ns = {"SPECPATH": str(PYI), "Analysis": _Analysis, "PYZ": lambda *a, **k: None,
          "EXE": lambda *a, **k: None, "COLLECT": lambda *a, **k: None, "__file__": str(PYI / "ganlab.spec")}
    exec(compile((PYI / "ganlab.spec").read_text(), str(PYI / "ganlab.spec"), "exec"), ns)
    return ns


def test_spec_collects_resources_and_drops_unused_files(monkeypatch):
    ns = _exec_spec(monkeypatch)
    a = ns["a"]
    assert Path(a.scripts_in[0]) == PYI / "ganlab_entry.py"
    dests = {(Path(d) / Path(src).name).as_posix() for src, d in a.kw["datas"]}
    for size in ICON_SIZES:
        assert f"ganlab/resources/icons/ganlab-{size}.png" in dests
    assert {"ganlab/resources/icons/ganlab.svg", "ganlab/resources/lessons/README.md",
            "ganlab/resources/i18n/README.md"} <= dests
    kept = {t[0] for t in a.binaries} | {t[0] for t in a.datas}
    assert "ganlab/resources/icons/ganlab-16.png" in kept
    for keep in ("torch/lib/libtorch_cpu.so", "torch/bin/torch_shm_manager", "PySide6/QtOpenGL.abi3.so",
                 "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/Qt/translations/qtbase_de.qm",
                 "libpython3.11.so.1.0", "libpython3.11.so"):
        assert keep in kept, keep
    for drop in ("torch/lib/libtorchbind_test.so", "torch/bin/protoc", "torch/test/Dict_test",
                 "torch/include/ATen/ATen.h", "PySide6/Qt/plugins/platforms/libqeglfs.so",
                 "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/translations/qtdeclarative_de.qm",
                 "numpy/_core/tests/data/x.csv", "libqgtk3.so"):
        assert drop not in kept, drop


def test_spec_keeps_every_qt_module_the_code_imports(monkeypatch):
    excludes = set(_exec_spec(monkeypatch)["a"].kw["excludes"])
    used = set()
    for p in (ROOT / "ganlab").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        used |= {f"PySide6.{m}" for m in re.findall(r"PySide6\.(Qt\w+)", text)}
        for group in re.findall(r"from PySide6 import \(?([\w\s,]+)\)?", text):
            used |= {f"PySide6.{m.strip()}" for m in group.split(",") if m.strip().startswith("Qt")}
    used |= {"PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg"}  # pyqtgraph imports these
    assert not used & excludes, f"the spec excludes Qt modules that are imported: {sorted(used & excludes)}"
    assert "tkinter" in excludes and "PyQt5" in excludes and "PySide6.QtTest" in excludes


def test_elf_reader_agrees_with_the_loader(monkeypatch):
    """The spec's pure-Python DT_NEEDED reader, on a real library (PySide6's QtCore module)."""
    elf_needed = _exec_spec(monkeypatch)["_elf_needed"]
    spec = importlib.util.find_spec("PySide6.QtCore")
    needed = elf_needed(spec.origin)
    assert any(n.startswith("libQt6Core.so") for n in needed), needed
    assert elf_needed(__file__) == []


def test_entry_script_runs_the_cli_and_the_bundle_check(tmp_path):
    entry = PYI / "ganlab_entry.py"
    out = subprocess.run([sys.executable, str(entry), "--version"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"ganlab {ganlab.__version__}", out.stderr
    out = subprocess.run([sys.executable, str(entry)], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env={**os.environ, "GANLAB_BUNDLE_CHECK": "1", "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0 and "bundle-check: OK" in out.stdout, out.stdout + out.stderr


# ---------------------------------------------------------------- wheel and sdist, installed into a fresh venv


def _source_copy(dest: Path) -> Path:
    """The files a fresh checkout would have (git's tracked and unignored files), or a filtered copy."""
    src = dest / "src"
    listed = None
    if shutil.which("git") and (ROOT / ".git").exists():
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                             capture_output=True, text=True)
        if out.returncode == 0:
            listed = [f for f in out.stdout.split("\0") if f]
    if listed is None:
        ignore = shutil.ignore_patterns(".git", ".venv", "build", "dist", "__pycache__", "*.egg-info", ".*cache")
        shutil.copytree(ROOT, src, ignore=ignore)
        return src
    for rel in listed:
        p = ROOT / rel
        if p.is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, src / rel)
    return src


def _setuptools_ok() -> bool:
    try:
        from importlib.metadata import version

        major, minor = (int(x) for x in version("setuptools").split(".")[:2])
        return (major, minor) >= (70, 1)
    except Exception:
        return False


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(sdist or None, wheel, seconds): built from a copy of the source tree."""
    if os.environ.get("GANLAB_SKIP_WHEEL_TEST") == "1":
        pytest.skip("GANLAB_SKIP_WHEEL_TEST=1")
    tmp = tmp_path_factory.mktemp("pkg")
    src = _source_copy(tmp)
    dist = tmp / "dist"
    t0 = time.perf_counter()
    if importlib.util.find_spec("build") is not None:
        # Offline and fast when this environment has a new enough setuptools; isolated (fetches it) otherwise.
        cmd = [sys.executable, "-m", "build", "--outdir", str(dist), str(src)]
        if _setuptools_ok():
            cmd.insert(3, "--no-isolation")
    else:  # no `build` installed: a wheel through pip (isolated build); the sdist test then skips
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=_clean_env(), timeout=300)
    assert out.returncode == 0, f"{' '.join(cmd)}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    wheels = list(dist.glob("ganlab-*.whl"))
    sdists = list(dist.glob("ganlab-*.tar.gz"))
    assert len(wheels) == 1, list(dist.iterdir())
    return (sdists[0] if sdists else None), wheels[0], time.perf_counter() - t0


def test_wheel_contents(built):
    _, wheel, _ = built
    assert wheel.name == f"ganlab-{ganlab.__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    py = {p.relative_to(ROOT).as_posix() for p in (ROOT / "ganlab").rglob("*.py") if "__pycache__" not in p.parts}
    assert not py - names, f"missing from the wheel: {sorted(py - names)}"
    res = {"ganlab/resources/" + p.relative_to(ROOT / "resources").as_posix()
           for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert not res - names, f"missing from the wheel: {sorted(res - names)}"
    assert not [n for n in names if n.startswith(("tests/", "packaging/", "resources/", "benchmarks/"))]
    entry_points = zipfile.ZipFile(wheel).read(f"ganlab-{ganlab.__version__}.dist-info/entry_points.txt").decode()
    assert "ganlab = ganlab.cli:main" in entry_points


def test_sdist_contents(built):
    sdist, _, _ = built
    if sdist is None:
        pytest.skip("the `build` package is not installed: no sdist was built")
    top = f"ganlab-{ganlab.__version__}/"
    names = {n.removeprefix(top) for n in tarfile.open(sdist).getnames()}
    for want in ("pyproject.toml", "resources/__init__.py", "resources/icons/ganlab.svg",
                 "resources/icons/ganlab-256.png", f"packaging/linux/{DESKTOP_ID}.desktop",
                 f"packaging/linux/{DESKTOP_ID}.metainfo.xml", "packaging/linux/install-desktop.sh",
                 "packaging/pyinstaller/ganlab.spec", "packaging/make_icons.py", "constraints.txt"):
        assert want in names, f"{want} missing from the sdist"


def _shared_site_dirs() -> list[str]:
    """Folders holding the heavy dependencies in this environment (shared with the test venv)."""
    dirs = []
    for mod in ("torch", "numpy", "PySide6", "shiboken6", "pyqtgraph"):
        spec = importlib.util.find_spec(mod)
        assert spec is not None and spec.submodule_search_locations, f"{mod} is not installed"
        d = str(Path(list(spec.submodule_search_locations)[0]).parent)
        if d not in dirs:
            dirs.append(d)
    return dirs


def test_installed_wheel_runs_outside_the_source_tree(built, tmp_path):
    _, wheel, build_s = built
    t0 = time.perf_counter()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies come from this environment through a plain .pth line: its own .pth files (an editable
    # ganlab's import hook among them) are not run, and the venv's site-packages comes first on sys.path.
    (site / "zz_shared_deps.pth").write_text("\n".join(_shared_site_dirs()) + "\n")
    out = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index",
                          "--no-compile", "-q", str(wheel)],
                         capture_output=True, text=True, env=_clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env(QT_QPA_PLATFORM="offscreen")
    ganlab_exe = venv / "bin" / "ganlab"
    assert ganlab_exe.is_file()

    out = subprocess.run([str(ganlab_exe), "--version"], capture_output=True, text=True, cwd=work, env=env,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"ganlab {ganlab.__version__}", out.stdout + out.stderr

    probe = ("import sys, ganlab, ganlab.resources as r, importlib.resources as ir; print(ganlab.__file__); "
             "print(r.icon_path()); print(r.icon_path(48)); print(ir.files('ganlab.resources')); "
             "print(any('editable' in repr(f) for f in sys.meta_path)); "
             "print(repr(r.read_text('lessons/README.md')[:20]))")
    out = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=work, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    init, svg, png, res_root, editable, lesson = out.stdout.splitlines()
    for p in (init, svg, png, res_root):
        assert Path(p).is_relative_to(site), f"{p} is not inside the test venv {site}"
        assert not Path(p).is_relative_to(ROOT)
    assert Path(svg) == site / "ganlab/resources/icons/ganlab.svg" and Path(svg).is_file()
    assert Path(png).name == "ganlab-48.png" and Path(png).is_file()
    assert editable == "False" and len(lesson) > 2

    run_dir = work / "run"
    out = subprocess.run([str(ganlab_exe), "run", "--steps", "60", "--every", "30", "--seed", "3", "--quiet",
                          "--out", str(run_dir)], capture_output=True, text=True, cwd=work, env=env, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    for f in ("metrics.csv", "config.toml", "summary.json"):
        assert (run_dir / f).is_file(), f"ganlab run wrote no {f}"
    rows = list(csv.DictReader((run_dir / "metrics.csv").open()))
    assert [int(r["step"]) for r in rows] == [0, 30, 60]
    assert json.loads((run_dir / "summary.json").read_text())["iterations"] == 60
    total = build_s + time.perf_counter() - t0
    assert total < 120, f"the wheel test took {total:.0f} s; it should stay under a minute"
