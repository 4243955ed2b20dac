#!/usr/bin/env bash
# Build ReturnDesk for the machine this runs on: a PyInstaller folder in dist/returndesk with the
# desktop client (returndesk-gui) and the command line (returndesk), checked by running both, and
# on Debian/Ubuntu a .deb in dist/. `make package` runs this script.
#
#   installer/build.sh [--venv DIR] [--clean] [--no-deb]
#
#   --venv DIR   build environment (default build/venv; made when missing). ReturnDesk is
#                installed into it as a normal package, not in editable mode: PyInstaller follows
#                the files of installed packages and cannot see setuptools' editable mapping of
#                returndesk.db and returndesk.resources. So the development .venv is not used.
#   --clean      forget PyInstaller's cache and the previous build first
#   --no-deb     stop after the PyInstaller folder and its checks
#
# Environment: PYTHON (interpreter for a new build environment, default python3, 3.11 or newer),
# RETURNDESK_DEB_MAINTAINER (Maintainer field of the .deb), RETURNDESK_DEB_COMPRESSION (dpkg-deb
# options, default "-Zxz -z3": xz at its default level 6 takes about 2.5 times as long for a .deb
# only 7 % smaller).
#
# Build on the oldest distribution you support: the bundle needs the glibc it was built with
# (PySide6 itself needs 2.34: Debian 12, Ubuntu 22.04, RHEL 9 or newer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV=build/venv
CLEAN=0
DEB=1
while [ $# -gt 0 ]; do
    case "$1" in
        --venv) VENV="${2:?--venv needs a folder}"; shift 2 ;;
        --clean) CLEAN=1; shift ;;
        --no-deb) DEB=0; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
BUNDLE="$DIST/returndesk"
START=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - START))"; }

# ---------------------------------------------------------------- build environment
step "build environment $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" - <<'EOF'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"build.sh: Python 3.11 or newer is needed, {sys.executable} is {sys.version.split()[0]}")
EOF
if "$PY" - <<'EOF'
import importlib.metadata, json, sys
try:
    url = importlib.metadata.distribution("returndesk").read_text("direct_url.json") or "{}"
except importlib.metadata.PackageNotFoundError:
    sys.exit(1)
sys.exit(0 if json.loads(url).get("dir_info", {}).get("editable") else 1)
EOF
then
    echo "build.sh: ReturnDesk is installed in editable mode in $VENV (a development environment);" \
         "use a build environment of its own (the default build/venv, or --venv DIR)" >&2
    exit 1
fi
# The project is reinstalled every time so that the bundle holds the sources as they are now.
"$PY" -m pip install --quiet --disable-pip-version-check ".[build]"
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .
VERSION="$("$PY" -c 'import importlib.metadata as m; print(m.version("returndesk"))')"
echo "ReturnDesk $VERSION, $("$PY" -m PyInstaller --version | sed 's/^/PyInstaller /'), $("$PY" -c 'import PySide6; print("PySide6", PySide6.__version__)')"

