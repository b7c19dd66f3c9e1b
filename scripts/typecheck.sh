#!/usr/bin/env bash
# Type-checks the packages (one program) and then each app as its own program: apps may augment
# library types (e.g. Fastify's route config) in ways that must not leak into one another.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
echo "[typecheck] packages, tests, scripts"
node_modules/.bin/tsc -p tsconfig.json --noEmit || status=1
for cfg in apps/*/tsconfig.json; do
  echo "[typecheck] $(dirname "$cfg")"
  node_modules/.bin/tsc -p "$cfg" --noEmit || status=1
done
# Every app must be type-checked: an app without its own tsconfig.json is an error.
for app in apps/*/; do
  [ -f "${app}tsconfig.json" ] || { echo "[typecheck] ${app} has no tsconfig.json"; status=1; }
done
exit $status
