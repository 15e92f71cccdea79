#!/usr/bin/env bash
# Inference speed of pruned models: SparsityKit's sparse kernel against libtorch's dense forward pass, and against
# PyTorch's torch.sparse.mm CSR product (the peer of ../shared/peers) on LeNet-300-100's first layer at 95%.
#  1. First layer, one thread, batches 1, 60, 10000: SparsityKit (SparsityKit.SparseInference --first-layer) and the
#     PyTorch peer (bench/sparse_mm_peer.py), run back to back in alternating order for --rounds rounds; each side times
#     its own dense and sparse product interleaved. Printed: each side's speed-up over its own dense product, and the
#     peer's CSR time over SparsityKit's sparse time (medians and range over rounds).
#  2. LeNet-300-100 and LeNet-5 at 0-99% sparsity, batches 1, 60, 10000 (LeNet-5: 1000), one thread and all: dense and sparse times,
#     measured and FLOP-promised speed-ups. The last line: LeNet-300-100 at 95%, one thread, batches 10000 and 1.
# The machine is shared: every figure is a ratio of runs interleaved in one process, with its range over repeats.
# LeNet-5's dense forward pass over 10,000 images takes 10 s and more on this loaded 2-core machine (minutes per row of
# the table), so LeNet-5 runs at batches 1, 60 and 1,000 (--lenet5-batches) with --large-repeats (3) repeats at 1,000.
# usage: bash bench/sparse-inference.sh [--repeats R] [--large-repeats R] [--lenet5-batches B,...] [--rounds N] [--no-peer]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=5 large_repeats=3 lenet5_batches=1,60,1000 rounds=3 peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2 ;;
    --large-repeats) large_repeats=$2; shift 2 ;;
    --lenet5-batches) lenet5_batches=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-peer) peer=0; shift ;;
    *) echo "usage: bash bench/sparse-inference.sh [--repeats R] [--large-repeats R] [--lenet5-batches B,...] [--rounds N] [--no-peer]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh >&2
dotnet build bench/SparsityKit.SparseInference -c Release --no-restore -v quiet -nologo >/dev/null
ours() { OMP_WAIT_POLICY=PASSIVE dotnet bench/SparsityKit.SparseInference/bin/Release/net10.0/SparsityKit.SparseInference.dll "$@"; }
source bench/common.sh   # median, range, batch_of

if [ "$peer" = 1 ]; then
  # The peer's PyTorch lives in /opt/peer-torch, never on the system path; peer.sh installs it on first use.
  bash bench/peer.sh --data data/mnist --steps 1 >/dev/null
  peer_run() { env LD_LIBRARY_PATH=/opt/peer-torch/usr/lib/x86_64-linux-gnu PYTHONPATH=/opt/peer-torch/usr/lib/python3/dist-packages \
      PYTHONNOUSERSITE=1 /usr/bin/python3 bench/sparse_mm_peer.py --threads 1 --sparsity 0.95 --repeats "$repeats"; }
  declare -A ours_up peer_up vs_peer ours_ms peer_ms
  for r in $(seq "$rounds"); do
    order=(ours peer); [ $((r % 2)) = 0 ] && order=(peer ours)
    for side in "${order[@]}"; do
      if [ "$side" = ours ]; then
        out=$(ours --first-layer --sparsities 0.95 --threads 1 --repeats "$repeats"); echo "$out" | grep '^lenet'
        while read -r _ _ _ _ batch _ sparse_ms up _; do
          ours_ms[$batch]=$sparse_ms; ours_up[$batch]+="${up%x} "
        done < <(echo "$out" | grep '^lenet')
      else
        out=$(peer_run); echo "$out"
        while read -r line; do
          batch=$(echo "$line" | sed 's/.* batch=\([0-9]*\).*/\1/'); csr=$(echo "$line" | sed 's/.* csr_pre_ms=\([0-9.]*\).*/\1/')
          peer_ms[$batch]=$csr; peer_up[$batch]+="$(echo "$line" | sed 's/.* speedup=\([0-9.]*\).*/\1/') "
        done <<< "$out"
      fi
    done
    for batch in 1 60 10000; do vs_peer[$batch]+="$(awk -v p="${peer_ms[$batch]}" -v o="${ours_ms[$batch]}" 'BEGIN{print p/o}') "; done
  done
  echo "# LeNet-300-100 first layer at 95%, one thread, $rounds rounds: speed-up over each side's dense product; PyTorch's CSR time (addmm on a pre-transposed input, its best case) / SparsityKit's sparse time (transposes included)"
  for batch in 1 60 10000; do
    echo "first layer batch $batch: SparsityKit $(median ${ours_up[$batch]})x ($(range ${ours_up[$batch]})), torch.sparse.mm CSR $(median ${peer_up[$batch]})x ($(range ${peer_up[$batch]})), SparsityKit sparse is $(median ${vs_peer[$batch]})x faster than PyTorch CSR ($(range ${vs_peer[$batch]}))"
  done
fi
ours --repeats "$repeats" --large-repeats "$large_repeats" --lenet5-batches "$lenet5_batches"
