#!/usr/bin/env bash
# Refresh the Russian UI catalog from the code, then compile it.
#
#   packaging/i18n/update_translations.sh            # lupdate + lrelease
#   packaging/i18n/update_translations.sh --check    # also fail if a message is unfinished or empty
#
# 1. pyside6-lupdate reads every ganlab/app/**/*.py and the core modules listed in core_sources.txt (texts marked
#    with a Qt-free QT_TRANSLATE_NOOP) (self.tr, QCoreApplication.translate, QT_TRANSLATE_NOOP)
#    and merges the texts into resources/i18n/ganlab_ru.ts: existing translations are kept, new texts come
#    in as type="unfinished", texts no longer in the code are dropped (-no-obsolete).
# 2. Translate the unfinished messages (Qt Linguist: pyside6-linguist resources/i18n/ganlab_ru.ts, or by
#    hand in the XML), then run this script again.
# 3. pyside6-lrelease compiles the .ts into resources/i18n/ganlab_ru.qm, which the app loads.
#
# tests/app/test_translations.py fails while the .ts lags behind the code or has an unfinished message.
# The tools ship with PySide6 (PySide6-Essentials): .venv/bin/pyside6-lupdate and pyside6-lrelease.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TS=resources/i18n/ganlab_ru.ts
QM=resources/i18n/ganlab_ru.qm

tool() {   # pyside6-<name> from the venv, else from PATH
    for candidate in "${VIRTUAL_ENV:-$ROOT/.venv}/bin/pyside6-$1" "$(command -v "pyside6-$1" || true)"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            echo "$candidate"
            return
        fi
    done
    echo "pyside6-$1 not found: install PySide6 (pip install -e .) or activate the venv" >&2
    exit 1
}

LUPDATE=$(tool lupdate)
LRELEASE=$(tool lrelease)
mapfile -t SOURCES < <( (find ganlab/app -name '*.py'; grep -v '^#' packaging/i18n/core_sources.txt) | LC_ALL=C sort)

OLD=$(mktemp)
cp "$TS" "$OLD"
"$LUPDATE" -no-obsolete -locations none -source-language en -target-language ru \
    "${SOURCES[@]}" -ts "$TS"
# texts whose code moved to another class keep their translation
"${VIRTUAL_ENV:-$ROOT/.venv}/bin/python" packaging/i18n/carry_translations.py "$OLD" "$TS"
rm -f "$OLD"
"$LUPDATE" -no-obsolete -locations none -source-language en -target-language ru \
    "${SOURCES[@]}" -ts "$TS" >/dev/null   # again, for lupdate's own layout of the file
"$LRELEASE" "$TS" -qm "$QM"

if [[ "${1:-}" == "--check" ]]; then
    unfinished=$(grep -c 'type="unfinished"' "$TS" || true)
    empty=$(grep -c '<translation></translation>\|<translation/>' "$TS" || true)
    if [[ "$unfinished" != 0 || "$empty" != 0 ]]; then
        echo "$TS: $unfinished unfinished, $empty empty translations" >&2
        exit 1
    fi
fi
