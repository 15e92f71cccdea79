#!/usr/bin/env bash
# Side-by-side training throughput: SparsityKit against the PyTorch peer (../shared/peers), LeNet-300-100,
# Adam 1.2e-3, batch 60, one thread, same step count. Each repeat runs SparsityKit and the peer back to back, in an
# order that alternates between repeats, and takes their ratio within the repeat: on a shared virtual machine the
# speed drifts by tens of percent over minutes, and runs taken far apart do not compare. With --sparsity above 0 each
# repeat also measures what the mask costs, masked against dense in lockstep in one process (SparsityKit.MaskCost).
# Both clocks time the training steps only (not the set-up, not the final evaluation).
# usage: bash bench/run.sh [--steps N] [--repeats R] [--sparsity S] [--batch B]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=3000 repeats=5 sparsity=0 batch=60
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --sparsity) sparsity=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    *) echo "usage: bash bench/run.sh [--steps N] [--repeats R] [--sparsity S] [--batch B]" >&2; exit 2 ;;
  esac
done
# Say what is missing before building anything (bench/peer.sh looks in the same place).
peers=${SPARSITYKIT_PEERS:-$(git rev-parse --show-toplevel)/../shared/peers}
if [ ! -f "$peers/pytorch_lenet.py" ]; then
  echo "bench/run.sh: the PyTorch peer is missing: no $peers/pytorch_lenet.py." >&2
  echo "  The side-by-side run needs the shared peers folder beside the repository (../shared/peers, see its README.md)." >&2
  echo "  Put it there (for example: ln -s /path/to/shared \"$(git rev-parse --show-toplevel)/../shared\"), or set" >&2
  echo "  SPARSITYKIT_PEERS=/path/to/peers. SparsityKit alone: dotnet run --project bench/SparsityKit.Bench -c Release -- --steps $steps" >&2
  exit 1
fi
bash scripts/setup.sh
for project in Bench MaskCost; do dotnet build "bench/SparsityKit.$project" -c Release --no-restore -v quiet -nologo >/dev/null; done
rate() { sed -n 's/.* steps_per_s=\([0-9.]*\).*/\1/p'; }
ours() { dotnet bench/SparsityKit.Bench/bin/Release/net10.0/SparsityKit.Bench.dll --steps "$steps" --sparsity "$sparsity" --batch "$batch"; }
peer() { bash bench/peer.sh --data data/mnist --threads 1 --steps "$steps" --sparsity "$sparsity" --batch "$batch"; }
lockstep() { dotnet bench/SparsityKit.MaskCost/bin/Release/net10.0/SparsityKit.MaskCost.dll --steps "$steps" --sparsity "$sparsity" --batch "$batch"; }
vs_peer=() masked_cost=() o=0 p=0
for r in $(seq "$repeats"); do
  runs=(ours peer)
  [ $((r % 2)) = 0 ] && runs=(peer ours)
  for run in "${runs[@]}"; do
    case $run in
      ours) line=$(ours); o=$(echo "$line" | rate) ;;
      peer) line=$(peer); p=$(echo "$line" | rate) ;;
    esac
    echo "$line"
  done
  vs_peer+=("$(awk -v a="$o" -v b="$p" 'BEGIN{print a/b}')")
  if [ "$sparsity" != 0 ]; then
    line=$(lockstep); echo "$line"
    masked_cost+=("$(echo "$line" | sed -n 's#.*masked/dense=\([0-9.]*\).*#\1#p')")
  fi
done
STATS_DIGITS=3
source bench/common.sh   # median, range, batch_of
echo "sparsitykit/peer steps per second (sparsity $sparsity, batch $batch): median $(median "${vs_peer[@]}") over $repeats repeats (range $(range "${vs_peer[@]}"))"
if [ "$sparsity" != 0 ]; then
  echo "sparsitykit masked/dense time per step, in lockstep: median $(median "${masked_cost[@]}") (range $(range "${masked_cost[@]}"))"
fi
