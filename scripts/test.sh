#!/usr/bin/env bash
# The README's test command: installs what it needs (idempotently), builds, lints, runs the tests.
#   scripts/test.sh        every test (root needed: *.netns.test.ts build network namespaces)
#   scripts/test.sh unit   every test that needs no root (`npm run test:unit`)
# Tests run two files at a time with node's test coverage of src/ (summary at the end; the full run
# fails below the floors below, set a little under the figures of 2026-11-30: 95.4% of lines, 86.8%
# of branches, 95.0% of functions). The end-to-end tests that measure this machine (A/A, drift, the
# quickstart, whose time is a target) then run alone, one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
cnb_use_node
mode="${1:-all}"
bash scripts/setup.sh test
npm run --silent lint

# Coverage floors (percent of src/ lines, branches, functions covered by the whole suite).
COVERAGE_LINES=93
COVERAGE_BRANCHES=84
COVERAGE_FUNCTIONS=92
# Measurements of this machine: run alone, after the rest.
solo=(dist/test/e2e/quickstart.netns.test.js)

is_solo() { local f; for f in "${solo[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }
files=()
while IFS= read -r f; do
  if [ "$mode" = unit ] && [[ "$f" == *.netns.test.js ]]; then continue; fi
  is_solo "$f" || files+=("$f")
done < <(find dist/test -name "*.test.js" | sort)

coverage=(--experimental-test-coverage --test-coverage-include='**/src/**' --test-coverage-exclude='**/node_modules/**')
if [ "$mode" = all ]; then
  coverage+=(--test-coverage-lines="$COVERAGE_LINES" --test-coverage-branches="$COVERAGE_BRANCHES"
    --test-coverage-functions="$COVERAGE_FUNCTIONS")
fi
echo "test: ${#files[@]} test files, two at a time, Node $(node --version)"
node --enable-source-maps --test --test-concurrency=2 --test-reporter=spec "${coverage[@]}" "${files[@]}"
if [ "$mode" = all ]; then
  echo "test: ${#solo[@]} end-to-end test files that measure this machine, one at a time"
  node --test --test-concurrency=1 --test-reporter=spec "${solo[@]}"
fi
