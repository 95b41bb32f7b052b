#!/usr/bin/env bash
# `helm template` without a helm binary: renders a chart with helm-java (fetched on first use).
#   bash infra/helm/render.sh deploy/helm/upgrade-radar r1 radar [-f values.yaml]... [--set k=v]...
set -euo pipefail
# shellcheck source=infra/helm/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$HELM_SCRIPT_DIR/fetch.sh"
command -v java >/dev/null || helm_die "java not found: install Java 17 (apt-get install -y openjdk-17-jre-headless)"
exec java -cp "$HELM_LIBS_DIR/*" "$HELM_SCRIPT_DIR/Render.java" "$@"
