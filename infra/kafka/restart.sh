#!/usr/bin/env bash
# Stops and starts the broker with the same data dir, for fault tests. Args go to stop.sh (--kill).
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
bash "$dir/stop.sh" "$@"
bash "$dir/start.sh"
