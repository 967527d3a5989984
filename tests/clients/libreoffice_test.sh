#!/usr/bin/env bash
# LibreOffice Base (Debian's libreoffice-base-nogui, or libreoffice-base, and python3-uno),
# headless, against the registered driver: see libreoffice_test.py. Skipped (exit 77) when
# LibreOffice, its ODBC driver or the Python bridge is not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lo=/usr/lib/libreoffice/program
if [ ! -x $lo/soffice ] || [ ! -e $lo/libodbclo.so ] || [ ! -e $lo/libdbaxmllo.so ] ||
   ! /usr/bin/python3 -c 'import uno' 2>/dev/null; then
  echo "SKIP: LibreOffice Base or python3-uno not installed" \
       "(tools/deps.sh --test installs libreoffice-base-nogui python3-uno)"
  exit 77
fi
source "$here/client_env.sh"
# LibreOffice writes caches and its profile: keep them all in the temporary folder.
export HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config
mkdir -p "$HOME"
status=0
timeout -k 10 ${EIDER_LO_TIMEOUT:-240} /usr/bin/python3 "$here/libreoffice_test.py" eider_client "$work" || status=$?
# The script ends the soffice it started; if the script was killed, end it here.
if [ -s "$work/soffice.pgid" ]; then
  kill -KILL -- "-$(cat "$work/soffice.pgid")" 2>/dev/null || true
fi
if [ $status -ne 0 ]; then
  [ $status -ne 124 ] || echo "timed out after ${EIDER_LO_TIMEOUT:-240} s" >&2
  echo "--- soffice output" >&2
  cat "$work/soffice.log" >&2 || true
fi
exit $status
