#!/usr/bin/env bash
# The speed table: SparsityKit (bench/SparsityKit.ModelBench) against the PyTorch 1.13 peer (bench/pytorch_models.py,
# run in bench/peer.sh's private environment), training steps per second, Adam 1.2e-3, on MNIST's 1x28x28 images:
# LeNet-5 batch 60, ResNet-20 batch 128, Conv-4 batch 60, MLP 784-1200-1200-10 batch 1024; one and two threads;
# and on request (--models vit-small) notebook 07's ViT-small at its batch of 128.
# Each side trains a dense and a masked model (random mask of --sparsity on every weight) in lockstep in one process
# (alternating blocks, the first block untimed), which gives the mask's cost on the same machine state. In a repeat
# SparsityKit and the peer run at the same time but take turns block by block (two FIFOs pass a token; --turns), so
# their ratio compares blocks seconds apart: this shared machine's speed drifts by up to 2x between runs a minute apart.
# Which side starts alternates between repeats; the summary gives the median and range over repeats. The load average
# is printed before every pair.
# usage: bash bench/models.sh [--repeats R] [--threads "1 2"] [--models "lenet5 resnet20 conv4 mlp1200 vit-small"]
#                             [--backend auto|native|onednn] [--peer-mkldnn 1|0] [--scale F] [--wait passive|spin]
#                             [--channels-last "OURS PEER"] [--peer-malloc glibc|kept]
# --scale multiplies every row's step count (on a busy machine a row's 20-40 timed steps take minutes).
# --wait: how both sides' OpenMP workers wait between parallel regions: passive (sleep at once; what SparsityKit sets by
# default, for shared machines) or spin (libgomp's own default of about 300,000 spins, then sleep; faster with two or
# more threads on a machine of one's own: OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=300000).
# --channels-last "OURS PEER": 1 stores convolution kernels (and the peer's images) channels-last on that side, 0 not
# (default "0 0"): SparsityKit's TrainConfig.ChannelsLast, PyTorch's model.to(memory_format=torch.channels_last).
# --peer-malloc kept gives the peer's glibc the settings SparsityKit's NativeHeap makes in its own process (freed memory
# stays in the process: GLIBC_TUNABLES); glibc (default) leaves the peer as PyTorch runs out of the box.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=3 threads="1 2" models="lenet5 resnet20 conv4 mlp1200" backend=auto peer_mkldnn=1 scale=1 sparsity=0.9 wait=passive channels_last="0 0" peer_malloc=glibc
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --peer-mkldnn) peer_mkldnn=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --sparsity) sparsity=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    --channels-last) channels_last=$2; shift 2 ;;
    --peer-malloc) peer_malloc=$2; shift 2 ;;
    *) echo "usage: bash bench/models.sh [--repeats R] [--threads \"1 2\"] [--models \"...\"] [--backend auto|native|onednn] [--peer-mkldnn 1|0] [--scale F] [--sparsity S] [--wait passive|spin] [--channels-last \"OURS PEER\"] [--peer-malloc glibc|kept]" >&2; exit 2 ;;
  esac
done
case $peer_malloc in
  glibc) peer_tunables=${GLIBC_TUNABLES:-} ;;
  # SparsityKit.NativeHeap's three settings: blocks up to 32 MiB from the heap, never trimmed, a 256 MiB pad.
  kept) peer_tunables=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647:glibc.malloc.top_pad=268435456 ;;
  *) echo "error: --peer-malloc must be glibc or kept, not '$peer_malloc'" >&2; exit 2 ;;
