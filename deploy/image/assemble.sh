#!/usr/bin/env bash
# Assembles what the container image runs into <out>: the radar command (deploy/image) with only
# production dependencies, as `pnpm deploy --prod` makes it. The Dockerfile and
# test/integration/image.test.ts both call this, so the test runs exactly what the image holds.
#   bash deploy/image/assemble.sh <out-dir>
set -euo pipefail
out="${1:?usage: assemble.sh <out-dir>}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[[ ! -e "$out" ]] || { echo "assemble: $out already exists; give a new folder" >&2; exit 1; }

# --legacy: pnpm 10's default deploy needs inject-workspace-packages=true workspace-wide.
pnpm --filter @radar/image deploy --legacy --prod "$out" >&2

# @radar/store reads queries/ from the nearest ancestor folder holding it (the repository root in a
# checkout), and the folder is not part of the package. Until it ships inside the package, put
# it where the deployed copy looks for it.
stores=("$out"/node_modules/.pnpm/@radar+store@*/node_modules/@radar/store)
[[ ${#stores[@]} == 1 && -f "${stores[0]}/package.json" ]] ||
  { echo "assemble: expected one @radar/store in $out/node_modules/.pnpm, found: ${stores[*]}" >&2; exit 1; }
cp -r queries "${stores[0]}/../../queries"
