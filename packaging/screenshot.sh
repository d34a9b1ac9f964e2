#!/bin/sh
# A real screenshot of ganlab training on ring8, for README (docs/screenshot.png).
#
# Needs: Xvfb and ImageMagick's `import`, plus the Qt system libraries of README's quick start
#   sudo apt-get install -y xvfb imagemagick
# and the project installed in .venv (or set PYTHON=/path/to/python).
#
# Usage: packaging/screenshot.sh [SECONDS] [WxH] [OUT.png] [extra options of benchmarks/screenshot.py]
#   packaging/screenshot.sh                        # 12 s of training, 1500x950, docs/screenshot.png
#   packaging/screenshot.sh 12 1280x720 /tmp/projector.png --presenter
# Writes OUT (the X screen, `import -window root`) and OUT-grab.png (QWidget.grab of the window).
# The virtual screen is exactly WxH and has no window manager, so the window fills it with no frame.
set -eu

cd "$(dirname "$0")/.."
SECONDS_TRAIN="${1:-12}"
SIZE="${2:-1500x950}"
OUT="${3:-docs/screenshot.png}"
[ $# -gt 3 ] && shift 3 || shift $#
PYTHON="${PYTHON:-.venv/bin/python}"

for tool in Xvfb import; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "screenshot.sh: '$tool' not found; install it with: sudo apt-get install -y xvfb imagemagick" >&2
        exit 3
    fi
done
if ! [ -x "$PYTHON" ] && ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "screenshot.sh: no Python at $PYTHON (create .venv as in README, or set PYTHON=...)" >&2
    exit 3
fi

# a free display number
N=99
while [ -e "/tmp/.X$N-lock" ] || [ -e "/tmp/.X11-unix/X$N" ]; do N=$((N + 1)); done
Xvfb ":$N" -screen 0 "${SIZE}x24" -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
trap 'kill "$XVFB_PID" 2>/dev/null || true' EXIT INT TERM
i=0
while ! [ -e "/tmp/.X11-unix/X$N" ]; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then echo "screenshot.sh: Xvfb did not start" >&2; exit 3; fi
    sleep 0.1
done

DISPLAY=":$N" QT_QPA_PLATFORM=xcb "$PYTHON" benchmarks/screenshot.py \
    --seconds "$SECONDS_TRAIN" --size "$SIZE" --out "$OUT" "$@"
