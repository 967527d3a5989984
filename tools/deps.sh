#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages Eider needs to build, test and run that are
# not installed yet. Needs root (or sudo) only when something is missing.
#   tools/deps.sh          what building and running need
#   tools/deps.sh --test   and what the test suite needs (clang's libFuzzer, Perl DBD::ODBC,
#                          LibreOffice Base and its Python bridge for the client tests)
set -euo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
packages=(build-essential cmake pkg-config unixodbc unixodbc-dev odbcinst libiniparser-dev
          libssl-dev libcunit1-dev clang-format python3 python3-pyodbc)
if [ "${1:-}" = --test ]; then
  packages+=(clang libclang-rt-14-dev libdbd-odbc-perl python3-uno)
  # LibreOffice Base (tests/clients/libreoffice_test.sh): the no-GUI build, about 70 MB to
  # download, 250 MB installed, half a minute. It conflicts with the desktop LibreOffice,
  # so where that is installed its own Base is added instead.
  if ! installed libreoffice-base && ! installed libreoffice-base-nogui; then
    if installed libreoffice-core; then
      packages+=(libreoffice-base)
    else
      packages+=(libreoffice-base-nogui)
    fi
  fi
fi
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