esac
read -r ours_cl peer_cl <<< "$channels_last"
[[ "$ours_cl" =~ ^[01]$ && "$peer_cl" =~ ^[01]$ ]] || { echo "error: --channels-last takes two 0/1 values, SparsityKit's then the peer's (e.g. \"1 1\"), not '$channels_last'" >&2; exit 2; }
source bench/common.sh   # median, range, batch_of
# Timed steps and block size per row: enough blocks to alternate, few enough to finish on a loaded 2-core machine.
steps_of() { case $1 in lenet5) echo 30 ;; *) echo 10 ;; esac; }
block_of() { case $1 in lenet5) echo 10 ;; *) echo 5 ;; esac; }
case $wait in
  passive) export OMP_WAIT_POLICY=PASSIVE ;;
  spin) export OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=300000 ;;   # a spin count set explicitly overrides ACTIVE's endless spin
  *) echo "error: --wait must be passive or spin, not '$wait'" >&2; exit 2 ;;
esac
dotnet build bench/SparsityKit.ModelBench -c Release -v quiet -nologo >/dev/null
dll=bench/SparsityKit.ModelBench/bin/Release/net10.0/SparsityKit.ModelBench.dll
turns=$(mktemp -d); trap 'rm -rf "$turns"' EXIT
summary=()
for t in $threads; do
  for m in $models; do
    b=$(batch_of "$m") s=$(awk -v x="$(steps_of "$m")" -v f="$scale" 'BEGIN{print int(x*f)}') k=$(block_of "$m")
    ours() { dotnet "$dll" train --model "$m" --batch "$b" --steps "$s" --block "$k" --threads "$t" --sparsity "$sparsity" --backend "$backend" --channels-last "$ours_cl" --turns "$turns/ours,$turns/peer" 2>/dev/null; }
    peer() { GLIBC_TUNABLES=$peer_tunables bash bench/peer.sh --script bench/pytorch_models.py --data data/mnist --model "$m" --batch "$b" --steps "$s" --block "$k" --threads "$t" --sparsity "$sparsity" --mkldnn "$peer_mkldnn" --channels-last "$peer_cl" --turns "$turns/peer" "$turns/ours"; }
    dense=() masked=() ours_cost=() peer_cost=()
    for r in $(seq "$repeats"); do
      echo "# $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
      rm -f "$turns/ours" "$turns/peer"; mkfifo "$turns/ours" "$turns/peer"
      first=ours; [ $((r % 2)) = 0 ] && first=peer
      exec 9<>"$turns/$first"; printf t >&9   # the first turn
      ours > "$turns/ours.out" & ours_pid=$!
      peer > "$turns/peer.out" & peer_pid=$!
      wait $ours_pid; wait $peer_pid; exec 9>&-
      o=$(cat "$turns/ours.out") p=$(cat "$turns/peer.out")
      echo "$o"; echo "$p"
      dense+=("$(awk -v a="$(echo "$o" | field dense_steps_per_s)" -v b="$(echo "$p" | field dense_steps_per_s)" 'BEGIN{print a/b}')")
      masked+=("$(awk -v a="$(echo "$o" | field masked_steps_per_s)" -v b="$(echo "$p" | field masked_steps_per_s)" 'BEGIN{print a/b}')")
      ours_cost+=("$(echo "$o" | sed -n 's#.*masked/dense=\([0-9.]*\).*#\1#p')")
      peer_cost+=("$(echo "$p" | sed -n 's#.*masked/dense=\([0-9.]*\).*#\1#p')")
    done
    row="$m batch $b, $t thread(s): sparsitykit/peer dense $(median "${dense[@]}")x ($(range "${dense[@]}")), masked $(median "${masked[@]}")x ($(range "${masked[@]}")); masked/dense time sparsitykit $(median "${ours_cost[@]}") ($(range "${ours_cost[@]}")), peer $(median "${peer_cost[@]}") ($(range "${peer_cost[@]}"))"
    echo "$row"; summary+=("$row")
  done
done
echo "== summary (backend $backend, peer mkldnn $peer_mkldnn, peer malloc $peer_malloc, channels-last ours $ours_cl peer $peer_cl, sparsity $sparsity, $repeats repeats, wait $wait)"
printf '%s\n' "${summary[@]}"
