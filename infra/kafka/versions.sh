# shellcheck shell=bash disable=SC2034  # sourced: variables are used by the scripts that source it
# The one place the Kafka version used by tests and dev scripts is set (sourced by the other scripts).
# docker-compose.yml pins the same version in its image tag: change both together.
KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
# Kafka 4.x logs through the slf4j 1.7 API: a 2.x binding would not attach.
SLF4J_SIMPLE_VERSION="1.7.36"
