#!/usr/bin/env bash
# Wall time of a sweep plan (default: notebook 06's quick mode, docs/plans/06-quick.json) run locally in one worker
# process (1 and 2 libtorch threads) against the same plan as a 2-task Slurm job array (1 thread per task), interleaved.
#   bash scripts/local-slurm.sh start && bash bench/slurm-sweep.sh [PLAN] [REPEATS]
# Prints one line per run and checks that the array's records equal the one-thread local run's (same thread count).
set -euo pipefail
cd "$(dirname "$0")/.."
plan=${1:-docs/plans/06-quick.json}
repeats=${2:-2}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
dotnet build src/SparsityKit.Train -c Release --nologo --verbosity quiet >/dev/null
dll=src/SparsityKit.Train/bin/Release/net10.0/SparsityKit.Train.dll
work=$(mktemp -d /tmp/sparsitykit-slurm-bench.XXXXXX)
seconds() { python3 -c "import time; print(time.time())"; }
for r in $(seq "$repeats"); do
  for threads in 1 2; do
    store=$work/local-t$threads-$r; mkdir -p "$store"
    sed "s/\"Threads\": *[0-9]*/\"Threads\": $threads/" "$plan" > "$store/sweep.plan"
    t0=$(seconds); dotnet "$dll" worker --store "$store" --poll 1 > "$store/worker.out"; t1=$(seconds)
    echo "repeat $r: local, one process, $threads thread(s): $(python3 -c "print(f'{$t1-$t0:.1f}')") s"
  done
  store=$work/array-$r
  t0=$(seconds); dotnet "$dll" submit --plan "$plan" --store "$store" --tasks 2 --poll 1 --wait > "$work/array-$r.out"; t1=$(seconds)
  echo "repeat $r: Slurm array, 2 tasks x 1 thread: $(python3 -c "print(f'{$t1-$t0:.1f}')") s (submission to all records)"
  python3 - "$work/local-t1-$r" "$store" <<'PY'
import json, pathlib, sys
def load(d):
    out = {}
    for p in pathlib.Path(d).rglob("*.json"):
        r = json.loads(p.read_text()); out[(r["Kind"], r.get("TargetSparsity"), r["Seed"])] = (r["TestAccuracy"], r["TestLoss"], r["Sparsity"])
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
same = a == b
print(f"  records: local {len(a)}, array {len(b)}, identical: {same}")
sys.exit(0 if same else 1)
PY
done
echo "stores and outputs: $work"
