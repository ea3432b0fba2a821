#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (run as root): Debian packages when missing, npm ci, build.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in iproute2 nftables iperf3 iputils-ping sockperf build-essential libcairo2-dev libpango1.0-dev \
  libjpeg-dev libgif-dev librsvg2-dev chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: run as root to install ${need[*]}" >&2; exit 3; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
stamp=node_modules/.cnibench-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "setup: npm ci"
  npm ci --no-fund --no-audit --loglevel=error
  echo "$hash" >"$stamp"
fi
# Rebuild when any TypeScript source is newer than the last build (or there is none).
stamp_build=dist/.build-stamp
if [ ! -f "$stamp_build" ] || [ -n "$(find src test bench tsconfig.json package-lock.json -newer "$stamp_build" -print -quit 2>/dev/null)" ]; then
  echo "setup: building (tsc)"
  rm -rf dist
  npx tsc -p tsconfig.json
  touch "$stamp_build"
fi
