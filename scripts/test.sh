#!/usr/bin/env bash
# The README's test command: installs what it needs (idempotently), builds, lints, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent lint
node --test --test-reporter=spec dist/test/
