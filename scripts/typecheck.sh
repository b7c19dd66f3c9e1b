#!/usr/bin/env bash
# Type-checks the packages (one program) and then each app as its own program: apps may augment
# library types (e.g. Fastify's route config) in ways that must not leak into one another.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
echo "[typecheck] packages, tests, scripts"
node_modules/.bin/tsc -p tsconfig.json --noEmit || status=1
for cfg in apps/*/tsconfig.json; do
  dir=$(dirname "$cfg")
  # An app that has no TypeScript yet has nothing to check (tsc would fail with "no inputs").
  [ -n "$(find "$dir" -name '*.ts' -o -name '*.tsx' | grep -v node_modules | head -n 1)" ] || continue
  echo "[typecheck] $dir"
  node_modules/.bin/tsc -p "$cfg" --noEmit || status=1
done
# Every app must be type-checked: an app without its own tsconfig.json is an error.
for app in apps/*/; do
  [ -f "${app}tsconfig.json" ] || { echo "[typecheck] ${app} has no tsconfig.json"; status=1; }
done
exit $status
