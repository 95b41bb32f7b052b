#!/usr/bin/env bash
# Resolves helm-java and its runtime dependencies from Maven Central into the cache dir.
# Idempotent: does nothing when a complete copy is already cached.
set -euo pipefail
# shellcheck source=infra/helm/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -f "$HELM_LIBS_MARKER" ]] && exit 0
command -v mvn >/dev/null || helm_die "mvn not found: install Maven (apt-get install -y maven)"

echo "helm: fetching helm-java $HELM_JAVA_VERSION jars into $HELM_LIBS_DIR" >&2
rm -rf "$HELM_LIBS_DIR"
tmp="$HELM_LIBS_DIR.tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp" "$tmp.mvn.log"' EXIT
if ! mvn -B -q -f "$HELM_SCRIPT_DIR/pom.xml" -Dhelm.java.version="$HELM_JAVA_VERSION" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
  tail -n 40 "$tmp.mvn.log" >&2
  helm_die "resolving com.marcnuri.helm-java:helm-java:$HELM_JAVA_VERSION with Maven failed (output above)"
fi
ls "$tmp"/helm-java-"$HELM_JAVA_VERSION".jar "$tmp"/linux-amd64-"$HELM_JAVA_VERSION".jar >/dev/null 2>&1 ||
  helm_die "Maven finished but the helm-java or linux-amd64 jar is missing"
touch "$tmp/.complete"
mkdir -p "$(dirname "$HELM_LIBS_DIR")"
mv "$tmp" "$HELM_LIBS_DIR"
trap - EXIT
rm -f "$tmp.mvn.log"
echo "helm: fetched $(find "$HELM_LIBS_DIR" -name '*.jar' | wc -l) jars" >&2
