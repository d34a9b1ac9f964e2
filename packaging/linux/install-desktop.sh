#!/usr/bin/env bash
# Install (or remove) ganlab's launcher for the current user: the .desktop file, the AppStream metainfo
# and the icons, under $XDG_DATA_HOME (default ~/.local/share). No root needed; prints every file it touches.
#
#   packaging/linux/install-desktop.sh                      # Exec= the ganlab found on PATH (absolute path)
#   packaging/linux/install-desktop.sh --exec ~/opt/ganlab/ganlab    # e.g. the PyInstaller bundle
#   packaging/linux/install-desktop.sh --uninstall
#
# Options: --exec CMD (program the launcher starts), --icons DIR (folder with ganlab.svg and
# ganlab-<size>.png; default: resources/icons of this source tree), --uninstall, -h/--help.
set -euo pipefail

ID=io.github.ganlab.Ganlab
SIZES=(16 32 48 64 128 256)
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ICONS="$HERE/../../resources/icons"
EXEC=""
UNINSTALL=0

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "install-desktop: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) UNINSTALL=1 ;;
    --exec) [ $# -ge 2 ] || die "--exec needs a value"; EXEC="$2"; shift ;;
    --exec=*) EXEC="${1#--exec=}" ;;
    --icons) [ $# -ge 2 ] || die "--icons needs a value"; ICONS="$2"; shift ;;
    --icons=*) ICONS="${1#--icons=}" ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
  shift
done

DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
case "$DATA" in /*) ;; *) die "XDG_DATA_HOME must be an absolute path, got '$DATA'" ;; esac
APPS="$DATA/applications"
META="$DATA/metainfo"
HICOLOR="$DATA/icons/hicolor"

targets=("$APPS/$ID.desktop" "$META/$ID.metainfo.xml" "$HICOLOR/scalable/apps/$ID.svg")
for s in "${SIZES[@]}"; do targets+=("$HICOLOR/${s}x${s}/apps/$ID.png"); done

refresh_caches() {
  # Best effort: desktops pick up new files without these too, just later.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$APPS" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$HICOLOR/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$HICOLOR" 2>/dev/null || true
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  removed=0
  for f in "${targets[@]}"; do
    if [ -e "$f" ]; then rm -f -- "$f"; echo "removed   $f"; removed=$((removed + 1)); fi
  done
  [ -d "$APPS" ] && refresh_caches
  echo "install-desktop: removed $removed file(s) of $ID from $DATA"
  exit 0
fi

# The program the launcher runs: --exec, else the absolute path of `ganlab` on PATH (desktop sessions
# often lack ~/.local/bin in their PATH), else plain `ganlab`.
if [ -z "$EXEC" ]; then
  if found="$(command -v ganlab 2>/dev/null)" && [ -n "$found" ]; then
    EXEC="$found"
  else
    EXEC=ganlab
    echo "install-desktop: warning: no 'ganlab' on PATH; the launcher will run 'ganlab' (install it, or use --exec)" >&2
  fi
fi
case "$EXEC" in
  */*) [ -x "$EXEC" ] || die "--exec '$EXEC' is not an executable file" ;;
esac
# Desktop Entry Exec quoting: a path with spaces or shell characters goes in double quotes; the four
# characters that would need double escaping there are refused rather than risked.
case "$EXEC" in *'"'*|*'`'*|*'$'*|*'\'*) die "--exec path must not contain \", \`, \$ or a backslash" ;; esac
exec_value="$EXEC"
if [[ "$EXEC" =~ [^A-Za-z0-9_./+,:@%=-] ]]; then exec_value="\"$EXEC\""; fi

# No source tree icons (a copied script)? A bundle passed with --exec carries them too.
if [ ! -f "$ICONS/ganlab.svg" ] && [ -d "$(dirname "$EXEC")/_internal/ganlab/resources/icons" ]; then
  ICONS="$(dirname "$EXEC")/_internal/ganlab/resources/icons"
fi
[ -f "$HERE/$ID.desktop" ] || die "missing $HERE/$ID.desktop"
[ -f "$HERE/$ID.metainfo.xml" ] || die "missing $HERE/$ID.metainfo.xml"
[ -f "$ICONS/ganlab.svg" ] || die "no ganlab.svg in '$ICONS' (use --icons DIR)"
for s in "${SIZES[@]}"; do [ -f "$ICONS/ganlab-$s.png" ] || die "no ganlab-$s.png in '$ICONS'"; done

mkdir -p "$APPS" "$META" "$HICOLOR/scalable/apps"
tmp="$(mktemp "$APPS/.$ID.XXXXXX")"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$HERE/$ID.desktop" > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$APPS/$ID.desktop"
echo "installed $APPS/$ID.desktop (Exec=$exec_value)"

install -m 644 "$HERE/$ID.metainfo.xml" "$META/$ID.metainfo.xml"
echo "installed $META/$ID.metainfo.xml"
install -m 644 "$ICONS/ganlab.svg" "$HICOLOR/scalable/apps/$ID.svg"
echo "installed $HICOLOR/scalable/apps/$ID.svg"
for s in "${SIZES[@]}"; do
  mkdir -p "$HICOLOR/${s}x${s}/apps"
  install -m 644 "$ICONS/ganlab-$s.png" "$HICOLOR/${s}x${s}/apps/$ID.png"
  echo "installed $HICOLOR/${s}x${s}/apps/$ID.png"
done
refresh_caches
echo "install-desktop: ganlab is in your applications menu (id $ID); remove it with $0 --uninstall"
