#!/usr/bin/env bash
# Adds runs to a committed full-mode store, for as long as it is given: notebook 02's (Frankle and Carbin at their
# settings: 5 trials x 20 rounds x ticket, re-init, random mask and scratch-B, 50,000 iterations each; then late
# rewinding), notebook 06's (Gale et al.'s comparison, pruning every 0.5% of training, L0's lambda searched per target),
# notebook 07's (ResNet-20 on Fashion-MNIST and vit-small on MNIST: dense, magnitude, random, VD at 80/90/95%, 3 seeds)
# or notebook 08's (dynamic and early sparsity: 12 methods at 80-98%, 3 seeds, 1,500 steps each; 129 runs).
# The store resumes where any earlier sitting stopped; commit its folder under results/notebooks/ afterwards (finished
# runs only: checkpoints and leases are git-ignored), so the next sitting, on any machine, goes on from there.
#
# usage: scripts/continue-replications.sh [--notebook 02|06|07|08[,...]] [--processes N] [--hours H]
#   --notebook   which replication (default 02), or several in order ("02,07"): each process goes on with the next
#                once the one before is finished (in 02: every trial), instead of stopping there
#   --processes  trainings at once, one thread each (default 1); in 02 each takes a trial of its own (a trial's rounds are a chain)
#   --hours      stop after this long (default 2); a run cut off keeps its checkpoint and resumes in the next sitting here
# Prints how many of each store's runs are finished before and after.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

processes=1 hours=2 notebook=02
while [ $# -gt 0 ]; do
  case "$1" in
    --notebook) [ $# -ge 2 ] || { echo "error: --notebook needs 02, 06, 07 or 08" >&2; exit 2; }; notebook=$2; shift ;;
    --processes) [ $# -ge 2 ] || { echo "error: --processes needs a number" >&2; exit 2; }; processes=$2; shift ;;
    --hours) [ $# -ge 2 ] || { echo "error: --hours needs a number" >&2; exit 2; }; hours=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option '$1'. Try --help." >&2; exit 2 ;;
  esac
  shift
done
[[ "$processes" =~ ^[1-9][0-9]*$ ]] || { echo "error: --processes must be a whole number from 1, not '$processes'." >&2; exit 2; }
[[ "$hours" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "error: --hours must be a number of hours (e.g. 2 or 0.5), not '$hours'." >&2; exit 2; }

# Each notebook's app and store.
name_of() { case "$1" in 02) echo 02-lottery-tickets ;; 06) echo 06-state-of-sparsity ;; 07) echo 07-beyond-mnist ;; 08) echo 08-dynamic-and-early-sparsity ;; esac; }
store_of() { case "$1" in 06) echo results/notebooks/06-state-of-sparsity-every-0.5pct ;; *) echo "results/notebooks/$(name_of "$1")" ;; esac; }
IFS=, read -r -a notebooks <<< "$notebook"
for n in "${notebooks[@]}"; do
  [ -n "$(name_of "$n")" ] || { echo "error: --notebook must be 02, 06, 07 or 08 (the replications with committed stores), or several of them joined by commas, not '$notebook'." >&2; exit 2; }
done
[ "$(printf '%s\n' "${notebooks[@]}" | sort | uniq -d)" = "" ] || { echo "error: --notebook '$notebook' has a notebook listed twice; list each once." >&2; exit 2; }
finished() { find "$(store_of "$1")" -name '*.json' ! -name '*.claim' 2>/dev/null | wc -l; }
# The apps run from their own build output, so rebuilding the repository meanwhile does not change the code they run.
for n in "${notebooks[@]}"; do
  dotnet build -c Release "notebooks/apps/$(name_of "$n").cs" >/dev/null || { echo "error: could not build notebooks/apps/$(name_of "$n").cs" >&2; exit 1; }
  echo "$(date -u +%FT%TZ) $(store_of "$n"): $(finished "$n") runs finished; $processes process(es) for $hours h"
done
mkdir -p artifacts/replications
deadline=$((SECONDS + $(awk "BEGIN { print int($hours * 3600) }")))
# One worker: runs each notebook's app in turn until it finishes (exit 0) or time is up; a crash (TorchSharp's finalizer
# races, a killed process) costs only the run in progress, which resumes from its checkpoint, so the worker starts the
# app again. Three failures within a minute of starting each are not a race but a broken set-up: the worker gives up.
worker() {
  local process=$1 n
  for n in "${notebooks[@]}"; do
    local app=notebooks/apps/$(name_of "$n").cs log=artifacts/replications/$(name_of "$n")-process$process.log quick=0
    while true; do
      [ $SECONDS -lt $deadline ] || return 0
      local started=$SECONDS
      SPARSITYKIT_MODE=full OMP_NUM_THREADS=1 timeout --signal=TERM $((deadline - SECONDS)) \
        dotnet run -c Release --no-build "$app" >> "$log" 2>&1
      rc=$?
      [ $rc = 0 ] && break        # this notebook is finished: on to the next
      [ $rc = 124 ] && return 0   # time is up
      if [ $((SECONDS - started)) -lt 60 ]; then quick=$((quick + 1)); else quick=0; fi
      if [ $quick -ge 3 ]; then
        echo "error: $app failed three times within a minute of starting (exit $rc); see $log" | tee -a "$log" >&2
        return 1
      fi
      echo "$(date -u +%FT%TZ) the app exited with $rc; starting it again (finished runs are kept)" | tee -a "$log" >&2
      sleep 5
    done
  done
}
pids=()
for i in $(seq 1 "$processes"); do
  worker "$i" &
  pids+=($!)
  [ "$i" -lt "$processes" ] && sleep 20   # the first process takes trial 1's lease before the next looks
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for n in "${notebooks[@]}"; do echo "$(date -u +%FT%TZ) $(store_of "$n"): $(finished "$n") runs finished"; done
echo "(logs: artifacts/replications/)"
exit $status
