#!/usr/bin/env bash
# Side-by-side training throughput: SparsityKit against the PyTorch peer (../shared/peers), LeNet-300-100,
# Adam 1.2e-3, batch 60, one thread, same step count, runs interleaved so both see the same machine.
# usage: bash bench/run.sh [--steps N] [--repeats R] [--sparsity S]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=3000 repeats=3 sparsity=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --sparsity) sparsity=$2; shift 2 ;;
    *) echo "usage: bash bench/run.sh [--steps N] [--repeats R] [--sparsity S]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
dotnet build bench/SparsityKit.Bench -c Release --no-restore -v quiet -nologo >/dev/null
ours=() peer=() dense=()
for r in $(seq "$repeats"); do
  line=$(dotnet bench/SparsityKit.Bench/bin/Release/net10.0/SparsityKit.Bench.dll --steps "$steps" --sparsity "$sparsity")
  echo "$line"; ours+=("$(echo "$line" | sed -n 's/.*steps_per_s=\([0-9.]*\).*/\1/p')")
  if [ "$sparsity" != 0 ]; then
    line=$(dotnet bench/SparsityKit.Bench/bin/Release/net10.0/SparsityKit.Bench.dll --steps "$steps" --sparsity 0)
    echo "$line"; dense+=("$(echo "$line" | sed -n 's/.*steps_per_s=\([0-9.]*\).*/\1/p')")
  fi
  line=$(bash bench/peer.sh --data data/mnist --steps "$steps" --sparsity "$sparsity")
  echo "$line"; peer+=("$(echo "$line" | sed -n 's/.*steps_per_s=\([0-9.]*\).*/\1/p')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
o=$(median "${ours[@]}"); p=$(median "${peer[@]}")
echo "median steps/s: sparsitykit $o, pytorch peer $p; ratio sparsitykit/peer = $(awk -v a="$o" -v b="$p" 'BEGIN{printf "%.2f", a/b}')"
if [ "$sparsity" != 0 ]; then
  d=$(median "${dense[@]}")
  echo "masked/dense time per step = $(awk -v a="$o" -v b="$d" 'BEGIN{printf "%.3f", b/a}') (sparsitykit dense $d steps/s)"
fi
