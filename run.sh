#!/usr/bin/env bash
# The main job: set up (idempotent), then execute every notebook headless and write the executed notebooks and their
# HTML renderings to artifacts/notebooks/.
# ./run.sh            quick mode (a few hundred steps per run; about 5 minutes on 2 cores)
# ./run.sh --full     the papers' settings (hours; resumable: finished runs are kept in results/notebooks/)
# Training LeNet-300-100 alone: dotnet run --project src/SparsityKit.Train -c Release [-- --full]
set -euo pipefail
cd "$(dirname "$0")"
exec bash scripts/run-notebooks.sh "$@"
