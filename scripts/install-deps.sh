#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages wasmbpf-aot builds on, when any is missing.
set -e
PKGS="make gcc g++ pkg-config wabt libbpf-dev libelf-dev zlib1g-dev bpftool clang lld llvm
wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev iproute2 binutils file iputils-ping
rustc libstd-rust-dev-wasm32"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
