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
# machine `npm ci` runs before this script installed the headers: the build fails and npm drops the
# package, so install the locked version again now that the headers are there (without touching the lock).
if ! node -e "require('@pokusew/pcsclite')" 2>/dev/null; then
  v=$(node -p "require('./package-lock.json').packages['node_modules/@pokusew/pcsclite']?.version ?? ''")
  echo "[setup] building @pokusew/pcsclite ${v} against libpcsclite-dev"
  # npm drops a failed optional build's dependency (nan) and may leave the package itself: put nan back first.
  nan=$(node -p "require('./package-lock.json').packages['node_modules/nan']?.version ?? ''")
  [ -d node_modules/nan ] || npm install --no-save --no-audit --no-fund "nan@${nan}" >/dev/null 2>&1 || true
  if [ -d node_modules/@pokusew/pcsclite ]; then
    npm rebuild @pokusew/pcsclite --foreground-scripts >/dev/null 2>&1 || echo "[setup] pcsclite rebuild failed"
  else
    npm install --no-save --no-audit --no-fund "@pokusew/pcsclite@${v}" >/dev/null 2>&1 ||
      echo "[setup] pcsclite install failed"
  fi
fi
