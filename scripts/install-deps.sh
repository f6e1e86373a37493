#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages wasmbpf-aot builds on, when any is missing.
# Debian 12 and 13. On an amd64 machine this includes the arm64 cross toolchain,
# libraries and emulator (`wasmbpf-aot --target aarch64`, the cross test tier):
# the arm64 architecture is added to dpkg when they are missing.
#   --list       print the list for this system and install nothing
#   --no-cross   leave the cross packages out (also WBPF_NO_CROSS=1)
set -e

list=""
cross=1
[ "${WBPF_NO_CROSS:-0}" = 1 ] && cross=0
for a in "$@"; do
	case "$a" in
	--list) list=1 ;;
	--no-cross) cross=0 ;;
	*)
		echo "install-deps.sh: unknown option '$a' (use --list, --no-cross)" >&2
		exit 2
		;;
	esac
done

# The wasm32 compiler-rt package carries clang's major version: 14 on Debian 12, 19 on 13.
clang_major() {
	v=""
	[ -r /etc/os-release ] && . /etc/os-release && case "$VERSION_ID" in
		12) v=14 ;;
		13) v=19 ;;
	esac
	if [ -z "$v" ]; then
		v=$(apt-cache depends clang 2>/dev/null |
			sed -n 's/^ *Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1)
	fi
	echo "${v:-14}"
}

# debootstrap builds the Debian 13 root of the trixie test tier (scripts/trixie-root.sh);
# musl-tools (musl-gcc) the bench's compute kernels natively against musl.
PKGS="make gcc g++ pkg-config wabt libbpf-dev libelf-dev zlib1g-dev bpftool clang lld llvm
wasi-libc libclang-rt-$(clang_major)-dev-wasm32 libclang-rt-$(clang_major)-dev iproute2 binutils file
iputils-ping rustc libstd-rust-dev-wasm32 debootstrap musl-tools"

# The cross target's compiler and libc (the -cross packages), the libraries the runtime
# links for it from its dpkg architecture (multiarch, co-installed with the native -dev
# packages), and qemu's user-mode emulator to run what it builds.
CROSS_ARCH=""
if [ "$cross" = 1 ] && [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
	CROSS_ARCH=arm64
	PKGS="$PKGS gcc-aarch64-linux-gnu libc6-dev-arm64-cross libbpf-dev:arm64 libelf-dev:arm64
zlib1g-dev:arm64 qemu-user"
fi

if [ -n "$list" ]; then
	echo $PKGS
	exit 0
fi
# The ship tier inspects and unpacks the OCI archives of --oci-archive with
# these (on the host only: the Debian 13 root's list is the one above).
PKGS="$PKGS skopeo umoci"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -n "$CROSS_ARCH" ] && ! dpkg --print-foreign-architectures | grep -qx "$CROSS_ARCH"; then
	$SUDO dpkg --add-architecture "$CROSS_ARCH"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
