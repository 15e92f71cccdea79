#!/usr/bin/env bash
# The main job: set up (idempotent), then execute every notebook headless and write the executed notebooks and their
# HTML renderings to artifacts/notebooks/.
# ./run.sh            quick mode (a few hundred steps per run; about 5 minutes on 2 cores)
# ./run.sh --full     the papers' settings (hours; resumable: finished runs are kept in results/notebooks/)
# ./run.sh --apps     the notebooks' file-based-app twins instead (notebooks/apps/*.cs with `dotnet run`; charts
#                     as HTML in artifacts/apps/); combines with --full
# Training LeNet-300-100 alone: dotnet run --project src/SparsityKit.Train -c Release [-- --full]
set -euo pipefail
cd "$(dirname "$0")"
args=() apps=0
for arg in "$@"; do if [ "$arg" = --apps ]; then apps=1; else args+=("$arg"); fi; done
if [ "$apps" = 1 ]; then exec bash scripts/run-apps.sh "${args[@]}"; fi
exec bash scripts/run-notebooks.sh "${args[@]}"
