#!/usr/bin/env bash
# Prepares a fresh Debian machine (any Node.js with npm, root) to run upgrade-radar, and with --test its tests:
#   bash infra/setup.sh          the project's Node LTS, pnpm 10 + the workspace's dependencies
#   bash infra/setup.sh --test   also Java 17 + Maven, the Kafka and helm-java jars, redis-server,
#                                Chromium and promtool
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM_VERSION=10.34.8
with_tests=false
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=true ;;
    *) echo "setup: unknown argument '$arg' (expected: --test)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
# Runs a step with its output kept in a log, shown only if the step fails.
quiet() {
  local what="$1" log
  shift
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    die "$what failed: $* (last output above)"
  fi
  rm -f "$log"
}

# The project's Node.js LTS (infra/node/version): installed from the npm registry where the
# machine's node is older (Node 20 is past its end of life).
bash infra/node/ensure.sh
hash -r

if [[ "$(pnpm --version 2>/dev/null || true)" != 10.* ]]; then
  # npm, not corepack: corepack 0.34 (bundled with Node 20 machines) rejects current pnpm signatures.
  say "installing pnpm@$PNPM_VERSION with npm"
  quiet "installing pnpm" npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION"
  hash -r
  # npm's global prefix follows the node it runs on: once ensure.sh has linked the project's Node,
  # the machine's npm installs pnpm beside that Node's binary, which is not on PATH. Link it.
  if [[ "$(pnpm --version 2>/dev/null || true)" != 10.* && "$(id -u)" == 0 ]]; then
    ln -sf "$(npm prefix -g)/bin/pnpm" /usr/local/bin/pnpm
    hash -r
  fi
  [[ "$(pnpm --version 2>/dev/null || true)" == 10.* ]] ||
    die "pnpm 10 is still not on PATH after npm install -g: put $(npm prefix -g)/bin on PATH"
fi

say "installing workspace dependencies (pnpm install --frozen-lockfile)"
quiet "pnpm install" pnpm install --frozen-lockfile

$with_tests || { say "done"; exit 0; }

# Debian packages the tests need; one apt-get update for all of them, and only if one is missing.
missing=()
java_major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1 || true)"
[[ -n "$java_major" && "$java_major" -ge 17 ]] || missing+=(openjdk-17-jre-headless)
# infra/helm/Render.java runs as a single-file program: the launcher compiles it (jdk.compiler).
java --list-modules 2>/dev/null | grep -q '^jdk.compiler@' || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v redis-server >/dev/null || missing+=(redis-server)
# A test renders the HTML report in headless Chromium (playwright-core drives /usr/bin/chromium).
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# promtool tests deploy/prometheus/rules.yaml; only it is used, the package's server must not run.
command -v promtool >/dev/null || missing+=(prometheus)
if ((${#missing[@]} > 0)); then
  [[ "$(id -u)" == 0 ]] || die "need root to install: apt-get install -y ${missing[*]}"
  say "installing Debian packages: ${missing[*]}"
  quiet "apt-get update" apt-get update -q
  # policy-rc.d 101: packages may not start their services (Prometheus, its node exporter).
  policy_rc_made=false
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_rc_made=true
  fi
  quiet "apt-get install" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  if $policy_rc_made; then rm -f /usr/sbin/policy-rc.d; fi
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null; then
    systemctl disable --now prometheus prometheus-node-exporter >/dev/null 2>&1 || true
  fi
fi

bash infra/kafka/fetch.sh
# helm-java: renders the Helm chart in the tests (there is no helm binary in Debian or npm).
bash infra/helm/fetch.sh
say "done (services are started by the integration tests' globalSetup)"
