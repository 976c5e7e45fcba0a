#!/usr/bin/env bash
# Runs the generated crate's README example (generated-client/examples/list_and_retire.rs) against
# `prism mock` on 127.0.0.1 in dynamic mode: it must list projects, create a retirement and print
# the 422 Prism answers a 0 kg retirement with as one Display line, configured only from
# environment variables, logging each request through tracing_subscriber without a secret, and
# exit 0. (The 0 kg request is the one Prism may call a violation; every other must be valid.)
# (A seeded Prism answers every request alike, so it cannot serve a chain of distinct cursors:
# following pages is proven by tests/client/pagination.rs against an in-process mock.)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p isometric-registry --example list_and_retire
port=4079
log=target/prism-example.log
tests/prism/node_modules/.bin/prism mock -h 127.0.0.1 -p "$port" --dynamic --seed "${PRISM_SEED:-7}" \
  spec/isometric-registry.openapi.json > "$log" 2>&1 &
prism=$!
trap 'kill "$prism" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$prism" 2>/dev/null; then cat "$log"; exit 1; fi
  sleep 0.5
done

out=$(ISOMETRIC_BASE_URL="http://127.0.0.1:$port" \
  ISOMETRIC_CLIENT_SECRET=example-secret ISOMETRIC_ACCESS_TOKEN=example-token \
  RETIRE_OWNER_ORG_ID=org_1GB56M1ST1S0GVNA RETIRE_BENEFICIARY_ORG_ID=org_1CP8EQDNQSBXTMR2 \
  RETIRE_SUPPLIER_ID=spl_1CC712KFS1S0YKPS RETIRE_CREDIT_BATCH_ID=ctb_1DRBTYA8Q1S07CBY \
  target/debug/examples/list_and_retire 2> target/prism-example-stderr.log)
echo "$out" | tail -4
grep -m1 'operation="create_retirement"' target/prism-example-stderr.log
grep -q 'operation="list_projects"' target/prism-example-stderr.log
if grep -qE 'example-(token|secret)' target/prism-example-stderr.log; then echo "secret logged"; exit 1; fi
grep -qE '^create_retirement: HTTP 422 Unprocessable Entity' <<<"$out"
requests=$(grep -c "get /projects ℹ" "$log" || true)
echo "Prism served $requests project pages"
grep -qE '^[0-9]+ projects$' <<<"$out"
grep -q '^retired ' <<<"$out"
[ "$requests" -ge 1 ]
violations=$(grep 'Violation' "$log" | grep -v 'credit_quantity_kg' || true)
if [ -n "$violations" ]; then echo "$violations"; exit 1; fi