# ---------------------------------------------------------------- PyInstaller
step "PyInstaller"
PYI_ARGS=(--noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK")
if [ "$CLEAN" = 1 ]; then
    PYI_ARGS+=(--clean)
    rm -rf "$BUNDLE"
fi
"$PY" -m PyInstaller "${PYI_ARGS[@]}" installer/returndesk.spec

# ---------------------------------------------------------------- checks of the bundle
step "checks of dist/returndesk"
EXE_SUFFIX=""
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE_SUFFIX=".exe" ;; esac
CLI="$BUNDLE/returndesk$EXE_SUFFIX"
GUI="$BUNDLE/returndesk-gui$EXE_SUFFIX"
CHECK_DIR="$(mktemp -d)"
trap 'rm -rf "$CHECK_DIR"' EXIT
"$CLI" --help >/dev/null
# The migrations must be found inside the bundle, and applied.
"$CLI" db upgrade --url "sqlite:///$CHECK_DIR/check.sqlite3"
"$CLI" db status --url "sqlite:///$CHECK_DIR/check.sqlite3" >/dev/null
# Fonts, the Chinese catalogues (application and qtbase) and the PDF preview's Qt modules.
SMOKE="$(QT_QPA_PLATFORM=offscreen RETURNDESK_SETTINGS="$CHECK_DIR/settings.ini" "$GUI" --smoke 2>"$CHECK_DIR/smoke.log")" || {
    cat "$CHECK_DIR/smoke.log" >&2
    echo "build.sh: the desktop client's --smoke check failed" >&2
    exit 1
}
# A windowed Windows program has no standard output: there the exit status alone tells.
if [ -z "$EXE_SUFFIX" ] && [ "$SMOKE" != "ok" ]; then
    echo "build.sh: --smoke printed '$SMOKE' instead of ok" >&2
    exit 1
fi
echo "command line and desktop client start; migrations, fonts and translations are in the bundle"

# ---------------------------------------------------------------- .deb
if [ "$DEB" = 1 ] && command -v dpkg-deb >/dev/null 2>&1; then
    ARCH="$(dpkg --print-architecture)"
    PACKAGE="returndesk_${VERSION}_${ARCH}"
    step "Debian package $PACKAGE.deb"
    STAGE="$ROOT/build/deb/$PACKAGE"
    rm -rf "$STAGE"
    install -d "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
        "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
        "$STAGE/usr/share/doc/returndesk"
    cp -a "$BUNDLE" "$STAGE/opt/returndesk"
    install -m 0755 installer/linux/bin/returndesk installer/linux/bin/returndesk-gui "$STAGE/usr/bin/"
    install -m 0644 installer/linux/returndesk.desktop "$STAGE/usr/share/applications/"
    install -m 0644 resources/icons/returndesk.png "$STAGE/usr/share/icons/hicolor/256x256/apps/"
    install -m 0644 resources/icons/returndesk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
    # The ReturnDesk server as a systemd service (installed disabled), its settings (a conffile)
    # and the maintainer scripts that make its system user.
    install -d "$STAGE/usr/lib/systemd/system" "$STAGE/etc/returndesk"
    install -m 0644 installer/linux/returndesk-server.service "$STAGE/usr/lib/systemd/system/"
    install -m 0640 installer/linux/server.env "$STAGE/etc/returndesk/server.env"
    install -m 0755 installer/linux/postinst installer/linux/prerm installer/linux/postrm "$STAGE/DEBIAN/"
    echo "/etc/returndesk/server.env" > "$STAGE/DEBIAN/conffiles"
    chmod 0644 "$STAGE/DEBIAN/conffiles"
    cat > "$STAGE/usr/share/doc/returndesk/copyright" <<EOF
ReturnDesk $VERSION. Proprietary.

Bundled in /opt/returndesk/_internal: Python and its libraries, Qt and PySide6 (LGPL-3.0), and the
font WenQuanYi Micro Hei (Apache-2.0 or GPL-3.0 with font exception; see
/opt/returndesk/_internal/returndesk/resources/fonts/LICENSE-wqy-microhei.txt).
EOF
    # Owned by root, readable by all; only the programs are executable.
    find "$STAGE" -type d ! -path "$STAGE/etc/returndesk" -exec chmod 0755 {} +
    find "$STAGE/opt/returndesk" -type f ! -perm -u+x -exec chmod 0644 {} +
    find "$STAGE/opt/returndesk" -type f -perm -u+x -exec chmod 0755 {} +
    # The menu and the icon cache are refreshed by the triggers of desktop-file-utils and
    # hicolor-icon-theme; the maintainer scripts only look after the server's user and service.
    DEPENDS="$(grep -v -e '^#' -e '^[[:space:]]*$' installer/linux/depends.txt | paste -sd, - | sed 's/,/, /g')"
    INSTALLED_SIZE="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
    sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$INSTALLED_SIZE/" \
        -e "s/@DEPENDS@/$DEPENDS/" \
        -e "s/@MAINTAINER@/${RETURNDESK_DEB_MAINTAINER:-ReturnDesk <packages@returndesk.invalid>}/" \
        installer/linux/control.in > "$STAGE/DEBIAN/control"
    chmod 0644 "$STAGE/DEBIAN/control"
    # shellcheck disable=SC2086 # the options are words on purpose
    dpkg-deb --root-owner-group ${RETURNDESK_DEB_COMPRESSION:--Zxz -z3} --build "$STAGE" "$DIST/$PACKAGE.deb" >/dev/null
    rm -rf "$STAGE"
    echo "built $DIST/$PACKAGE.deb"
fi

# ---------------------------------------------------------------- summary
step "done"
du -sh "$BUNDLE" | sed 's/^/folder  /'
ls "$DIST"/*.deb >/dev/null 2>&1 && du -h "$DIST"/*.deb | sed 's/^/package /'
echo "total ${SECONDS}s"
