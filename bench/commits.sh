#!/usr/bin/env bash
# What a code change does to training speed: SparsityKit.ModelBench built from the working tree against the same
# benchmark built from a base commit (a git worktree under /tmp), run in alternating order, one thread by default.
# Prints each pair's steps per second, the ratio working tree / base, and whether the trained weights' digests agree:
# between the two builds (the change is bit-identical) and between repeats of the working tree (it is reproducible).
# usage: bash bench/commits.sh --base REV [--repeats R] [--threads T] [--models "vit-small"] [--steps N] [--sparsity S]
# (timed steps per run, after 5 untimed; default 10, LeNet-5 and Conv-4 60)
set -euo pipefail
cd "$(dirname "$0")/.."
base= repeats=3 threads=1 models=vit-small steps= sparsity=0
usage='usage: bash bench/commits.sh --base REV [--repeats R] [--threads T] [--models "vit-small"] [--steps N] [--sparsity S]'
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --sparsity) sparsity=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "error: --base REV is required (the commit to compare the working tree with). $usage" >&2; exit 2; }
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || { echo "error: --base '$base' is not a commit here." >&2; exit 2; }
export OMP_WAIT_POLICY=PASSIVE
worktree=$(mktemp -d /tmp/sparsitykit-base-XXXXXX)
trap 'git worktree remove --force "$worktree" >/dev/null 2>&1 || true' EXIT
git worktree add --detach --quiet "$worktree" "$base"
dotnet build "$worktree/bench/SparsityKit.ModelBench" -c Release -v quiet -nologo >/dev/null
dotnet build bench/SparsityKit.ModelBench -c Release -v quiet -nologo >/dev/null
dll=bench/SparsityKit.ModelBench/bin/Release/net10.0/SparsityKit.ModelBench.dll
base_dll=$worktree/bench/SparsityKit.ModelBench/bin/Release/net10.0/SparsityKit.ModelBench.dll
source bench/common.sh   # median, range, batch_of, field, timed_steps
run() {  # dll, model
  local cl=0; [ "$2" = resnet20 ] && cl=1
  dotnet "$1" train --model "$2" --batch "$(batch_of "$2")" --steps "$(timed_steps "$2")" --block 5 --threads "$threads" \
    --sparsity "$sparsity" --channels-last "$cl" 2>&1 | grep -E "^sparsitykit" | tr '\n' ' '
}
echo "# base $(git rev-parse --short "$base"), working tree on $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' with uncommitted changes in src/')"
summary=()
for m in $models; do
  ratios=() identical=yes digests=()
  for r in $(seq "$repeats"); do
    echo "# $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ $((r % 2)) = 1 ]; then new=$(run "$dll" "$m"); old=$(run "$base_dll" "$m"); else old=$(run "$base_dll" "$m"); new=$(run "$dll" "$m"); fi
    echo "working tree: $new"; echo "base:         $old"
    ratios+=("$(awk -v a="$(echo "$new" | field dense_steps_per_s)" -v b="$(echo "$old" | field dense_steps_per_s)" 'BEGIN{print a/b}')")
    [ "$(echo "$new" | field dense_weights)" = "$(echo "$old" | field dense_weights)" ] || identical=no
    digests+=("$(echo "$new" | field dense_weights)")
  done
  reproducible=$([ "$(printf '%s\n' "${digests[@]}" | sort -u | wc -l)" = 1 ] && echo yes || echo no)
  row="$m batch $(batch_of "$m"), $threads thread(s), $(timed_steps "$m") timed steps: working tree/base steps per second $(median "${ratios[@]}")x ($(range "${ratios[@]}")) over $repeats; weights equal to base: $identical; working tree reproducible: $reproducible"
  echo "$row"; summary+=("$row")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
