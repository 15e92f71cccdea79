#!/usr/bin/env bash
# Wall time of a sweep plan (default: notebook 06's quick mode, docs/plans/06-quick.json) run locally in one worker
# process (1 and 2 libtorch threads) against the same plan as a 2-task Slurm job array (1 thread per task), interleaved.
#   bash scripts/local-slurm.sh start && bash bench/slurm-sweep.sh [PLAN] [REPEATS]
# Prints one line per run (with the load average before it) and checks that the array's records equal the one-thread
# local run's (same thread count). Every worker runs at nice NICE (default 10, so a shared machine's other users keep
# their share): the local ones through nice, the array's through a set-up line. The first repeat's generated sbatch
# script is copied to bench/results/slurm-06-quick.sbatch.
set -euo pipefail
cd "$(dirname "$0")/.."
plan=${1:-docs/plans/06-quick.json}
repeats=${2:-3}
niceness=${NICE:-10}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
dotnet build src/SparsityKit.Train -c Release --nologo --verbosity quiet >/dev/null
work=$(mktemp -d /tmp/sparsitykit-slurm-bench.XXXXXX)
# A frozen copy of the worker, so that a rebuild while the benchmark runs cannot change (or break) it.
cp -r src/SparsityKit.Train/bin/Release/net10.0 "$work/worker"
dll=$work/worker/SparsityKit.Train.dll
seconds() { python3 -c "import time; print(time.time())"; }
for r in $(seq "${FIRST:-1}" "$repeats"); do   # FIRST=2 continues a series
  for threads in 1 2; do
    store=$work/local-t$threads-$r; mkdir -p "$store"
    sed "s/\"Threads\": *[0-9]*/\"Threads\": $threads/" "$plan" > "$store/sweep.plan"
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(seconds); nice -n "$niceness" dotnet "$dll" worker --store "$store" --poll 1 > "$store/worker.out"; t1=$(seconds)
    echo "repeat $r: local, one process, $threads thread(s): $(python3 -c "print(f'{$t1-$t0:.1f}')") s (load before: $load)"
  done
  store=$work/array-$r
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(seconds)
  dotnet "$dll" submit --plan "$plan" --store "$store" --tasks 2 --poll 1 --worker "$dll" --setup "renice -n $niceness -p \$\$ >/dev/null" --wait > "$work/array-$r.out"
  t1=$(seconds)
  echo "repeat $r: Slurm array, 2 tasks x 1 thread: $(python3 -c "print(f'{$t1-$t0:.1f}')") s (submission to all records; load before: $load)"
  [ "$r" -eq 1 ] && cp "$(ls "$store"/slurm/*.sbatch | head -1)" bench/results/slurm-06-quick.sbatch
  python3 - "$work/local-t1-$r" "$store" <<'PY'
import json, pathlib, sys
def load(d):
    out = {}
    for p in pathlib.Path(d).rglob("*.json"):
        if p.name.endswith(".group.json"): continue   # a method trained once and measured at every target: its records are also single files
        r = json.loads(p.read_text()); out[(r["Kind"], r.get("TargetSparsity"), r["Seed"])] = (r["TestAccuracy"], r["TestLoss"], r["Sparsity"])
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
same = a == b
print(f"  records: local {len(a)}, array {len(b)}, identical: {same}")
sys.exit(0 if same else 1)
PY
done
echo "stores and outputs: $work"
