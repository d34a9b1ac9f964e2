#!/usr/bin/env bash
# Build the one-folder bundle dist/ganlab/ (run from anywhere; about 90 s and 0.9 GB once the venv exists).
#
#   packaging/pyinstaller/build.sh                 # clean build venv in build/pyinstaller/venv, CPU torch
#   packaging/pyinstaller/build.sh --current       # use the python on PATH (or $PYTHON) as it is
#   GANLAB_TORCH_INDEX=<PyTorch CUDA wheel index URL> packaging/pyinstaller/build.sh --fresh   # CUDA torch
#
# The build venv holds exactly one Qt binding (PySide6-Essentials), the versions of constraints.txt,
# PyInstaller pinned below, and ganlab installed from a freshly built wheel (not editable), so the bundle
# contains what users get from pip. Then smoke-test it: packaging/pyinstaller/smoke.sh
#
# Options: --current (no build venv), --fresh (recreate the build venv), -h/--help.
# Environment: PYTHON (interpreter to make the venv with, default python3), GANLAB_TORCH_INDEX (install
# torch from this index first, e.g. a CUDA build; the bundle then needs an NVIDIA driver and grows by
# several GB), GANLAB_DIST (output folder, default <repo>/dist).
set -euo pipefail

PYINSTALLER_VERSION=6.22.3
HOOKS_CONTRIB_VERSION=2026.9

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/build/pyinstaller"
VENV="$WORK/venv"
DIST="${GANLAB_DIST:-$ROOT/dist}"
PYTHON="${PYTHON:-python3}"
MODE=venv

die() { echo "build.sh: $*" >&2; exit 1; }
for arg in "$@"; do
  case "$arg" in
    --current) MODE=current ;;
    --fresh) rm -rf "$VENV" ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg' (try --help)" ;;
  esac
done

t0=$(date +%s%N)
mkdir -p "$WORK"
if [ "$MODE" = venv ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating build venv $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  PY="$VENV/bin/python"
  if [ -n "${GANLAB_TORCH_INDEX:-}" ]; then
    echo "== torch from $GANLAB_TORCH_INDEX"
    "$PY" -m pip install -q -c "$ROOT/constraints.txt" torch --index-url "$GANLAB_TORCH_INDEX"
  fi
  echo "== dependencies (constraints.txt) and PyInstaller $PYINSTALLER_VERSION"
  "$PY" -m pip install -q -c "$ROOT/constraints.txt" torch numpy PySide6-Essentials pyqtgraph \
    "pyinstaller==$PYINSTALLER_VERSION" "pyinstaller-hooks-contrib==$HOOKS_CONTRIB_VERSION"
  echo "== ganlab from a wheel built from $ROOT"
  rm -rf "$WORK/wheel"
  "$PY" -m pip wheel -q --no-deps -w "$WORK/wheel" "$ROOT"
  "$PY" -m pip install -q --no-deps --force-reinstall "$WORK"/wheel/ganlab-*.whl
else
  PY="$(command -v "$PYTHON")"
  "$PY" -c "import PyInstaller" 2>/dev/null || die "$PY has no PyInstaller: pip install pyinstaller==$PYINSTALLER_VERSION"
fi

# Run Python outside the source tree: with the repo as the working directory, `ganlab` would be imported
# from the source folder (which lacks ganlab/resources) instead of the installed wheel.
cd "$WORK"
# Another Qt binding in the environment gets collected too (and can break the bundle).
"$PY" - <<'EOF' || die "more than one Qt binding installed; use the default build venv"
import importlib.util, sys
found = [m for m in ("PyQt5", "PyQt6", "PySide2", "PySide6") if importlib.util.find_spec(m)]
print("== Qt bindings:", ", ".join(found) or "none")
sys.exit(0 if found == ["PySide6"] else 1)
EOF
"$PY" -c "import ganlab, torch; print('== ganlab', ganlab.__version__, 'from', ganlab.__file__); print('== torch', torch.__version__, 'cuda', torch.version.cuda)"
# An editable install maps ganlab.resources onto resources/ with an import hook that the bundle would not have.
"$PY" - "$ROOT" <<'EOF' || die "ganlab is imported from the source tree (editable install); install a wheel into this environment or use the default build venv"
import sys
from pathlib import Path
import ganlab
sys.exit(1 if Path(ganlab.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve() / "ganlab") else 0)
EOF
t1=$(date +%s%N)

echo "== pyinstaller"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK/work" "$HERE/ganlab.spec"
t2=$(date +%s%N)

BUNDLE="$DIST/ganlab"
[ -x "$BUNDLE/ganlab" ] || die "no executable at $BUNDLE/ganlab"
size_mb=$(du -sm "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)
echo "== environment $(( (t1 - t0) / 1000000000 )) s, pyinstaller $(( (t2 - t1) / 1000000000 )) s;" \
  "bundle $BUNDLE: $size_mb MB in $files files"
echo "== largest parts:"
(du -sm "$BUNDLE"/_internal/* 2>/dev/null || true) | sort -rn | sed -n "1,6s/^/   /p"
echo "== next: packaging/pyinstaller/smoke.sh $BUNDLE"
