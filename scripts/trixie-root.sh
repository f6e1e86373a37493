#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A minimal Debian 13 (trixie) root with the project's build dependencies, for building
# and testing on Debian 13's toolchain (wabt 1.0.36, libbpf 1.5, clang 19, gcc 14) from a
# Debian 12 host. The root lives outside the repository and is reused: a stamp records the
# hash of the package list it was set up with.
#
#   scripts/trixie-root.sh                 build or refresh the root, print its path
#   scripts/trixie-root.sh run CMD [ARG]   run CMD inside it (as root, /proc /sys /dev bound)
#   scripts/trixie-root.sh sync            copy this tree's sources into the root, print
#                                          where they are inside it (/src/wasmbpf-aot-ID)
#
# WBPF_TRIXIE_ROOT chooses the directory (default /var/cache/wasmbpf-aot/trixie);
# WBPF_DEBIAN_MIRROR the archive (default http://deb.debian.org/debian).
set -eu

ROOT=${WBPF_TRIXIE_ROOT:-/var/cache/wasmbpf-aot/trixie}
MIRROR=${WBPF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PROG=trixie-root

die() {
	echo "$PROG: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and chroot)"

# Runs "$@" chrooted in $ROOT, in a private mount namespace: the /proc, /sys and /dev mounts
# live only as long as the command and never reach the host's mount table. The trap
# unmounts them early on the way out as well.
in_root() {
	unshare --mount --propagation private -- sh -c '
		root=$1; shift
		trap "umount -R \"$root/dev\" \"$root/sys\" \"$root/proc\" 2>/dev/null || true" EXIT
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		if [ -d /sys/kernel/tracing ] && [ ! -e /sys/kernel/tracing/trace ]; then
			mount -t tracefs tracefs "$root/sys/kernel/tracing" 2>/dev/null || true
		fi
		chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			LANG=C.UTF-8 "$@"
	' in_root "$ROOT" "$@"
}

setup() {
	mkdir -p "$(dirname "$ROOT")"
	if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -e "$ROOT/.debootstrap-done" ]; then
		command -v debootstrap >/dev/null ||
			die "debootstrap is missing (scripts/install-deps.sh installs it)"
		rm -rf "$ROOT"
		echo "$PROG: debootstrap trixie into $ROOT" >&2
		debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 ||
			die "debootstrap failed, see $ROOT.log"
		touch "$ROOT/.debootstrap-done"
	fi
	# The package list comes from the same install-deps.sh, run inside the root so it
	# picks Debian 13's names.
	mkdir -p "$ROOT/opt/wbpf"
	cp "$SRC/scripts/install-deps.sh" "$ROOT/opt/wbpf/install-deps.sh"
	list=$(in_root sh /opt/wbpf/install-deps.sh --list --no-cross)
	hash=$(echo "$list" | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$ROOT/.wbpf-deps" 2>/dev/null)" != "$hash" ]; then
		echo "$PROG: installing into $ROOT: $list" >&2
		in_root sh -c 'apt-get update -qq && sh /opt/wbpf/install-deps.sh --no-cross' \
			>"$ROOT.log" 2>&1 || die "installing packages failed, see $ROOT.log"
		in_root apt-get clean
		echo "$hash" >"$ROOT/.wbpf-deps"
	fi
}

# The sources of this tree (tracked and new files, not build output) into a folder of
# the root that belongs to this tree alone (so that trees, worktrees among them, can use
# the root at once), mtimes kept so the build inside stays incremental; files the tree no
# longer has are removed there. Prints the folder's path inside the root.
sync_tree() {
	id=$(printf '%s' "$SRC" | sha256sum | cut -c1-12)
	dst=/src/wasmbpf-aot-$id
	list=$(mktemp)
	mkdir -p "$ROOT$dst"
	(
		cd "$SRC" || exit 1
		{ git ls-files; git ls-files --others --exclude-standard; } | grep -v '^build/' |
			while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
			sort >"$list"
		tr '\n' '\0' <"$list" | tar --null -T - -cf - | tar -C "$ROOT$dst" -xf -
	) || die "cannot copy $SRC into $ROOT$dst"
	(cd "$ROOT$dst" && find . -path ./build -prune -o -type f -print | sed 's#^\./##' | sort) |
		comm -23 - "$list" | while IFS= read -r f; do rm -f "$ROOT$dst/$f"; done
	rm -f "$list"
	echo "$dst"
}

# One setup at a time per root; runs share it.
mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9
setup
flock -u 9

case "${1:-}" in
run)
	shift
	in_root "$@"
	;;
sync) sync_tree ;;
"") echo "$ROOT" ;;
*) die "unknown command '$1' (use run or sync)" ;;
esac
