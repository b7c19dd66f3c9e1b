#!/usr/bin/env bash
# Installs the system packages the test suite needs (Debian), once. Runs before `npm test`.
# Idempotent and quiet when everything is present; needs root (or passwordless sudo) otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

# PC/SC stack for the real reader tests; Chromium and a CJK font (screenshots show Chinese) for the browser tests.
pkgs=(pcscd vsmartcard-vpcd libpcsclite-dev pcsc-tools chromium fonts-wqy-zenhei)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# @pokusew/pcsclite is an optional dependency built by node-gyp against libpcsclite-dev. On a fresh
# machine `npm ci` runs before this script installed the headers, so rebuild it once if it failed.
if [ -d node_modules/@pokusew/pcsclite ] && ! node -e "require('@pokusew/pcsclite')" 2>/dev/null; then
  echo "[setup] rebuilding @pokusew/pcsclite against libpcsclite-dev"
  npm rebuild @pokusew/pcsclite --foreground-scripts >/dev/null 2>&1 || echo "[setup] pcsclite rebuild failed"
fi
