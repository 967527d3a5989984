#!/usr/bin/env bash
# CTest client_tpch: loads scale 0.01 through the driver manager on a private DSN and
# checks that Q1, Q3, Q5, Q6 and Q10 run, with Q1 and Q6 verified.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/clients/client_env.sh"
tpch=${2:?usage: $0 DRIVER EIDER-TPCH}
"$tpch" --dsn eider_client --scale 0.01 --check
