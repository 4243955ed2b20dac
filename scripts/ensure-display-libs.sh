#!/usr/bin/env bash
# Make sure the system libraries that the desktop client's Qt needs to show windows are installed,
# as ensure-services.sh does for PostgreSQL: the display platform plugin (xcb, or wayland on a
# Wayland desktop), the Qt modules the client loads, printing and sounds. Without them Qt stops
# with "Could not load the Qt platform plugin xcb".
#
#   scripts/ensure-display-libs.sh [--print-packages] [PYTHON]
#
# PYTHON is the interpreter that has PySide6 (default .venv/bin/python). The libraries missing
# are those `ldd` reports "not found"; scripts/display-libraries.txt names the package of each.
# As root they are installed with apt-get, through sudo where it can be used, otherwise the
# script names the command to run and exits 1. --print-packages prints the packages that would
# be installed, one a line, and changes nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
table="$here/display-libraries.txt"
print_only=0
python=.venv/bin/python
for arg in "$@"; do
    case "$arg" in
        --print-packages) print_only=1 ;;
        *) python=$arg ;;
    esac
done
say() { echo "ensure-display-libs: $*" >&2; }

# The platforms Qt will try, as it chooses them: QT_QPA_PLATFORM ("name:options;fallback"),
# otherwise wayland then xcb on a Wayland desktop, xcb elsewhere.
platforms=()
IFS=';' read -r -a requested <<<"${QT_QPA_PLATFORM:-}"
for platform in "${requested[@]}"; do
    platforms+=("${platform%%:*}")
done
if [ "${#platforms[@]}" = 0 ]; then
    if [ -n "${WAYLAND_DISPLAY:-}" ] || [ "${XDG_SESSION_TYPE:-}" = wayland ]; then
        platforms=(wayland xcb)
    else
        platforms=(xcb)
    fi
fi

pyside=$("$python" -c 'import importlib.util as u; print(u.find_spec("PySide6").submodule_search_locations[0])' 2>/dev/null) || {
    say "$python cannot find PySide6; run 'make install' first"
    exit 1
}
plugins="$pyside/Qt/plugins"

files=()
display=0
for platform in "${platforms[@]}"; do
    case "$platform" in
        xcb) display=1; files+=("$plugins/platforms/libqxcb.so" "$plugins"/xcbglintegrations/*.so) ;;
        wayland*) display=1; files+=("$plugins/platforms/libqwayland.so") ;;
        *) ;;  # offscreen, minimal, vnc...: nothing of the display server's
    esac
done
if [ "$display" = 0 ]; then
    exit 0
fi
for module in QtCore QtGui QtWidgets QtPrintSupport QtPdf QtPdfWidgets QtMultimedia; do
    files+=("$pyside/$module".*.so)
done
files+=("$plugins"/printsupport/*.so "$plugins"/multimedia/*.so)

missing_libraries() {
    local file
    for file in "${files[@]}"; do
        if [ -e "$file" ]; then ldd "$file" 2>/dev/null || true; fi
    done | awk '$2 == "=>" && $3 == "not" && $4 == "found" { print $1 }' | sort -u
}

# Each missing library's package from the table: "package NAME" or "unknown LIBRARY" a line.
resolve() {
    awk 'NR == FNR { if ($1 !~ /^#/ && NF >= 2) package[$1] = $2; next }
         NF { print (($1 in package) ? "package " package[$1] : "unknown " $1) }' "$table" -
}

mapfile -t libraries < <(missing_libraries)
packages=()
unknown=()
while read -r kind name; do
    case "$kind" in
        package) packages+=("$name") ;;
        unknown) unknown+=("$name") ;;
    esac
done < <(printf '%s\n' "${libraries[@]}" | resolve | sort -u)

if [ "$print_only" = 1 ]; then
    [ "${#packages[@]}" = 0 ] || printf '%s\n' "${packages[@]}"
    for library in "${unknown[@]}"; do say "no package known for $library (add it to $table)"; done
    [ "${#unknown[@]}" = 0 ]
    exit
fi

if [ "${#packages[@]}" -gt 0 ]; then
    command="apt-get install -y ${packages[*]}"
    if ! command -v apt-get >/dev/null 2>&1; then
        say "Qt cannot show windows: these system libraries are missing: ${libraries[*]}."
        say "Install the packages of your distribution that provide them, then run 'make run' again."
        exit 1
    fi
    if [ "$(id -u)" = 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
        as_root=(sudo)
    else
        if command -v sudo >/dev/null 2>&1; then
            say "Qt cannot show windows without ${#packages[@]} system packages. Install them with:"
            say "    sudo apt-get update && sudo $command"
        else
            say "Qt cannot show windows without ${#packages[@]} system packages. Install them as root:"
            say "    apt-get update && $command"
        fi
        say "then run 'make run' again."
        exit 1
    fi
    say "installing the ${#packages[@]} system packages Qt needs to show windows: ${packages[*]}"
    [ "${#as_root[@]}" = 0 ] || say "(sudo may ask for your password)"
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
    mapfile -t libraries < <(missing_libraries)
fi

if [ "${#libraries[@]}" -gt 0 ]; then
    say "Qt cannot show windows: these system libraries are still missing: ${libraries[*]}."
    for library in "${unknown[@]}"; do say "no package known for $library (add it to $table)"; done
    exit 1
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    say "there is no display to show windows on (neither DISPLAY nor WAYLAND_DISPLAY is set)."
    say "Start ReturnDesk from a desktop session, or 'ssh -X' to this machine, or try it without"
    say "windows: QT_QPA_PLATFORM=offscreen make run RUN_ARGS=--smoke"
    exit 1
fi
