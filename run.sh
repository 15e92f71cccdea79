#!/usr/bin/env bash
# The main job: set up (idempotent), then train LeNet-300-100 on MNIST and print its test accuracy.
# ./run.sh            short run (6,000 steps, about 15 s on 2 cores)
# ./run.sh --full     Frankle and Carbin's 50,000 iterations
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec dotnet run --project src/SparsityKit.Train -c Release --no-restore -- "$@"
