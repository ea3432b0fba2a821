#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: a Node.js >= 22.19 (scripts/node-env.sh), npm ci, the
# TypeScript build, and only the Debian packages the asked-for use needs. Each step does nothing when
# what it makes is already there and up to date.
#
#   scripts/setup.sh core     npm packages and the build: enough for validate, plan, schema, netpol,
#                             compare, install --dry-run and every real-cluster command but reports
#   scripts/setup.sh report   + the native chart renderer (canvas, built from source: cairo/pango headers)
#   scripts/setup.sh local    + the embedded local cluster's dataplane tools (run on the local cluster),
#                             the BPF toolchain, and the eBPF policy engine's object and map writer
#   scripts/setup.sh bench    + sockperf (the latency reference of `npm run bench`)
#   scripts/setup.sh test     everything the test suite uses, Chromium included (the default)
#
# Run as root when Debian packages are missing (exit 3 otherwise, naming them).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-test}"

# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
cnb_use_node

chart_pkgs=(build-essential libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)
# clang builds the eBPF policy engine's program and writer (libbpf-dev); bpftool and llvm inspect them.
local_pkgs=(iproute2 nftables iperf3 iputils-ping util-linux clang llvm libbpf-dev bpftool)
case "$profile" in
  core) pkgs=() ;;
  report) pkgs=("${chart_pkgs[@]}") ;;
  local) pkgs=("${chart_pkgs[@]}" "${local_pkgs[@]}") ;;
  bench) pkgs=("${chart_pkgs[@]}" "${local_pkgs[@]}" sockperf) ;;
  test) pkgs=("${chart_pkgs[@]}" "${local_pkgs[@]}" sockperf chromium) ;;
  *)
    echo "setup: unknown profile \"$profile\" (core, report, local, bench, test)" >&2
    exit 2
    ;;
esac

need=()
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root to install ${need[*]}" >&2
    exit 3
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm packages, without running any install script: the only one cnibench needs is canvas's native
# build, done below for the profiles that render charts. The stamp covers the lock file and the Node
# version, so a change of either reinstalls.
stamp=node_modules/.cnibench-install
want_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  echo "setup: npm ci" >&2
  npm ci --ignore-scripts --no-fund --no-audit --loglevel=error >&2
  echo "$want_stamp" >"$stamp"
fi

if [ "$profile" != core ]; then
  # canvas.node is built for one Node ABI; rebuild when it is missing or was built for another one.
  if ! node -e "require('canvas')" 2>/dev/null; then
    echo "setup: building canvas (native chart renderer) for Node $(node --version)" >&2
    npm rebuild canvas --foreground-scripts --loglevel=error >&2
  fi
fi

# Rebuild when any TypeScript source is newer than the last build (or there is none).
stamp_build=dist/.build-stamp
if [ ! -f "$stamp_build" ] ||
  [ -n "$(find src test bench tsconfig.json package-lock.json -newer "$stamp_build" -print -quit 2>/dev/null)" ]; then
  echo "setup: building (tsc)" >&2
  rm -rf dist
  npx tsc -p tsconfig.json
  touch "$stamp_build"
fi

# The eBPF policy engine: the tc program (BPF target) and the writer that programs its maps, rebuilt
# when their C sources are newer than what was built.
if [ "$profile" = local ] || [ "$profile" = bench ] || [ "$profile" = test ]; then
  src=src/cluster/local/engines/ebpf/c
  out=.cache/bpf
  if [ ! -f "$out/policy.bpf.o" ] || [ ! -f "$out/cnb-bpf-writer" ] ||
    [ -n "$(find "$src" -newer "$out/policy.bpf.o" -print -quit)" ] ||
    [ -n "$(find "$src" -newer "$out/cnb-bpf-writer" -print -quit)" ]; then
    echo "setup: building the eBPF policy engine" >&2
    mkdir -p "$out"
    clang -O2 -g -Wall -target bpf -I"/usr/include/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)" \
      -c "$src/policy.bpf.c" -o "$out/policy.bpf.o"
    clang -O2 -Wall -Wno-fortify-source -o "$out/cnb-bpf-writer" "$src/writer.c" -lbpf
  fi
fi
