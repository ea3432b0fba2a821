#!/usr/bin/env bash
# The README's test command: installs what it needs (idempotently), builds, lints, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
cnb_use_node
bash scripts/setup.sh test
npm run --silent lint
mapfile -t files < <(find dist/test -name "*.test.js" | sort)
echo "test: ${#files[@]} test files, Node $(node --version)"
node --test --test-reporter=spec "${files[@]}"
