#!/usr/bin/env bash
# One command from a fresh Debian machine to a working driver: installs what is missing,
# builds, installs libeiderodbc.so under /usr/local, registers the driver "Eider" with
# unixODBC (Threading = 0) and a system DSN "eider" on your default database
# (~/.local/share/eider/default.eider), then runs the demo through the driver manager.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

"$root/tools/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr/local
cmake --build "$root/build" -j"$(nproc)"
$sudo cmake --install "$root/build"
$sudo ldconfig

# odbcinst -i adds to an existing section's usage count instead of replacing it, so
# re-registering first removes what an earlier install left.
$sudo odbcinst -u -d -n Eider >/dev/null 2>&1 || true
$sudo odbcinst -i -d -f /usr/local/share/eider/eider-driver.ini
$sudo odbcinst -u -s -l -n eider >/dev/null 2>&1 || true
$sudo odbcinst -i -s -l -f /usr/local/share/eider/eider-dsn.ini
echo "registered: driver Eider ($(odbcinst -q -d -n Eider | grep -i '^Driver')), DSN eider"

/usr/local/bin/eider-demo --dsn eider
