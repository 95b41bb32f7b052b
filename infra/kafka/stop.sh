#!/usr/bin/env bash
# Stops the broker that start.sh started (found by its pid file); data is kept for the next start.
# --kill sends SIGKILL instead of a clean shutdown (to test recovery after a crash).
# Env: KAFKA_STOP_TIMEOUT_S (default 60) before a clean stop escalates to SIGKILL.
set -euo pipefail
# shellcheck source=infra/kafka/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

signal=TERM
[[ "${1:-}" == "--kill" ]] && signal=KILL

if [[ ! -f "$KAFKA_PID_FILE" ]]; then
  echo "kafka: not running (no $KAFKA_PID_FILE)"
  exit 0
fi
pid="$(cat "$KAFKA_PID_FILE")"
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
  rm -f "$KAFKA_PID_FILE"
  echo "kafka: not running (stale pid file removed)"
  exit 0
fi

kill -s "$signal" "$pid"
deadline=$(($(date +%s) + ${KAFKA_STOP_TIMEOUT_S:-60}))
while kill -0 "$pid" 2>/dev/null; do
  if (($(date +%s) >= deadline)); then
    echo "kafka: pid $pid ignored SIG$signal; sending SIGKILL" >&2
    kill -s KILL "$pid" 2>/dev/null || true
    deadline=$(($(date +%s) + 10))
    signal=KILL
  fi
  sleep 0.1
done
rm -f "$KAFKA_PID_FILE"
echo "kafka: stopped pid $pid (SIG$signal)"
