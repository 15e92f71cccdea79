#!/usr/bin/env bash
# The full-size resume check: a 50,000-step LeNet-300-100 run (gradual pruning to 90%) killed with SIGKILL at a
# random moment, resumed from its last checkpoint, must end with the same weights (hash) as an uninterrupted run.
# usage: bash scripts/checkpoint-check.sh [STEPS]   (one libtorch thread on each side, so both are bit-comparable)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-50000}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
dotnet build src/SparsityKit.Train -c Release --nologo --verbosity quiet >/dev/null
tool=(dotnet src/SparsityKit.Train/bin/Release/net10.0/SparsityKit.Train.dll replicate checkpoint --threads 1 --steps "$steps")
work=$(mktemp -d)
"${tool[@]}" --store "$work/straight" | tee "$work/straight.txt"
"${tool[@]}" --store "$work/killed" & pid=$!
sleep $((20 + RANDOM % 60))
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
echo "killed at a random moment"
"${tool[@]}" --store "$work/killed" | tee "$work/resumed.txt"
a=$(grep -o 'sha256 [0-9a-f]*' "$work/straight.txt"); b=$(grep -o 'sha256 [0-9a-f]*' "$work/resumed.txt")
if [ "$a" = "$b" ]; then echo "bit-identical: $a"; else echo "DIFFERENT: $a vs $b"; exit 1; fi
