#!/usr/bin/env bash
# What keeping freed native memory in the process (SparsityKit.NativeHeap) is worth: training steps per second of
# SparsityKit.ModelBench with the setting (the default) over the same run opted out of it (SPARSITYKIT_NATIVE_HEAP=glibc:
# glibc's own adaptive thresholds), in alternating order, with each run's minor page faults and its
# trained weights' digest (equal digests: the setting changes no result, bit for bit).
# usage: bash bench/native-heap.sh [--repeats R] [--threads T] [--models "vit-small resnet20 lenet5"] [--steps N]
# (timed steps per run, after 5 untimed; default 10, LeNet-5 and Conv-4 60)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=3 threads=1 models="vit-small resnet20 lenet5" steps=
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    *) echo "usage: bash bench/native-heap.sh [--repeats R] [--threads T] [--models \"vit-small resnet20 lenet5\"] [--steps N]" >&2; exit 2 ;;
  esac
done
export OMP_WAIT_POLICY=PASSIVE
dotnet build bench/SparsityKit.ModelBench -c Release -v quiet -nologo >/dev/null
dll=bench/SparsityKit.ModelBench/bin/Release/net10.0/SparsityKit.ModelBench.dll
source bench/common.sh   # median, range, batch_of, field, timed_steps
# A run: its output line and its minor page faults (GNU time's %R), on one line.
run() {  # model, kept|glibc
  local b cl=0; b=$(batch_of "$1"); [ "$1" = resnet20 ] && cl=1
  local env=(); [ "$2" = glibc ] && env=(SPARSITYKIT_NATIVE_HEAP=glibc)
  env "${env[@]}" /usr/bin/time -f "minor_faults=%R" dotnet "$dll" train --model "$1" --batch "$b" --steps "$(timed_steps "$1")" --block 5 \
    --threads "$threads" --sparsity 0 --channels-last "$cl" 2>&1 | grep -E "^sparsitykit|minor_faults" | tr '\n' ' '
}
summary=()
for m in $models; do
  ratios=() same=yes
  for r in $(seq "$repeats"); do
    echo "# $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ $((r % 2)) = 1 ]; then k=$(run "$m" kept); g=$(run "$m" glibc); else g=$(run "$m" glibc); k=$(run "$m" kept); fi
    echo "kept:  $k"; echo "glibc: $g"
    ratios+=("$(awk -v a="$(echo "$k" | field dense_steps_per_s)" -v b="$(echo "$g" | field dense_steps_per_s)" 'BEGIN{print a/b}')")
    [ "$(echo "$k" | field dense_weights)" = "$(echo "$g" | field dense_weights)" ] || same=no
  done
  row="$m batch $(batch_of "$m"), $threads thread(s), $(timed_steps "$m") timed steps: kept/glibc steps per second $(median "${ratios[@]}")x ($(range "${ratios[@]}")) over $repeats; weights bit-identical: $same"
  echo "$row"; summary+=("$row")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
