#!/usr/bin/env bash
# Starts a single-node KRaft Kafka on 127.0.0.1:9092 in the background and waits until it is ready.
# Idempotent: reuses a broker that already answers (ours or anyone's) and keeps data between starts.
# Env: KAFKA_READY_TIMEOUT_S (default 120), plus the paths in env.sh.
set -euo pipefail
# shellcheck source=infra/kafka/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

timeout_ms=$((${KAFKA_READY_TIMEOUT_S:-120} * 1000))
brokers="$KAFKA_HOST:$KAFKA_PORT"
wait_ready() { node "$KAFKA_SCRIPT_DIR/wait-ready.mjs" --brokers "$brokers" "$@"; }
our_pid() {
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$KAFKA_PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
fail_with_log() {
  echo "kafka: $1" >&2
  if [[ -s "$KAFKA_LOG_FILE" ]]; then
    # Errors first (a bind failure is buried under a stack trace), then the end of the log.
    echo "---- errors in $KAFKA_LOG_FILE ----" >&2
    grep -E ' (ERROR|FATAL) |^Caused by:' "$KAFKA_LOG_FILE" | tail -n 15 >&2 || echo "(none)" >&2
    echo "---- last lines ----" >&2
    grep -vE '^\s' "$KAFKA_LOG_FILE" | tail -n 20 | cut -c1-400 >&2
    echo "----" >&2
  fi
  exit 1
}
# Waits for broker $1; fails with the log when it dies or stays unready.
wait_for_pid() {
  local rc=0
  wait_ready --timeout-ms "$timeout_ms" --pid "$1" || rc=$?
  case $rc in
    0) ;;
    2) fail_with_log "broker pid $1 exited while starting" ;;
    *) fail_with_log "broker pid $1 was not ready within ${timeout_ms}ms (still running; see $KAFKA_LOG_FILE)" ;;
  esac
}

[[ -d "$REPO_ROOT/node_modules/kafkajs" ]] || kafka_die "kafkajs is not installed: run 'pnpm install' at $REPO_ROOT"

# A broker of ours that is still starting: wait for it rather than start a second one.
if pid="$(our_pid)"; then
  wait_for_pid "$pid"
  echo "kafka: ready at $brokers (pid $pid, already running)"
  exit 0
fi
if wait_ready --timeout-ms 0 --quiet; then
  echo "kafka: ready at $brokers (reusing a broker this script did not start)"
  exit 0
fi

command -v java >/dev/null || kafka_die "java not found: Kafka $KAFKA_VERSION needs Java 17+"
[[ -f "$KAFKA_LIBS_MARKER" ]] || bash "$KAFKA_SCRIPT_DIR/fetch.sh"

mkdir -p "$KAFKA_DATA_DIR"
sed -e "s|@DATA_DIR@|$KAFKA_DATA_DIR|" -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
  "$KAFKA_SCRIPT_DIR/server.properties" >"$KAFKA_PROPERTIES"
cp="$KAFKA_LIBS_DIR/*"

# Format once; later starts keep the same cluster id and data (a restart must not lose messages).
if [[ ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
  cluster_id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  [[ -n "$cluster_id" ]] || kafka_die "StorageTool random-uuid printed nothing"
  if ! out="$(java -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_PROPERTIES" \
    --standalone --ignore-formatted 2>&1)"; then
    echo "$out" >&2
    kafka_die "formatting $KAFKA_DATA_DIR failed"
  fi
fi

# setsid + nohup: the broker must outlive this script and whatever process ran it
# (vitest's globalSetup), and must not hold the caller's stdout open.
: >"$KAFKA_LOG_FILE"
# shellcheck disable=SC2016 # $$ and $@ are for the inner shell
setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KAFKA_PID_FILE" \
  java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
  -cp "$cp" kafka.Kafka "$KAFKA_PROPERTIES" </dev/null >>"$KAFKA_LOG_FILE" 2>&1 &

for _ in $(seq 1 50); do
  [[ -s "$KAFKA_PID_FILE" ]] && break
  sleep 0.1
done
pid="$(our_pid)" || fail_with_log "broker process did not start"
started=$(date +%s%3N)
wait_for_pid "$pid"
echo "kafka: ready at $brokers (pid $pid, started in $(($(date +%s%3N) - started))ms, log $KAFKA_LOG_FILE)"
