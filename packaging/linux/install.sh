#!/bin/sh
# Installs the ToBeOut Host Stand bundle this script sits in, with its menu entry and icons.
#
#   ./install.sh                  for this user: ~/.local/lib, ~/.local/bin, ~/.local/share
#   sudo ./install.sh /usr/local  for every user of this computer
#   ./install.sh --uninstall [PREFIX]
set -eu

name=tobeout-host-stand
uninstall=no
if [ "${1:-}" = "--uninstall" ]; then
    uninstall=yes
    shift
fi
prefix="${1:-$HOME/.local}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$prefix/lib/$name"
share="$prefix/share"

remove() {
    rm -rf "$target"
    rm -f "$prefix/bin/$name" "$share/applications/$name.desktop" \
        "$share/metainfo/com.tobeout.hoststand.metainfo.xml"
    find "$share/icons/hicolor" -name "$name.*" -delete 2>/dev/null || true
}

refresh() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$uninstall" = yes ]; then
    remove
    refresh
    echo "Removed ToBeOut Host Stand from $prefix (your data and settings are kept)."
    exit 0
fi

if [ ! -x "$here/$name" ]; then
    echo "Run this script from the unpacked $name folder." >&2
    exit 1
fi
if [ "$here" != "$target" ]; then
    remove
    mkdir -p "$target"
    cp -a "$here/." "$target/"
fi
mkdir -p "$prefix/bin"
ln -sf "$target/$name" "$prefix/bin/$name"
mkdir -p "$share"
cp -a "$here/share/." "$share/"
# The menu entry starts the installed program by its full path (~/.local/bin may not be on PATH).
sed -i "s|^Exec=$name|Exec=$target/$name|" "$share/applications/$name.desktop"
refresh
echo "Installed ToBeOut Host Stand in $target; start it from the menu or with $prefix/bin/$name."
