#!/usr/bin/env bash
# Makes TorchSharp 0.107's native library loadable: libLibTorchSharp.so needs libstdc++ with the
# GLIBCXX_3.4.32 symbol version (GCC 13 or newer). Debian 12 ships GCC 12's libstdc++, so there we
# install Debian 13's libstdc++6, pinned so that nothing else is upgraded. Idempotent.
set -euo pipefail

has_glibcxx_3_4_32() {
  local lib
  for lib in $(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 /{print $NF}'); do
    grep -qa 'GLIBCXX_3\.4\.32' "$lib" && return 0
  done
  return 1
}

has_glibcxx_3_4_32 && exit 0

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "error: installing libstdc++ needs root; run this script as root or install sudo." >&2; exit 1; fi; }

if [ -r /etc/debian_version ] && grep -q '^12\.' /etc/debian_version; then
  echo "setup: Debian 12 lacks GLIBCXX_3.4.32; installing libstdc++6 from Debian 13 (trixie), pinned." >&2
  as_root tee /etc/apt/sources.list.d/sparsitykit-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # Low priority: trixie packages are only taken when asked for with -t trixie.
  as_root tee /etc/apt/preferences.d/sparsitykit-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  has_glibcxx_3_4_32 && exit 0
fi

cat >&2 <<'MSG'
error: TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 (GCC 13.2 or newer) and glibc 2.34 or newer.
  This system's libstdc++.so.6 lacks it, and this script only knows how to fix Debian 12.
  Fix: install a newer libstdc++6 from your distribution (Ubuntu 24.04+, Debian 13+ and Fedora 39+ have it),
  then run this command again. See environment.md, "libstdc++ floor".
MSG
exit 1
