#!/usr/bin/env bash
# `npm run bench`: every speed target in one table (bench/run.ts), on the Node that setup provides.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
cnb_use_node
bash scripts/setup.sh bench
exec node dist/bench/run.js "$@"
