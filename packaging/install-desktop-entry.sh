#!/bin/sh
# Add RTS Commander to the desktop's application menu (Linux), for this user only.
# Run it from the unpacked bundle: ./install-desktop-entry.sh  (again after moving the folder;
# --remove takes the entry out). The game itself needs no installation.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
entry="$apps/rts-commander.desktop"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icons/rts-commander.png"
    echo "removed $entry"
    exit 0
fi
[ -x "$here/RTSCommander" ] || { echo "RTSCommander not found in $here" >&2; exit 1; }
mkdir -p "$apps" "$icons"
cp "$here/icon.png" "$icons/rts-commander.png"
# The bundled entry finds the executable beside itself (%k); the installed one needs the
# absolute path. Desktop-entry escaping: inside the quotes " ` $ \ get a backslash, then
# every backslash is doubled (string escapes) and % is doubled (field codes).
exec_path=$(printf '%s' "$here/RTSCommander" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
icon_path=$(printf '%s' "$here/icon.png" | sed -e 's/\\/\\\\/g')
{
    grep -v -e '^Exec=' -e '^Icon=' "$here/rts-commander.desktop"
    printf 'Exec="%s"\n' "$exec_path"
    printf 'Icon=%s\n' "$icon_path"
} > "$entry"
chmod +x "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "installed $entry"
