# shellcheck shell=bash disable=SC2034  # sourced: variables are used by the scripts that source it
# Shared paths for the Kafka scripts (sourced, not run). Every path can be overridden by env.
KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd)"
# shellcheck source=infra/kafka/versions.sh
. "$KAFKA_SCRIPT_DIR/versions.sh"

RADAR_CACHE_DIR="${RADAR_CACHE_DIR:-$HOME/.cache/upgrade-radar}"
KAFKA_LIBS_DIR="${KAFKA_LIBS_DIR:-$RADAR_CACHE_DIR/kafka-$KAFKA_VERSION/libs}"
# Broker data, log and pid live with the checkout (.radar is git-ignored) so that
# two checkouts never share a broker's data by accident.
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-$REPO_ROOT/.radar/infra/kafka}"
KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_PID_FILE="$KAFKA_STATE_DIR/kafka.pid"
KAFKA_LOG_FILE="$KAFKA_STATE_DIR/kafka.log"
KAFKA_DATA_DIR="$KAFKA_STATE_DIR/data"
KAFKA_PROPERTIES="$KAFKA_STATE_DIR/server.properties"

# The marker written last by fetch.sh: a folder without it is an interrupted fetch.
KAFKA_LIBS_MARKER="$KAFKA_LIBS_DIR/.complete"

kafka_die() {
  echo "kafka: $*" >&2
  exit 1
}
