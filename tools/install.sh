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

# Registered with the project's own CLI (odbcinst/cli): the driver with its setup library
# and Threading = 0, and the system DSN "eider" without a Database key.
$sudo /usr/local/bin/eider-odbc register-driver --path /usr/local/lib/libeiderodbc.so
$sudo /usr/local/bin/eider-odbc add-dsn eider --system --replace \
  "Description=Eider: your default database (~/.local/share/eider/default.eider)"
echo "registered: driver Eider ($(odbcinst -q -d -n Eider | grep -i '^Driver')), DSN eider"

/usr/local/bin/eider-demo --dsn eider
