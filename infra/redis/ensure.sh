#!/usr/bin/env bash
# Makes sure a Redis answers on 127.0.0.1:6379: reuses a running one, else starts one that keeps
# nothing on disk (tests and dev only), installing Debian's redis-server when it is missing.
# Env: REDIS_PORT (default 6379), REDIS_READY_TIMEOUT_S (default 30).
set -euo pipefail

port="${REDIS_PORT:-6379}"
ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; }

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "redis: redis-server not found; installing Debian's redis-server" >&2
  [[ "$(id -u)" == 0 ]] || { echo "redis: installing needs root; run: apt-get install -y redis-server" >&2; exit 1; }
  log="$(mktemp)"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "redis: apt-get install redis-server failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
  # Debian's package may start its own service on 6379 under systemd; reuse it if so.
fi

if ping; then
  echo "redis: ready at 127.0.0.1:$port (reusing a running server)"
  exit 0
fi

redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --dir /tmp --logfile "/tmp/radar-redis-$port.log" >/dev/null
deadline=$(($(date +%s) + ${REDIS_READY_TIMEOUT_S:-30}))
until ping; do
  if (($(date +%s) >= deadline)); then
    echo "redis: no answer on 127.0.0.1:$port after starting redis-server; last log lines:" >&2
    tail -n 20 "/tmp/radar-redis-$port.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done
echo "redis: ready at 127.0.0.1:$port (started, nothing kept on disk)"
