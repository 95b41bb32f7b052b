#!/usr/bin/env bash
# Resolves the Kafka broker jars (and a logging backend) from Maven Central into the cache dir.
# Idempotent: does nothing when a complete copy is already cached.
set -euo pipefail
# shellcheck source=infra/kafka/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [[ -f "$KAFKA_LIBS_MARKER" ]]; then
  exit 0
fi
command -v mvn >/dev/null || kafka_die "mvn not found: install Maven (apt-get install -y maven)"

echo "kafka: fetching Kafka $KAFKA_VERSION jars into $KAFKA_LIBS_DIR" >&2
start=$(date +%s)
rm -rf "$KAFKA_LIBS_DIR"
tmp="$KAFKA_LIBS_DIR.tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
mvn_log="$tmp.mvn.log"
if ! mvn -B -q -f "$KAFKA_SCRIPT_DIR/pom.xml" \
  -Dkafka.version="$KAFKA_VERSION" -Dslf4j.version="$SLF4J_SIMPLE_VERSION" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
  tail -n 40 "$mvn_log" >&2
  rm -f "$mvn_log"
  kafka_die "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION with Maven failed (output above)"
fi
rm -f "$mvn_log"
ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || kafka_die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing"
touch "$tmp/.complete"
mv "$tmp" "$KAFKA_LIBS_DIR"
trap - EXIT
echo "kafka: fetched $(find "$KAFKA_LIBS_DIR" -name "*.jar" | wc -l) jars in $(($(date +%s) - start))s" >&2
