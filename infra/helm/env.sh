# shellcheck shell=bash disable=SC2034  # sourced: variables are used by the scripts that source it
# Shared paths of the Helm renderer (sourced, not run). Every path can be overridden by env.
HELM_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HELM_JAVA_VERSION="${HELM_JAVA_VERSION:-0.0.15}"
RADAR_CACHE_DIR="${RADAR_CACHE_DIR:-$HOME/.cache/upgrade-radar}"
HELM_LIBS_DIR="${HELM_LIBS_DIR:-$RADAR_CACHE_DIR/helm-java-$HELM_JAVA_VERSION/libs}"
# The marker written last by fetch.sh: a folder without it is an interrupted fetch.
HELM_LIBS_MARKER="$HELM_LIBS_DIR/.complete"

helm_die() {
  echo "helm: $*" >&2
  exit 1
}
