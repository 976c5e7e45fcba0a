#!/usr/bin/env bash
# Installs the pinned Prism mock server (@stoplight/prism-cli, see tests/prism/package.json and
# its package-lock.json) into tests/prism/node_modules for `cargo test -p oapi-tests --test conformance`.
# Without it that test prints "SKIPPED conformance" and passes.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tests/prism --no-audit --no-fund
tests/prism/node_modules/.bin/prism --version
