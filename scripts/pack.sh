#!/usr/bin/env bash
# Packs SparsityKit, with its notebook extension inside, into the local feed artifacts/packages under a version no
# earlier pack used (<VersionPrefix>-dev.<UTC date>.1<time>). A kernel serves a same-version package stale from the
# NuGet cache, so a new version is what lets `#r "nuget: SparsityKit, *-*"` load the current code.
# Prints the version. Keeps the newest 3 packages in the feed and the newest 5 in the NuGet cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' src/SparsityKit/SparsityKit.csproj)
[ -n "$prefix" ] || { echo "error: no <VersionPrefix> in src/SparsityKit/SparsityKit.csproj" >&2; exit 1; }
# SemVer forbids leading zeros in numeric parts, so the time (000000-235959) is prefixed with 1 to keep its width.
version="$prefix-dev.$(date -u +%Y%m%d).1$(date -u +%H%M%S)"
feed="$root/artifacts/packages"
mkdir -p "$feed"

# PackageVersion (not Version) changes only the package, so an already built assembly is not rebuilt.
dotnet pack src/SparsityKit/SparsityKit.csproj -c Release -o "$feed" -p:PackageVersion="$version" --nologo --verbosity quiet >&2

ls -t "$feed"/SparsityKit.*.nupkg 2>/dev/null | tail -n +4 | xargs -r rm -f --
cache=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
if [ -d "$cache/sparsitykit" ]; then
  ls -dt "$cache"/sparsitykit/*-dev.* 2>/dev/null | tail -n +6 | xargs -r rm -rf --
fi
echo "$version"
