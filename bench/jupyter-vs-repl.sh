#!/usr/bin/env bash
# How much slower a notebook runs in Jupyter (nbconvert with the .NET kernel, no OMP_WAIT_POLICY in the environment,
# as a user starts it) than under the project's runner (dotnet-repl, which sets OMP_WAIT_POLICY=PASSIVE). Runs the two
# interleaved, REPEATS times each, in quick mode, and prints every pair's times, their ratio and the range of ratios.
#   bench/jupyter-vs-repl.sh [--repeats N] NOTEBOOK...     e.g. bench/jupyter-vs-repl.sh --repeats 3 notebooks/07-beyond-mnist.ipynb
# Needs the set-up of the README's Jupyter section (jupyter-client, the .NET kernel) and a packed SparsityKit
# (scripts/pack.sh). Executed notebooks go to a temporary folder and are deleted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
repeats=3
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2 ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
[ ${#notebooks[@]} -gt 0 ] || { echo "error: name at least one notebook, e.g. notebooks/07-beyond-mnist.ipynb" >&2; exit 2; }
command -v jupyter-kernelspec >/dev/null && jupyter kernelspec list 2>/dev/null | grep -q '\.net-csharp' ||
  { echo "error: Jupyter's .NET kernel is not installed; see the README's Jupyter section (jupyter-client, dotnet-interactive)." >&2; exit 2; }
ls artifacts/packages/SparsityKit.*.nupkg >/dev/null 2>&1 || { echo "error: no SparsityKit package: run scripts/pack.sh first." >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Seconds (to 0.1) that a command takes; its output goes to a log that is shown if it fails.
seconds() {
  local log="$out/log" start end
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1 || { echo "error: failed: $*" >&2; tail -20 "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}

echo "# $(date -u +%F) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), quick mode, $repeats pairs per notebook"
printf '%-32s %5s %10s %10s %7s\n' notebook pair repl_s jupyter_s ratio
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .ipynb)
  folder=$(cd "$(dirname "$notebook")" && pwd)
  ratios=()
  for pair in $(seq 1 "$repeats"); do
    repl=$(seconds env OMP_WAIT_POLICY=PASSIVE SPARSITYKIT_MODE=quick dotnet tool run dotnet-repl -- --run "$folder/$name.ipynb" \
      --working-dir "$folder" --exit-after-run --output-path "$out/$name.repl.ipynb")
    jupyter=$(seconds env -u OMP_WAIT_POLICY SPARSITYKIT_MODE=quick jupyter nbconvert --to notebook --execute --log-level WARN \
      --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.startup_timeout=300 \
      --output-dir "$out" --output "$name.jupyter" "$folder/$name.ipynb")
    ratio=$(python3 -c "print(f'{$jupyter / $repl:.2f}')")
    ratios+=("$ratio")
    printf '%-32s %5s %10s %10s %7s\n' "$name" "$pair" "$repl" "$jupyter" "$ratio"
  done
  python3 -c "import sys; r=[float(x) for x in sys.argv[2:]]; print(f'{sys.argv[1]}: Jupyter / dotnet-repl {sorted(r)[len(r)//2]:.2f} (median), range {min(r):.2f}-{max(r):.2f}')" "$name" "${ratios[@]}"
done
