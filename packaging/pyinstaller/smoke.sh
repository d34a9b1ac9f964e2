#!/usr/bin/env bash
# Smoke-test the PyInstaller bundle headless; exits non-zero, loudly, if any check fails.
#
#   packaging/pyinstaller/smoke.sh [BUNDLE_DIR]       # default: <repo>/dist/ganlab
#   packaging/pyinstaller/smoke.sh --no-window         # skip the window check
#
# Checks, each timed: `ganlab --version`; the bundled resources (importlib.resources and the icon, via
# GANLAB_BUNDLE_CHECK=1); a short `ganlab run` that must write metrics.csv, config.toml and summary.json;
# and the window, offscreen: `QT_QPA_PLATFORM=offscreen ganlab --smoke-test 3` opens the main window,
# trains for about 3 s and exits 0 only if frames were drawn. Runs from a temporary folder, outside the
# source tree, with PYTHONPATH and PYTHONHOME unset.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUNDLE="$HERE/../../dist/ganlab"
WINDOW=1
for arg in "$@"; do
  case "$arg" in
    --no-window) WINDOW=0 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "smoke.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) BUNDLE="$arg" ;;
  esac
done
EXE="$(cd "$BUNDLE" 2>/dev/null && pwd)/ganlab"
if [ ! -x "$EXE" ]; then
  echo "smoke.sh: FAILED: no executable at $BUNDLE/ganlab (run packaging/pyinstaller/build.sh first)" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
unset PYTHONPATH PYTHONHOME
failures=()
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

check() {  # check NAME TIMEOUT_S CMD...: run, time, keep the output in $TMP/NAME.log
  local name="$1" limit="$2"; shift 2
  local t0 t1 rc
  t0=$(now)
  timeout "$limit" "$@" >"$TMP/$name.log" 2>&1
  rc=$?
  t1=$(now)
  LAST_MS=$(ms "$t0" "$t1")
  if [ "$rc" -eq 0 ]; then
    echo "ok    $name ($LAST_MS ms)"
  else
    [ "$rc" -eq 124 ] && echo "smoke.sh: $name timed out after ${limit}s" >>"$TMP/$name.log"
    echo "FAIL  $name (exit $rc, $LAST_MS ms); its output:"
    sed 's/^/      | /' "$TMP/$name.log" | tail -25
    failures+=("$name")
  fi
  return "$rc"
}

echo "== bundle $BUNDLE ($(du -sm "$BUNDLE" | cut -f1) MB)"
dangling="$(find "$BUNDLE" -xtype l)"
if [ -n "$dangling" ]; then
  echo "FAIL  dangling symlinks in the bundle:"; echo "$dangling" | sed 's/^/      | /'; failures+=("symlinks")
fi

if check version 60 "$EXE" --version; then
  out="$(cat "$TMP/version.log")"
  case "$out" in
    "ganlab "[0-9]*) echo "      $out" ;;
    *) echo "FAIL  version printed '$out'"; failures+=("version-text") ;;
  esac
  check version-warm 60 "$EXE" --version >/dev/null && echo "      --version, second start: $LAST_MS ms"
fi

if check resources 60 env GANLAB_BUNDLE_CHECK=1 QT_QPA_PLATFORM=offscreen "$EXE"; then
  sed 's/^/      /' "$TMP/resources.log"
fi

if check run 180 "$EXE" run --steps 200 --every 50 --seed 1 --quiet --out "$TMP/run"; then
  for f in metrics.csv config.toml summary.json; do
    [ -s "$TMP/run/$f" ] || { echo "FAIL  run wrote no $f"; failures+=("run-$f"); }
  done
  rows=$(($(wc -l <"$TMP/run/metrics.csv") - 1))
  [ "$rows" -ge 4 ] || { echo "FAIL  metrics.csv has $rows rows, expected 5 (steps 0..200 every 50)"; failures+=("run-rows"); }
  sed 's/^/      /' "$TMP/run.log"
fi

if [ "$WINDOW" = 1 ]; then
  if check window 120 env QT_QPA_PLATFORM=offscreen "$EXE" --smoke-test 3; then
    sed 's/^/      /' "$TMP/window.log" | tail -5
  else
    echo "      (needs the app's --smoke-test SECONDS flag: open the window, train, exit 0 if frames were drawn)"
  fi
fi

if [ ${#failures[@]} -gt 0 ]; then
  echo "smoke.sh: FAILED: ${failures[*]}" >&2
  exit 1
fi
echo "smoke.sh: all checks passed"
