#!/usr/bin/env bash
# The test suite: set up (idempotent), run every test project, and end with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
# libtorch's worker threads spin while they wait; on a busy 2-core machine that slows small trainings several-fold.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
bash scripts/setup.sh || exit 1
# The cluster tests (names containing "Slurm") submit to a real single-node Slurm on this machine; they fail if it is not up.
bash scripts/local-slurm.sh start || { echo "test.sh: the local Slurm did not start (scripts/local-slurm.sh); the Slurm tests will fail." >&2; }
results=artifacts/test-results
rm -rf "$results"
# Build once before any test runs: the notebook tests pack the library, which must not race a build still going on.
dotnet build SparsityKit.sln -c Release --no-restore --nologo --verbosity quiet &&
  dotnet test SparsityKit.sln -c Release --no-build --logger "trx" --results-directory "$results" "$@"
status=$?
passed=0 failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  passed=$((passed + $(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')))
  failed=$((failed + $(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')))
done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1   # a build or runner failure counts as a failure
echo "$passed passed, $failed failed"
exit "$status"
