#!/usr/bin/env bash
# Run the PyTorch peer benchmark (LeNet-300-100 on MNIST, PyTorch 1.13 eager) described in
# ../shared/peers/README.md, single-threaded unless --threads N says otherwise, for side-by-side timing against
# SparsityKit. The thread count reaches OpenBLAS, OpenMP and MKL too (OPENBLAS_NUM_THREADS and friends):
# torch.set_num_threads does not limit Debian's pthread OpenBLAS, which runs the peer's matrix products, so
# without them a "one-thread" peer multiplies on every core.
#
# Usage: bash bench/peer.sh [--script FILE] --data DIR [--steps N] [--sparsity S] [--threads N] [other script args]
# --script runs another peer script (bench/pytorch_models.py) in the same private environment instead of pytorch_lenet.py.
# The peers folder is $SPARSITYKIT_PEERS if set, else ../shared/peers beside the repository.
#
# On first use it installs the peer the way the README says: python3-torch and libtorch1.13 are
# downloaded and unpacked with dpkg -x into /opt/peer-torch (NOT apt-get installed: a system libtorch
# 1.13 in /usr/lib breaks TorchSharp in notebook kernels); only their runtime dependencies, OpenBLAS and
# numpy are apt-get installed, from Debian 12 (bookworm). Later runs skip the install once
# /opt/peer-torch imports. Only the peer's one result line goes to stdout; install messages go to stderr
# and the apt output to a log file.
set -euo pipefail

PREFIX=/opt/peer-torch
PY=/usr/bin/python3                      # Debian's python 3.11, not the pyenv python on PATH
SYSLIB=/usr/lib/x86_64-linux-gnu
LOG=${PEER_INSTALL_LOG:-/tmp/peer-torch-install.log}

say() { echo "peer.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
    echo "usage: bash bench/peer.sh --data DIR [--steps N] [--sparsity S] [--threads N] [more pytorch_lenet.py args]" >&2
    exit 2
}

# ---- arguments --------------------------------------------------------------------------------------
[ $# -gt 0 ] || usage
case "${1:-}" in -h|--help) usage ;; esac
script=
if [ "${1:-}" = --script ]; then
    [ $# -ge 2 ] && [ -f "$2" ] || { say "--script needs an existing file, got '${2:-}'"; usage; }
    script=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2
fi
have_data=0 threads=1 previous=
for a in "$@"; do
    case "$a" in --data|--data=*) have_data=1 ;; --threads=*) threads=${a#--threads=} ;; esac
    [ "$previous" = --threads ] && threads=$a
    previous=$a
done
[ "$have_data" = 1 ] || { say "--data DIR is required"; usage; }
case "$threads" in ''|*[!0-9]*|0) say "--threads must be a positive whole number, got '$threads'"; usage ;; esac

# ---- locate the peer --------------------------------------------------------------------------------
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) || die "cannot find the git repository containing $here"
PEERS=${SPARSITYKIT_PEERS:-$top/../shared/peers}
[ -f "$PEERS/pytorch_lenet.py" ] || die "peer benchmark not found: $PEERS/pytorch_lenet.py is missing. The peers live in the shared folder beside the repository (../shared/peers); put it there (for example ln -s /path/to/shared \"$top/../shared\") or set SPARSITYKIT_PEERS to the folder holding pytorch_lenet.py"
[ -x "$PY" ] || die "$PY not found (the peer needs Debian's python3)"

# The peer runs with exactly this environment (nothing inherited that could shadow its libtorch/numpy).
peer_env=(env LD_LIBRARY_PATH="$PREFIX/usr/lib/x86_64-linux-gnu"
              PYTHONPATH="$PREFIX/usr/lib/python3/dist-packages"
              PYTHONNOUSERSITE=1
              OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads")

system_torch() { ls "$SYSLIB" 2>/dev/null | grep -i torch || true; }

peer_works() {
    dpkg-query -W -f='${Status}\n' libopenblas0-pthread 2>/dev/null | grep -q 'install ok installed' || return 1
    "${peer_env[@]}" "$PY" -c 'import numpy, torch
assert torch.__version__.startswith("1.13"), torch.__version__
assert torch.__file__.startswith("'"$PREFIX"'/"), torch.__file__
assert float((torch.ones(4, 3) @ torch.ones(3, 2)).sum()) == 24.0' >/dev/null 2>&1
}

# Install packages with apt-get, but first check (dry run) that nothing would come from trixie and that
# nothing torch-related would land in the system.
apt_install_checked() {
    local sim bad
    sim=$(apt-get install -s -y --no-install-recommends "$@" 2>&1) || { echo "$sim" >>"$LOG"; die "apt-get cannot resolve: $* (see $LOG)"; }
    echo "$sim" >>"$LOG"
    bad=$(echo "$sim" | grep '^Inst ' | grep -Ei '^Inst [^ ]*torch|trixie' || true)
    bad+=$(echo "$sim" | grep '^Inst ' | grep ':13' | grep -v ':12' || true)
    [ -z "$bad" ] || die "refusing to install, apt would bring in:"$'\n'"$bad"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >>"$LOG" 2>&1 \
        || die "apt-get install failed (see $LOG)"
}

install_peer() {
    [ "$(id -u)" = 0 ] || die "installing the peer needs root (apt-get, $PREFIX)"
    say "installing the PyTorch 1.13 peer into $PREFIX (apt log: $LOG) ..."
    : >"$LOG"
    local ver deps tmp
    ver=$(apt-cache policy libtorch1.13 | awk '/Candidate:/{print $2}')
    case "$ver" in 1.13.*) ;; *) die "no libtorch1.13 candidate from Debian 12 (got '${ver:-none}'); is bookworm in the apt sources?" ;; esac

    # Runtime dependencies of libtorch1.13 and python3-torch (minus libtorch* itself and libtorch-test,
    # which would put a libtorch into /usr/lib), plus OpenBLAS (else ~10x slower) and numpy.
    deps=$( { apt-cache depends "libtorch1.13=$ver"; apt-cache depends "python3-torch=$ver"; } \
            | awk '/Depends:/{print $2}' | grep -v '^<' | grep -vi torch | sort -u)
    apt_install_checked libopenblas0-pthread python3-numpy $deps

    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && apt-get download "python3-torch=$ver" "libtorch1.13=$ver") >>"$LOG" 2>&1 \
        || die "apt-get download python3-torch libtorch1.13 failed (see $LOG)"
    rm -rf "$PREFIX"
    mkdir -p "$PREFIX"
    for f in "$tmp"/python3-torch_*.deb "$tmp"/libtorch1.13_*.deb; do
        dpkg -x "$f" "$PREFIX" || die "dpkg -x $f failed"
    done
    rm -rf "$tmp"; trap - EXIT

    peer_works || die "installed into $PREFIX, but 'import torch' still fails there (see $LOG)"
    say "peer installed"
}

# ---- install once, then run -------------------------------------------------------------------------
peer_works || install_peer

found=$(system_torch)
[ -z "$found" ] || die "a system libtorch is present in $SYSLIB (breaks TorchSharp in notebook kernels): $found"

exec "${peer_env[@]}" "$PY" "${script:-$PEERS/pytorch_lenet.py}" --threads "$threads" "$@"
