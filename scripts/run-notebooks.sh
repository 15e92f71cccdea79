#!/usr/bin/env bash
# Runs notebooks headless, end to end, with dotnet-repl (a local .NET tool), and renders each executed notebook to
# HTML with Debian's jupyter-nbconvert. Exits non-zero if any cell of any notebook failed.
#
# usage: scripts/run-notebooks.sh [--full] [--jupyter] [--no-setup] [--no-pack] [--no-html] [--output DIR] [NOTEBOOK.ipynb ...]
#   --full       the papers' settings (the notebooks' "full" mode); default "quick" (a few hundred steps)
#   --jupyter    execute with Jupyter (jupyter nbconvert --execute, kernel .net-csharp) instead of dotnet-repl
#   --no-setup   skip scripts/setup.sh          --no-pack   use the newest package already in artifacts/packages
#   --no-html    skip the HTML rendering        --output    where executed notebooks go (default artifacts/notebooks)
# With no NOTEBOOK, runs notebooks/*.ipynb.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

mode=quick setup=1 pack=1 html=1 out=artifacts/notebooks jupyter=0
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full ;;
    --quick) mode=quick ;;
    --jupyter) jupyter=1 ;;
    --no-setup) setup=0 ;;
    --no-pack) pack=0 ;;
    --no-html) html=0 ;;
    --output) [ $# -ge 2 ] || { echo "error: --output needs a folder" >&2; exit 2; }; out=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option '$1'. Try --help." >&2; exit 2 ;;
    *) notebooks+=("$1") ;;
  esac
  shift
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)

if [ "$setup" = 1 ]; then bash scripts/setup.sh || exit 1; fi

# Inside a kernel TorchSharp loads libtorch by name, so a system copy on the library path wins and then fails.
if ldconfig -p 2>/dev/null | grep -q 'libtorch_cpu\.so' || [[ "${LD_LIBRARY_PATH:-}" == *torch* ]]; then
  echo "error: a system libtorch is on the library path ($(ldconfig -p | grep -m1 'libtorch_cpu\.so' | sed 's/.*=> //')${LD_LIBRARY_PATH:+; LD_LIBRARY_PATH=$LD_LIBRARY_PATH})." >&2
  echo "       TorchSharp inside a notebook kernel would load it instead of its own and fail. Remove python3-torch /" >&2
  echo "       libtorch-dev (apt-get remove) or clear LD_LIBRARY_PATH; see environment.md." >&2
  exit 1
fi
if [ "$html" = 1 ] && ! command -v jupyter-nbconvert >/dev/null; then
  echo "error: jupyter-nbconvert is needed for the HTML rendering (scripts/setup.sh installs it; or pass --no-html)." >&2
  exit 1
fi

if [ "$jupyter" = 1 ] && ! jupyter kernelspec list 2>/dev/null | grep -q '\.net-csharp'; then
  echo "error: --jupyter needs the .NET Interactive Jupyter kernel: apt-get install jupyter-client, then" >&2
  echo "       dotnet tool install -g Microsoft.dotnet-interactive && dotnet interactive jupyter install (see environment.md)." >&2
  exit 1
fi
if [ "$pack" = 1 ]; then
  version=$(bash scripts/pack.sh) || { echo "error: packing SparsityKit failed (see above)." >&2; exit 1; }
  echo "notebooks: packed SparsityKit $version into artifacts/packages"
elif ! ls artifacts/packages/SparsityKit.*.nupkg >/dev/null 2>&1; then
  # Not an error by itself: a notebook that loads SparsityKit stops in its first cell with the same advice.
  echo "warning: no SparsityKit package in artifacts/packages; notebooks that load it will fail (run without --no-pack)." >&2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
# libtorch's OpenMP threads spin while they wait. On a small machine shared with other jobs that made training
# 5-7 times slower here (600 LeNet steps: 19-28 s spinning, 3-4 s passive); passive waiting costs little alone.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# A quick run takes well under a minute per notebook; a hung kernel should not hold CI for its whole budget.
limit=$([ "$mode" = quick ] && echo 1200 || echo 0)
ok=0 failed=0 started=$SECONDS
for notebook in "${notebooks[@]}"; do
  [ -f "$notebook" ] || { echo "error: no notebook $notebook" >&2; failed=$((failed + 1)); continue; }
  name=$(basename "$notebook" .ipynb)
  folder=$(cd "$(dirname "$notebook")" && pwd)
  executed="$out/$name.ipynb"
  if [ "$executed" -ef "$folder/$name.ipynb" ]; then
    echo "error: $notebook: the output folder is the notebook's own folder; choose another --output." >&2
    failed=$((failed + 1)); continue
  fi
  rm -f "$executed" "$out/$name.html"
  t0=$SECONDS
  # The kernel works in the notebook's folder, as in VS Code and Jupyter; dotnet-repl exits 2 if a cell failed.
  # The notebooks' parameters cell reads the mode from SPARSITYKIT_MODE (default quick).
  if [ "$jupyter" = 1 ]; then
    # nbconvert starts the kernel in the notebook's folder; with --allow-errors it writes the notebook even when a cell
    # fails, and the post-processing below reports the errors.
    SPARSITYKIT_MODE=$mode timeout "$limit" jupyter nbconvert --to notebook --execute --allow-errors --log-level WARN \
      --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.startup_timeout=300 \
      --output-dir "$out" --output "$name" "$folder/$name.ipynb"
  else
    SPARSITYKIT_MODE=$mode timeout "$limit" dotnet tool run dotnet-repl -- --run "$folder/$name.ipynb" --working-dir "$folder" \
      --exit-after-run --output-path "$executed"
  fi
  rc=$?
  status=ok
  if [ ! -f "$executed" ]; then
    echo "error: $notebook: dotnet-repl wrote no executed notebook (exit $rc$([ "$rc" = 124 ] && echo ", timed out after ${limit}s"))." >&2
    status=failed
  else
    python3 scripts/postprocess-notebook.py --root "$root" "$executed" || status=failed
    [ "$rc" -eq 0 ] || status=failed
    if [ "$html" = 1 ] && ! jupyter-nbconvert --to html --log-level WARN --output-dir "$out" "$executed"; then
      echo "error: $notebook: the HTML rendering failed (see above)." >&2
      status=failed
    fi
  fi
  echo "notebooks: $name ($mode) $status in $((SECONDS - t0)) s"
  if [ "$status" = ok ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
done
echo "notebooks: $ok ran without error, $failed failed ($mode mode, $((SECONDS - started)) s); executed notebooks$([ "$html" = 1 ] && echo " and HTML") in ${out#"$root"/}/"
[ "$failed" -eq 0 ]
