#!/usr/bin/env bash
# Issue 5's experiments (variational dropout and L0 on MNIST LeNet-300-100): set up, then run one command of
# `SparsityKit.Train vdl0`, e.g.  bash scripts/vd-l0.sh vd --epochs 30   or   bash scripts/vd-l0.sh l0-search --target 0.9
# See docs/variational-dropout-and-l0.md for the settings and results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec dotnet run --project src/SparsityKit.Train -c Release --no-restore -- vdl0 "$@"
